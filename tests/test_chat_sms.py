"""SMS (issue 15, TWS §3.14, TWP §2.7) on the simulator: the segment counter's arithmetic
(GSM-7 160 / 153, UCS-2 70 / 67, the extension characters counting double), mobile numbers
only, and the Chat screen's flow: Alt+Y asks the number (a landline or garbage refused in
words, the dialog staying), the counter while typing, Enter sends, the delivery report
(delivered, or failed for a number the gateway cannot reach), a reply under the seed, and the
key saying so where the chat has no SMS."""

from __future__ import annotations

import pytest
from helpers import build_console, screen_text, settle
from textual.widgets import Input, Static

from tws_tui.console.api import ContactContext
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.sms_number import SmsNumberScreen
from tws_tui.core.errors import InvalidDestination
from tws_tui.core.model import ChatFeature, Contact, SmsDelivery
from tws_tui.domain.sms import check_sms_text, mobile_number, segments
from tws_tui.simulator.sms import REPLY_DELAY_S, REPORT_DELAY_S

SIZE = (100, 30)


@pytest.mark.parametrize(
    ("text", "gsm7", "units", "parts"),
    [
        ("", True, 0, 0),
        ("a" * 160, True, 160, 1),
        ("a" * 161, True, 161, 2),
        ("a" * 306, True, 306, 2),
        ("a" * 307, True, 307, 3),
        ("é" * 160, True, 160, 1),  # é, à, É are in the default alphabet
        ("€" * 80, True, 160, 1),
        ("€" * 81, True, 162, 2),
        ("a" * 159 + "€", True, 161, 2),
        ("ç" * 70, False, 70, 1),  # ç (small) is not: UCS-2
        ("ç" * 71, False, 71, 2),
        ("a" * 134 + "ê", False, 135, 3),
        ("😀" * 35, False, 70, 1),  # two UTF-16 units each
    ],
)
def test_segments(text: str, gsm7: bool, units: int, parts: int) -> None:
    cost = segments(text)
    assert (cost.gsm7, cost.units, cost.parts) == (gsm7, units, parts)


@pytest.mark.parametrize("char", list("€[]{}^~\\|"))
def test_the_extension_characters_count_double(char: str) -> None:
    assert segments(char).units == 2
    assert segments("a" * 158 + char).parts == 1
    assert segments("a" * 159 + char).parts == 2


def test_mobile_numbers_only() -> None:
    assert mobile_number("06 12 34 56 78") == "+33612345678"
    assert mobile_number("+44 7400 123456") == "+447400123456"
    with pytest.raises(InvalidDestination, match="mobile number only"):
        mobile_number("01 23 45 67 89")
    for bad in ("abc", "06 12", "", "+33 6 12 34 56 78 90 12"):
        with pytest.raises(InvalidDestination, match="Not a phone number"):
            mobile_number(bad)
    with pytest.raises(InvalidDestination, match="1 to"):
        check_sms_text("x" * 1531)


def counter(app: object) -> Static:
    return app.screen.query_one("#chat-sms-counter", Static)  # type: ignore[attr-defined]


async def test_sms_from_chat_counter_sent_delivered_and_answered() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        await pilot.press("alt+y")
        await settle(pilot)
        assert isinstance(console.app.screen, SmsNumberScreen)
        await pilot.press(*"01 23 45 67 89", "enter")
        await settle(pilot)
        problem = console.app.screen.query_one("#sms-number-problem", Static)
        assert "mobile number only" in str(problem.render())
        field = console.app.screen.query_one(Input)
        field.value = "06 12 34 56 78"
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is chat
        assert chat.peer == "sms:+33612345678"
        assert counter(console.app).display
        await pilot.press(*"Votre colis {12}")
        chat.query_one("#chat-input", Input).insert_text_at_cursor(" reçu")
        await settle(pilot)
        shown = str(counter(console.app).render())
        assert "GSM-7" not in shown  # "ç" is not in the GSM alphabet: UCS-2
        assert "UCS-2" in shown and "49" in shown, shown  # 70 - 21
        chat.query_one("#chat-input", Input).value = "Votre colis {12}"
        await settle(pilot)
        assert "GSM-7" in str(counter(console.app).render())
        assert "142" in str(counter(console.app).render())  # 160 - 14 - 2 (braces)
        await pilot.press("enter")
        await settle(pilot)
        sent = [m for m in console.app.state.chat if m.peer == "sms:+33612345678"]
        assert [(m.text, m.delivery) for m in sent] == [("Votre colis {12}", SmsDelivery.SENT)]
        assert "SMS 06 12 34 56 78" in screen_text(console.app)
        assert "✓ sent" in screen_text(console.app)
        console.clock.advance(REPORT_DELAY_S + 0.5)
        await settle(pilot)
        assert "✓✓ delivered" in screen_text(console.app)
        console.clock.advance(REPLY_DELAY_S + 1)
        await settle(pilot)
        texts = [m.text for m in console.app.state.chat if m.peer == "sms:+33612345678"]
        assert len(texts) == 2, "seed 0: the person answers"
        assert texts[1] in screen_text(console.app)


async def test_an_unreachable_number_shows_not_delivered() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_sms("+33612345699")
        await pilot.press(*"Rappel", "enter")
        await settle(pilot)
        console.clock.advance(REPORT_DELAY_S + 0.5)
        await settle(pilot)
        (sent,) = [m for m in console.app.state.chat if m.peer == "sms:+33612345699"]
        assert sent.delivery is SmsDelivery.FAILED
        assert "✗ not delivered" in screen_text(console.app)


async def test_without_sms_the_key_says_so() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        features = console.backend.chat.features - {ChatFeature.SMS}
        console.backend.chat.features = features  # type: ignore[misc]  # as on sip
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("alt+y")
        await settle(pilot)
        assert isinstance(console.app.screen, ChatScreen)
        notes = [n.message for n in console.app._notifications]
        assert "SMS is not available with this connection." in notes


async def test_sms_from_the_dial_bar_and_from_a_contact() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2", *"0123456789")
        await pilot.press("alt+y")
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert any("mobile number only" in n for n in notes), notes
        assert not isinstance(console.app.screen, ChatScreen)
        dial = console.app.screen.query_one("#dial-bar Input", Input)
        dial.value = "06 12 34 56 78"
        await pilot.press("alt+y")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen) and chat.peer == "sms:+33612345678"
        assert chat.query_one("#chat-input", Input).has_focus
        await pilot.press("alt+1")
        await settle(pilot)
        contacts = console.app.screen
        assert isinstance(contacts, ContactContext)
        contacts.query_one("#contact-list").focus()
        await settle(pilot)
        contact = contacts.selected_contact()
        assert contact is not None  # a colleague: an extension, no mobile
        await pilot.press("alt+y")
        await settle(pilot)
        notes = [n.message for n in console.app._notifications]
        assert f"{contact.name} has no mobile number to send an SMS to." in notes
        numbers = (("office", "01 23 45 67 89"), ("mobile", "07 81 22 33 44"))
        card = Contact("c1", "local", "Claire Petit", numbers)
        contacts.selected_contact = lambda: card  # type: ignore[method-assign]  # the selection
        await pilot.press("alt+y")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen) and chat.peer == "sms:+33781223344"


def test_sip_offers_no_sms() -> None:
    """SIP MESSAGE goes to SIP users, not to mobile numbers: the sip chat says no SMS (the
    Alt+Y key then says SMS is not available, as above)."""
    from tws_tui.backends.sip.backend import SipChat

    assert ChatFeature.SMS not in SipChat.features
    assert not hasattr(SipChat, "send_sms")
