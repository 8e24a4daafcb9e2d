"""Take a message (issue 15) on the simulator: Alt+T during a call and after it opens the slip
prefilled from the call, the colleague is chosen by part of a name, Enter sends it as a chat
message with its slip, the thread shows it as a slip; a slip received counts as unread on the
Chat mode, reads without colour, shows typed markup and escapes literally and Ctrl+R calls the
caller back; a 5 KB text and a failed send keep the dialog with what was typed; Esc cancels."""

from __future__ import annotations

from typing import Any

from helpers import ACME, Console, build_console, screen_text, settle
from textual.widgets import Input

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.slip import SlipScreen
from tws_tui.core.errors import BackendUnavailable
from tws_tui.core.model import ChatMessage, Forward, ForwardKind, MessageSlip, UserId
from tws_tui.domain.slips import SLIP_TEXT_MAX

SIZE = (100, 30)


def notes(console: Console) -> list[str]:
    return [n.message for n in console.app._notifications]


def colleague(console: Console) -> tuple[UserId, str]:
    """The first colleague of the company with a name: user id and name."""
    switch = console.backend.switch
    ep = next(
        e
        for e in sorted(switch.endpoints.values(), key=lambda e: e.extension)
        if e.internal and e.user_id is not None and e is not switch.operator and e.name
    )
    assert ep.user_id is not None and ep.name is not None
    return ep.user_id, ep.name


def field(console: Console, field_id: str) -> Input:
    return console.app.screen.query_one(f"#{field_id}", Input)


def received_by(console: Console, peer: UserId) -> list[ChatMessage]:
    me = console.app.state.me
    assert me is not None
    return console.backend.switch_chat.conversation(peer, me.user_id, 10)


async def fill_and_send(console: Console, pilot: Any, name: str, text: str) -> None:
    """In the slip dialog: the colleague by the first word of ``name``, the text, Enter."""
    field(console, "slip-for").value = name.split()[0]
    await settle(pilot)
    field(console, "slip-text").focus()
    field(console, "slip-text").value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_a_message_taken_during_a_call_reaches_the_colleague() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter", "alt+2")
        await settle(pilot)
        await pilot.press("alt+t")
        await settle(pilot)
        assert isinstance(console.app.screen, SlipScreen)
        assert field(console, "slip-caller").value == ACME.name
        assert field(console, "slip-call-back").value == ACME.number
        assert field(console, "slip-for").has_focus  # the call was for me: whom is it for?
        field(console, "slip-for").value = name.split()[0][:3].lower()
        await settle(pilot)
        assert name in str(console.app.screen.query_one("#slip-match").render())
        await pilot.press("tab", "tab", "tab", "tab", "space")  # urgent
        field(console, "slip-text").focus()
        await pilot.press(*"Rappeler avant midi")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(console.app.screen, SlipScreen)
        got = received_by(console, peer)
        assert len(got) == 1
        slip = got[0].slip
        assert got[0].text == "Rappeler avant midi"
        assert slip is not None and slip.urgent
        assert (slip.caller_name, slip.number, slip.call_back_on) == (
            ACME.name,
            ACME.number,
            ACME.number,
        )
        assert slip.taken_by == console.app.state.me.name  # type: ignore[union-attr]
        assert "Message sent." in notes(console)
        await pilot.press("alt+4")
        await settle(pilot)
        text = screen_text(console.app)
        assert f"☎ Message for {name} — URGENT" in text
        assert f"{ACME.name} ({ACME.number}) called at" in text
        assert "Rappeler avant midi" in text


async def test_after_the_call_the_slip_is_prefilled_from_the_last_one() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot, 8)
        assert not console.app.state.calls
        await pilot.press("alt+t")
        await settle(pilot)
        assert isinstance(console.app.screen, SlipScreen)
        assert field(console, "slip-caller").value == ACME.name
        assert field(console, "slip-call-back").value == ACME.number
        await fill_and_send(console, pilot, name, "")
        got = received_by(console, peer)
        assert [m.slip.caller_name for m in got if m.slip is not None] == [ACME.name]


async def test_a_call_forwarded_from_a_colleague_is_for_that_colleague() -> None:
    console = build_console()
    switch = console.backend.switch
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        absent = switch.endpoint_of_user(peer)
        absent.forwards[ForwardKind.UNCONDITIONAL] = Forward(True, "100")  # to me
        console.ring(ACME, to=absent.extension)
        await settle(pilot)
        ringing = console.app.state.ringing_calls()
        assert len(ringing) == 1 and ringing[0].redirected_from is not None
        await pilot.press("alt+t")  # from the ringing banner, the call not answered
        await settle(pilot)
        assert isinstance(console.app.screen, SlipScreen)
        assert field(console, "slip-for").value == name
        assert field(console, "slip-text").has_focus
        await pilot.press(*"Absent", "enter")
        await settle(pilot)
        got = received_by(console, peer)
        assert [(m.text, m.slip is not None) for m in got] == [("Absent", True)]


async def test_escape_cancels_and_sends_nothing() -> None:
    console = build_console()
    peer, _name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+t")
        await settle(pilot)
        assert isinstance(console.app.screen, SlipScreen)
        assert field(console, "slip-for").has_focus  # no call: nobody to prefill
        assert field(console, "slip-caller").value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, SlipScreen)
        assert received_by(console, peer) == []


async def test_a_slip_received_is_unread_shown_as_a_slip_and_called_back() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        slip = MessageSlip(
            caller_name="[b]Jean[/b] \x1b]0;pwned\x07",
            company="ACME \u202eevil",
            number="0612345678",
            call_back_on="0698765432",
            urgent=True,
            taken_by=name,
            at=console.clock.now(),
        )
        console.backend.switch_chat.send(peer, me.user_id, "[red]vite[/red]", slip=slip)
        await settle(pilot)
        assert console.app.state.slips_unread == {peer: 1}
        assert "4 Chat (1, ☎1)" in screen_text(console.app)
        await pilot.press("alt+4")
        await settle(pilot)
        assert isinstance(console.app.screen, ChatScreen)
        assert console.app.state.slips_unread == {}
        text = screen_text(console.app)
        assert "☎ Message for you — URGENT" in text
        assert "[b]Jean[/b] \\x1b]0;pwned\\x07 (ACME \\u202eevil, 0612345678)" in text
        assert "Please call back on: 0698765432" in text
        assert "[red]vite[/red]" in text
        assert f"Taken by: {name}" in text
        assert "Ctrl+R: call back" in text
        await pilot.press("ctrl+r")
        await settle(pilot)
        numbers = [c.remote.number for c in console.app.state.calls.values()]
        assert numbers == ["+33698765432"]  # the number given, dialled


async def test_call_back_is_off_without_a_slip() -> None:
    console = build_console()
    peer, _name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        console.backend.switch_chat.send(peer, me.user_id, "Salut")
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        assert "Call back" not in screen_text(console.app)  # not in the key bar
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not console.app.state.calls


async def test_a_5kb_text_is_refused_in_words_and_kept() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+t")
        await settle(pilot)
        pasted = "x" * 5000
        await fill_and_send(console, pilot, name, pasted)
        assert isinstance(console.app.screen, SlipScreen)
        assert f"A message has at most {SLIP_TEXT_MAX} characters (5000 typed)." in notes(console)
        assert field(console, "slip-text").value == pasted
        assert received_by(console, peer) == []


async def test_a_failed_send_keeps_the_dialog_and_what_was_typed() -> None:
    console = build_console()
    peer, name = colleague(console)

    async def down(*args: Any, **kwargs: Any) -> ChatMessage:
        raise BackendUnavailable("the link is down")

    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        console.backend.chat.send = down  # type: ignore[method-assign]
        await pilot.press("alt+t")
        await settle(pilot)
        field(console, "slip-caller").value = "Jean Martin"
        await fill_and_send(console, pilot, name, "Rappeler")
        assert isinstance(console.app.screen, SlipScreen)
        assert any(n.startswith("Not sent: ") for n in notes(console)), notes(console)
        assert field(console, "slip-caller").value == "Jean Martin"
        assert field(console, "slip-text").value == "Rappeler"
        assert received_by(console, peer) == []


async def test_nobody_chosen_is_said_and_a_number_with_letters_refused() -> None:
    console = build_console()
    peer, name = colleague(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+t")
        await settle(pilot)
        await fill_and_send(console, pilot, "zzzz", "Bonjour")
        assert "Choose the colleague the message is for." in notes(console)
        field(console, "slip-call-back").value = "06 CALL ME"
        await fill_and_send(console, pilot, name, "Bonjour")
        assert any("digits only" in n for n in notes(console)), notes(console)
        assert isinstance(console.app.screen, SlipScreen)
        assert received_by(console, peer) == []


def test_the_local_journal_keeps_a_slip_across_restarts(tmp_path: Any) -> None:
    """On sim and sip the console's journal keeps the chat: a slip comes back whole."""
    from datetime import UTC, datetime

    from tws_tui.journal.store import CallJournal

    at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    slip = MessageSlip("Jean", "ACME", "+33612345678", "0612", True, "Alice", at)
    message = ChatMessage("m1", UserId("u180"), UserId("u100"), "", at, slip)
    first = CallJournal(tmp_path / "journal.sqlite3")
    first.record_chat("alice", message)
    first.close()
    second = CallJournal(tmp_path / "journal.sqlite3")
    assert second.chat_messages("alice", limit=10) == [message]
    second.close()


async def test_alt_t_from_the_incoming_call_pop_up() -> None:
    from tws_tui.console.screens.modals.alerter import AlerterScreen
    from tws_tui.settings.schema import AlertSettings

    console = build_console(alerts=AlertSettings(popup=True))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        assert isinstance(console.app.screen, AlerterScreen)
        await pilot.press("alt+t")
        await settle(pilot)
        assert isinstance(console.app.screen, SlipScreen)
        assert field(console, "slip-caller").value == ACME.name
