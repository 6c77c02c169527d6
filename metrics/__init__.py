"""Arithmetic of progress and status: pure, typed functions over DataFrames (no Streamlit)."""
