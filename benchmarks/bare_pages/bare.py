"""The baseline for the app benchmarks: a bare Streamlit page with the step page's kinds of widget.

A title, a text input, two buttons, a slider and a segmented control, nothing else: no
imports beyond Streamlit, no model. "Next ▶" counts its presses on the page, so a press
changes the page's text as the step page's "Next ▶" does (the timing waits for a change).
``benchmarks.clicks`` runs it with its own ``streamlit run`` and times it the way it times the
app, so a ratio to it is "what the app costs beyond Streamlit itself" on the same machine. The
wide layout matches the app's.
"""

import streamlit as st

st.set_page_config(page_title="Bare page", layout="wide")
st.title("Bare page")
st.text_input("Sentence", value="the big red car sees a small dog")
st.button("◀ Previous")
if st.button("Next ▶", type="primary", key="next"):
    st.session_state.presses = st.session_state.get("presses", 0) + 1
st.caption(f"Presses: {st.session_state.get('presses', 0)}")
st.slider("Decoder step", min_value=1, max_value=9, value=1)
st.segmented_control("Equation", options=list(range(1, 8)), default=1, required=True)
