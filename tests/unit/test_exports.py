"""Every export opened and checked for what it claims: PNG scale, SVG text, CSV encoding,
NPZ contents, the ZIP's numbered PNGs and the GIF's frames."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd
from PIL import Image

from ui.charts import figures
from ui.widgets import exports

ALPHA = np.array([[0.91, 0.05, 0.04], [0.10, 0.80, 0.10]])
SOURCE, TARGET = ["the", "cat", "the"], ["le", "chat"]


def svg_size(svg: bytes) -> tuple[float, float]:
    head = svg[:400].decode("utf-8")
    width = float(re.search(r'width="([\d.]+)"', head).group(1))
    height = float(re.search(r'height="([\d.]+)"', head).group(1))
    return width, height


def test_png_is_twice_the_screen_scale():
    figure = figures.heatmap(ALPHA, TARGET, SOURCE, "α", "i", "j", "α", domain=(0, 1))
    width, height = svg_size(figure.svg())  # the chart at screen scale
    png = Image.open(io.BytesIO(figure.png()))
    assert png.size[0] >= 2 * width and png.size[1] >= 2 * height, (png.size, width, height)
    assert png.size[0] <= 2 * width + 2  # exactly the doubled chart, not padded out


def test_exported_cells_are_wide_enough_for_their_numbers():
    figure = figures.heatmap(ALPHA, TARGET, SOURCE, "α", "i", "j", "α", domain=(0, 1))
    svg = figure.svg().decode("utf-8")
    shown = re.findall(r">(0\.\d\d)<", svg)
    assert sorted(shown) == sorted(f"{v:.2f}" for v in ALPHA.reshape(-1))  # every cell prints its value
    assert figure.export_width == figures.EXPORT_CELL * 3 and figures.EXPORT_CELL >= figures.CELL_TEXT_BAND


def test_narrow_cells_print_no_numbers():
    """On a narrow screen (here 60 px for 3 columns) the numbers are hidden rather than overlapping."""
    figure = figures.heatmap(ALPHA, TARGET, SOURCE, "α", "i", "j", "α", domain=(0, 1))
    figure.export_width = 60
    svg = figure.svg().decode("utf-8")
    cell_texts = re.findall(r'<text[^>]*opacity="0"[^>]*>(0\.\d\d)</text>', svg)
    assert len(cell_texts) == ALPHA.size


def test_svg_of_a_batch_with_nan_has_no_nan_text():
    alpha = np.array([[0.7, 0.3, 0.0], [np.nan, np.nan, np.nan]])
    figure = figures.batch_heatmap(alpha, [["the", "cat"], []], "α", "Row", "position j", "pad")
    svg = figure.svg().decode("utf-8")
    assert "nan" not in svg.lower()
    assert figures.NAN_COLOUR in svg  # the NaN row is drawn red instead
    assert svg.count(">pad<") == 4 and ">cat<" in svg  # every cell labelled with its word or padding


def test_svg_of_a_heatmap_with_nan_has_no_nan_text():
    figure = figures.heatmap(np.array([[0.5, np.nan]]), ["le"], ["the", "cat"], "α", "i", "j", "α")
    svg = figure.svg().decode("utf-8")
    assert "nan" not in svg.lower() and figures.NAN_COLOUR in svg


def test_long_titles_wrap_instead_of_being_cut():
    lines = figures.title_lines("α: rows are output words, columns source words (after 12,800 sentence pairs)")
    assert len(lines) > 1 and all(len(line) <= figures.TITLE_CHARS for line in lines)
    figure = figures.heatmap(ALPHA, TARGET, SOURCE, " ".join(lines), "i", "j")
    svg = figure.svg().decode("utf-8")
    assert all(line in svg for line in lines)


def test_numbers_are_not_numbered_twice():
    assert figures.axis_labels(["1", "2", "3"]) == ["1", "2", "3"]
    assert figures.axis_labels(["a1", "a2"]) == ["a1", "a2"]
    assert figures.axis_labels(["the", "cat", "the"]) == ["1 the", "2 cat", "3 the"]


def test_csv_has_a_byte_order_mark_and_reads_back_in_utf8():
    frame = pd.DataFrame({"α": [0.5, 0.25]}, index=["我", "爱"])
    data = exports.csv_bytes(frame)()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", index_col=0)
    assert list(back.index) == ["我", "爱"] and list(back.columns) == ["α"]


def test_npz_carries_tokens_and_the_target_vocabulary():
    vocabulary = ["<pad>", "<start>", "<end>", "chat", "le"]
    logits = np.array([0.0, 0.0, 0.1, 2.0, 1.0])
    data = exports.npz_bytes(
        {"logits": logits, "alpha": ALPHA[0], "missing": None},
        source_tokens=SOURCE,
        target_tokens=TARGET,
        target_vocabulary=vocabulary,
    )()
    archive = np.load(io.BytesIO(data), allow_pickle=False)  # plain string arrays, no pickles
    assert set(archive.files) == {"logits", "alpha", "source_tokens", "target_tokens", "target_vocabulary"}
    assert archive["source_tokens"].tolist() == SOURCE and archive["target_tokens"].tolist() == TARGET
    assert archive["target_vocabulary"][int(np.argmax(archive["logits"]))] == "chat"


def test_npz_without_tokens_keeps_the_old_contents():
    archive = np.load(io.BytesIO(exports.npz_bytes({"alpha": ALPHA})()))
    assert archive.files == ["alpha"]


def test_file_names_carry_the_sentence_step_and_equation():
    assert exports.slug("The big, red car!") == "the-big-red-car"
    assert exports.slug("我爱你") == "我爱你" and exports.slug("!!!") == "text"
    assert len(exports.slug("cat " * 100)) <= exports.SLUG_CHARS
    assert exports.file_name("the cat sees a dog", "step2", "eq5", ext="png") == "the-cat-sees-a-dog_step2_eq5.png"


def test_zip_holds_numbered_pngs_in_order():
    figs = [
        figures.heatmap(ALPHA, TARGET, SOURCE, "W₁ hⱼ", "i", "j"),
        figures.bars(ALPHA[0], SOURCE, "scores e", "j", "e"),
        figures.heatmap(ALPHA.T, SOURCE, TARGET, "α", "j", "i"),
    ]
    data = exports.zip_of_pngs(figs, "the-cat_step2")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert [n.split("_")[2] for n in names] == ["1", "2", "3"]
        assert all(n.startswith("the-cat_step2_") and n.endswith(".png") for n in names)
        for name, figure in zip(names, figs):
            image = Image.open(io.BytesIO(archive.read(name)))
            width, _ = svg_size(figure.svg())
            assert image.format == "PNG" and image.size[0] >= 2 * width


def test_gif_has_one_frame_per_snapshot_even_when_sizes_differ():
    snapshots = [
        figures.heatmap(np.full((1, 3), 1 / 3), ["<end>"], SOURCE, "untrained", "i", "j", "α", domain=(0, 1)),
        figures.heatmap(ALPHA, TARGET, SOURCE, "after 640 pairs", "i", "j", "α", domain=(0, 1)),
        figures.heatmap(np.eye(3), ["le", "chat", "voit"], SOURCE, "final", "i", "j", "α", domain=(0, 1)),
    ]
    gif = Image.open(io.BytesIO(exports.animated_gif(snapshots)))
    assert gif.format == "GIF" and gif.n_frames == len(snapshots)
    assert gif.info.get("loop") == 0  # loops for a slide
    largest = max(Image.open(io.BytesIO(f.png())).size[1] for f in snapshots)
    assert gif.size[1] == largest


def subtitle_of(svg: bytes) -> str:
    return re.search(r"aria-label=\"Subtitle text '([^']*)'", svg.decode("utf-8")).group(1)


def test_an_exported_title_names_the_sentence_the_step_and_the_word():
    figure = figures.heatmap(ALPHA, TARGET, SOURCE, "α at one step", "i", "j", "α", domain=(0, 1))
    caption = exports.about("the cat sees the dog", 2, "chat")
    assert caption == "Sentence: the cat sees the dog\nstep 2 → chat"
    exported = figures.with_subtitle(figure, caption)
    assert subtitle_of(exported.svg()) == caption.replace("\n", " ")  # Vega names the lines in one label
    assert "α at one step" in exported.svg().decode("utf-8")  # the title itself stays
    assert "Subtitle" not in figure.svg().decode("utf-8")  # the figure on screen (a shared view) is unchanged
    png = Image.open(io.BytesIO(exported.png()))
    assert png.size[1] > Image.open(io.BytesIO(figure.png())).size[1]  # the PNG has the lines too
    assert exports.about("the cat", 3) == "Sentence: the cat\nstep 3"
    assert exports.about("the cat") == "Sentence: the cat"


def test_a_long_sentence_is_shortened_at_a_word_in_the_title():
    sentence = "the old car watches the streets and a red garden finds the boy and the cats see a small apple"
    short = exports.short_sentence(sentence)
    assert len(short) <= exports.ABOUT_CHARS and short.endswith("…")
    assert sentence.startswith(short[:-1]) and sentence[len(short) - 1] == " "  # cut between words
    assert exports.short_sentence("  the   cat ") == "the cat"


def test_layered_and_image_figures_get_the_caption_too():
    batch = figures.batch_heatmap(np.array([[0.7, 0.3]]), [["the", "cat"]], "α", "Row", "j", "pad")
    assert subtitle_of(figures.with_subtitle(batch, "“the cat”, step 1 → le").svg()) == "“the cat”, step 1 → le"
    big = figures.heatmap(np.full((40, 40), 0.025), ["w"] * 40, ["v"] * 40, "α", "i", "j", "α", domain=(0, 1))
    assert not big.is_chart  # drawn as an image: the caption is written above it
    titled = Image.open(io.BytesIO(figures.with_subtitle(big, "“a long one”").png()))
    plain = Image.open(io.BytesIO(big.png()))
    assert titled.size[0] == plain.size[0] and titled.size[1] > plain.size[1]
    band = np.asarray(titled.convert("L"))[: titled.size[1] - plain.size[1]]
    assert (band < 128).any() and (band > 250).mean() > 0.5  # dark text on a white band


def test_the_zip_titles_every_png_with_its_caption():
    figs = [figures.heatmap(ALPHA, TARGET, SOURCE, "W₁ hⱼ", "i", "j"), figures.bars(ALPHA[0], SOURCE, "e", "j", "e")]
    plain, titled = (zipfile.ZipFile(io.BytesIO(exports.zip_of_pngs(figs, "b", c))) for c in (None, "“the cat”"))
    for a, b in zip(plain.namelist(), titled.namelist(), strict=True):
        assert a == b
        assert Image.open(io.BytesIO(titled.read(b))).size[1] > Image.open(io.BytesIO(plain.read(a))).size[1]
