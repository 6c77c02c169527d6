"""Plotly figures shared by every page, built the same way so screenshots look alike. No Streamlit here."""
