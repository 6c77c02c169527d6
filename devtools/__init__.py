"""Helpers for the people who develop the app (benchmark and tests), never imported by the app itself."""
