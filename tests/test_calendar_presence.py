"""Calendar presence (issue 17; TWP §3.3, TWS §1.6.3): the event on now in an iCalendar file
(free, cancelled and private events, a weekly meeting), and in the console on the frozen clock:
Busy "in a meeting until 10:00" while it is on, seen by colleagues, back to what I had after;
a calendar that turns malformed is said once and the last good one kept; Preferences refuses a
path that is no file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import build_console, settle, until
from textual.widgets import Input

from tws_tui.core.model import PresenceState
from tws_tui.domain.calendar_presence import busy_at, parse
from tws_tui.settings.schema import ContactSettings

SIZE = (100, 30)


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n"
    ).encode()


def event(uid: str, start: str, end: str, *extra: str) -> str:
    lines = [f"UID:{uid}", "DTSTAMP:20261101T000000Z", f"DTSTART:{start}", f"DTEND:{end}", *extra]
    return "\r\n".join(lines)


STANDUP = event("standup", "20261122T093000Z", "20261122T100000Z", "SUMMARY:Stand-up")


def at(hour: int, minute: int = 0, day: int = 22) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_the_event_on_now_and_the_note_it_gives() -> None:
    calendar = parse(ics(STANDUP))
    assert busy_at(calendar, at(9, 29)) is None
    busy = busy_at(calendar, at(9, 45))
    assert busy is not None and busy.subject == "Stand-up"
    assert busy.note() == "in a meeting until 10:00"
    assert busy_at(calendar, at(10)) is None


def test_free_cancelled_and_private_events_and_a_weekly_meeting() -> None:
    calendar = parse(
        ics(
            event("free", "20261122T090000Z", "20261122T120000Z", "TRANSP:TRANSPARENT"),
            event("gone", "20261122T090000Z", "20261122T120000Z", "STATUS:CANCELLED"),
            event(
                "secret", "20261123T140000Z", "20261123T150000Z", "CLASS:PRIVATE", "SUMMARY:Doctor"
            ),
            event("weekly", "20261102T080000Z", "20261102T083000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO"),
        )
    )
    assert busy_at(calendar, at(10)) is None
    private = busy_at(calendar, at(14, 30, day=23))
    assert private is not None and private.subject == ""
    weekly = busy_at(calendar, at(8, 10, day=30))  # a Monday four weeks on
    assert weekly is not None and weekly.until == at(8, 30, day=30)


@pytest.mark.parametrize("data", [b"", b"hello", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"])
def test_a_malformed_calendar_is_refused_in_words(data: bytes) -> None:
    with pytest.raises(ValueError, match="iCalendar"):
        parse(data)


def me(console: Any) -> Any:
    return console.app.state.me


async def test_busy_while_the_event_is_on_seen_by_colleagues_then_back(tmp_path: Path) -> None:
    path = tmp_path / "me.ics"
    path.write_bytes(ics(STANDUP))
    console = build_console(contacts=ContactSettings(calendar=str(path)))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert me(console).presence is PresenceState.AVAILABLE
        console.clock.advance(31 * 60)  # 09:31
        await until(pilot, lambda: me(console).presence is PresenceState.BUSY, "busy")
        assert me(console).presence_note == "in a meeting until 10:00"
        mine = console.backend.switch.endpoint(console.backend.device)
        assert mine.presence_note == "in a meeting until 10:00"  # what colleagues are sent
        # The file turns malformed: said once, the last good calendar kept (still busy)
        path.write_bytes(b"not a calendar")
        console.clock.advance(10 * 60)  # two reads at 09:35 and 09:40
        await settle(pilot)
        await until(
            pilot,
            lambda: any(
                "last good calendar is kept" in n.message for n in console.app._notifications
            ),
            "the calendar's problem said",
        )
        said = [n for n in console.app._notifications if "last good calendar" in n.message]
        assert len(said) == 1
        assert me(console).presence is PresenceState.BUSY
        console.clock.advance(20 * 60)  # 10:01: the meeting is over
        await until(pilot, lambda: me(console).presence is PresenceState.AVAILABLE, "back")
        assert me(console).presence_note is None


async def test_a_state_of_my_own_comes_back_after_the_meeting(tmp_path: Path) -> None:
    """At reception desk (a custom state on Away) before the stand-up: Busy "in a meeting"
    during it, its label gone; after it, the state of my own again, label and note."""
    path = tmp_path / "me.ics"
    path.write_bytes(ics(STANDUP))
    console = build_console(contacts=ContactSettings(calendar=str(path)))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_presence(PresenceState.AWAY, "desk 2", label="At reception")
        await settle(pilot)
        console.clock.advance(31 * 60)
        await until(pilot, lambda: me(console).presence is PresenceState.BUSY, "busy")
        assert me(console).presence_label is None
        console.clock.advance(30 * 60)  # 10:01: the meeting is over
        await until(pilot, lambda: me(console).presence is PresenceState.AWAY, "back")
        assert (me(console).presence_label, me(console).presence_note) == (
            "At reception",
            "desk 2",
        )


async def test_a_presence_chosen_during_the_meeting_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "me.ics"
    path.write_bytes(ics(STANDUP))
    console = build_console(contacts=ContactSettings(calendar=str(path)))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.clock.advance(31 * 60)
        await until(pilot, lambda: me(console).presence is PresenceState.BUSY, "busy")
        await console.backend.set_presence(PresenceState.AWAY, "lunch")
        await settle(pilot)
        console.clock.advance(30 * 60)
        await settle(pilot)
        assert (me(console).presence, me(console).presence_note) == (PresenceState.AWAY, "lunch")


async def test_preferences_take_a_calendar_file_and_refuse_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "me.ics"
    path.write_bytes(ics(STANDUP))
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        field = console.app.screen.query_one("#pref-calendar", Input)
        field.focus()
        field.value = str(tmp_path / "nothing.ics")
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.prefs.contacts.calendar == ""
        assert any("no such file" in n.message for n in console.app._notifications)
        field.value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.prefs.contacts.calendar == str(path)
        console.clock.advance(31 * 60)
        await until(pilot, lambda: me(console).presence is PresenceState.BUSY, "busy")


@contextmanager
def serving(files: dict[str, bytes]) -> Iterator[str]:
    """A web server on loopback answering ``files`` (404 otherwise); yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_calendar_read_from_a_url_and_a_url_that_fails() -> None:
    with serving({"/me.ics": ics(STANDUP)}) as base:
        console = build_console(contacts=ContactSettings(calendar=f"{base}/me.ics"))
        async with console.app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            console.clock.advance(31 * 60)
            await until(pilot, lambda: me(console).presence is PresenceState.BUSY, "busy")
        console = build_console(contacts=ContactSettings(calendar=f"{base}/gone.ics"))
        async with console.app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: any(
                    "answered 404. The last good" in n.message for n in console.app._notifications
                ),
                "the server's 404 said",
            )
            assert me(console).presence is PresenceState.AVAILABLE
