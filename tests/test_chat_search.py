"""Search in chat messages (issue 15, TWS-4.3.9): over the local journal's FTS5 trigram index
of the folded texts — a substring, case and accents aside, newest first, at most 50 (one more
says "refine"), deleted messages and other accounts left out; a journal of the version before
the index gets its old messages indexed. On the console, Ctrl+F shows results as you type,
the typed part highlighted, and Enter opens the conversation at the message, marked. On cti
the server's messages of earlier sessions are found too (copied at the connection)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login
from helpers import build_console, screen_text, settle, until
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.chat_search import ChatSearchScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.model import ChatMessage, UserId
from tws_tui.domain.text import found_spans
from tws_tui.journal.chat_search import RESULTS_MAX, SHORT_SCAN, chat_around, search_chat
from tws_tui.journal.store import MIGRATIONS, CallJournal

__all__ = ["cti_server"]

SIZE = (100, 30)
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PEER = UserId("u200")


def message(n: int, text: str, peer: UserId = PEER) -> ChatMessage:
    return ChatMessage(f"m{n}", peer, peer, text, T0 + timedelta(minutes=n))


def texts(found: list[ChatMessage]) -> list[str]:
    return [m.text for m in found]


def test_substring_case_and_accents_aside_newest_first(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "j.sqlite3")
    journal.record_chats(
        "me",
        [
            message(1, "Le RÉSUMÉ de la réunion"),
            message(2, "Rappelle Mme Lefèvre"),
            message(3, "resumer demain"),
            message(4, "Straße 5"),
        ],
    )
    journal.record_chat("other", message(5, "résumé d'un autre compte"))
    assert texts(search_chat(journal, "me", "resum")) == [
        "resumer demain",
        "Le RÉSUMÉ de la réunion",
    ]
    assert texts(search_chat(journal, "me", "EFEV")) == ["Rappelle Mme Lefèvre"]
    assert texts(search_chat(journal, "me", "sse")) == ["Straße 5"]
    assert texts(search_chat(journal, "me", "LÉ")) == [  # two letters: a scan
        "Rappelle Mme Lefèvre",
        "Le RÉSUMÉ de la réunion",
    ]
    assert search_chat(journal, "me", '"; DROP') == []
    assert search_chat(journal, "me", "   ") == []
    journal.record_chat("me", ChatMessage("m3", PEER, PEER, "", T0, deleted=True))
    assert texts(search_chat(journal, "me", "resum")) == ["Le RÉSUMÉ de la réunion"]
    journal.record_chat("me", ChatMessage("m2", PEER, PEER, "Rappelle M. Durand", T0, edited=True))
    assert search_chat(journal, "me", "lefevre") == []
    assert texts(search_chat(journal, "me", "durand")) == ["Rappelle M. Durand"]


def test_at_most_fifty_and_one_more_to_say_so(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "j.sqlite3")
    journal.record_chats("me", [message(n, f"colis {n}") for n in range(120)])
    found = search_chat(journal, "me", "colis")
    assert len(found) == RESULTS_MAX + 1 and found[0].text == "colis 119"
    around = chat_around(journal, "me", found[-1], around=3)
    assert texts(around) == [f"colis {n}" for n in range(66, 73)]


def test_one_or_two_characters_search_the_newest_messages_only(tmp_path: Path) -> None:
    journal = CallJournal(tmp_path / "j.sqlite3")
    journal.record_chats("me", [message(0, "zq ancien")])
    journal.record_chats("me", [message(n, f"récent {n}") for n in range(1, SHORT_SCAN + 1)])
    assert search_chat(journal, "me", "ZQ") == []  # beyond the newest SHORT_SCAN
    assert texts(search_chat(journal, "me", "zq a")) == ["zq ancien"]  # the index: all
    assert len(search_chat(journal, "me", "ré")) == RESULTS_MAX + 1


def test_old_journal_messages_are_indexed_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"

    class OldJournal(CallJournal):
        MIGRATIONS = MIGRATIONS[:5]

    old = OldJournal(path)
    sent = message(1, "Livraison à l'accueil")  # written as that version's code wrote it
    old._run(
        "INSERT INTO chat_messages (id, account, peer, sender, text, at)"
        " VALUES (?, 'me', ?, ?, ?, ?)",
        (sent.id, sent.peer, sent.sender, sent.text, sent.at.isoformat(timespec="microseconds")),
    )
    old.close()
    assert texts(search_chat(CallJournal(path), "me", "ACCUEIL")) == ["Livraison à l'accueil"]


def test_found_spans_in_the_shown_text() -> None:
    assert found_spans("Le RÉSUMÉ, le résumé", "resume") == [(3, 9), (14, 20)]
    assert found_spans("Straße", "SS") == [(4, 5)]
    assert found_spans("abc", "") == []


async def test_ctrl_f_finds_as_you_type_and_opens_the_thread_there() -> None:
    console = build_console()
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        colleagues = [
            d for d in console.app.state.devices.values() if d.user_id and d.user_id != me.user_id
        ]
        first, second = UserId(colleagues[0].user_id or ""), UserId(colleagues[1].user_id or "")
        chat.send(first, me.user_id, "Le colis de Mme Lefèvre est à l'accueil")
        for n in range(30):
            console.clock.advance(60)
            chat.send(first, me.user_id, f"Message ordinaire {n}")
        chat.send(second, me.user_id, "Pas de colis aujourd'hui")
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatSearchScreen)
        await pilot.press(*"COLIS")
        await until(pilot, lambda: dialog.shown_for == "COLIS", "results as you type")
        assert texts(dialog.found) == [
            "Pas de colis aujourd'hui",
            "Le colis de Mme Lefèvre est à l'accueil",
        ]
        await pilot.press(*" de mme lefe")
        await until(pilot, lambda: len(dialog.found) == 1, "narrowed")
        results = dialog.query_one("#chat-search-results", RowList)
        assert results.row(results.row_keys()[0])[2] == "Le colis de Mme Lefèvre est à l'accueil"
        line = results.render_line(1)  # the first result, under the header: the match marked
        assert [s.text for s in line if s.style is not None and s.style.underline] == [
            "colis de Mme Lefè"
        ]
        await pilot.press("enter")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        assert screen.peer == first and screen.found_id is not None
        assert "▶ " in screen_text(console.app)
        scroll = screen.query_one("#chat-scroll")
        assert scroll.scroll_y < scroll.max_scroll_y  # at the message, not the newest
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"introuvable")
        dialog = console.app.screen
        assert isinstance(dialog, ChatSearchScreen)
        await until(pilot, lambda: dialog.shown_for == "introuvable", "no result")
        note = dialog.query_one("#chat-search-note")
        assert str(note.render()) == "No message holds that."
        await pilot.press("escape")


async def test_down_and_a_click_open_the_result_chosen() -> None:
    """↓ in the field moves in the results (the field keeps the focus); a click on a result
    opens its conversation at it."""
    console = build_console()
    chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        colleagues = [
            d for d in console.app.state.devices.values() if d.user_id and d.user_id != me.user_id
        ]
        first, second = UserId(colleagues[0].user_id or ""), UserId(colleagues[1].user_id or "")
        chat.send(first, me.user_id, "Colis pour la compta")
        console.clock.advance(60)
        chat.send(second, me.user_id, "Colis pour l'accueil")
        await settle(pilot)
        await pilot.press("alt+4", "ctrl+f")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatSearchScreen)
        await pilot.press(*"colis")
        await until(pilot, lambda: dialog.shown_for == "colis", "results")
        results = dialog.query_one("#chat-search-results", RowList)
        assert results.selected_key == "0"  # the newest first
        await pilot.press("down")
        assert results.selected_key == "1"
        assert isinstance(dialog.focused, Input)
        await pilot.press("up")
        assert results.selected_key == "0"
        await pilot.click("#chat-search-results", offset=(2, 2))  # the second result
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        assert screen.peer == first and screen.found_id is not None


async def test_cti_messages_of_earlier_sessions_are_found(cti_server: ServerThread) -> None:
    with http_client(cti_server.url) as http:
        sent = http.post(
            "/v1/chat/messages",
            json={"to": "u100", "text": "Réunion déplacée à 15 h"},
            headers=login(http, "bob"),
        )
        assert sent.status_code == 201, sent.text
    app = cti_console(cti_server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.me is not None, "alice signed in")
        await until(pilot, lambda: len(app.state.chat) == 1, "earlier message")
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChatSearchScreen)
        await pilot.press(*"deplacee")
        await until(pilot, lambda: len(dialog.found) == 1, "found in the local copy")
        assert dialog.query_one("#chat-search-input", Input).value == "deplacee"
        assert dialog.found[0].text == "Réunion déplacée à 15 h"
