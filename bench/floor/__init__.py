"""The floor of our own stack: the least a Streamlit + Plotly (+ DuckDB) page can cost, measured beside the app."""
