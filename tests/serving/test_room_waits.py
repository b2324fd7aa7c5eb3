"""A phone's request for its room's next move (``GET /rooms/CODE/version``) is held until the room
moves, and no longer than its phone stays: a closed tab ends its wait, and its place among the
waiters, at once."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from serving import asgi, rooms


class Phone:
    """A GET request as the server hands it over: its one ``http.request`` (no body), then nothing until
    its phone ``leaves()``, then ``http.disconnect``."""

    def __init__(self) -> None:
        self.sent = False
        self.left = asyncio.Event()

    def leaves(self) -> None:
        self.left.set()

    async def receive(self) -> dict:
        if not self.sent:
            self.sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.left.wait()
        return {"type": "http.disconnect"}


def run(journey):
    """``journey()`` in an event loop of its own thread: a worker that drove Chromium through Playwright's
    sync API has its loop running in this one. At most half of ``HOLD_S``: a wait held to its end fails."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, asyncio.wait_for(journey(), asgi.HOLD_S / 2)).result()


def open_room() -> tuple[rooms.MemoryStore, str, str, int]:
    """A room in this process's store: its code, the speaker's secret, its version."""
    store = rooms.MemoryStore()
    code, secret = store.open()
    return store, code, secret, store.version(code)


async def held(waiters: asgi.Waiters, phone: Phone, code: str, version: int) -> asyncio.Task:
    """The phone's request for the move after ``version``, once the room's waiters hold it."""
    request = asyncio.create_task(asgi._unless_gone(phone, waiters.wait(code, version)))
    while waiters.count == 0:  # not yet held: the room has not moved, so it will be
        await asyncio.sleep(0.01)
    return request


def test_a_phone_that_leaves_stops_being_waited_for():
    store, code, secret, version = open_room()
    waiters = asgi.Waiters(store)
    phone = Phone()

    async def journey():
        request = await held(waiters, phone, code, version)
        phone.leaves()
        answer = await request
        while waiters.count:  # the wait itself ends too: its place among the waiters is free
            await asyncio.sleep(0.01)
        return answer

    assert run(journey) is None


def test_a_phone_that_stays_is_told_the_move():
    store, code, secret, version = open_room()
    waiters = asgi.Waiters(store)
    phone = Phone()

    async def journey():
        request = await held(waiters, phone, code, version)
        store.publish(code, secret, "step_through", {"text": "the cat", "eq": "2"})
        return await request

    moved = run(journey)
    assert moved == store.room(code).version != version
