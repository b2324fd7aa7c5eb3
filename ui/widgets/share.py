"""The Share box: the audience's link and QR code to the screen as it is, and a warning when no phone can open it."""

from __future__ import annotations

import io

import streamlit as st

from ui.session import state
from ui.strings import t


def share_link(page: str, names: tuple[str, ...]) -> str:
    """The absolute link for the audience's phones: the screen as it is now, without presenter mode,
    so a phone opens the reading view rather than the deck's controls."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    if base.endswith(f"/{page}"):  # the browser's URL may still name the page; the link adds it
        base = base[: -len(page) - 1]
    values = {name: state.get(name) for name in (*state.GLOBAL, *names)}
    values["present"] = False
    return base + state.link(page, **values)


def loopback_host(url: str) -> str | None:
    """The host of ``url`` when it is this computer's own (loopback) address, which no phone can reach."""
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return host
    try:
        return host if ipaddress.ip_address(host).is_loopback else None
    except ValueError:
        return None


def machine_addresses() -> list[str]:
    """This machine's own IPv4 addresses on its networks, read from its interfaces (no traffic sent)."""
    import ipaddress
    import socket

    import psutil

    found = set()
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET:
                ip = ipaddress.ip_address(address.address)
                if not (ip.is_loopback or ip.is_link_local):
                    found.add(address.address)
    return sorted(found, key=ipaddress.ip_address)


EVERY_ADDRESS = ("", "0.0.0.0", "::")  # server.address values on which Streamlit listens on every address


def phone_advice(host: str, port: int | None, bound: str | None, addresses: list[str]) -> str:
    """What to tell a speaker whose link names loopback ``host``: the machine's ``addresses`` to open
    instead, and, only when the server listens on loopback alone (``bound``, Streamlit's
    ``server.address``: unset or 0.0.0.0 is every address), how to restart it for the room."""
    shown = [f"`http://{ip}{f':{port}' if port else ''}`" for ip in addresses]
    listed = ", ".join(shown) if shown else t("present.no_addresses")
    if (bound or "").strip() in EVERY_ADDRESS:
        return t("present.loopback_open", host=host, addresses=listed)
    return t("present.loopback", host=host, addresses=listed)


def loopback_warning(link: str) -> None:
    """When the link names loopback: phones cannot open it; which address to open instead."""
    host = loopback_host(link)
    if host is None:
        return
    from urllib.parse import urlsplit

    advice = phone_advice(host, urlsplit(link).port, st.get_option("server.address"), machine_addresses())
    st.warning(advice, icon=":material/wifi_off:")


def share_box(page: str, names: tuple[str, ...]) -> None:
    """A QR code and a copyable link to the current screen for the audience (the QR code encodes
    exactly the link shown), and a warning when that link cannot reach a phone. The code beside the
    words: stacked, the warning fell below the popover's 504 px at 1280×720."""
    import segno

    link = share_link(page, names)
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    code_col, words_col = st.columns([1, 1.5], vertical_alignment="top")
    code_col.image(buffer.getvalue(), width=240, alt=t("present.qr_alt"))
    with words_col:
        st.caption(t("present.share_caption"))
        st.code(link, language=None, wrap_lines=True)
        # A control in the box: it can then scroll by keyboard if the box is ever taller than the popover.
        st.link_button(t("present.open_link"), link, icon=":material/open_in_new:")
        loopback_warning(link)
