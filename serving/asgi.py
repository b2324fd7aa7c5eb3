"""Serve the app with one small route of its own: how a phone in a room learns the speaker moved.

    streamlit run serving/asgi.py          (instead of ``streamlit run app.py``; the same options)

``st.App`` runs ``app.py`` as ever and mounts, beside Streamlit's routes,
``GET /rooms/{CODE}/version?since=N``: the room's version, answered without running the app's
script. A phone following a room (``ui/session/follow.js``) asks with the version it shows; the
request waits (up to ``HOLD_S``) until the room's version differs, and answers it at once if it
already does. The phone then runs the app's script once, to draw the speaker's new screen.

While phones wait, one task per process reads the versions of the rooms they wait on every
``CHECK_S`` in one call (one ``MGET`` for Redis), and answers the waiters of the rooms that moved:
200 waiting phones cost ten store reads a second, not 200 script runs.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import streamlit as st
from starlette.responses import JSONResponse
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ``streamlit run serving/asgi.py`` puts serving/ on the path, not the root
    sys.path.insert(0, str(ROOT))

from serving import rooms  # noqa: E402 - after the root is on the path

HOLD_S = 20.0  # a request waits this long for a move, then answers the same version (the phone asks again)
CHECK_S = 0.1  # how often the versions of the rooms waited on are read
MAX_WAITERS = 5_000  # requests held at once; more are answered at once with the current version


class Waiters:
    """Requests waiting for a room's version to differ from the one they name."""

    def __init__(self, store: rooms.RoomStore) -> None:
        self.store = store
        self.waiting: dict[str, list[tuple[int, asyncio.Future]]] = {}
        self.task: asyncio.Task | None = None
        self.count = 0
        self.screens: dict[str, tuple[int, dict]] = {}  # code → (version, screen), the last read

    async def _read(self, codes: list[str]) -> dict[str, int | None]:
        if isinstance(self.store, rooms.MemoryStore):
            return self.store.versions(codes)  # a dict under a lock: no thread needed
        return await asyncio.to_thread(self.store.versions, codes)

    async def _watch(self) -> None:
        while self.waiting:
            await asyncio.sleep(CHECK_S)
            try:
                versions = await self._read(list(self.waiting))
            except Exception:  # noqa: BLE001 - a store that does not answer: the waiters time out and ask again
                continue
            for code, version in versions.items():
                still = []
                for since, future in self.waiting.get(code, ()):
                    if future.done():
                        continue
                    if version != since:
                        future.set_result(version)
                    else:
                        still.append((since, future))
                if still:
                    self.waiting[code] = still
                else:
                    self.waiting.pop(code, None)
        self.task = None

    async def screen(self, code: str, version: int) -> dict | None:
        """The room's screen at ``version`` (its page and link: what every phone in it is shown), read
        once per move for all the phones answered."""
        cached = self.screens.get(code)
        if cached is not None and cached[0] == version:
            return cached[1]
        if isinstance(self.store, rooms.MemoryStore):
            room = self.store.room(code)
        else:
            room = await asyncio.to_thread(self.store.room, code)
        if room is None:
            return None
        screen = {"page": room.page, "query": room.query}
        self.screens[code] = (room.version, screen)
        return screen if room.version == version else None

    async def wait(self, code: str, since: int) -> int | None:
        version = (await self._read([code]))[code]
        if version != since or self.count >= MAX_WAITERS:
            return version
        future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(code, []).append((since, future))
        if self.task is None:
            self.task = asyncio.create_task(self._watch())
        self.count += 1
        try:
            return await asyncio.wait_for(future, HOLD_S)
        except TimeoutError:
            return since
        finally:
            self.count -= 1


_waiters: Waiters | None = None


async def _gone(request) -> None:
    """Returns once the phone that sent ``request`` has gone (a closed tab, a dropped connection). A GET
    has no body: after its one ``http.request`` the server's next message is the disconnect."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _unless_gone(request, waiting) -> int | None:
    """What ``waiting`` answers, or None as soon as the phone that asked has gone: a closed tab is no
    longer held for the rest of ``HOLD_S``, and a server stopping does not wait for it. Nothing polls:
    the wait and the disconnect are awaited together."""
    answer, gone = asyncio.ensure_future(waiting), asyncio.ensure_future(_gone(request))
    await asyncio.wait({answer, gone}, return_when=asyncio.FIRST_COMPLETED)
    if answer.done():
        gone.cancel()
        return answer.result()
    answer.cancel()
    return None


async def room_version(request) -> JSONResponse:
    """``{"version": N, "screen": {"page", "query"}}`` (the screen when it moved), or ``{"version": null}``
    with 404 for a code that is no open room. The screen is what every phone of the room is shown."""
    global _waiters
    if _waiters is None:
        _waiters = Waiters(rooms.store())
    headers = {"Cache-Control": "no-store"}
    code = rooms.normalize_code(request.path_params["code"])
    try:
        since = int(request.query_params.get("since", "-1"))
    except ValueError:
        since = -1
    version = await _unless_gone(request, _waiters.wait(code, since)) if code else None
    if version is None:
        return JSONResponse({"version": None}, status_code=404, headers=headers)
    screen = await _waiters.screen(code, version) if version != since else None
    return JSONResponse({"version": version, "screen": screen}, headers=headers)


app = st.App(str(ROOT / "app.py"), routes=[Route("/rooms/{code}/version", room_version, methods=["GET"])])
