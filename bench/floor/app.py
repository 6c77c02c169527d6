"""Floor app: `st.navigation` with one 40-row horizontal Plotly bar chart (plain) and the same page reading its
rows through a cached DuckDB query (duckdb). Same Streamlit, Plotly and DuckDB as the dashboard; nothing else."""

import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")
st.navigation(
    [
        st.Page("plain.py", title="Floor", default=True),
        st.Page("cached.py", title="Floor DuckDB", url_path="duckdb"),
    ]
).run()
