"""The deployed settings stay locked down: .streamlit/config.toml is read as TOML and checked."""

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def config() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def test_xsrf_protection_on(config):
    assert config["server"]["enableXsrfProtection"] is True


def test_cors_protection_on(config):
    assert config["server"]["enableCORS"] is True


def test_upload_size_is_the_pairs_file_limit(config):
    from attention_core.data.pairs import MAX_FILE_BYTES

    # MB; the Train page's pairs files, and nothing bigger reaches the server
    assert config["server"]["maxUploadSize"] == MAX_FILE_BYTES // 1_000_000 == 20


def test_message_size_bounded(config):
    assert 0 < config["server"]["maxMessageSize"] <= 100  # MB


def test_toolbar_hides_developer_options(config):
    assert config["client"]["toolbarMode"] == "viewer"


def test_error_details_hidden(config):
    assert config["client"]["showErrorDetails"] in ("none", "type")


def test_no_usage_stats(config):
    assert config["browser"]["gatherUsageStats"] is False


def test_server_does_not_watch_or_rerun_files(config):
    server = config["server"]
    assert server["headless"] is True
    assert server["runOnSave"] is False
    assert server["fileWatcherType"] == "none"


# --- colours: WCAG 2.1 AA contrast (4.5:1 for text), as tests/browser/test_accessibility.py measures it

AA_TEXT = 4.5
SELECTED_TINT = 0.1  # Streamlit draws a selected segment's background as the primary colour at 10 % over the page


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg) -> float:
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over(fg, bg, alpha: float) -> tuple[int, ...]:
    return tuple(round(alpha * f + (1 - alpha) * b) for f, b in zip(fg, bg, strict=True))


def test_contrast_formula_matches_axe():
    """The pair axe-core measured on Streamlit's default-ish blue: #2563eb on #dee6f8 is 4.12:1."""
    assert round(contrast(_rgb("#2563eb"), _rgb("#dee6f8")), 2) == 4.13
    assert _over(_rgb("#2563eb"), _rgb("#f3f5f9"), SELECTED_TINT) == _rgb("#dee6f8")


@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
def test_selected_segment_text_reads(config, background):
    """The selected segment's label (the primary colour) on its tinted background, in the main
    area and in the sidebar."""
    theme = config["theme"]
    primary, page = _rgb(theme["primaryColor"]), _rgb(theme[background])
    assert contrast(primary, _over(primary, page, SELECTED_TINT)) >= AA_TEXT


def test_text_and_links_read(config):
    theme = config["theme"]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(_rgb(theme["textColor"]), _rgb(background)) >= AA_TEXT
        assert contrast(_rgb(theme["linkColor"]), _rgb(background)) >= AA_TEXT
    assert contrast(_rgb("#ffffff"), _rgb(theme["primaryColor"])) >= AA_TEXT  # a primary button's label
