"""My ME log (issue 15, TWS-4.1.1, TWP-4.1.1-1): Alt+Shift+L.

The merge: every source's entries oldest first (opened on the newest), each kind as a symbol
and a word, text shown literally, the unread ones marked and counted. On the console (sim,
80×24, English and French): a missed call, a voice message, a chat message and a broadcast
all listed, the badge in F1, the details line of the highlighted one; Enter opens the missed
call's detail, the message's conversation, Voicemail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import ACME, DUPONT, build_console, screen_text, settle, until
from textual.widgets import OptionList

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.screens.history.voicemail import VoicemailScreen
from tws_tui.console.screens.modals.help import HelpScreen
from tws_tui.console.screens.modals.me_log import MeLogScreen
from tws_tui.domain.assist import EVERYONE
from tws_tui.domain.me_log import (
    MeEntry,
    MeKind,
    details,
    entry_line,
    heading,
    merged,
    unread_count,
)
from tws_tui.platform.i18n import set_language

NOW = datetime(2026, 12, 3, 18, tzinfo=UTC)


def at(hour: int) -> datetime:
    return datetime(2026, 12, 3, hour, tzinfo=UTC)


MISSED = MeEntry(MeKind.MISSED_CALL, "c1", at(9), who="ACME", unread=True)
VOICE = MeEntry(MeKind.VOICEMAIL, "v1", at(11), who="Jeanne Dupont")
MESSAGE = MeEntry(MeKind.MESSAGE, "m1", at(10), "Ann", "[b]Rappelle[/b] \x1b[31m", True, "u2")
HELP = MeEntry(MeKind.HELP, "help:0", at(8), text="Ann asked for help: X — waiting")


def test_the_sources_merge_oldest_first_with_the_unread_counted() -> None:
    assert merged([VOICE, MISSED, HELP, MESSAGE]) == [HELP, MISSED, MESSAGE, VOICE]
    assert unread_count([VOICE, MISSED, HELP, MESSAGE]) == 2
    assert heading([VOICE, MISSED, MESSAGE]) == "My log (ME) — 2 unread"
    assert heading([VOICE]) == "My log (ME)"


def test_a_line_says_its_kind_in_words_and_its_text_literally() -> None:
    line = entry_line(MESSAGE, NOW)
    assert line.startswith("●")  # unread
    assert "✉ Written message  Ann  [b]Rappelle[/b] \\x1b[31m" in line
    assert "☎ Missed call  ACME" in entry_line(MISSED, NOW)
    assert entry_line(VOICE, NOW).startswith("○")  # heard
    assert "✇ Voice message  Jeanne Dupont" in entry_line(VOICE, NOW)
    long = MeEntry(MeKind.MESSAGE, "m2", at(10), "Ann", "word " * 20)
    assert entry_line(long, NOW).endswith("…")  # the first words; the details say it all
    assert ("word " * 20).strip() in details(long, NOW)
    assert "Enter: the conversation" in details(MESSAGE, NOW)
    assert "unread" in details(MESSAGE, NOW) and "read" in details(VOICE, NOW)


def entries_shown(screen: MeLogScreen) -> list[str]:
    listing = screen.query_one("#me-log-entries", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_sim_every_source_listed_and_enter_opens_each_ones_place(language: str) -> None:
    set_language(language)
    console = build_console()
    async with console.app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        ann, bea = [
            d
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        ][:2]
        assert ann.user_id is not None and bea.user_id is not None
        missed = console.ring(DUPONT)
        await settle(pilot)
        console.clock.advance(15)
        console.backend.switch.caller_hangs_up(missed)
        console.clock.advance(60)
        console.backend.switch_voicemail.leave(console.backend.device, ACME, duration_s=12)
        console.clock.advance(60)
        console.backend.switch_chat.send(ann.user_id, me.user_id, "[b]Rappelle[/b] \x1b[31m")
        console.clock.advance(60)
        console.backend.switch_assist.broadcast(bea.user_id, (EVERYONE,), "Pause café")
        await settle(pilot)
        console.app.clear_notifications()
        await pilot.press("f1")  # the log's key with its badge: 1 missed, 1 voice, 1 message
        await until(pilot, lambda: isinstance(console.app.screen, HelpScreen), "F1")
        help_screen = console.app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = [row for group in help_screen.groups for row in group.rows]
        (row,) = [row for row in rows if row.action_id == "assist.log"]
        badge = "Mon journal (MOI) (non lus : 3)" if language == "fr" else "My log (ME) (3 unread)"
        assert row.description == badge
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("alt+shift+l")
        await until(pilot, lambda: isinstance(console.app.screen, MeLogScreen), "the log")
        screen = console.app.screen
        assert isinstance(screen, MeLogScreen)
        await until(pilot, lambda: len(entries_shown(screen)) == 4, "all four listed")
        shown = entries_shown(screen)
        fr = language == "fr"
        kinds = (
            ["Appel manqué", "Message vocal", "Message écrit", "Diffusion"]
            if fr
            else ["Missed call", "Voice message", "Written message", "Broadcast"]
        )
        for line, kind in zip(shown, kinds, strict=True):  # oldest first
            assert kind in line, (line, kind)
        assert DUPONT.name in shown[0] and ACME.name in shown[1]
        assert f"{ann.name}  [b]Rappelle[/b] \\x1b[31m" in shown[2]  # literally
        assert "Pause café" in shown[3]
        assert all(line.startswith("●") for line in shown[:3])  # unread
        text = screen_text(console.app)
        title = "Mon journal (MOI) — non lus : 3" if fr else "My log (ME) — 3 unread"
        assert title in text
        listing = screen.query_one("#me-log-entries", OptionList)
        assert listing.highlighted == 3  # opened on the newest
        listing.highlighted = 0  # Enter on the missed call: its detail, as History's
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "detail")
        await pilot.press("escape")
        await until(pilot, lambda: console.app.screen is screen, "back in the log")
        listing.highlighted = 2
        await settle(pilot)
        assert ("Entrée : la conversation" if fr else "Enter: the conversation") in screen_text(
            console.app
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(console.app.screen, ChatScreen), "the chat")
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        await until(pilot, lambda: chat.peer == ann.user_id, "the conversation open")
        await pilot.press("alt+shift+l")  # Enter on the voice message: Voicemail
        await until(pilot, lambda: isinstance(console.app.screen, MeLogScreen), "again")
        again = console.app.screen
        assert isinstance(again, MeLogScreen)
        await until(pilot, lambda: len(entries_shown(again)) == 4, "listed again")
        again.query_one("#me-log-entries", OptionList).highlighted = 1
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(console.app.screen, VoicemailScreen), "voicemail")


def test_the_logs_key_in_the_help_carries_the_unread_count() -> None:
    from tws_tui.domain.keys_help import help_groups
    from tws_tui.domain.me_log import badged, unread_at_a_glance

    count = unread_at_a_glance(1, 2, 3)
    assert count == 6
    rows = [row for g in badged(help_groups({}), "assist.log", count) for row in g.rows]
    (row,) = [row for row in rows if row.action_id == "assist.log"]
    assert row.description == "My log (ME) (6 unread)"
    plain = [row for g in badged(help_groups({}), "assist.log", 0) for row in g.rows]
    assert "My log (ME)" in [row.description for row in plain]
