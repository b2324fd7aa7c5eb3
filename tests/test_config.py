"""The deployed settings stay locked down: .streamlit/config.toml is read as TOML and checked."""

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def config() -> dict:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def test_xsrf_protection_on(config):
    assert config["server"]["enableXsrfProtection"] is True


def test_cors_protection_on(config):
    assert config["server"]["enableCORS"] is True


def test_upload_size_small(config):
    assert 0 < config["server"]["maxUploadSize"] <= 5  # MB; the app has no uploads


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
