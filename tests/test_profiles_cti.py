"""Profiles and calendar presence on the REAL reference server (uvicorn on loopback), with two
consoles of the company: Alice switches to Away with Alt+U, and what the profile applies through
the server — her presence, its note, the forward its rule wants — is what Bob's console gets;
her calendar's meeting makes her Busy "in a meeting until 10:00", and Bob sees that note too.
(The profiles themselves are kept by each console, not yet by the server.)"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

from cti_fixtures import ServerThread, cti_server, make_backend
from helpers import prefs_of, until

from tws_tui.console.app import TwsApp
from tws_tui.console.screens.modals.profile_picker import ProfilePicker
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import PresenceState
from tws_tui.domain.profiles import Rule
from tws_tui.settings.profiles_file import ProfileBook, profiles_file, save_profiles
from tws_tui.settings.schema import AlertSettings, ContactSettings

__all__ = ["cti_server"]
SIZE = (120, 36)


def alice_as_bob_sees_her(server: ServerThread) -> Any:
    """Alice's line among Bob's colleagues (his own connection's snapshot)."""

    async def ask() -> Any:
        backend = make_backend(server.url, username="bob")
        snapshot = await backend.connect()
        try:
            alice = [d for d in snapshot.devices if d.extension == "100"]
            assert alice, "Bob does not see Alice's line"
            return alice[0]
        finally:
            await backend.close()

    return asyncio.run(ask())


def alice_console(server: ServerThread, **prefs: Any) -> TwsApp:
    return TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False), **prefs),
        clock=ManualClock(),
        backend=make_backend(server.url),
    )


async def test_a_profile_applied_through_the_server_is_seen_by_a_colleague(
    cti_server: ServerThread,
) -> None:
    office, meeting, away, night = ProfileBook().profiles
    away = replace(away, note="back at 2", rules=(Rule("To Bob", "180"),))
    save_profiles(profiles_file(), ProfileBook((office, meeting, away, night)))
    app = alice_console(cti_server)
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
    app = alice_console(cti_server, contacts=ContactSettings(calendar=str(calendar)))
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
