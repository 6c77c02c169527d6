"""The plain floor page with its 40 rows read from the app's DuckDB file ($NQ57_DB) through st.cache_data."""

import os

import duckdb
import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(os.environ["NQ57_DB"], read_only=True)


@st.cache_data(ttl=600)
def rows():
    return (
        connection()
        .execute("SELECT target_id, coalesce(target_value, 0) AS v FROM targets ORDER BY target_id LIMIT 40")
        .df()
    )


st.title("Floor DuckDB")
frame = rows()
fig = go.Figure(go.Bar(x=frame["v"], y=frame["target_id"], orientation="h"))
fig.update_layout(height=900)
st.plotly_chart(fig)
