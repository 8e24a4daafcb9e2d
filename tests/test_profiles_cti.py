"""Profiles and calendar presence on the REAL reference server (uvicorn on loopback), with two
consoles of the company: Alice switches to Away with Alt+U, and what the profile applies through
the server — her presence, its note, the forward its rule wants — is what Bob's console gets;
her calendar's meeting makes her Busy "in a meeting until 10:00", and Bob sees that note too.
The server keeps her profiles: her other console follows a change, a console without a
profiles.json of its own gets them after a server restart; a document that is no profile book
is refused."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend, snapshot_of
from helpers import until

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.modals.profile_picker import ProfilePicker
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.errors import CallControlError
from tws_tui.core.model import PresenceState
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import (
    ProfileBook,
    load_profiles,
    profiles_file,
    save_profiles,
)
from tws_tui.settings.schema import ContactSettings

__all__ = ["cti_server"]
SIZE = (120, 36)


def alice_as_bob_sees_her(server: ServerThread) -> Any:
    """Alice's line among Bob's colleagues (his own connection's snapshot)."""
    alice = [d for d in snapshot_of(server, "bob").devices if d.extension == "100"]
    assert alice, "Bob does not see Alice's line"
    return alice[0]


async def test_a_profile_applied_through_the_server_is_seen_by_a_colleague(
    cti_server: ServerThread,
) -> None:
    office, meeting, away, night = ProfileBook().profiles
    away = replace(away, note="back at 2", rules=(Rule("To Bob", "180"),))
    save_profiles(profiles_file(), ProfileBook((office, meeting, away, night)))
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.me is not None, "alice connected")
        await pilot.press("alt+u")
        await until(pilot, lambda: isinstance(app.screen, ProfilePicker), "the picker")
        await pilot.press("3")
        await until(
            pilot,
            lambda: app.state.me is not None and app.state.me.presence is PresenceState.AWAY,
            "Away back from the server",
        )

        def seen() -> bool:
            alice = alice_as_bob_sees_her(cti_server)
            return (alice.presence, alice.presence_note, alice.forward_unconditional) == (
                PresenceState.AWAY,
                "back at 2",
                "180",
            )

        for _ in range(50):
            if await asyncio.to_thread(seen):
                break
            await pilot.pause(0.1)
        else:
            raise AssertionError(f"Bob sees {alice_as_bob_sees_her(cti_server)}")


async def test_calendar_presence_reaches_a_colleague(
    cti_server: ServerThread, tmp_path: Path
) -> None:
    calendar = tmp_path / "alice.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:m1\r\n"
        "DTSTAMP:20261101T000000Z\r\nDTSTART:20261122T083000Z\r\nDTEND:20261122T100000Z\r\n"
        "SUMMARY:Board\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    app = cti_console(cti_server, contacts=ContactSettings(calendar=str(calendar)))
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot,
            lambda: app.state.me is not None and app.state.me.presence is PresenceState.BUSY,
            "Busy from the calendar",
        )
        alice = await asyncio.to_thread(alice_as_bob_sees_her, cti_server)
        assert (alice.presence, alice.presence_note) == (
            PresenceState.BUSY,
            "in a meeting until 10:00",
        )


def bar(app: TwsApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


async def test_profiles_follow_the_user_to_her_other_console_and_survive_a_restart(
    tmp_path: Path,
) -> None:
    """Alice has two consoles: she switches to Meeting on the first; the server keeps her book
    and sends it to the second, whose status bar says Meeting. After a server restart, a third
    console without any profiles.json of its own gets the book from the server."""
    data = tmp_path / "server"
    first = ServerThread(data)
    first.start()
    first.add_users()
    try:
        one = cti_console(first)
        two = cti_console(first)  # built now: its own book read before any change
        async with one.run_test(size=SIZE) as pilot_one, two.run_test(size=SIZE) as pilot_two:
            await until(pilot_one, lambda: one.state.me is not None, "first console connected")
            await until(pilot_two, lambda: two.state.me is not None, "second console connected")
            await pilot_one.press("alt+u", "2")
            # (the status bar of ``two`` only: a widget finds its app through Textual's
            # active-app context, which is the last one started in this test)
            await until(
                pilot_one, lambda: one.profiles.status_name() == "Meeting", "Meeting on the first"
            )
            await until(
                pilot_two, lambda: "◆ Meeting" in bar(two), "Meeting seen on the second console"
            )
            assert two.profiles.book.active == "meeting"
    finally:
        first.close()
    profiles_file().unlink()
    second = ServerThread(data)  # a new process: same data directory
    second.start()
    try:
        three = cti_console(second)
        assert three.profiles.book.active == "office"  # nothing kept locally
        async with three.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: three.profiles.book.active == "meeting", "the server's")
            await until(pilot, lambda: "◆ Meeting" in bar(three), "the status bar")
        assert load_profiles(profiles_file())[0].active == "meeting"  # kept locally too
    finally:
        second.close()


async def test_a_document_that_is_no_profile_book_is_refused(cti_server: ServerThread) -> None:
    backend = make_backend(cti_server.url)
    await backend.connect()
    try:
        assert backend.profiles is not None
        assert await backend.profiles.load() == ""
        with pytest.raises(CallControlError, match="not a profiles document"):
            await backend.profiles.save('{"profiles": []}')
        assert await backend.profiles.load() == ""
    finally:
        await backend.close()
