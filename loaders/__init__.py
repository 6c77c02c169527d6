"""Loaders: own the DuckDB database, its schema, the catalog build and uploads."""
