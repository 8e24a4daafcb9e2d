"""The remembered extension numbers (issue 17, TWS-6.10-1-3) through the REAL reference server
(uvicorn on loopback): a profiles document with its ``extensions`` is kept and given back
whole, one with a number that is no number is refused, and a console of the user gets the
list another console (here a second connection) put on the server."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import until

from tws_tui.core.errors import CallControlError
from tws_tui.settings.profiles_file import ProfileBook, to_json

__all__ = ["cti_server"]


def document(*extensions: str) -> str:
    office, meeting, *others = ProfileBook().profiles
    book = ProfileBook((office, replace(meeting, extension="2004"), *others))
    raw = to_json(replace(book, extensions=extensions))
    return json.dumps(raw, ensure_ascii=False)


async def test_the_list_goes_through_the_server_to_the_users_console(
    cti_server: ServerThread,
) -> None:
    other = make_backend(cti_server.url)
    await other.connect()
    try:
        assert other.profiles is not None
        with pytest.raises(CallControlError, match="not a profiles document"):
            await other.profiles.save(document("20a4"))
        app = cti_console(cti_server)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.state.me is not None, "alice connected")
            for _ in range(50):  # her first console brings her book to the server
                if await other.profiles.load():
                    break
                await pilot.pause(0.1)
            await other.profiles.save(document("3001", "2010"))
            await until(
                pilot,
                lambda: app.profiles.book.extension_list() == ("3001", "2010", "2004"),
                "the list from the server",
            )
        kept = json.loads(await other.profiles.load())
        assert kept["extensions"] == ["3001", "2010", "2004"]
    finally:
        await other.close()
