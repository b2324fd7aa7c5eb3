"""The share box's advice for a link on loopback reads how the server is bound (``server.address``):
on every address (unset, 0.0.0.0, ::) only the address to open; on loopback alone, how to restart."""

from __future__ import annotations

import pytest

from ui.widgets import share

RESTART = "--server.address 0.0.0.0"


@pytest.mark.parametrize("bound", [None, "", "0.0.0.0", "::", " 0.0.0.0 "])
def test_a_server_on_every_address_is_told_only_the_address_to_open(bound):
    advice = share.phone_advice("127.0.0.1", 8501, bound, ["192.168.1.20", "10.0.0.5"])
    assert RESTART not in advice
    assert "`http://192.168.1.20:8501`" in advice and "`http://10.0.0.5:8501`" in advice
    assert "127.0.0.1" in advice


@pytest.mark.parametrize("bound", ["127.0.0.1", "localhost", "::1"])
def test_a_server_on_loopback_alone_is_told_how_to_serve_the_room(bound):
    advice = share.phone_advice("localhost", 8501, bound, ["192.168.1.20"])
    assert RESTART in advice and "`http://192.168.1.20:8501`" in advice


def test_no_network_address_says_so_and_a_link_without_port_names_none():
    assert "no network address" in share.phone_advice("127.0.0.1", None, None, [])
    assert "`http://192.168.1.20`" in share.phone_advice("127.0.0.1", None, None, ["192.168.1.20"])
