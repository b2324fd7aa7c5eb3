"""The Score functions page under AppTest: the trained models on the person's sentence, the evaluation
file's Table 6 and AER by length, the untrained view, a slide, Chinese and bad links."""

from __future__ import annotations

import pyarrow as pa
import pytest

from attention_core import load_pretrained
from attention_core.data.toy_data import reference_translation
from attention_core.evaluation import metrics
from attention_core.evaluation.table import LUONG_TABLE_6, load_table
from attention_core.names import SCORE_KINDS, TRAINED_SCORES
from tests.support.apptest import run, texts, warnings

SENTENCE = "the big red car sees a small dog"
NAMES = {
    "additive": "additive (Bahdanau)",
    "dot": "dot (Luong)",
    "general": "general (Luong)",
    "scaled_dot": "scaled dot-product",
    "location": "location (Luong)",
}


def chart_tables(at) -> list[pa.Table]:
    """Each Vega-Lite chart's data as Arrow, as the browser receives it."""
    return [pa.ipc.open_stream(c.proto.data.data).read_all() for c in at.get("vega_lite_chart") if c.proto.data.data]


@pytest.fixture(scope="module")
def translations():
    return {score: load_pretrained(SCORE_KINDS[score]).translate(SENTENCE) for score in TRAINED_SCORES}


@pytest.fixture(scope="module")
def page():
    return run("score_functions", text=SENTENCE, step="3")


def test_the_step_table_shows_what_each_trained_model_emits_and_looks_at(page, translations):
    table = page.dataframe[0].value
    assert list(table.index) == [NAMES[s] for s in TRAINED_SCORES]
    reference = reference_translation(SENTENCE.split()).fr
    for score, translation in translations.items():
        step = translation.steps[min(3, len(translation.steps)) - 1]
        row = table.loc[NAMES[score]]
        assert row.iloc[0].split(" (")[0] == step.chosen
        assert row.iloc[1] == translation.source_tokens[int(step.trace.alpha.argmax())]
        agrees = tuple(translation.target_tokens) == reference
        assert (row.iloc[2] == "matches the reference") == agrees, score


def test_each_trained_models_own_map_is_drawn_with_its_translation(page, translations):
    shown = texts(page)
    for score, translation in translations.items():
        assert f"**{NAMES[score]}**" in shown
        assert " ".join(f"`{w}`" for w in translation.target_tokens) in shown
    drawn = [c for c in page.get("vega_lite_chart") if c.proto.data.data]
    assert len(drawn) == 1 + sum(bool(tr.target_tokens) for tr in translations.values())  # the step's, then each map
    step_rows = chart_tables(page)[0].column("r").to_pylist()
    assert sorted(set(step_rows)) == list(range(len(TRAINED_SCORES)))


def test_table_6_is_the_evaluation_file_with_luong_beside_it(page):
    evaluation = load_table()
    table = page.dataframe[1].value
    ours = table.iloc[: len(TRAINED_SCORES)]
    for (_, row), score in zip(ours.iterrows(), TRAINED_SCORES):
        overall = evaluation["models"][SCORE_KINDS[score]]["overall"]
        assert row["model"] == NAMES[score]
        assert row["AER"] == f"{overall['aer']:.4f}"
        # printed as the README's tables print them (metrics.percent): to the digit that tells them apart
        assert row["exact match"] == metrics.percent(overall["exact_match"])
        assert row["alignment accuracy"] == metrics.percent(overall["alignment"])
        assert float(row["alignment accuracy"].rstrip("%")) == pytest.approx(100 * overall["alignment"], abs=0.05)
    theirs = table.iloc[len(TRAINED_SCORES) :]
    assert [(name, float(aer)) for name, aer in zip(theirs["model"], theirs["AER"])] == list(LUONG_TABLE_6)
    assert (theirs["exact match"] == "").all()  # Luong et al. report no exact match on our task
    assert "not our task" in texts(page)


def test_the_aer_chart_has_every_bucket_of_every_score(page):
    evaluation = load_table()
    chart = page.get("vega_lite_chart")[-1].proto  # the Altair line chart: its data is a named Arrow dataset
    data = pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pylist()
    shown = {(row["model"], row["source length (tokens)"]): row["AER (lower is better)"] for row in data}
    expected = {
        (NAMES[score], bucket): row["aer"]
        for score in TRAINED_SCORES
        for bucket, row in evaluation["models"][SCORE_KINDS[score]]["by_bucket"].items()
    }
    assert shown.keys() == expected.keys()
    for key, value in expected.items():
        assert shown[key] == pytest.approx(value), key


def test_a_slide_keeps_the_step_comparison_only():
    at = run("score_functions", text=SENTENCE, present="1")
    assert not at.text_input and not at.title
    # no maps, no table 6; the step's table as HTML, which the slide's type sets large
    assert len(at.table) == 1 and not at.dataframe and not at.subheader
    assert "Five models" not in texts(at)


def test_the_trained_view_in_chinese():
    at = run("score_functions", text=SENTENCE, lang="zh")
    assert at.dataframe[0].value.index.name == "得分函数"
    assert "Luong" in at.dataframe[1].value.iloc[-1, 1] and "复现" in texts(at)


def test_the_same_states_view_is_labelled_and_untrained():
    at = run("score_functions", text=SENTENCE, scores="same_states", step="2")
    assert "Only the additive score was trained" in texts(at)
    assert len(at.dataframe[0].value) == 4


def test_a_nonsense_view_falls_back_to_the_trained_models():
    at = run("score_functions", text=SENTENCE, scores="<b>x</b>")
    assert any("scores" in w for w in warnings(at))
    assert len(at.dataframe[0].value) == len(TRAINED_SCORES)
