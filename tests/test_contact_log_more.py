"""A contact's event log (issue 15, TWP-4.1.2) reached and used in more ways: from a name
searched in the dial field during a call (TWP-2.2.9.2-2, the search result's log rather than the
caller's), and a comment added to a call entry from the log (TWP-4.1.2-3); and in a
conversation filtered by type (TWS-4.3.8) the selection keys act on the messages shown only;
an SMS conversation's log lists its SMS (TWS-3.14.1-2).
On the console (sim, 80×24)."""

from __future__ import annotations

from helpers import build_console, settle, until
from test_chat_window import thread_text
from textual.widgets import OptionList

from tws_tui.console.api import DialContext
from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_select import SELECTED_MARK
from tws_tui.console.screens.contact_log import ContactLogScreen
from tws_tui.console.screens.history.detail import HistoryDetail
from tws_tui.console.screens.modals.choice import TickScreen
from tws_tui.console.screens.modals.comment import CommentScreen
from tws_tui.core.model import Party

SIZE = (80, 24)


def entries_shown(log: ContactLogScreen) -> list[str]:
    listing = log.query_one("#log-entries", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_the_log_of_a_name_searched_during_a_call_and_a_comment_on_a_call() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        caller, searched = [
            d
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        ][:2]
        assert caller.extension is not None
        console.ring(Party(caller.extension, caller.name))
        await settle(pilot)
        await pilot.press("enter", "alt+2")  # talking with the caller, on the Calls screen
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, DialContext)

        async def log_of(*typed: str) -> ContactLogScreen:
            await pilot.press(*typed)
            if typed:
                await until(pilot, lambda: screen.dial.chosen_contact() is not None, "matches")
            await pilot.press("alt+shift+e")
            await until(pilot, lambda: isinstance(console.app.screen, ContactLogScreen), "log")
            log = console.app.screen
            assert isinstance(log, ContactLogScreen)
            return log

        log = await log_of("f2", *searched.name)  # the search result's log, not the caller's
        assert log.contact_log.subject.name == searched.name
        await pilot.press("escape")
        screen.dial.clear()  # nothing searched: the log of the person on the call again
        await settle(pilot)
        assert (await log_of()).contact_log.subject.name == caller.name
        await pilot.press("escape", "f8")  # hung up: the call journaled
        await settle(pilot)
        log = await log_of("f2", *caller.name)
        await until(
            pilot, lambda: any("Call received" in s for s in entries_shown(log)), "the call"
        )
        listing = log.query_one("#log-entries", OptionList)
        await pilot.press("ctrl+k")  # the field has the focus, nothing selected: said
        await settle(pilot)
        assert not isinstance(console.app.screen, HistoryDetail)
        listing.focus()
        listing.highlighted = next(
            i for i, s in enumerate(entries_shown(log)) if "Call received" in s
        )
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "the detail")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(console.app.screen, CommentScreen), "the field")
        await pilot.press(*"Wants the Lyon quote", "enter")
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "saved")
        await pilot.press("escape")
        await until(pilot, lambda: console.app.screen is log, "back in the log")
        await until(
            pilot,
            lambda: any("Wants the Lyon quote" in s for s in entries_shown(log)),
            "the comment under the call in the log",
        )
        await pilot.press("enter")  # Enter on the call: its detail too
        await until(pilot, lambda: isinstance(console.app.screen, HistoryDetail), "detail")


async def test_a_filtered_thread_selects_what_it_shows_and_an_sms_conversations_log() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None
        colleague = next(
            d
            for d in sorted(console.app.state.devices.values(), key=lambda d: d.extension or "")
            if d.user_id is not None and d.user_id != me.user_id
        )
        assert colleague.extension is not None and colleague.user_id is not None
        console.ring(Party(colleague.extension, colleague.name))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        console.backend.switch_chat.send(colleague.user_id, me.user_id, "Rappelle-moi")
        await pilot.press("alt+4")
        await settle(pilot)
        chat = console.app.screen
        assert isinstance(chat, ChatScreen)
        chat.open_conversation(colleague.user_id)
        await pilot.press(*"On my way", "enter")
        await until(pilot, lambda: "On my way" in thread_text(chat), "sent")

        async def tick(*rows: int) -> None:  # mine, theirs, file, taken, calls, written, voice
            await pilot.press("ctrl+l")
            await until(pilot, lambda: isinstance(console.app.screen, TickScreen), "filters")
            for row in rows:
                await pilot.press("home", *["down"] * row, "space")
            await pilot.press("enter")
            await settle(pilot)

        await tick(4)  # calls only: no message shown, none to select
        await until(pilot, lambda: "Call received" in thread_text(chat), "the call shown")
        await pilot.press("alt+up")
        await settle(pilot)
        assert "No message shown to select" in [n.message for n in console.app._notifications][-1]
        assert SELECTED_MARK not in thread_text(chat)
        await tick(5)  # calls and written messages: the messages selected in the timeline
        await until(pilot, lambda: "On my way" in thread_text(chat), "the messages shown")
        await pilot.press("alt+up")
        await settle(pilot)
        marked = [line for line in thread_text(chat).splitlines() if SELECTED_MARK in line]
        assert len(marked) == 1 and "On my way" in marked[0]
        await pilot.press("up")
        await settle(pilot)
        marked = [line for line in thread_text(chat).splitlines() if SELECTED_MARK in line]
        assert len(marked) == 1 and "Rappelle-moi" in marked[0]
        await pilot.press("r")  # the reply quotes the message selected
        await settle(pilot)
        assert chat._replying is not None and chat._replying.text == "Rappelle-moi"
        await tick(0)  # calls and my messages only: theirs is never selected
        await pilot.press("alt+up", "up", "up")
        await settle(pilot)
        marked = [line for line in thread_text(chat).splitlines() if SELECTED_MARK in line]
        assert len(marked) == 1 and "On my way" in marked[0]

        # An SMS conversation's log (TWS-3.14.1-2): its number's, the SMS sent listed, kept.
        await pilot.press("escape")
        await pilot.press("f2", *"06 12 34 56 78", "alt+y")
        await until(pilot, lambda: isinstance(console.app.screen, ChatScreen), "the SMS thread")
        await settle(pilot)
        await pilot.press(*"Votre colis est arrivé", "enter")
        await until(pilot, lambda: "Votre colis" in thread_text(chat), "the SMS sent")
        await pilot.press("alt+shift+e")
        await until(pilot, lambda: isinstance(console.app.screen, ContactLogScreen), "the log")
        log = console.app.screen
        assert isinstance(log, ContactLogScreen)
        assert log.contact_log.subject.name == "06 12 34 56 78"
        await until(
            pilot,
            lambda: any("SMS from me: Votre colis est arrivé" in s for s in entries_shown(log)),
            "the SMS in the log",
        )
        listing = log.query_one("#log-entries", OptionList)
        listing.focus()
        listing.highlighted = next(
            i for i, s in enumerate(entries_shown(log)) if "Votre colis" in s
        )
        await pilot.press("delete")
        await settle(pilot)
        assert "An SMS cannot be taken back: it stays in its SMS conversation." in [
            n.message for n in console.app._notifications
        ]
