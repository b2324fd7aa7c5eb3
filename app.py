"""Attention Explorer: the router. Page set-up, the shared sidebar (language, model, presenter mode), navigation."""

import streamlit as st

from ui.models import compute
from ui.session import registry, router, state
from ui.strings import LANGUAGES, t
from ui.widgets import model_picker, page_frame

router.ensure_entrypoint()  # before anything is drawn: a first run in the pages/-folder mode starts over as the router
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


def visibility(entry: registry.PageEntry) -> str:
    """Train is in the menu only where training is on; opened by its link elsewhere, it says why."""
    return compute.train_page_visibility() if entry.path == "train" else "visible"


pages = [
    st.Page(entry.script, title=t(entry.title_key), icon=entry.icon, url_path=entry.path, visibility=visibility(entry))
    for entry in registry.PAGES
]
# Home is the default page, served at "/". The default page still reserves a path of its own: it is given
# "index", so /home (the address older links and the first README used) can open Home as well.
pages[0] = st.Page(
    registry.script(registry.HOME), title=t("nav.home"), icon=":material/home:", default=True, url_path="index"
)
pages.append(st.Page(registry.script(registry.HOME), title=t("nav.home"), url_path=registry.HOME, visibility="hidden"))
page = st.navigation(pages, position="hidden")
# The menu is drawn here: the pages/ folder's automatic menu is off (client.showSidebarNavigation),
# as on a server's first deep link it would list raw file names until the router takes over.
for entry in pages:
    if entry.visibility == "visible":  # a hidden page (Train, switched off) opens by its link only
        menu.page_link(entry)
page_frame.show_notices(notices)
page_frame.apply_style()
compute.warm_in_background()
page.run()
