"""History on the cti backend against the real reference server: the calls the server kept
while the console was not running (missed overnight) are merged into the local journal at
connection, with the server's comment; a call the console saw is listed once, not twice; a
second start merges nothing more (issue 16: "with cti, the server's history merged with the
local journal, stable ids")."""

from __future__ import annotations

from cti_fixtures import ServerThread, cti_console, cti_server, http_client, login
from helpers import prefs_of, settle, until

from tws_tui.console.app import TwsApp
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import Outcome
from tws_tui.journal import CallJournal
from tws_tui.settings.schema import AlertSettings

__all__ = ["cti_server"]

SIZE = (120, 40)


def missed_call(server: ServerThread, caller: str) -> str:
    """``caller`` rings Alice (100) and hangs up before she answers; the call's id."""
    rung = server.ring("100", caller)
    hang_up = server.pbx.switch.caller_hangs_up
    server.call(lambda: hang_up(rung))
    return rung


async def test_calls_made_while_the_console_was_off_are_merged_once(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    with http_client(server.url) as http:
        alice = login(http, "alice")  # an account added after the start is watched from then
        overnight = missed_call(server, "+33611111111")
        [line] = http.get("/v1/history", headers=alice).json()["items"]
        put = http.put(
            f"/v1/history/{line['id']}/comment", json={"text": "rappeler"}, headers=alice
        )
        assert put.status_code == 204
    journal = CallJournal()
    app = cti_console(server)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(journal.entries()) == 1, "the overnight call merged")
        [merged] = journal.entries()
        assert merged.id == overnight
        assert merged.outcome is Outcome.MISSED and merged.remote.number == "+33611111111"
        assert [text for _, text in journal.comments(merged.id)] == ["rappeler"]
        seen_live = missed_call(server, "+33622222222")  # while the console runs
        await until(pilot, lambda: len(journal.entries()) == 2, "the live call journaled")
        await settle(pilot)
        assert [entry.id for entry in journal.entries()] == [seen_live, overnight]
    again = TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False)),
        clock=ManualClock(),
        backend=cti_console(server).backend,
    )
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: again.state.me is not None, "signed in again")
        await settle(pilot)
        assert len(journal.entries()) == 2  # nothing listed twice
        assert len(journal.comments(overnight)) == 1
