"""Shared test support: database builders, spreadsheet programs, browsers."""
