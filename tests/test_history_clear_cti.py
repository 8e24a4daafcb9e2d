"""Tools' "delete all my history" on the cti backend against the real reference server
(uvicorn on loopback, SQLite and PostgreSQL: ``BOTH_ENGINES``; issue 17, TWS-6.11): the
console's journal and the server's copy of my calls are both deleted (so nothing is merged
back at the next connection), a colleague's history stays, and the deletion is in the server's
audit log."""

from __future__ import annotations

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login
from helpers import until
from test_history_cti import missed_call
from test_tools_page import open_tools

from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.journal import CallJournal

__all__ = ["cti_server"]

SIZE = (120, 40)


async def test_delete_all_my_history_deletes_it_on_the_server_too(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    with http_client(server.url) as http:
        alice, bob = login(http, "alice"), login(http, "bob")
        missed_call(server, "+33611111111")
        bobs = server.ring("180", "+33633333333")
        server.call(lambda: server.pbx.switch.caller_hangs_up(bobs))
        assert len(http.get("/v1/history", headers=bob).json()["items"]) == 1
        app = cti_console(server)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: len(CallJournal().entries()) == 1, "the call merged")
            await open_tools(pilot)
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
            await pilot.press("y")
            await until(
                pilot,
                lambda: http.get("/v1/history", headers=alice).json()["items"] == [],
                "the server's copy deleted",
            )
            assert CallJournal().entries() == []
        assert len(http.get("/v1/history", headers=bob).json()["items"]) == 1  # not hers
        audit = server.call(lambda: server.state.store.audit(10))
        assert any(
            who == "alice" and target == "/v1/history" and "history" in action
            for _at, who, action, target, _detail in audit
        ), audit
