"""Attention Explorer: the router. Page set-up, the shared sidebar (language, model, presenter mode), navigation."""

import streamlit as st

from ui import compute, layout, model_picker, state
from ui.strings import LANGUAGES, t

st.set_page_config(page_title="Attention Explorer", page_icon="🔎", layout="wide")

notices = state.sync(())
notices += state.model_still_there()
state.commit("lang")  # a switch of language applies to this run's labels, the switch's own included
menu = st.sidebar.container()  # the pages' menu comes first; filled once the pages are known
with st.sidebar:
    st.segmented_control(
        t("sidebar.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=state.widget_key("lang"),
        required=True,
    )
    state.commit("lang")
    model_picker.follow_examples(model_picker.picker())
    st.toggle(t("sidebar.present"), key=state.widget_key("present"), help=t("sidebar.present_help"))
    state.commit("present")

pages = [
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True, url_path="home"),
    st.Page("pages/lesson.py", title=t("nav.lesson"), icon=":material/school:", url_path="lesson"),
    st.Page("pages/why_attention.py", title=t("nav.why"), icon=":material/show_chart:", url_path="why_attention"),
    st.Page("pages/step_through.py", title=t("nav.step"), icon=":material/stairs:", url_path="step_through"),
    st.Page("pages/masking.py", title=t("nav.masking"), icon=":material/masks:", url_path="masking"),
    st.Page("pages/alignment.py", title=t("nav.alignment"), icon=":material/grid_on:", url_path="alignment"),
    st.Page("pages/score_functions.py", title=t("nav.scores"), icon=":material/balance:", url_path="score_functions"),
    st.Page("pages/pitfalls.py", title=t("nav.pitfalls"), icon=":material/bug_report:", url_path="pitfalls"),
    st.Page("pages/what_if.py", title=t("nav.whatif"), icon=":material/science:", url_path="what_if"),
    st.Page(
        "pages/train.py",
        title=t("nav.train"),
        icon=":material/model_training:",
        url_path="train",
        visibility=compute.train_page_visibility(),
    ),
]
page = st.navigation(pages, position="hidden")
# The menu is drawn here: the pages/ folder's automatic menu is off (client.showSidebarNavigation),
# as on a server's first deep link it would list raw file names until the router takes over.
for entry in pages:
    if entry.visibility == "visible":  # a hidden page (Train, switched off) opens by its link only
        menu.page_link(entry)
layout.show_notices(notices)
layout.apply_style()
compute.warm_in_background()
page.run()
