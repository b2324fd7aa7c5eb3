"""Altair and Vega-Lite specifications, figures and the equations' views, Streamlit-free (the notebook imports them)."""
