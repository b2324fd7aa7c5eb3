"""Streamlit-only helpers shared by the pages: state and links, strings, tables, charts."""
