"""The α maps of the alignment and why-attention pages: a long sentence's map still names its words
and has a colour scale, the reference alignment is drawn where the toy grammar gives one, the
title is one line, and moving the training slider swaps data instead of building a model."""

from __future__ import annotations

import base64
import io
import json

import pyarrow as pa
import pytest
from PIL import Image

from attention_core.decoding import translator as core_translator
from tests.support.apptest import run
from ui.charts import figures
from ui.models import compute
from ui.strings import en, zh

DEFAULT = "the big red car sees a small dog"


def charts(at) -> list:
    return at.get("vega_lite_chart")


def spec_of(chart) -> dict:
    return json.loads(chart.proto.spec)


def datasets(chart) -> dict[str, pa.Table]:
    return {d.name: pa.ipc.open_stream(d.data.data).read_all() for d in chart.proto.datasets}


def cell_data(chart) -> pa.Table:
    return pa.ipc.open_stream(chart.proto.data.data).read_all()


def picture_layer(spec: dict) -> dict | None:
    return next((layer for layer in spec.get("layer", []) if layer.get("mark", {}).get("type") == "image"), None)


def axis_domain(spec: dict, channel: str) -> list[str]:
    return next(
        layer["encoding"][channel]["scale"]["domain"]
        for layer in spec["layer"]
        if channel in layer.get("encoding", {}) and "scale" in layer["encoding"][channel]
    )


@pytest.mark.parametrize("page", ["alignment", "why_attention"])
def test_a_long_sentence_map_names_its_words_and_has_a_colour_scale(page, longest):
    at = run(page, text=longest)
    maps = [c for c in charts(at) if picture_layer(spec_of(c))]
    assert len(maps) == 1, "a long sentence's α map is a chart with its cells as one picture"
    assert not at.get("image"), "no bare image without axes"
    spec = spec_of(maps[0])
    source = longest.split()
    assert axis_domain(spec, "x") == figures.unique_labels(source)  # every source word on its axis
    rows = axis_domain(spec, "y")
    assert len(rows) >= 40 and all(label.split(" ", 1)[1] for label in rows)  # every output word on its axis
    colour = next(layer["encoding"]["color"] for layer in spec["layer"] if "color" in layer.get("encoding", {}))
    assert colour["legend"]["title"] == "α" and colour["scale"]["domain"] == [0.0, 1.0]
    url = datasets(maps[0])["picture"].column("url")[0].as_py()
    picture = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert picture.size == (len(source), len(rows))  # one pixel a cell, stretched under the axes
    captions = [c.value for c in at.caption]
    assert en.STRINGS["figure.image_caption"] not in captions  # "The table has every value": there is none
    if not at.dataframe:  # a caption may point to a table only where there is one
        assert not any("table" in c for c in captions), captions
    assert f"{len(rows)} × {len(source)} cells" in " ".join(captions)


def gold_cells(chart) -> set[tuple[str, str]]:
    if "gold" in datasets(chart):
        table = datasets(chart)["gold"]
    else:
        table = cell_data(chart)
        if "gold" not in table.column_names:
            return set()
        table = table.filter(table.column("gold"))
    return set(zip(table.column("row").to_pylist(), table.column("col").to_pylist(), strict=True))


@pytest.mark.parametrize("long", [False, True])
def test_the_final_map_outlines_the_reference_alignment(long, longest):  # noqa: F811
    text = longest if long else DEFAULT
    at = run("alignment", text=text)
    reference = compute.reference_translation(text.split())
    chart = charts(at)[0]
    rows, cols = figures.unique_labels(list(reference.fr)), figures.unique_labels(text.split())
    assert gold_cells(chart) == {(rows[i], cols[j]) for i, j in enumerate(reference.align)}
    legends = json.dumps(spec_of(chart))
    assert en.STRINGS["align.gold"] in legends  # the outline is named in the chart's legend


def test_no_outline_where_the_words_are_not_the_reference():
    at = run("alignment", text=DEFAULT, snap="0")  # untrained: its words are not the grammar's
    assert not gold_cells(charts(at)[0])
    assert "gold" not in json.dumps(spec_of(charts(at)[0]))


@pytest.mark.parametrize("table", [en.STRINGS, zh.STRINGS], ids=["en", "zh"])
def test_the_map_title_is_one_line_at_every_point_of_training(table):
    most = max(compute.snapshot_pairs_seen().values())
    pairs = table["align.snapshot_label"].format(pairs=f"{most:,}")
    for when in (table["align.final"], table["align.untrained"], pairs):
        title = table["align.map_title"].format(when=when)
        assert len(figures.title_lines(title)) == 1, title


def test_the_title_is_text_above_a_chart_whose_spec_stays_from_snapshot_to_snapshot():
    specs = []
    for snap in ("7", "-1"):  # two points of training with the same translation (the reference, outlined)
        at = run("alignment", text=DEFAULT, snap=snap)
        label = at.select_slider[0].options[int(snap)]  # the slider's options, in words
        assert f"**α: {label}**" in [m.value.replace("\\", "") for m in at.markdown]  # escaped markdown, read
        specs.append(charts(at)[0].proto.spec)
        assert "title" not in spec_of(charts(at)[0])
    assert specs[0] == specs[1]  # only the data differ: the browser updates its view in place


def test_the_snapshots_load_in_the_background_so_the_slider_builds_no_model(monkeypatch):
    at = run("alignment", text="the dog sees a small cat")
    compute.warm_snapshots().join(timeout=300)
    names = compute.snapshot_names()
    assert core_translator.load_snapshot.cache_info().currsize == len(names)  # every snapshot, none on demand
    monkeypatch.setattr(core_translator, "load_snapshot", lambda name: pytest.fail(f"built {name} on a notch"))
    for k in reversed(range(len(names) - 1)):  # every notch, from the final model down to untrained
        at.select_slider[0].set_value(k).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.query_params["snap"] == str(k) and charts(at)


@pytest.mark.parametrize("table", [en.STRINGS, zh.STRINGS], ids=["en", "zh"])
def test_the_why_attention_map_title_is_one_line(table):
    assert len(figures.title_lines(table["why.alpha_title"])) == 1, table["why.alpha_title"]


def test_the_why_attention_map_outlines_the_reference_alignment(longest):  # noqa: F811
    at = run("why_attention", text=longest)
    reference = compute.reference_translation(longest.split())
    (chart,) = [c for c in charts(at) if en.STRINGS["align.gold"] in json.dumps(spec_of(c))]
    rows, cols = figures.unique_labels(list(reference.fr)), figures.unique_labels(longest.split())
    assert gold_cells(chart) == {(rows[i], cols[j]) for i, j in enumerate(reference.align)}
