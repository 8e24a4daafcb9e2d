"""History (Alt+5) lists the call journal: every call of every session, with dates, filters,
search, call back, detail with comments, delete and CSV export — on the simulator."""

from __future__ import annotations

import csv
import gc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import ACME, DUPONT, build_console, settle, until

from tws_tui.console.screens.history import HistoryScreen
from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.screens.modals.comment import CommentScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import (
    ConnectionState,
    Direction,
    HistoryEntry,
    Outcome,
    Party,
    QueueId,
    QueueRef,
)
from tws_tui.journal import CallJournal
from tws_tui.platform.i18n import set_language

SIZE = (120, 40)
NOW = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)  # ManualClock's start: a Sunday
ACCUEIL = QueueRef(QueueId("accueil"), "Accueil")
MARTIN = Party("+33698765432", "Paul Martin")


def seed(*entries: HistoryEntry) -> None:
    """Calls journaled by an earlier session (the test's data directory)."""
    journal = CallJournal()
    for entry in entries:
        journal.record(entry)
    journal.close()


def entry(
    call_id: str,
    ago: timedelta,
    outcome: Outcome,
    remote: Party,
    *,
    queue: QueueRef | None = None,
    direction: Direction = Direction.INBOUND,
    talk: int | None = None,
) -> HistoryEntry:
    start = NOW - ago
    answered = start + timedelta(seconds=5) if talk is not None else None
    return HistoryEntry(
        id=call_id,
        start=start,
        direction=direction,
        outcome=outcome,
        remote=remote,
        queue=queue,
        answered_at=answered,
        end=(answered or start) + timedelta(seconds=talk or 20),
        duration_s=talk,
    )


THREE = (
    entry("c1", timedelta(minutes=30), Outcome.MISSED, DUPONT, queue=ACCUEIL),  # today 08:30
    entry("c2", timedelta(hours=19), Outcome.ANSWERED, ACME, talk=65),  # yesterday 14:00
    entry(
        "c3",
        timedelta(days=6, hours=-5),  # Mon 16 Nov 14:00
        Outcome.OUTGOING,
        MARTIN,
        direction=Direction.OUTBOUND,
        talk=125,
    ),
)


def listed(app: Any) -> RowList:
    return app.screen.query_one("#history-list", RowList)


def keys(app: Any) -> list[str]:
    return listed(app).row_keys()


async def open_history(pilot: Any, app: Any, count: int) -> RowList:
    await pilot.press("alt+5")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History open")
    await until(pilot, lambda: listed(app).row_count == count, f"{count} calls listed")
    return listed(app)


async def open_detail(pilot: Any, app: Any, key: str) -> HistoryDetail:
    """History open on the three seeded calls: the detail of the call ``key`` (Ctrl+K)."""
    rows = await open_history(pilot, app, 3)
    rows.focus()
    rows.select_key(key)
    await pilot.press("ctrl+k")
    await until(pilot, lambda: isinstance(app.screen, HistoryDetail), "detail open")
    detail: HistoryDetail = app.screen
    return detail


async def type_search(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")
    await pilot.pause()


async def test_calls_of_an_earlier_session_show_with_dates() -> None:
    """Calls made in a first console show in a second one on the same data directory."""
    first = build_console()
    async with first.app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: first.app.state.devices, "connected")
        missed = first.ring(DUPONT)
        await pilot.pause()
        first.clock.advance(15)
        first.backend.switch.caller_hangs_up(missed)
        answered = first.ring(ACME)
        await until(pilot, lambda: first.app.state.ringing_calls(), "ringing")
        await first.backend.answer(first.app.state.ringing_calls()[0].call_id)
        first.clock.advance(40)
        first.backend.switch.caller_hangs_up(answered)
        await until(pilot, lambda: not first.app.state.calls, "calls ended")
        await open_history(pilot, first.app, 2)

    second = build_console()
    async with second.app.run_test(size=SIZE) as pilot:
        rows = await open_history(pilot, second.app, 2)
        newest, oldest = (rows.row(key) for key in rows.row_keys())
        assert newest[0] == "today 09:00" and newest[1] == "↙ Answered"
        assert newest[2] == "ACME Industries (+33123456789)" and newest[4] == "0:40"
        assert oldest[1] == "✕ Missed" and "Jeanne Dupont" in oldest[2]


async def test_dates_say_today_yesterday_or_the_day_in_english_and_french() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        rows = await open_history(pilot, console.app, 3)
        assert [rows.row(k)[0] for k in rows.row_keys()] == [
            "today 08:30",
            "yesterday 14:00",
            "Mon 16 Nov 14:00",
        ]
        assert rows.row("c3")[1] == "↗ Outgoing" and rows.row("c3")[4] == "2:05"
        await pilot.press("alt+l")  # Français
        await until(pilot, lambda: rows.row("c1")[0] == "aujourd’hui 08:30", "French dates")
        assert [rows.row(k)[0] for k in rows.row_keys()] == [
            "aujourd’hui 08:30",
            "hier 14:00",
            "lun. 16 nov. 14:00",
        ]
        assert rows.row("c1")[1] == "✕ Manqué"
    set_language("en")


async def test_each_filter_keeps_its_calls() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await open_history(pilot, console.app, 3)
        app = console.app
        await pilot.press("ctrl+t")  # received
        assert keys(app) == ["c1", "c2"]
        await pilot.press("ctrl+t")  # placed
        assert keys(app) == ["c3"]
        await pilot.press("ctrl+t")  # missed
        assert keys(app) == ["c1"]
        await pilot.press("ctrl+t")  # all again
        assert keys(app) == ["c1", "c2", "c3"]
        await pilot.press("ctrl+u")  # the one queue the journal knows
        assert keys(app) == ["c1"]
        assert "queue Accueil" in str(app.screen.query_one("#history-filters").content)
        await pilot.press("ctrl+u")  # every queue
        await pilot.press("ctrl+y")  # today
        assert keys(app) == ["c1"]
        await pilot.press("ctrl+y")  # 7 days
        assert keys(app) == ["c1", "c2", "c3"]
        await pilot.press("ctrl+y", "ctrl+y")  # 30 days, then any date
        assert keys(app) == ["c1", "c2", "c3"]


async def test_typing_searches_by_name_number_and_company() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await open_history(pilot, console.app, 3)
        app = console.app
        from helpers import local_store

        from tws_tui.core.model import Contact

        local_store(console).add(
            Contact("", "private", "Paul Martin", (("", "06 98 76 54 32"),), company="Énergie SA")
        )
        await pilot.press("alt+1", "alt+5")  # back: the journal read again, with the company
        await until(pilot, lambda: listed(app).row_count == 3, "listed again")
        await type_search(pilot, "jeanne")
        await until(pilot, lambda: keys(app) == ["c1"], "found by name")
        field = app.screen.query_one("#history-search")
        field.value = ""
        await type_search(pilot, "energie")
        await until(pilot, lambda: keys(app) == ["c3"], "found by the contact's company")
        field.value = ""
        await type_search(pilot, "06 12")  # Jeanne Dupont's +33 6 12…, typed nationally
        await until(pilot, lambda: keys(app) == ["c1"], "found by number")
        field.value = ""
        await until(pilot, lambda: len(keys(app)) == 3, "everything again")


async def test_enter_calls_back_the_selected_entry_even_with_a_call_ringing() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        rows = await open_history(pilot, console.app, 3)
        rows.focus()
        rows.select_key("c2")  # ACME
        ringing = console.ring(MARTIN)
        await until(pilot, lambda: console.app.state.ringing_calls(), "a second call rings")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                any(
                    c.remote.number == ACME.number and c.state is not ConnectionState.ALERTING
                    for c in console.app.state.calls.values()
                )
                or any(
                    c.called and c.called.number == ACME.number
                    for c in console.app.state.calls.values()
                )
            ),
            "called back ACME",
        )
        still = [c for c in console.app.state.calls.values() if c.state is ConnectionState.ALERTING]
        assert [c.remote.name for c in still] == ["Paul Martin"], (
            "the ringing call was not answered"
        )
        console.backend.switch.caller_hangs_up(ringing)


async def test_f3_calls_back_the_selected_entry() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        rows = await open_history(pilot, console.app, 3)
        rows.focus()
        rows.select_key("c3")
        await pilot.press("f3")
        await until(
            pilot,
            lambda: any(
                MARTIN.number in (c.remote.number, c.called.number if c.called else None)
                for c in console.app.state.calls.values()
            ),
            "called back Paul Martin",
        )


async def test_a_comment_added_then_edited_shows_in_the_detail() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        detail = await open_detail(pilot, app, "c2")
        await until(pilot, lambda: detail.entry is not None, "detail read")
        timeline = str(detail.query_one("#detail-timeline").content)
        assert "Rang yesterday 14:00" in timeline and "Answered 14:00, after 0:05" in timeline
        assert "Talk time 1:05" in timeline
        assert "No comment yet." in str(detail.query_one("#detail-comments").content)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CommentScreen), "comment dialog")
        await type_search(pilot, "wants a quote")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: "wants a quote" in str(detail.query_one("#detail-comments").content),
            "comment shown",
        )
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, CommentScreen), "edit dialog")
        assert app.screen.query_one("#comment").value == "wants a quote"
        await pilot.press("end")
        await type_search(pilot, " by Friday")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: "wants a quote by Friday" in str(detail.query_one("#detail-comments").content),
            "edited comment shown",
        )
        assert [note.text for note in detail.comments] == ["wants a quote by Friday"]
    assert CallJournal().comments("c2")[0][1] == "wants a quote by Friday"


async def test_delete_asks_then_removes_the_entry_for_good() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        rows = await open_history(pilot, app, 3)
        rows.focus()
        rows.select_key("c2")
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirmation")
        await pilot.press("n")
        await pilot.pause()
        assert keys(app) == ["c1", "c2", "c3"]
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirmation")
        await pilot.press("y")
        await until(pilot, lambda: keys(app) == ["c1", "c3"], "deleted")
    assert CallJournal().entry("c2") is None


async def test_export_writes_the_calls_shown_and_an_unwritable_path_is_said(
    tmp_path: Path,
) -> None:
    seed(*THREE)
    console = build_console()
    target = tmp_path / "calls.csv"
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        await open_history(pilot, app, 3)
        await pilot.press("ctrl+t")  # received only
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.query("#file-name"), "file dialog")
        app.screen.query_one("#file-name").value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists, "file written")
        rows = list(csv.reader(target.open(encoding="utf-8")))
        assert rows[0][:4] == ["id", "started_at", "direction", "outcome"]
        assert [r[0] for r in rows[1:]] == ["c1", "c2"]
        assert rows[2][4:] == ["ACME Industries", "+33123456789", "", "65"]

        before = target.read_bytes()
        await pilot.press("ctrl+s")  # a path through a file: no folder can be made there
        await until(pilot, lambda: app.screen.query("#file-name"), "file dialog")
        app.screen.query_one("#file-name").value = str(target / "calls.csv")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: any("Cannot write" in str(n.message) for n in app._notifications),
            "the failure said",
        )
        assert target.read_bytes() == before
        assert keys(app) == ["c1", "c2"]  # nothing lost


async def test_add_to_contacts_opens_the_contact_form_filled_from_the_entry() -> None:
    from helpers import local_store, store_done

    from tws_tui.console.screens.contacts.form import ContactForm

    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        rows = await open_history(pilot, app, 3)
        rows.focus()
        rows.select_key("c3")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, ContactForm), "contact form")
        form = app.screen
        assert form.contact.name == "Paul Martin"
        assert form.contact.numbers == (("", MARTIN.number),)
        await pilot.press("ctrl+s")
        await store_done(pilot)
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "back to History")
        saved = local_store(console).find_by_number("06 98 76 54 32")
        assert [c.name for c in saved] == ["Paul Martin"]


async def test_history_reads_the_journal_off_the_console_loop(monkeypatch: Any) -> None:
    """ARCHITECTURE §3: History's reads (lines, detail) never run on the loop's thread."""
    import threading

    readers: list[tuple[str, int]] = []
    for name in ("lines", "entry", "comment_rows"):
        original = getattr(CallJournal, name)

        def spy(self: CallJournal, *args: Any, _name: str = name, _f: Any = original) -> Any:
            readers.append((_name, threading.get_ident()))
            return _f(self, *args)

        monkeypatch.setattr(CallJournal, name, spy)
    seed(*THREE)
    readers.clear()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        loop_thread = threading.get_ident()
        rows = await open_history(pilot, console.app, 3)
        rows.focus()
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "detail")
        await until(pilot, lambda: console.app.screen.entry is not None, "detail read")
    assert {name for name, _thread in readers} == {"lines", "entry", "comment_rows"}
    assert all(thread != loop_thread for _name, thread in readers), readers


async def test_with_several_comments_e_asks_which_one_to_edit() -> None:
    from tws_tui.console.screens.modals.choice import ChoiceScreen

    seed(*THREE)
    journal = CallJournal()
    journal.add_comment("c1", "first note", NOW - timedelta(minutes=20))
    journal.add_comment("c1", "second note", NOW - timedelta(minutes=10))
    journal.close()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        detail = await open_detail(pilot, app, "c1")
        await until(pilot, lambda: len(detail.comments) == 2, "comments read")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "which comment")
        await pilot.press("up", "enter")  # the last is offered first: up is the first one
        await until(pilot, lambda: isinstance(app.screen, CommentScreen), "edit dialog")
        assert app.screen.query_one("#comment").value == "first note"
        await pilot.press("end")
        await type_search(pilot, " (done)")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: [n.text for n in detail.comments] == ["first note (done)", "second note"],
            "the first one edited",
        )


async def test_f3_in_the_detail_calls_its_party_back() -> None:
    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        detail = await open_detail(pilot, app, "c2")
        await until(pilot, lambda: detail.entry is not None, "detail read")
        await pilot.press("f3")
        await until(
            pilot,
            lambda: any(
                ACME.number in (c.remote.number, c.called.number if c.called else None)
                for c in app.state.calls.values()
            ),
            "called back ACME",
        )


async def test_ctrl_y_on_a_contact_lists_only_the_calls_with_its_numbers() -> None:
    """Per-contact history (issue 16): Ctrl+Y on a contact in Contacts (or on its business
    card) opens History with the calls with its numbers only (any spelling: the card's
    06 98 76 54 32 is the journal's +33698765432), said above the list; Esc lists every call
    again."""
    from test_contacts_screen import search_done

    from tws_tui.console.screens.contacts.business_card import BusinessCardScreen
    from tws_tui.core.model import Contact

    again = entry("c4", timedelta(minutes=10), Outcome.MISSED, MARTIN)
    seed(*THREE, again)
    console = build_console()
    app = console.app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        store = app.directories().store
        store.add(Contact("", "private", "Paul Martin", (("Mobile", "06 98 76 54 32"),)))
        await pilot.press(*"paul", "space", *"martin")
        await search_done(pilot, console)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History open")
        await until(pilot, lambda: keys(app) == ["c4", "c3"], "Paul Martin's calls only")
        filters = app.screen.query_one("#history-filters").render()
        assert "calls with Paul Martin (Esc: every call)" in str(filters)
        await pilot.press("escape")
        await until(pilot, lambda: len(keys(app)) == 4, "every call again")
        await pilot.press("alt+1", "ctrl+k")  # the same from the contact's business card
        await until(pilot, lambda: isinstance(app.screen, BusinessCardScreen), "card open")
        await pilot.press("ctrl+y")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")
        await until(pilot, lambda: keys(app) == ["c4", "c3"], "from the card too")


async def test_rows_are_formatted_once_per_day_and_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The letters of a search show the same rows again: each is formatted once (its date
    in words is most of a line's cost), until the day, the language or the journal changes."""
    from tws_tui.console.screens.history import rows as history_rows

    seed(*THREE)
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        app = console.app
        await open_history(pilot, app, 3)
        await type_search(pilot, "jeanne")  # once the journal is read whole (searchable)
        await until(pilot, lambda: keys(app) == ["c1"], "Jeanne Dupont found")
        app.screen.query_one("#history-search").value = ""
        await until(pilot, lambda: len(keys(app)) == 3, "everything again")
        formatted: list[str] = []
        original = history_rows.day_and_time

        def day_and_time(*args: Any, **options: Any) -> str:
            text = original(*args, **options)
            formatted.append(text)
            return text

        monkeypatch.setattr(history_rows, "day_and_time", day_and_time)
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "ctrl+t")  # every filter, back to all
        await type_search(pilot, "jeanne")
        await until(pilot, lambda: keys(app) == ["c1"], "Jeanne Dupont found")
        app.screen.query_one("#history-search").value = ""
        await until(pilot, lambda: len(keys(app)) == 3, "everything again")
        assert formatted == []  # all three were formatted when shown first
        console.clock.advance(24 * 3600)  # the next day: "today" is now "yesterday"
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "ctrl+t")
        await until(pilot, lambda: listed(app).row("c1")[0] == "yesterday 08:30", "a new day")
        assert sorted(formatted) == sorted(
            ["yesterday 08:30", "Sat 21 Nov 14:00", "Mon 16 Nov 14:00"]
        )


async def test_the_listing_with_its_search_texts_is_frozen_for_the_collector() -> None:
    """Read with its search texts, the listing is kept out of the garbage collector's walks
    (``gc.freeze``): a full collection over 100 000 calls paused search keys."""
    seed(*THREE)
    gc.unfreeze()
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await open_history(pilot, console.app, 3)
        screen = console.app.screen
        assert isinstance(screen, HistoryScreen)
        await until(pilot, lambda: screen._searchable, "the search texts made")
        listing = screen._listing
        assert listing is not None
        assert gc.get_freeze_count() > 0
        assert all(tracked is not listing for tracked in gc.get_objects())
