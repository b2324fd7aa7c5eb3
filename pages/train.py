"""Train your own: upload a pairs file, see what was read of it, train a model of it in a process of its own."""

import streamlit as st

from ui.session import state
from ui.strings import t
from ui.views import training
from ui.widgets import page_frame

NAMES = ()
page_frame.page_start("train", NAMES, "train.title")
if not training.switched_on():
    training.switched_off_note()
    st.stop()
st.markdown(t("train.intro"))

running, mine = training.current_job(), training.own_job()
training.busy_note(running, mine)
upload = training.upload()
summary = training.checked(upload) if upload is not None else None
if summary is not None:
    training.summary_view(summary)
    training.training_form(upload, busy=running is not None, summary=summary)
# Below the form, where Start was pressed: the running training, or how this session's last one ended.
if running is not None:
    training.running_panel(running.pid, running.root, mine is not None and mine.pid == running.pid)
elif mine is not None:
    training.outcome(mine)
state.write_url(NAMES)
