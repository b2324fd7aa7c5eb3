"""The baseline for the app benchmarks: a bare Streamlit page with the step page's kinds of widget.

A title, a text input, two buttons, a slider and a segmented control, nothing else: no
imports beyond Streamlit, no state, no model. ``benchmarks.app_bench`` runs it with its own
``streamlit run`` and times it the way it times the app, so a ratio to it is "what the app
costs beyond Streamlit itself" on the same machine. The wide layout matches the app's.
"""

import streamlit as st

st.set_page_config(page_title="Bare page", layout="wide")
st.title("Bare page")
st.text_input("Sentence", value="the big red car sees a small dog")
st.button("◀ Previous")
st.button("Next ▶", type="primary")
st.slider("Decoder step", min_value=1, max_value=9, value=1)
st.segmented_control("Equation", options=list(range(1, 8)), default=1, required=True)
