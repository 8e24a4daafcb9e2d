"""Calendar presence by the event's free/busy status (issue 17; TWS-6.10.6.1-3, TWP-3.3-2), read
from real .ics text through icalendar: Outlook's X-MICROSOFT-CDO-BUSYSTATUS (FREE ignored,
TENTATIVE, OOF), STATUS:TENTATIVE, an out-of-office CATEGORIES; the strongest of overlapping
events; and in the console on the frozen clock: Away "out of office until 10:00", then a
tentative meeting that keeps my state with its note, then what I had."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import build_console, settle, until
from test_calendar_presence import SIZE, at, event, ics, me

from tws_tui.core.model import PresenceState
from tws_tui.domain.calendar_presence import Showing, busy_at, parse
from tws_tui.settings.schema import ContactSettings

NINE_TO_TEN = ("20261122T090000Z", "20261122T100000Z")


def shown(*extra: str) -> Showing | None:
    found = busy_at(parse(ics(event("e", *NINE_TO_TEN, *extra))), at(9, 30))
    return None if found is None else found.showing


def test_each_free_busy_status_of_an_event() -> None:
    assert shown() is Showing.BUSY
    assert shown("X-MICROSOFT-CDO-BUSYSTATUS:FREE") is None
    assert shown("X-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE") is None
    assert shown("TRANSP:TRANSPARENT") is None
    assert shown("X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE") is Showing.TENTATIVE
    assert shown("STATUS:TENTATIVE") is Showing.TENTATIVE
    assert shown("X-MICROSOFT-CDO-BUSYSTATUS:OOF") is Showing.OUT_OF_OFFICE
    assert shown("CATEGORIES:Work,Out of Office") is Showing.OUT_OF_OFFICE
    assert shown("CATEGORIES:Réunion", "CATEGORIES:Congés") is Showing.OUT_OF_OFFICE
    assert shown("CATEGORIES:Work") is Showing.BUSY
    # Outlook's own status wins over TRANSP (a free-looking OOF event is still OOF)
    assert shown("TRANSP:TRANSPARENT", "X-MICROSOFT-CDO-BUSYSTATUS:OOF") is Showing.OUT_OF_OFFICE


def test_the_strongest_of_overlapping_events_and_its_note() -> None:
    calendar = parse(
        ics(
            event("maybe", "20261122T090000Z", "20261122T120000Z", "STATUS:TENTATIVE"),
            event("busy", *NINE_TO_TEN, "SUMMARY:Budget"),
            event("off", "20261122T093000Z", "20261123T170000Z", "X-MICROSOFT-CDO-BUSYSTATUS:OOF"),
        )
    )
    nine = busy_at(calendar, at(9, 10))
    assert nine is not None and (nine.showing, nine.subject) == (Showing.BUSY, "Budget")
    assert nine.note(date(2026, 11, 22)) == "in a meeting until 10:00"
    off = busy_at(calendar, at(9, 45))
    assert off is not None and off.showing is Showing.OUT_OF_OFFICE
    assert off.note(date(2026, 11, 22)) == "out of office until 23/11 17:00"
    maybe = busy_at(parse(ics(event("m", *NINE_TO_TEN, "STATUS:TENTATIVE"))), at(9))
    assert maybe is not None and maybe.note(date(2026, 11, 22)) == "maybe in a meeting until 10:00"


async def test_out_of_office_then_a_tentative_meeting_then_back(tmp_path: Path) -> None:
    path = tmp_path / "me.ics"
    path.write_bytes(
        ics(
            event("off", "20261122T091000Z", "20261122T093000Z", "X-MICROSOFT-CDO-BUSYSTATUS:OOF"),
            event("maybe", "20261122T093000Z", "20261122T100000Z", "STATUS:TENTATIVE"),
            event("free", "20261122T100000Z", "20261122T110000Z", "TRANSP:TRANSPARENT"),
        )
    )
    console = build_console(contacts=ContactSettings(calendar=str(path)))
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await console.backend.set_presence(PresenceState.AVAILABLE, "desk 2", label="Reception")
        await settle(pilot)
        console.clock.advance(11 * 60)  # 09:11: out of office
        await until(pilot, lambda: me(console).presence is PresenceState.AWAY, "away")
        assert me(console).presence_note == "out of office until 09:30"
        mine = console.backend.switch.endpoint(console.backend.device)
        assert mine.presence_note == "out of office until 09:30"  # what colleagues are sent
        console.clock.advance(20 * 60)  # 09:31: tentative, my own state kept
        await until(pilot, lambda: me(console).presence is PresenceState.AVAILABLE, "tentative")
        assert (me(console).presence_label, me(console).presence_note) == (
            "Reception",
            "maybe in a meeting until 10:00",
        )
        console.clock.advance(30 * 60)  # 10:01: a free event only, what I had comes back
        await until(pilot, lambda: me(console).presence_note == "desk 2", "back")
        assert (me(console).presence, me(console).presence_label) == (
            PresenceState.AVAILABLE,
            "Reception",
        )
