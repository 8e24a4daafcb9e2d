"""Comments on calls found, deleted and shown on the card (TWS-3.13, issue 16).

* History's search as you type finds a call by its comments: this console's own (sim, seeded
  journal) and those shared by the phone system — a colleague's on ``sim``, and on ``cti`` the
  ones that came as ``comment.updated`` and those already on the server when the console
  connects (``GET /v1/me/comments``, copied into the journal).
* Delete (or D) in a call's detail deletes a comment after asking; a shared one for everyone,
  which the phone system allows its author only on ``sim`` and its author or a supervisor on
  the real server (``server.roles``): an operator deleting a colleague's gets 403, said in a
  sentence; a supervisor's deletion reaches the author's console and is in the audit log.
* The business card's Identity tab lists the last comments on calls with the contact."""

from __future__ import annotations

from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import build_console, local_store, open_business_card, settle, until
from test_history import THREE, listed, open_detail, open_history, seed, type_search
from test_shared_comments import comments_shown, notes, open_detail_of

from tws_tui.console.screens.contacts.business_card import BusinessCardScreen
from tws_tui.console.screens.history import HistoryScreen
from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.console.screens.modals.comment import CommentScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.errors import PermissionDenied
from tws_tui.core.model import Contact, Party
from tws_tui.journal import CallJournal
from tws_tui.journal.store import default_path

__all__ = ["cti_server"]

SIZE = (120, 40)
CALLER = Party("+33612345678", "Jeanne Dupont")


def keys(app: Any) -> list[str]:
    return listed(app).row_keys()


async def search(pilot: Any, app: Any, text: str) -> None:
    """Type ``text`` in History's search (emptied first)."""
    for field in app.screen.query("#history-search"):  # made when the first letter is typed
        field.value = ""
    await pilot.pause()
    await type_search(pilot, text)


async def back_to_history(pilot: Any, app: Any) -> None:
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History again")


async def test_a_local_comment_is_searched_and_deleted_after_asking() -> None:
    seed(*THREE)
    console = build_console()
    app = console.app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        detail = await open_detail(pilot, app, "c3")
        await until(pilot, lambda: detail.entry is not None, "detail read")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CommentScreen), "comment dialog")
        await type_search(pilot, "Devis électricité envoyé")
        await pilot.press("enter")
        await until(pilot, lambda: len(detail.comments) == 1, "comment kept")
        await back_to_history(pilot, app)
        await search(pilot, app, "electricite")  # folded: accents and case aside
        await until(pilot, lambda: keys(app) == ["c3"], "found by its comment")
        await search(pilot, app, "devis jeanne")  # every word: c1 is Jeanne's, without it
        await until(pilot, lambda: keys(app) == [], "no call has both")
        await search(pilot, app, "devis")
        await until(pilot, lambda: keys(app) == ["c3"], "found again")
        listed(app).focus()
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, HistoryDetail), "detail open")
        detail = app.screen
        await until(pilot, lambda: len(detail.comments) == 1, "detail read")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        await pilot.press("n")
        await settle(pilot)
        assert len(detail.comments) == 1 and CallJournal().comments("c3")
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked again")
        await pilot.press("y")
        await until(pilot, lambda: not detail.comments, "deleted")
        assert "Comment deleted." in notes(app)
        assert "No comment yet." in comments_shown(app)
        await pilot.press("d")
        await settle(pilot)
        assert "No comment to delete." in notes(app)
        await back_to_history(pilot, app)
        await search(pilot, app, "devis")
        await until(pilot, lambda: keys(app) == [], "not found any more")
    assert CallJournal().comments("c3") == []


async def call_with_shared_comments(console: Any, pilot: Any) -> tuple[str, Any]:
    """A call answered and transferred to a colleague, with my shared comment (Alt+C) and
    the colleague's."""
    app, backend = console.app, console.backend
    console.ring(CALLER)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    [call] = app.state.calls.values()
    conversation = call.conversation_id
    await pilot.press("alt+c")
    await settle(pilot)
    await pilot.press(*"wants a quote", "enter")
    await until(
        pilot,
        lambda: "Comment saved and shared with the colleagues who saw this call." in notes(app),
        "shared",
    )
    colleague = next(e for e in backend.switch.endpoints.values() if e.internal and not e.operator)
    await backend.blind_transfer(call.call_id, colleague.extension)  # they saw it too
    console.clock.advance(20)
    await settle(pilot)
    backend.switch_comments.add(colleague.device_id, conversation, "Tarif préférentiel accordé")
    await settle(pilot)
    return conversation, colleague


async def test_sim_shared_comments_are_searched_and_only_mine_deleted_for_everyone() -> None:
    console = build_console()
    app, backend = console.app, console.backend
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        conversation, colleague = await call_with_shared_comments(console, pilot)
        await pilot.press("alt+5")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History open")
        await until(pilot, lambda: conversation in keys(app), "the call listed")
        await search(pilot, app, "preferentiel")  # the colleague's comment, kept as it came
        await until(pilot, lambda: keys(app) == [conversation], "found by a colleague's comment")
        await search(pilot, app, "quote")
        await until(pilot, lambda: keys(app) == [conversation], "found by mine")
        await search(pilot, app, "")
        detail = await open_detail_of(pilot, app, conversation)
        await until(pilot, lambda: len(detail.comments) == 2, "both comments")
        await pilot.press("d")  # two: which one?
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "which one")
        await pilot.press("enter")  # the last first: the colleague's
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        assert "for every colleague who saw the call" in str(
            app.screen.query_one(".modal-title").content
        )
        await pilot.press("y")
        await until(
            pilot,
            lambda: "Only its author or a supervisor can delete a comment." in notes(app),
            "refused: not mine",
        )
        assert len(backend.switch_comments.comments(colleague.device_id, conversation)) == 2
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen), "which one")
        await pilot.press("up", "enter")  # mine
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        await pilot.press("y")
        await until(pilot, lambda: "Comment deleted for everyone." in notes(app), "deleted")
        await until(pilot, lambda: len(detail.comments) == 1, "one left")
        left = backend.switch_comments.comments(colleague.device_id, conversation)
        assert [c.text for c in left] == ["Tarif préférentiel accordé"]  # the colleague's too
        await back_to_history(pilot, app)
        await search(pilot, app, "quote")
        await until(pilot, lambda: keys(app) == [], "mine not found any more")


async def test_the_card_shows_the_last_comments_on_calls_with_the_contact() -> None:
    console = build_console()
    app = console.app
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        await settle(pilot)
        jeanne = local_store(console).add(
            Contact("", "private", "Jeanne Dupont", (("Mobile", "06 12 34 56 78"),))
        )
        await call_with_shared_comments(console, pilot)
        await pilot.press("alt+1")
        await settle(pilot)
        await pilot.press(*"jeanne")
        await until(
            pilot,
            lambda: f"private:{jeanne.id}" in app.screen.query_one("#contact-list").row_keys(),
            "listed",
        )
        card = await open_business_card(console, pilot, f"private:{jeanne.id}")
        assert isinstance(card, BusinessCardScreen)
        await pilot.press("right", "right")  # Identity
        await until(pilot, lambda: bool(card._comments), "comments read")
        shown = str(card.query_one("#card-identity").content)
        assert "Last comments on calls:" in shown
        me = console.backend.switch.operator.name
        assert shown.index("Tarif préférentiel accordé") < shown.index(f"{me}: wants a quote")


@pytest.mark.usefixtures("cti_server")
async def test_cti_roles_a_supervisor_deletes_for_everyone_and_search_follows(
    cti_server: ServerThread,
) -> None:
    server = cti_server
    bob, sam = make_backend(server.url, username="bob"), make_backend(server.url, username="sam")
    await bob.connect()
    await sam.connect()
    try:
        alice = cti_console(server, "alice")
        async with alice.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: alice.state.me is not None, "Alice signed in")
            rung = server.ring("100", "+33699887766")
            conversation = server.call(lambda: server.pbx.switch.calls[rung].id)
            await until(pilot, lambda: bool(alice.state.ringing_calls()), "ringing at Alice")
            await pilot.press("enter")
            await until(pilot, lambda: not alice.state.ringing_calls(), "answered")
            [call] = alice.state.calls.values()
            assert alice.backend is not None
            await alice.backend.blind_transfer(call.call_id, "180")
            await until(pilot, lambda: not alice.state.calls, "Alice's part ended")
            assert bob.call_comments is not None and sam.call_comments is not None
            mine = await alice.backend.call_comments.add(conversation, "Rappeler mardi")
            await bob.call_comments.add(conversation, "Commande numéro 4471")
            await pilot.press("alt+5")
            await until(pilot, lambda: isinstance(alice.screen, HistoryScreen), "History")
            await until(pilot, lambda: conversation in keys(alice), "the call listed")
            await search(pilot, alice, "4471")  # Bob's, copied from comment.updated
            await until(pilot, lambda: keys(alice) == [conversation], "found by Bob's comment")
            with pytest.raises(PermissionDenied):
                await bob.call_comments.delete(mine.id)  # an operator: not his
            await search(pilot, alice, "mardi")
            await until(pilot, lambda: keys(alice) == [conversation], "still there")
            await sam.call_comments.delete(mine.id)  # a supervisor may
            await until(pilot, lambda: keys(alice) == [], "gone for Alice too", 10)
            listed_now = await bob.call_comments.comments(conversation)
            assert [c.text for c in listed_now] == ["Commande numéro 4471"]
            audit = server.call(lambda: server.state.store.audit(10))
            assert any(
                who == "sam" and action == "delete_call_comment" and mine.id in target
                for _at, who, action, target, _detail in audit
            )
        # a console starting afresh (another machine: a new journal) copies what the server
        # has when it connects, and finds the call by it
        journal = default_path()
        for kept in journal.parent.glob(journal.name + "*"):  # the file, its WAL and index
            kept.unlink()
        again = cti_console(server, "alice")
        async with again.run_test(size=SIZE, notifications=True) as pilot:
            await until(pilot, lambda: again.state.me is not None, "signed in again")
            await open_history(pilot, again, 1)
            await search(pilot, again, "commande")
            await until(pilot, lambda: keys(again) == [conversation], "found after connecting")
    finally:
        await bob.close()
        await sam.close()
