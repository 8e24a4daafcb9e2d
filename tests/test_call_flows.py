"""Every call-handling flow of the Call remote issue, driven by keys on the simulator."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from helpers import (
    ACME,
    DUPONT,
    add_colleague_to_list,
    answer_at,
    build_console,
    idle_colleagues,
    line_of,
)
from textual import events

from tws_tui.console.screens.modals.alerter import AlerterScreen
from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.console.widgets.call_card import CallCard
from tws_tui.console.widgets.ringing_banner import RingingBanner
from tws_tui.core.model import EXTRA_PICKUP_FALLBACK, Capability, ConnectionState
from tws_tui.settings.schema import AlertSettings
from tws_tui.simulator.company import VOICEMAIL

SIZE = (110, 32)


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


def my_calls(console: Any) -> list[Any]:
    return sorted(console.app.state.calls.values(), key=lambda c: c.created_at)


def notes(console: Any) -> list[str]:
    return [n.message for n in console.app._notifications]


async def talking_with(console: Any, pilot: Any, caller: Any = ACME) -> Any:
    """A caller rings and I answer with Enter: the call I am talking on."""
    console.ring(caller)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    [call] = my_calls(console)
    assert call.state is ConnectionState.CONNECTED
    return call


async def dial(pilot: Any, text: str) -> None:
    await pilot.press("f2", *text)
    await settle(pilot)


async def consulting(console: Any, pilot: Any, *, answered: bool = True) -> Any:
    """I talk with ACME, then consult an idle colleague (F2, extension, F5); who it is."""
    await talking_with(console, pilot)
    colleague = idle_colleagues(console)[0]
    await dial(pilot, colleague.extension)
    await pilot.press("f5")
    await settle(pilot)
    if answered:
        answer_at(console, colleague.extension)
        await settle(pilot)
    return colleague


async def test_refuse_a_ringing_call() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("alt+r")
        await settle(pilot)
        assert my_calls(console) == []


async def test_deflect_while_ringing_to_a_typed_colleague() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        console.ring(ACME)
        await settle(pilot)
        await dial(pilot, colleague.extension)
        await pilot.press("alt+d")
        await settle(pilot)
        assert my_calls(console) == []
        assert line_of(console, colleague.extension) == "ringing"


async def test_alerter_pop_up_refuse_deflect_and_ignore() -> None:
    console = build_console(alerts=AlertSettings(popup=True))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        console.app.prefs.change("alerts", deflect_to=colleague.extension)
        call_id = console.ring(ACME)
        await settle(pilot)
        assert isinstance(console.app.screen, AlerterScreen)
        text = str(console.app.screen.query_one("#alerter-body").render())
        assert "ACME Industries" in text and "+33123456789" in text
        await pilot.press("escape")  # ignore: the pop-up goes, the call keeps ringing
        await settle(pilot)
        assert not isinstance(console.app.screen, AlerterScreen)
        assert my_calls(console)[0].state is ConnectionState.ALERTING
        assert console.app.screen.query_one(RingingBanner).display
        console.backend.switch.caller_hangs_up(call_id)
        await settle(pilot)
        console.ring(DUPONT)
        await settle(pilot)
        await pilot.press("alt+d")  # deflect to the default target
        await settle(pilot)
        assert my_calls(console) == []
        assert line_of(console, colleague.extension) == "ringing"
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("alt+r")  # refuse
        await settle(pilot)
        assert my_calls(console) == []


async def test_hold_and_retrieve_with_f7() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert my_calls(console)[0].state is ConnectionState.HOLD
        await pilot.press("f7")
        await settle(pilot)
        assert my_calls(console)[0].state is ConnectionState.CONNECTED


async def test_consult_then_f5_again_completes_the_attended_transfer() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        colleague = idle_colleagues(console)[0]
        await dial(pilot, colleague.extension)
        await pilot.press("f5")
        await settle(pilot)
        caller_leg, consult = my_calls(console)
        assert caller_leg.state is ConnectionState.HOLD
        assert consult.consult_of == caller_leg.call_id
        answer_at(console, colleague.extension)
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert my_calls(console) == []
        assert line_of(console, colleague.extension) == "talking"


async def test_transfer_while_the_consulted_colleague_still_rings() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        colleague = idle_colleagues(console)[0]
        await dial(pilot, colleague.extension)
        await pilot.press("f5")
        await settle(pilot)
        assert line_of(console, colleague.extension) == "ringing"
        await pilot.press("f5")
        await settle(pilot)
        assert my_calls(console) == []
        assert line_of(console, colleague.extension) == "ringing"  # now ringing for the caller


async def test_consult_then_cancel_brings_the_caller_back() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await consulting(console, pilot)
        await pilot.press("f8")  # cancel the consultation
        await settle(pilot)
        [call] = my_calls(console)
        assert call.state is ConnectionState.CONNECTED and call.remote.name == ACME.name
        assert console.app.state.transfers == {}


async def test_alternate_between_caller_and_consulted_colleague() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = await consulting(console, pilot)
        await pilot.press("f10")
        await settle(pilot)
        states = {c.remote.name: c.state for c in my_calls(console)}
        assert states[ACME.name] is ConnectionState.CONNECTED
        assert states[colleague.name] is ConnectionState.HOLD


async def test_three_way_conference_then_leave_keeps_the_others_talking() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = await consulting(console, pilot)
        await pilot.press("f6")
        await settle(pilot)
        [conference] = my_calls(console)
        assert {p.name for p in conference.conference} >= {ACME.name}
        await pilot.press("f8")  # I leave; the caller and my colleague keep talking
        await settle(pilot)
        assert my_calls(console) == []
        assert line_of(console, colleague.extension) == "talking"


async def test_blind_transfer_to_a_colleague_found_by_name_in_three_keys() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        colleague = idle_colleagues(console)[0]
        part = colleague.name.split()[-1][:5]  # part of the surname
        keys = ["f2", *part, "f4"]
        await pilot.press(*keys)
        await settle(pilot, 6)
        typed = len(part)
        assert len(keys) - typed <= 3
        assert my_calls(console) == []
        devices = console.app.state.devices.values()  # the colleague now rings for the caller
        ringing = [d.name for d in devices if d.line_state.value == "ringing"]
        assert ringing, "the transferred call rings nowhere"


async def test_blind_transfer_to_a_busy_colleague_brings_the_caller_back() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        busy, other = idle_colleagues(console)[:2]
        console.backend.switch.make_call(busy.extension, other.extension)
        answer_at(console, other.extension)
        await settle(pilot)
        await talking_with(console, pilot)
        await dial(pilot, busy.extension)
        await pilot.press("f4")  # SLF-2.4-3: the colleague is not free, said first
        await settle(pilot)
        [kept] = my_calls(console)
        assert kept.state is ConnectionState.CONNECTED
        warning = console.app._notifications
        said = f"{busy.name} is not free (On a call): F4 again transfers anyway."
        assert [str(n.message) for n in warning] == [said]
        await pilot.press("f4")  # again: transferred anyway
        await settle(pilot, 6)
        [back] = my_calls(console)
        assert back.state is ConnectionState.ALERTING and back.remote.name == ACME.name
        banner = console.app.screen.query_one(RingingBanner).render().plain
        assert "back from" in banner and "busy" in banner


async def test_park_then_retrieve_from_the_parked_list() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert my_calls(console) == []
        [lot] = [lot for lot in console.app.state.parking.values() if lot.calls]
        assert lot.calls[0].caller.name == ACME.name
        await pilot.press("alt+2")
        await settle(pilot)
        table = console.app.screen.query_one("#parked")
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.state is ConnectionState.CONNECTED and call.remote.name == ACME.name


async def test_keypad_sends_dtmf_on_the_selected_call() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+2")
        await settle(pilot)
        await pilot.press("1", "2", "asterisk", "number_sign")
        await settle(pilot)
        assert my_calls(console)[0].extra.get("dtmf") == "12*#"
        assert "sent: 12*#" in str(console.app.screen.query_one("#keypad").render())


async def test_mute_and_recording_toggle() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+m", "alt+e")
        await settle(pilot)
        call = my_calls(console)[0]
        assert call.muted and call.recording
        await pilot.press("alt+m", "alt+e")
        await settle(pilot)
        call = my_calls(console)[0]
        assert not call.muted and not call.recording


async def test_caller_hangs_up_while_on_hold() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        call = await talking_with(console, pilot)
        await pilot.press("f7")
        await settle(pilot)
        console.backend.switch.caller_hangs_up(call.conversation_id or call.call_id)
        await settle(pilot)
        assert my_calls(console) == []
        assert not any("error" in n.lower() for n in notes(console))


async def test_caller_hangs_up_while_being_consulted() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        call = await talking_with(console, pilot)
        colleague = idle_colleagues(console)[0]
        await dial(pilot, colleague.extension)
        await pilot.press("f5")
        await settle(pilot)
        console.backend.switch.caller_hangs_up(call.conversation_id or call.call_id)
        await settle(pilot)
        [left] = my_calls(console)
        assert left.remote.name == colleague.name  # only the consultation is left
        await pilot.press("f8")
        await settle(pilot)
        assert my_calls(console) == []


async def test_outgoing_call_from_the_dial_bar_and_a_number_with_letters() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await dial(pilot, "01 23 ab")
        await pilot.press("f3")
        await settle(pilot)
        assert my_calls(console) == []
        assert any("contains letters" in n for n in notes(console))
        await pilot.press("escape")
        colleague = idle_colleagues(console)[0]
        await dial(pilot, colleague.extension)
        await pilot.press("f3")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.remote_state is ConnectionState.ALERTING  # ringback
        assert line_of(console, colleague.extension) == "ringing"


async def test_keys_without_a_call_say_why() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for key in ("f4", "f7", "f8", "f9", "f6"):  # only the 3 newest notices stay up
            before = {n.identity for n in console.app._notifications}
            await pilot.press(key)
            await settle(pilot)
            new = [n for n in console.app._notifications if n.identity not in before]
            assert len(new) == 1 and new[0].message, key
        assert console.app.is_running


async def test_an_unsupported_feature_key_gives_a_clear_message() -> None:
    without_park = [c for c in Capability if c is not Capability.PARK]
    console = build_console(capabilities=without_park)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert any("park" in n.lower() for n in notes(console))
        assert my_calls(console)[0].state is ConnectionState.CONNECTED


#: The sim without shared comments: a comment typed during a call goes to the local journal.
UNSHARED = [c for c in Capability if c is not Capability.SHARED_COMMENTS]


async def test_every_call_is_journaled_with_the_comment_typed_during_it() -> None:
    console = build_console(capabilities=UNSHARED)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+c")
        await settle(pilot)
        await pilot.press(*"wants a quote", "enter")
        await settle(pilot)
        assert "Comment saved." in notes(console)
        console.clock.advance(42)
        await pilot.press("f8")
        await settle(pilot)
        journal = console.app.local_journal.journal
        assert journal is not None
        [entry] = await journal.recent()
        assert entry.outcome.value == "answered" and entry.duration_s == 42
        assert entry.remote.name == ACME.name
        assert entry.comment == "wants a quote"


async def test_the_journal_writes_off_the_console_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """ARCHITECTURE §3: the call journal's SQLite writes (the call, its comment) never run on
    the thread of the console's event loop."""
    import threading

    from tws_tui.journal.store import CallJournal

    writers: list[tuple[str, int]] = []
    for name in ("record", "add_comment"):
        original = getattr(CallJournal, name)

        def spy(self: CallJournal, *args: object, _name: str = name, _f: Any = original) -> object:
            writers.append((_name, threading.get_ident()))
            return _f(self, *args)

        monkeypatch.setattr(CallJournal, name, spy)
    console = build_console(capabilities=UNSHARED)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        loop_thread = threading.get_ident()
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+c")
        await settle(pilot)
        await pilot.press(*"call back", "enter")
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert "Comment saved." in notes(console)
    assert {name for name, _thread in writers} == {"record", "add_comment"}
    assert all(thread != loop_thread for _name, thread in writers), writers


async def test_callback_is_offered_after_a_failed_outgoing_call() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        busy, other = idle_colleagues(console)[:2]
        console.backend.switch.make_call(busy.extension, other.extension)
        answer_at(console, other.extension)
        await settle(pilot)
        await dial(pilot, busy.extension)
        await pilot.press("f3")
        await settle(pilot)
        [failed] = my_calls(console)
        assert failed.state is ConnectionState.FAIL
        await pilot.press("f8")  # hang up the failed attempt: now I am free, the offer comes
        await settle(pilot)
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        assert isinstance(console.app.screen, ConfirmScreen)
        assert busy.extension in console.app.screen.question
        console.backend.switch.party_hangs_up(busy.extension)  # the colleague is free again
        await pilot.press("y")
        await settle(pilot)
        [again] = my_calls(console)
        assert again.remote_state is ConnectionState.ALERTING
        assert line_of(console, busy.extension) == "ringing"


async def test_an_unusable_journal_file_is_reported_and_the_console_carries_on(
    tmp_path: Any,
) -> None:
    from tws_tui.journal import CallJournal

    blocker = tmp_path / "journal.sqlite3"
    blocker.write_text("not a database")
    console = build_console(journal=CallJournal(blocker))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert any("journal" in n.lower() for n in notes(console))
        assert console.app.local_journal.journal is None
        assert blocker.read_text() == "not a database"  # the user's file is left alone
        await talking_with(console, pilot, DUPONT)  # and calls go on


async def test_three_way_conference_ended_for_everyone() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = await consulting(console, pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("shift+f8")  # the organiser ends it: nobody stays on the line
        await settle(pilot)
        assert my_calls(console) == []
        assert line_of(console, colleague.extension) == "idle"
        assert console.backend.switch.calls_at(colleague.extension) == []


async def test_the_organiser_drops_one_participant_and_talks_on_with_the_other() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+x")  # no call at all
        await settle(pilot)
        assert any("No 3-way conference" in n for n in notes(console))
        colleague = await consulting(console, pilot)
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("alt+2")
        await settle(pilot)
        card = str(console.app.screen.query_one(CallCard).render())
        assert "Alt+X Drop one" in card and "Shift+F8 End for everyone" in card
        await pilot.press("alt+x")
        await settle(pilot)
        assert isinstance(console.app.screen, ChoiceScreen)
        await pilot.press("enter")  # the first participant listed: the caller
        await settle(pilot)
        [call] = my_calls(console)
        assert call.conference == () and call.remote.name == colleague.name
        assert line_of(console, colleague.extension) == "talking"


async def test_hands_free_toggles_where_the_backend_has_local_audio_only() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+2", "alt+s")
        await settle(pilot)
        assert console.app.state.me is not None and console.app.state.me.hands_free
        assert "hands-free (Alt+S)" in str(console.app.screen.query_one("#keypad").render())
        await pilot.press("alt+s")
        await settle(pilot)
        assert "headset (Alt+S)" in str(console.app.screen.query_one("#keypad").render())
    without = [c for c in Capability if c is not Capability.HANDS_FREE]
    console = build_console(capabilities=without)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+2", "alt+s")
        await settle(pilot)
        assert any("local audio" in n for n in notes(console))
        assert "Alt+S" not in str(console.app.screen.query_one("#keypad").render())


async def test_park_says_when_the_connection_has_no_parking() -> None:
    """F9 without the PARK capability (a SIP phone without park_slots) says why, rather than
    "cannot park this call now"."""
    without = [c for c in Capability if c is not Capability.PARK]
    console = build_console(capabilities=without)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await talking_with(console, pilot)
        await pilot.press("alt+2", "f9")
        await settle(pilot)
        assert any("no parking" in n and "park_slots" in n for n in notes(console))
        assert not console.app.state.parking or all(
            not lot.calls for lot in console.app.state.parking.values()
        )


async def test_caller_identity_from_the_directory_unknown_and_withheld() -> None:
    from tws_tui.core.model import Party

    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        known = console.backend.switch.company.externals[0]
        national = "0" + known.number.removeprefix("+33")  # the same number, dialled nationally
        console.ring(Party(national, None))
        await settle(pilot)
        banner = console.app.screen.query_one(RingingBanner)
        assert f"{known.name} ({national})" in banner.render().plain
        await pilot.press("alt+r")
        await settle(pilot)
        console.ring(Party("+33999999999", None))
        await settle(pilot)
        assert "Unknown (+33999999999)" in banner.render().plain
        await pilot.press("alt+r")
        await settle(pilot)
        console.ring(Party(None, None))
        await settle(pilot)
        assert "Unknown (Withheld number)" in banner.render().plain


async def test_alert_preferences_apply_at_once_and_are_saved() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=lambda changes: saved.append(dict(changes)))
    async with console.app.run_test(size=(110, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        await pilot.click("#alert-popup")
        await settle(pilot)
        assert console.app.prefs.alerts.popup
        assert {"alerts": {"popup": True}} in saved
        deflect = console.app.screen.query_one("#pref-deflect")
        deflect.focus()
        await pilot.press(*"02 ab", "enter")
        await settle(pilot)
        assert console.app.prefs.alerts.deflect_to == ""  # refused, not kept:
        assert console.app.calls.deflect_target == VOICEMAIL  # the switch's voicemail still
        assert any("contains letters" in n for n in notes(console))
        deflect.value = ""
        await pilot.press(*"01 23 45 67 89", "enter")
        await settle(pilot)
        assert console.app.calls.deflect_target == "0123456789"
        assert {"alerts": {"deflect_to": "0123456789"}} in saved
        console.ring(DUPONT)
        await settle(pilot)
        assert isinstance(console.app.screen, AlerterScreen)


async def test_deflect_goes_to_voicemail_when_no_target_is_set() -> None:
    console = build_console(voicemail_number="+33100000000")
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("alt+d")
        await settle(pilot)
        assert my_calls(console) == []
        legs = [conn for call in console.backend.switch.calls.values() for conn in call.conns]
        assert [leg.endpoint.number for leg in legs if leg.endpoint.number != ACME.number] == [
            "+33100000000"
        ]


async def test_a_pasted_number_fills_the_dial_bar_and_f3_calls_it() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.app.post_message(events.Paste("  01 23 45\n67 89 \n"))  # as a terminal paste
        await settle(pilot)
        assert console.app.screen.dial.text == "01 23 45 67 89"
        await pilot.press("f3")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.remote.number == "+33123456789"  # the switch writes it in E.164


async def test_a_5_kb_paste_into_the_dial_field_keeps_a_short_line() -> None:
    """A page pasted by mistake into the dial field leaves its first characters (a number or a
    name fits), not 5 KB: the field, and any notice quoting it, stay one short line."""
    from tws_tui.console.widgets.lazy_field import FIELD_MAX_CHARS

    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        page = "0123456789 Dupont " + "lorem ipsum " * 420  # about 5 KB
        console.app.post_message(events.Paste(page))
        await settle(pilot)
        dial = console.app.screen.dial
        assert dial.text == page[:FIELD_MAX_CHARS]
        await pilot.press(*"more")
        await settle(pilot)
        assert dial.text == page[:FIELD_MAX_CHARS]
        await pilot.press("f3")
        await settle(pilot)
        assert my_calls(console) == []
        assert notes(console) and all(len(note) < 200 for note in notes(console))


async def test_voicemail_key_dials_it_and_the_keypad_shows_its_menu() -> None:
    """A number set in general.voicemail_number wins over the one the phone system gives."""
    console = build_console(voicemail_number="+33100000000")
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert console.app.state.voicemail_number == VOICEMAIL
        await pilot.press("alt+v")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.remote.number == "+33100000000"
        await pilot.press("alt+2")
        await settle(pilot)
        keypad = str(console.app.screen.query_one("#keypad").render())
        assert "4 archive" in keypad and "5 delete" in keypad


async def test_voicemail_key_dials_the_simulators_voicemail_when_none_is_set() -> None:
    """The demo: no general.voicemail_number, the simulator gives 3990 in its snapshot; Alt+V,
    the voicemail menu on the keypad line and Deflect's default all use it."""
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+v")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.remote.number == VOICEMAIL == "3990"
        assert notes(console) == []
        await pilot.press("alt+2")
        await settle(pilot)
        keypad = str(console.app.screen.query_one("#keypad").render())
        assert "4 archive" in keypad
        assert console.app.calls.deflect_target == VOICEMAIL


async def test_voicemail_key_without_a_number_says_where_to_set_it() -> None:
    """Neither the settings nor the phone system give one."""
    console = build_console()
    switch = console.backend.switch
    switch.company = replace(switch.company, voicemail=None)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+v")
        await settle(pilot)
        assert my_calls(console) == []
        assert any("voicemail_number" in n for n in notes(console))


async def test_pick_up_a_colleagues_ringing_call_from_the_contacts_list() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        console.ring(ACME, to=colleague.extension)
        await settle(pilot)
        colleagues = console.app.screen.query_one("#contact-list")
        while colleagues.selected_key != "dev:" + colleague.device_id:
            await pilot.press("down")
        await pilot.press("alt+i")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.state is ConnectionState.CONNECTED and call.remote.name == ACME.name
        assert line_of(console, colleague.extension) == "idle"


async def test_a_pick_up_done_by_code_after_a_refusal_says_so() -> None:
    """A backend that picked up by the phone system's code because the caller's phone refused
    the direct pick-up (the sip backend on 420/481 to Replaces) marks the call it returns; the
    console says so."""
    console = build_console()
    backend = console.backend
    real_pickup = backend.pickup

    async def pickup(target: Any, **kwargs: Any) -> Any:
        call = await real_pickup(target, **kwargs)
        return replace(call, extra={EXTRA_PICKUP_FALLBACK: "420 Bad Extension"})

    backend.pickup = pickup
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = idle_colleagues(console)[0]
        console.ring(ACME, to=colleague.extension)
        await settle(pilot)
        colleagues = console.app.screen.query_one("#contact-list")
        while colleagues.selected_key != "dev:" + colleague.device_id:
            await pilot.press("down")
        await pilot.press("alt+i")
        await settle(pilot)
        assert any(
            "refused a direct pick-up (420 Bad Extension)" in n and "pickup code" in n
            for n in notes(console)
        )


async def test_pick_up_says_so_when_nothing_rings_there() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+i")  # the first colleague of the list, whose phone is quiet
        await settle(pilot)
        assert my_calls(console) == []
        assert any("Nothing rings" in n for n in notes(console))


async def test_a_supervised_list_announces_a_colleagues_call_and_alt_i_intercepts_it() -> None:
    """TWS-2.4.2-5: a notice when a colleague of a supervised list rings (once per ringing),
    shown for [alerts] interception_notice_s; Alt+I picks up that call even though the
    colleague selected in the list is another one. A list not supervised says nothing."""

    console = build_console(alerts=AlertSettings(popup=False, interception_notice_s=7.0))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        watched, quiet, other = idle_colleagues(console)[:3]
        store = console.app.directories().store
        team = store.create_list("Équipe", supervised=True)
        plain = store.create_list("Pas supervisée")
        for target, person in ((team, watched), (plain, other)):
            add_colleague_to_list(store, target.id, person)
        console.app.lists.refresh()
        for _ in range(100):
            await pilot.pause(0.02)
            if console.app.lists.supervised:
                break
        console.ring(DUPONT, to=other.extension)  # on a list that is not supervised
        console.ring(ACME, to=watched.extension)
        await settle(pilot)
        notices = [n for n in console.app._notifications if "Incoming call for" in n.message]
        assert [n.message for n in notices] == [
            f"Incoming call for {watched.name} — Alt+I intercepts it."
        ]
        assert notices[0].timeout == 7.0
        console.app.lists.refresh()  # a redraw: not announced twice
        await settle(pilot)
        assert sum("Incoming call for" in n for n in notes(console)) == 1
        colleagues = console.app.screen.query_one("#contact-list")
        colleagues.focus()
        assert colleagues.select_key("dev:" + quiet.device_id)  # not the one ringing
        await pilot.press("alt+i")
        await settle(pilot)
        [call] = my_calls(console)
        assert call.state is ConnectionState.CONNECTED and call.remote.name == ACME.name
        assert line_of(console, watched.extension) == "idle"
