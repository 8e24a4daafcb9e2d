"""Comments shared on a call from the console (TWS-3.13): on ``sim``, Alt+C during a call
shares the comment through the simulated switch; the colleague the call was transferred to
comments it too; History's detail shows both with author and time, E edits mine (the only one
offered), a colleague's comment arriving while the detail is open is shown. On ``cti``, two
consoles (Alice's and Bob's: Alice answers the call and transfers it to Bob) against the real
server: Bob's comment
appears in Alice's open detail through the ``comment.updated`` event; Alice's edit reaches
Bob's. Without sharing (the SIP case) the detail says the comments stay on this console."""

from __future__ import annotations

from typing import Any

from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import Console, build_console, screen_text, settle, until

from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.screens.modals.comment import CommentScreen
from tws_tui.core.model import Capability, ConnectionState, Party

__all__ = ["cti_server"]

SIZE = (120, 40)
CALLER = Party("+33612345678", "Jeanne Dupont")


def notes(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def comments_shown(app: Any) -> str:
    return str(app.screen.query_one("#detail-comments").content)


async def open_detail_of(pilot: Any, app: Any, key: str) -> HistoryDetail:
    from tws_tui.console.screens.history import HistoryScreen
    from tws_tui.console.widgets.row_list import RowList

    await pilot.press("alt+5")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History open")
    rows = app.screen.query_one("#history-list", RowList)
    await until(pilot, lambda: key in rows.row_keys(), "the call listed")
    rows.focus()
    rows.select_key(key)
    await pilot.press("ctrl+k")
    await until(pilot, lambda: isinstance(app.screen, HistoryDetail), "detail open")
    detail: HistoryDetail = app.screen
    await until(pilot, lambda: detail.entry is not None, "detail read")
    await settle(pilot)
    return detail


async def test_sim_comment_during_the_call_shared_with_the_colleague_it_went_to() -> None:
    console: Console = build_console()
    app, backend = console.app, console.backend
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(CALLER)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [call] = app.state.calls.values()
        assert call.state is ConnectionState.CONNECTED and call.conversation_id
        conversation = call.conversation_id
        await pilot.press("alt+c")
        await settle(pilot)
        await pilot.press(*"wants a quote", "enter")
        await until(
            pilot,
            lambda: "Comment saved and shared with the colleagues who saw this call." in notes(app),
            "shared",
        )
        colleague = next(
            e for e in backend.switch.endpoints.values() if e.internal and not e.operator
        )
        await backend.blind_transfer(call.call_id, colleague.extension)
        console.clock.advance(20)
        await settle(pilot)
        backend.switch_comments.add(colleague.device_id, conversation, "Quote sent")
        detail = await open_detail_of(pilot, app, conversation)
        shown = comments_shown(app)
        me = backend.switch.operator.name
        assert f"{me}: wants a quote" in shown and f"{colleague.name}: Quote sent" in shown
        assert "Shared with the colleagues who saw this call." in shown
        assert shown.index("wants a quote") < shown.index("Quote sent")  # by time
        await pilot.press("e")  # only mine is offered: straight to its text
        await until(pilot, lambda: isinstance(app.screen, CommentScreen), "edit dialog")
        assert app.screen.query_one("#comment").value == "wants a quote"
        await pilot.press("end", *" by Friday", "enter")
        await until(
            pilot, lambda: "wants a quote by Friday (edited)" in comments_shown(app), "edit"
        )
        backend.switch_comments.add(colleague.device_id, conversation, "Customer called again")
        await until(
            pilot, lambda: "Customer called again" in comments_shown(app), "the colleague's new one"
        )
        assert len(detail.comments) == 3


async def test_without_sharing_the_comments_stay_on_this_console() -> None:
    caps = [c for c in Capability if c is not Capability.SHARED_COMMENTS]
    console = build_console(capabilities=caps)
    app = console.app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(CALLER)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [call] = app.state.calls.values()
        await pilot.press("alt+c")
        await settle(pilot)
        await pilot.press(*"local note", "enter")
        await until(pilot, lambda: "Comment saved." in notes(app), "kept")
        await pilot.press("f8")
        await settle(pilot)
        assert call.conversation_id is not None
        await open_detail_of(pilot, app, call.conversation_id)
        shown = comments_shown(app)
        assert "local note" in shown
        assert "Comments stay on this console: this phone system does not share them." in shown
        assert "this phone system does not share" in screen_text(app)


async def test_cti_two_consoles_see_each_others_comments_on_a_call_they_both_saw(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    alice = cti_console(server)
    bob_backend = make_backend(server.url, username="bob")
    async with alice.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: alice.state.me is not None, "Alice signed in")
        await bob_backend.connect()
        try:
            rung = server.ring("100", "+33699887766")
            conversation = server.call(lambda: server.pbx.switch.calls[rung].id)
            await until(pilot, lambda: bool(alice.state.ringing_calls()), "ringing at Alice")
            await pilot.press("enter")  # Alice answers, then transfers it to Bob (180)
            await until(pilot, lambda: not alice.state.ringing_calls(), "answered")
            [call] = alice.state.calls.values()
            assert alice.backend is not None
            await alice.backend.blind_transfer(call.call_id, "180")
            await until(
                pilot,
                lambda: "bob" in server.call(lambda: server.state.store.call_parties(conversation)),
                "the call rang at Bob's",
            )
            await until(pilot, lambda: not alice.state.calls, "Alice's part ended")
            detail = await open_detail_of(pilot, alice, conversation)
            assert "Shared with the colleagues who saw this call." in comments_shown(alice)
            assert bob_backend.call_comments is not None
            await bob_backend.call_comments.add(conversation, "I will call her back")
            await until(
                pilot,
                lambda: "I will call her back" in comments_shown(alice),
                "Bob's comment in Alice's open detail",
            )
            await pilot.press("e")  # nothing of Alice's: Bob's is not hers to change
            await settle(pilot)
            assert "Only its author can change a comment." in notes(alice)
            await pilot.press("c")
            await until(pilot, lambda: isinstance(alice.screen, CommentScreen), "comment dialog")
            await pilot.press(*"thanks Bob", "enter")
            await until(pilot, lambda: len(detail.comments) == 2, "Alice's comment")
            listed = await bob_backend.call_comments.comments(conversation)
            assert [c.text for c in listed] == ["I will call her back", "thanks Bob"]
            assert listed[1].author_name != listed[0].author_name
            shown = comments_shown(alice)
            assert f"{listed[0].author_name}: I will call her back" in shown
        finally:
            await bob_backend.close()
