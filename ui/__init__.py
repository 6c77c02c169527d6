"""The Streamlit layer: connection, shared filters, formatting for the screen. Only ui/, pages/ and app.py import streamlit."""
