"""Phone numbers and links written in a chat message (issue 15, TWS-4.3.3-4 and -5): a run of
at least 4 digits, grouped or not, is a number, and with the message selected in the thread
(Alt+↑) F3 calls the first one; what begins with http://, https:// or www. is a link, drawn
underlined with its address (OSC 8), and O opens the selected message's first one (copied
too) (sim, 80×24)."""

from __future__ import annotations

import pytest
from helpers import build_console, settle, until

from tws_tui.console import links
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_rows import message_text
from tws_tui.domain.numbers import numbers_in
from tws_tui.domain.text import url_spans


def test_the_numbers_of_a_text_are_runs_of_four_digits_or_more() -> None:
    assert numbers_in("Rappelle Mme Durand au 06 12 34 56 78 avant 14:05") == ["0612345678"]
    assert numbers_in("+33 1 23 45 67 89, poste 267 ou 2671") == ["+33123456789", "2671"]
    assert numbers_in("01.23.45.67.89 ou 01-23-45-67-88.") == ["0123456789", "0123456788"]
    assert numbers_in("ref A1234, 12.3, le 7/12") == []


def test_the_links_of_a_text_and_how_they_are_drawn() -> None:
    text = "Voir https://example.com/a?b=1, et www.tws.fr. Pas http:// ni (https://x.org/y)"
    assert [url for _s, _e, url in url_spans(text)] == [
        "https://example.com/a?b=1",
        "https://www.tws.fr",
        "https://x.org/y",
    ]
    # an escape sequence ends the link: it never reaches the terminal's OSC 8 nor the browser
    spans = url_spans("https://a.fr/x\x1b]8;;https://evil\x07y")
    assert spans[0] == (0, 14, "https://a.fr/x")
    assert not any(ch in url for _s, _e, url in spans for ch in "\x1b\x07")
    drawn = message_text("Devis : www.tws.fr/devis.")
    linked = [(span.start, span.end, str(span.style)) for span in drawn.spans]
    assert (
        len(linked) == 1 and linked[0][:2] == (8, 24) and "https://www.tws.fr/devis" in linked[0][2]
    )


async def test_f3_calls_the_number_and_o_opens_the_link_of_the_message_selected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(links, "over_ssh", lambda: False)
    monkeypatch.setattr(links.webbrowser, "open", lambda url, *a, **k: opened.append(url))
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
        console.backend.switch_chat.send(peer, me.user_id, "Le plan : https://tws.fr/plan, merci")
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(peer)
        await settle(pilot)
        await pilot.press("alt+up")  # a link and no number: F3 has nothing to call
        await settle(pilot)
        assert chat.selected_target() is None
        await pilot.press("o")
        await until(pilot, lambda: opened == ["https://tws.fr/plan"], "the link opened")
        assert console.app.clipboard == "https://tws.fr/plan"
        await pilot.press("up", "f3")
        await until(
            pilot,
            lambda: any(
                c.remote.number == "+33612345678" for c in console.app.state.calls.values()
            ),
            "the call to the number in the message",
        )
        await pilot.press("o")  # no link in this one: said
        await settle(pilot)
        assert "No link in this message." in [n.message for n in console.app._notifications]
