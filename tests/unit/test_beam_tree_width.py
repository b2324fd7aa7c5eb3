"""The beam tree's width: a page's tree takes its column's width (at least a readable width a step,
scrolled in its own box below that), a slide's has its own width a step, an export its own."""

from __future__ import annotations

from attention_core.decoding.translator import BeamNode
from ui.charts import figures
from ui.views import what_if_views

NODES = [
    BeamNode(0, None, 0, "<start>", 0.0, True, True),
    BeamNode(1, 0, 1, "la", -0.01, True, True),
    BeamNode(2, 0, 1, "le", -4.2, True, False),
    BeamNode(3, 1, 2, "grande", -0.02, True, True),
]


def test_a_pages_tree_fits_the_width_it_is_given():
    spec = figures.beam_tree(NODES, "tree", "i", "pruned").spec()
    assert "width" not in spec and spec["autosize"]["type"] == "fit-x"


def test_a_slides_tree_has_its_own_width_a_step():
    spec = figures.beam_tree(NODES, "tree", "i", "pruned", step_pixels=190).spec()
    assert spec["width"] == 3 * 190 and spec["autosize"]["type"] == "pad"


def test_an_exported_tree_has_its_own_width_a_step():
    figure = figures.beam_tree(NODES, "tree", "i", "pruned")
    assert figure.export_width == 3 * figures.BEAM_STEP_PIXELS


def test_every_tree_a_page_draws_has_its_least_width():
    for n in range(1, what_if_views.TREE_STEPS + 1):
        rule = f".st-key-{figures.beam_steps_key(n)} {{ min-width: {n * figures.BEAM_MIN_STEP_PIXELS}px; }}"
        assert rule in figures.BEAM_TREE_CSS
