"""A phone number written in a chat message (issue 15, TWS-4.3.3-4): a run of at least 4
digits, grouped or not, is a number; with the message selected in the thread (Alt+↑), F3
calls the first one (sim, 80×24)."""

from __future__ import annotations

from helpers import build_console, settle, until

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.domain.numbers import numbers_in


def test_the_numbers_of_a_text_are_runs_of_four_digits_or_more() -> None:
    assert numbers_in("Rappelle Mme Durand au 06 12 34 56 78 avant 14:05") == ["0612345678"]
    assert numbers_in("+33 1 23 45 67 89, poste 267 ou 2671") == ["+33123456789", "2671"]
    assert numbers_in("01.23.45.67.89 ou 01-23-45-67-88.") == ["0123456789", "0123456788"]
    assert numbers_in("ref A1234, 12.3, le 7/12") == []


async def test_f3_calls_the_number_of_the_message_selected() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        peer = next(
            d.user_id
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        )
        assert peer is not None
        console.backend.switch_chat.send(peer, me.user_id, "Rappelle Mme Durand au 06 12 34 56 78")
        console.backend.switch_chat.send(peer, me.user_id, "Merci !")
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(peer)
        await settle(pilot)
        await pilot.press("alt+up")  # "Merci !": no number in it, F3 has nothing to call
        await settle(pilot)
        assert chat.selected_target() is None
        await pilot.press("up", "f3")
        await until(
            pilot,
            lambda: any(
                c.remote.number == "+33612345678" for c in console.app.state.calls.values()
            ),
            "the call to the number in the message",
        )
