"""History's detail of a forwarded call on ``cti`` (issue 17; TWS-6.10.6.1-7), against the real
reference server: a call rings at Alice, her no-answer forward plays "ring" to the caller then
sends the call to 104; the server keeps those steps in her history (``call_steps``, SQLite and
PostgreSQL — the scaled mode's database —), serves them at ``GET /v1/history/{conversation}/
steps`` (Bob, who never had the call, gets a 404; deleting her history deletes them), and the
console's History detail says them as on ``sim``: "Announcement ring played to the caller at
09:00 (2.4 s)", "Forwarded to 104 at 09:00"."""

from __future__ import annotations

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login
from helpers import settle, until
from test_history import open_history

from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.core.model import Forward, ForwardKind

__all__ = ["cti_server"]

SIZE = (100, 30)
COLLEAGUE = "104"


async def test_the_forwards_steps_are_kept_by_the_server_and_shown(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    app = cti_console(server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.state.me is not None, "signed in")
        await app.backend.set_forward(ForwardKind.NO_ANSWER, Forward(True, COLLEAGUE, 10, "ring"))
        call_id = server.ring("100", "+33611111111")
        await settle(pilot)
        server.call(lambda: server.clock.advance(10))  # no answer: the caller hears "ring"
        server.call(lambda: server.clock.advance(2.5))  # 2.4 s, then on to 104
        assert server.connections_at(COLLEAGUE)
        with http_client(server.url) as http:
            alice, bob = login(http, "alice"), login(http, "bob")
            url = f"/v1/history/{call_id}/steps"
            steps = http.get(url, headers=alice).json()["items"]
            assert [(s["what"], s["detail"]) for s in steps] == [
                ("announcement", "ring"),
                ("forwarded", COLLEAGUE),
            ]
            assert abs(steps[0]["length_s"] - 2.4) < 0.01
            not_his = http.get(url, headers=bob)  # only mine: a call Bob never had is none
            assert not_his.status_code == 404 and not_his.json()["code"] == "not_found"
        rows = await open_history(pilot, app, 1)
        rows.focus()
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, HistoryDetail), "detail")
        detail = app.screen

        def shown() -> str:
            return str(detail.query_one("#detail-timeline").render())

        await until(pilot, lambda: f"Forwarded to {COLLEAGUE}" in shown(), "the steps shown")
        assert "Announcement ring played to the caller at" in shown()
        assert "(2.4 s)" in shown()
        with http_client(server.url) as http:  # deleting my history deletes them too
            alice = login(http, "alice")
            assert http.delete("/v1/history", headers=alice).status_code == 204
            assert http.get(url, headers=alice).json()["items"] == []
