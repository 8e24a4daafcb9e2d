"""A contact's event log (issue 15, TWP-4.1.2) and a conversation filtered by type (TWS-4.3.8).

The policy: the merged timeline — newest last, a separator between days, calls and voice
messages hidden on demand —, which entries Del deletes (the others refused in words), a note
deleted by its author only, the type filters. On the console (sim, 80×24): a colleague's log
from the last notice and from Contacts — a call, a voice message, a received message shown
literally, a message and a note written, the calls hidden, a received message refused, the note
deleted — and the same colleague's calls and voice message in the Chat thread through Ctrl+L;
the caller's log from a call, in French, notes only."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from helpers import (
    ACME,
    Console,
    build_console,
    screen_text,
    settle,
    talking_on_the_calls_screen,
    until,
)
from test_chat_window import thread_text as thread_view_text
from test_history import entry
from textual.widgets import OptionList, Static

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.contact_log import ContactLogScreen
from tws_tui.console.screens.contact_log_rows import entry_text
from tws_tui.console.screens.modals.choice import TickScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import ChatMessage, Outcome, Party, UserId
from tws_tui.domain.chat_filters import ThreadFilter, keeps, logged_kinds
from tws_tui.domain.contact_log import (
    CallSide,
    DaySeparator,
    EntryKind,
    LogEntry,
    entries_only,
    refusal,
    timeline,
)
from tws_tui.journal import CallJournal
from tws_tui.journal.private_notes import add_note, delete_note, notes_on
from tws_tui.platform.i18n import set_language


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


CALL = LogEntry(EntryKind.CALL, "c1", at(3, 9), "called back", side=CallSide.MISSED)
VOICE = LogEntry(EntryKind.VOICEMAIL, "v1", at(3, 10), duration_s=20)
SENT = LogEntry(EntryKind.MESSAGE, "m1", at(4, 8), "on my way", mine=True)
RECEIVED = LogEntry(EntryKind.MESSAGE, "m2", at(3, 11), "call me")
NOTE = LogEntry(EntryKind.NOTE, "7", at(4, 7), "likes mornings", mine=True)


def test_the_sources_merge_newest_last_with_a_separator_per_day() -> None:
    lines = timeline([SENT, CALL, NOTE, RECEIVED, VOICE], day_of=utc_day)
    assert lines == [
        DaySeparator(date(2026, 12, 3)),
        CALL,
        VOICE,
        RECEIVED,
        DaySeparator(date(2026, 12, 4)),
        NOTE,
        SENT,
    ]


def test_hiding_the_calls_leaves_the_messages_and_notes_and_their_days() -> None:
    lines = timeline([SENT, CALL, NOTE, RECEIVED, VOICE], show_calls=False, day_of=utc_day)
    assert entries_only(lines) == [RECEIVED, NOTE, SENT]
    assert lines[0] == DaySeparator(date(2026, 12, 3))
    only_calls = timeline([CALL, VOICE], show_calls=False)
    assert only_calls == []  # no separator left alone


def test_a_received_message_is_refused_in_words_and_mine_are_deleted() -> None:
    why = refusal(RECEIVED, "Alice Martin", can_delete_messages=True)
    assert why == "A message received cannot be deleted: only Alice Martin can take it back."
    assert refusal(SENT, "Alice Martin", can_delete_messages=True) is None
    assert refusal(SENT, "Alice Martin", can_delete_messages=False) == (
        "This connection's chat cannot take a message back."
    )
    assert refusal(NOTE, "Alice Martin", can_delete_messages=False) is None
    assert refusal(CALL, "Alice Martin", can_delete_messages=False) is None
    assert refusal(VOICE, "Alice Martin", can_delete_messages=True) == (
        "A voice message is deleted in Voicemail."
    )


def test_a_call_deleted_is_not_merged_back_from_the_phone_systems_history() -> None:
    journal = CallJournal()
    merged = dataclasses.replace(
        entry("x1", timedelta(minutes=5), Outcome.MISSED, ACME), conversation_id="conv-1"
    )
    other = dataclasses.replace(
        entry("x2", timedelta(minutes=4), Outcome.MISSED, ACME), conversation_id="conv-2"
    )
    assert journal.record_missing([merged, other]) == 2
    assert journal.delete(["conv-1"]) == 1
    assert journal.record_missing([merged, other]) == 0  # the next connection's merge
    assert [line[0] for line in journal.lines()] == ["conv-2"]


def test_an_entry_reads_in_words_its_text_literally() -> None:
    call = LogEntry(
        EntryKind.CALL,
        "c1",
        at(3, 9),
        "[b]devis[/b]\nrappeler",
        side=CallSide.PLACED,
        duration_s=75,
    )
    assert entry_text(call, "Ana", clock_24h=True).plain == (
        "09:00  Call placed, 1:15\n       Call comment: [b]devis[/b]\n       Call comment: rappeler"
    )
    message = LogEntry(EntryKind.MESSAGE, "m1", at(3, 10), "\x1b[31mHi")
    assert entry_text(message, "Ana", clock_24h=True).plain == "10:00  Ana: \\x1b[31mHi"


def test_a_note_is_deleted_by_its_author_only(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "journal.sqlite3")
    mine = add_note(journal, "u1", "device:d201", "mine", at(3, 9))
    theirs = add_note(journal, "u2", "device:d201", "theirs", at(3, 9))
    assert not delete_note(journal, "u1", theirs)  # another user's: untouched
    assert delete_note(journal, "u1", mine)
    assert not delete_note(journal, "u1", mine)  # already gone
    assert notes_on(journal, "u1", "device:d201") == []
    assert [n.text for n in notes_on(journal, "u2", "device:d201")] == ["theirs"]


# ---- the log on the console (sim, 80×24) ----------------------------------------------------

SIZE = (80, 24)


def thread_text(console: Console) -> str:
    screen = console.app.screen
    assert isinstance(screen, ChatScreen)
    return thread_view_text(screen)


def notes(console: Console) -> list[str]:
    return [n.message for n in console.app._notifications]


def log_screen(console: Console) -> ContactLogScreen:
    screen = console.app.screen
    assert isinstance(screen, ContactLogScreen)
    return screen


def entries_shown(console: Console) -> list[str]:
    listing = log_screen(console).query_one("#log-entries", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_a_colleagues_log_from_contacts_and_their_calls_in_the_chat_thread() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        device = next(
            d
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        )
        assert device.extension is not None and device.user_id is not None
        colleague = Party(device.extension, device.name)
        console.ring(colleague)  # they call me, I answer and hang up: in the journal
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        console.clock.advance(3600)
        console.backend.switch_voicemail.leave(console.backend.device, colleague, duration_s=12)
        console.backend.switch_chat.send(device.user_id, me.user_id, "[b]Rappelle[/b] \x1b[31m")
        await settle(pilot)
        await pilot.press("alt+3")  # no contact, no call here: the last notice's colleague
        await pilot.press("alt+shift+e")
        await until(pilot, lambda: isinstance(console.app.screen, ContactLogScreen), "notice's")
        assert log_screen(console).contact_log.subject.name == device.name
        await pilot.press("escape")
        await pilot.press("alt+1")
        await settle(pilot)
        listed = console.app.screen.query_one("#contact-list", RowList)
        listed.focus()
        assert listed.select_key(f"dev:{device.device_id}")
        await pilot.press("alt+shift+e")
        await until(pilot, lambda: len(entries_shown(console)) >= 4, "the log read")
        shown = entries_shown(console)
        assert shown[0] == "── Today ──"
        assert "Call received" in shown[1]
        assert "Voice message left, 0:12" in shown[2]
        assert f"{device.name}: [b]Rappelle[/b] \\x1b[31m" in shown[3]  # literally
        # A new entry to the colleague (a chat message), then one only for me (a note).
        await pilot.press(*"On my way", "enter")
        await until(
            pilot,
            lambda: any("Me: On my way" in s for s in entries_shown(console)),
            "the message sent and listed",
        )
        await pilot.press("ctrl+o", *"Prefers mornings", "enter")
        await until(
            pilot,
            lambda: "Note, only me: Prefers mornings" in entries_shown(console)[-1],
            "the note listed, newest last",
        )
        text = screen_text(console.app)
        assert f"Event log: {device.name}" in text and "Only me:" in text
        await pilot.press("ctrl+t")  # the calls and voice messages hidden
        await settle(pilot)
        hidden = entries_shown(console)
        assert not any("Call received" in s or "Voice message" in s for s in hidden)
        assert "Calls hidden" in screen_text(console.app)
        # Del on the received message: refused in words; on my note: asked, then deleted.
        listing = log_screen(console).query_one("#log-entries", OptionList)
        listing.focus()
        listing.highlighted = next(i for i, s in enumerate(hidden) if "Rappelle" in s)
        await pilot.press("delete")
        await settle(pilot)
        refused = f"A message received cannot be deleted: only {device.name} can take it back."
        assert refused in notes(console)
        listing.highlighted = len(hidden) - 1
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(console.app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await until(
            pilot,
            lambda: not any("Prefers" in s for s in entries_shown(console)),
            "the note deleted",
        )

        # The Chat screen's thread by type (TWS-4.3.8): the whole discussion is the messages;
        # ticking calls or voice messages brings them in, from the same sources.
        await pilot.press("escape", "alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(device.user_id)
        await settle(pilot)
        assert "Call received" not in thread_text(console)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(console.app.screen, TickScreen), "the filters")
        # mine, theirs, with a file, messages taken, calls, written messages, voice messages
        await pilot.press("home", *["down"] * 4, "space", "down", "space", "enter")
        await until(pilot, lambda: "Call received" in thread_text(console), "the call shown")
        shown = thread_text(console)
        assert shown.index("Call received") < shown.index("Rappelle") < shown.index("On my way")
        assert "Voice message" not in shown
        bar = str(chat.query_one("#chat-filter-bar", Static).render())
        assert "Showing only: calls, written messages  (3 entries;" in bar
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(console.app.screen, TickScreen), "the filters")
        await pilot.press("home", *["down"] * 4, "space", "down", "space", "down", "space")
        await pilot.press("enter")
        await until(pilot, lambda: "Voice message left, 0:12" in thread_text(console), "voice")
        assert "Rappelle" not in thread_text(console) and "Call" not in thread_text(console)
        await pilot.press("alt+shift+a")  # the whole discussion again
        await settle(pilot)
        assert "On my way" in thread_text(console)
        assert "Voice message" not in thread_text(console)
        # From the conversation, the log again: Del on the call deletes it from my journal.
        await pilot.press("alt+shift+e")
        await until(pilot, lambda: "Call received" in " ".join(entries_shown(console)), "log")
        listing = log_screen(console).query_one("#log-entries", OptionList)
        listing.focus()
        listing.highlighted = next(
            i for i, s in enumerate(entries_shown(console)) if "Call received" in s
        )
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(console.app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await until(pilot, lambda: "Call" not in " ".join(entries_shown(console)), "deleted")
        assert await console.app.local_journal.lines() == []


async def test_from_a_call_in_french_the_callers_log_takes_notes_only() -> None:
    set_language("fr")
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await talking_on_the_calls_screen(console, pilot)
        await pilot.press("alt+shift+e")
        await until(pilot, lambda: isinstance(console.app.screen, ContactLogScreen), "the log")
        await settle(pilot)
        text = screen_text(console.app)
        assert f"Journal d’évènements : {ACME.name}" in text
        assert "Moi seul :" in text
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert f"{ACME.name} n’est pas un collègue avec qui discuter : des notes seulement." in (
            notes(console)
        )
        await pilot.press(*"Rappeler demain", "enter")
        await until(
            pilot,
            lambda: any("Rappeler demain" in s for s in entries_shown(console)),
            "the note listed",
        )
        assert "Note, moi seul : Rappeler demain" in entries_shown(console)[-1]


def test_the_type_filters_keep_written_messages_only_when_ticked() -> None:
    me = UserId("u100")
    written = ChatMessage("1", UserId("u2"), UserId("u2"), "hello", at(3, 9))
    assert keeps(written, me, {ThreadFilter.CALLS, ThreadFilter.WRITTEN})
    assert not keeps(written, me, {ThreadFilter.CALLS})
    assert not keeps(written, me, {ThreadFilter.VOICE, ThreadFilter.MINE})
    assert keeps(written, me, {ThreadFilter.WRITTEN, ThreadFilter.THEIRS})
    assert logged_kinds({ThreadFilter.CALLS, ThreadFilter.VOICE}) == {
        EntryKind.CALL,
        EntryKind.VOICEMAIL,
    }
    assert logged_kinds({ThreadFilter.WRITTEN, ThreadFilter.MINE}) == frozenset()
