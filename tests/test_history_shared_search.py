"""History's search finds a call by a shared comment the journal has no copy of (issue 16):
the console copies the newest shared comments when it connects and each one that comes as
``comment.updated``; an older one is only on the phone system, which History asks once typing
pauses (``GET /v1/me/comments?q=``) — against the real server on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server
from helpers import until

from tws_tui.console.screens.history import HistoryScreen
from tws_tui.console.widgets.row_list import RowList
from tws_tui.journal import CallJournal

__all__ = ["cti_server"]

SIZE = (120, 40)


def listed(app: Any) -> list[str]:
    return app.screen.query_one("#history-list", RowList).row_keys()


def copied(call_id: str) -> int:
    """How many shared comments on ``call_id`` the journal's copy has."""
    journal = CallJournal()
    try:
        rows = journal.read("SELECT count(*) FROM shared_comments WHERE call_id = ?", [call_id])
    finally:
        journal.close()
    return int(str(rows[0][0]))


def forget_copies() -> None:
    """The journal's copy of the shared comments emptied: as if they were older than the
    newest ones copied when the console connected."""
    journal = CallJournal()
    try:
        with journal.transaction() as db:
            db.execute("DELETE FROM shared_comments")
    finally:
        journal.close()


@pytest.mark.usefixtures("cti_server")
async def test_the_search_asks_the_server_for_shared_comments_the_copy_lacks(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    alice = cti_console(server, "alice")
    async with alice.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "Alice signed in")
        rung = server.ring("100", "+33699887766")
        conversation = server.call(lambda: server.pbx.switch.calls[rung].id)
        await until(pilot, lambda: bool(alice.state.ringing_calls()), "ringing at Alice")
        await pilot.press("enter")
        await until(pilot, lambda: not alice.state.ringing_calls(), "answered")
        [call] = alice.state.calls.values()
        backend = alice.backend
        assert backend is not None and backend.call_comments is not None
        await backend.hangup(call.call_id)
        await until(pilot, lambda: not alice.state.calls, "hung up")
        shared = backend.call_comments
        await shared.add(conversation, "Commande numéro 4471")
        await shared.add(conversation, "Rappeler mardi")
        # the server's search: every word, case and accents ignored
        found = await shared.recent(text="NUMERO 447")
        assert [c.text for c in found] == ["Commande numéro 4471"]
        assert await shared.recent(text="numero mardi") == []
        await until(pilot, lambda: copied(conversation) == 2, "copied from comment.updated")
        forget_copies()
        await pilot.press("alt+5")
        await until(pilot, lambda: isinstance(alice.screen, HistoryScreen), "History")
        await until(pilot, lambda: listed(alice) == [conversation], "the call listed")
        screen = alice.screen
        assert isinstance(screen, HistoryScreen)
        await until(pilot, lambda: screen._searchable, "the search texts made")
        await pilot.press(*"4471")
        assert listed(alice) == []  # not in the copy
        await until(pilot, lambda: listed(alice) == [conversation], "found on the server")
        assert copied(conversation) == 1  # the one found, copied; the other not asked for
