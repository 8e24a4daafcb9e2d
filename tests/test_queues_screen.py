"""Queues screen: the waiting board, thresholds, pick-up, agent state, hidden and ordered queues."""

from __future__ import annotations

from typing import Any

from helpers import ACME, DUPONT, build_console
from textual.widgets import Input

from tws_tui.console.screens.modals.choice import ChoiceScreen
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.queues.queue_rules import QueueRuleForm, QueueRulesScreen
from tws_tui.console.screens.queues.queues import REDRAW_INTERVAL_S
from tws_tui.console.widgets.row_list import RowList
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.model import AgentState, FlowId, FlowMode, Queue, QueueId
from tws_tui.domain.queue_board import busy_gauge, ordered_queues, wait_tone
from tws_tui.settings.schema import QueueSettings

SIZE = (100, 30)
ACCUEIL, SUPPORT = QueueId("accueil"), QueueId("support")


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def board_settle(pilot: Any) -> None:
    """Past the board's redraw throttle, then settled."""
    await pilot.pause(REDRAW_INTERVAL_S + 0.05)
    await settle(pilot)


async def one_caller_waiting(console: Any, pilot: Any) -> None:
    """ACME calls the reception queue, and the Queues screen is open."""
    await settle(pilot)
    console.backend.switch.inject_incoming_call("3900", ACME)
    await pilot.press("alt+3")
    await settle(pilot)


def notes(console: Any) -> list[str]:
    return [n.message for n in console.app._notifications]


def waiting_rows(console: Any) -> list[tuple[str, ...]]:
    rows = console.app.screen.query_one("#waiting", RowList)
    return [rows.row(key) for key in rows.row_keys()]


def queue_names(console: Any) -> list[str]:
    table = console.app.screen.query_one("#queues", RowList)
    return [table.row(key)[0] for key in table.row_keys()]


def test_thresholds_and_gauge() -> None:
    assert [wait_tone(s, 15, 30) for s in (0, 14.9, 15, 29, 30, 90)] == [
        "",
        "",
        "warning",
        "warning",
        "error",
        "error",
    ]
    assert wait_tone(20, 15, 10) == "error"  # a red threshold below the orange one wins
    assert busy_gauge(1, 3) == "▰▰▱▱▱ 1/3" and busy_gauge(0, 0) == "–"


async def test_calls_age_through_both_thresholds_and_enter_picks_up_the_oldest() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        console.backend.switch.inject_incoming_call("3900", ACME)
        console.clock.advance(5)
        console.backend.switch.inject_incoming_call("3900", DUPONT)
        await pilot.press("alt+3")
        await settle(pilot)
        rows = waiting_rows(console)
        assert [row[1] for row in rows][:2] == [
            "ACME Industries (+33123456789)",
            "Jeanne Dupont (+33612345678)",
        ]
        assert rows[0][0] == "· 0:05" and rows[1][0] == "· 0:00"
        console.clock.advance(12)  # ACME 17 s: orange; Dupont 12 s
        await pilot.pause(1.1)
        await settle(pilot)
        rows = waiting_rows(console)
        assert rows[0][0] == "▲ 0:17" and rows[1][0] == "· 0:12"
        waiting = console.app.screen.query_one("#waiting", RowList)
        assert [waiting.tone(key) for key in waiting.row_keys()] == ["warning", ""]
        console.clock.advance(15)  # ACME 32 s: red
        await pilot.pause(1.1)
        await settle(pilot)
        assert waiting_rows(console)[0][0] == "■ 0:32"
        await pilot.press("enter")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.remote.name == "ACME Industries" and call.queue is not None
        assert [row[1] for row in waiting_rows(console)] == ["Jeanne Dupont (+33612345678)"]


async def test_a_call_another_operator_took_first_says_so() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await one_caller_waiting(console, pilot)
        [stale] = console.app.state.queues[ACCUEIL].waiting
        colleague = next(d for d in console.app.state.devices.values() if d.extension)
        console.backend.switch.answer_queued(colleague.device_id, ACCUEIL, stale.call_id)
        console.app.queue_actions.pick_up_queued(stale)  # my Enter arrives after theirs
        await board_settle(pilot)
        assert any("Another operator took this call first" in n for n in notes(console))
        assert console.app.state.calls == {}
        assert waiting_rows(console) == []


async def test_overflow_moves_the_call_to_the_overflow_queue() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await one_caller_waiting(console, pilot)
        console.clock.advance(61)
        await pilot.pause(1.1)
        await settle(pilot)
        assert [row[2] for row in waiting_rows(console)] == ["Débordement"]


async def test_agent_log_in_pause_with_reason_resume_and_log_out() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        app = console.app
        await pilot.press("a")  # out of all my queues
        await settle(pilot)
        assert app.state.me.agent is AgentState.LOGGED_OFF
        assert not any(q.member for q in app.state.queues.values())
        await pilot.press("p")
        await settle(pilot)
        assert any("Log in to a queue first" in n for n in notes(console))
        app.screen.query_one("#queues").focus()
        await pilot.press("l")  # into the selected (first) queue
        await settle(pilot)
        assert app.state.me.agent is AgentState.READY
        assert [q.id for q in app.state.queues.values() if q.member] == [ACCUEIL]
        await pilot.press("p")
        await settle(pilot)
        if app.state.pause_reasons:
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press("down", "enter")
            await settle(pilot)
            reason = app.state.pause_reasons[1]
        else:
            reason = None
        assert app.state.me.agent is AgentState.NOT_READY
        assert app.state.me.agent_reason == reason
        assert "Agent: ‖ paused" in str(app.screen.query_one(StatusBar).render())
        await pilot.press("p")  # resume
        await settle(pilot)
        assert app.state.me.agent is AgentState.READY
        await pilot.press("l")
        await settle(pilot)
        assert app.state.me.agent is AgentState.LOGGED_OFF


async def test_quitting_while_in_queues_asks_and_logs_out() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        assert "Accueil" in console.app.screen.question
        await pilot.press("y")
        await settle(pilot)
    assert console.backend.switch.endpoint("100").queues == []


async def test_hidden_and_reordered_queues_are_kept_in_prefs() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(
        queues=QueueSettings(), save_prefs=lambda changes: saved.append(dict(changes))
    )
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        console.app.screen.query_one("#queues").focus()
        assert queue_names(console)[:2] == ["Accueil", "Commercial"]
        await pilot.press("right_square_bracket")  # Accueil one down
        await settle(pilot)
        assert queue_names(console)[:2] == ["Commercial", "Accueil"]
        assert saved[-1] == {
            "queues": {"order": ["commercial", "accueil", "support", "debordement"]}
        }
        await pilot.press("h")  # hide Accueil (the cursor followed it)
        for _ in range(100):  # the board is redrawn on the next state refresh
            await pilot.pause(0.02)
            if "Accueil" not in queue_names(console):
                break
        assert "Accueil" not in queue_names(console)
        assert saved[-1] == {"queues": {"hidden": ["accueil"]}}
        console.backend.switch.inject_incoming_call("3900", ACME)
        await board_settle(pilot)
        assert waiting_rows(console) == []  # a hidden queue's callers are not listed
        await pilot.press("s")
        await settle(pilot)
        assert "Accueil (hidden)" in queue_names(console)


def test_ordered_queues_puts_the_listed_ones_first() -> None:
    a, b, c = (Queue(QueueId(name), name.upper()) for name in "abc")
    assert [q.id for q in ordered_queues([a, b, c], ("c", "a", "gone"))] == ["c", "a", "b"]


async def test_day_night_switch_is_confirmed_and_reroutes_new_callers() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        flows = console.app.screen.query_one("#flows", RowList)
        assert flows.row("accueil-horaires")[1] == "☀ open"
        flows.focus()
        await pilot.press("n")  # on the first flow: Accueil – horaires
        await settle(pilot)
        assert isinstance(console.app.screen, ChoiceScreen)
        await pilot.press("down", "down", "enter")  # forced night
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        assert "Accueil – horaires" in console.app.screen.question
        await pilot.press("y")
        await settle(pilot)
        flow = console.app.state.call_flows[FlowId("accueil-horaires")]
        assert flow.mode is FlowMode.NIGHT and not flow.open_now
        assert flows.row("accueil-horaires")[1:3] == ("☾ closed", "forced night (closed)")
        console.backend.switch.inject_incoming_call("3900", ACME)
        await board_settle(pilot)
        assert waiting_rows(console) == []  # the caller went to the voicemail instead
        await pilot.press("n", "escape")  # changing one's mind: nothing changes
        await settle(pilot)
        assert console.app.state.call_flows[FlowId("accueil-horaires")].mode is FlowMode.NIGHT


async def test_the_selected_queue_shows_its_settings_and_who_is_on_a_call() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        detail = console.app.screen.query_one("#queue-detail")
        text = str(detail.render())
        assert text.startswith("Accueil · operators pick calls up · at most 10 waiting")
        assert "Camille Martin (100) ● ready" in text
        console.backend.switch.inject_incoming_call("3902", ACME)  # rings a support agent
        console.app.screen.query_one("#queues", RowList).focus()
        await pilot.press("down", "down")  # Support technique
        await board_settle(pilot)
        text = str(detail.render())
        assert text.startswith("Support technique · longest idle agent first")
        assert text.count("☎ on a call") == 1 and "‖ paused" in text


async def test_callers_are_named_from_the_directory_and_details_shown_on_request() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=lambda changes: saved.append(dict(changes)))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        colleague = next(d for d in console.app.state.devices.values() if d.department)
        console.backend.switch.inject_incoming_call("3900", "+33107371513")  # unnamed
        console.backend.switch.make_call(colleague.device_id, "3900")
        await pilot.press("alt+3")
        await board_settle(pilot)
        callers = [row[1] for row in waiting_rows(console)]
        assert callers[0] == "Boulangerie Dupont (+33107371513)"  # TWS-3.1.3-1
        console.app.screen.query_one("#queues", RowList).focus()
        await pilot.press("i")  # TWS-6.5.1-4 on Accueil
        await board_settle(pilot)
        assert saved[-1] == {"queues": {"extra_info": ["accueil"]}}
        callers = [row[1] for row in waiting_rows(console)]
        assert callers[0] == "Boulangerie Dupont (+33107371513)"  # its company is its name
        assert " · " in callers[1] and callers[1].endswith(colleague.department)


async def test_a_pinned_queue_stays_in_view_on_every_screen() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await one_caller_waiting(console, pilot)
        assert not console.app.screen.query("#queue-strip")  # made when a queue is pinned
        console.app.screen.query_one("#queues", RowList).focus()
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("alt+1")
        await settle(pilot)
        strip = console.app.screen.query_one("#queue-strip")
        assert strip.display
        assert str(strip.render()).startswith("⇶ Accueil 1 ·0:00 │ agents")
        await pilot.press("alt+3", "c")  # and c calls the selected queue
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.called is not None and call.called.number == "3900"


async def test_queue_forwarding_rules_add_switch_off_and_delete() -> None:
    console = build_console()
    async with console.app.run_test(size=(110, 34), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+3", "f")  # the first queue: Accueil
        await settle(pilot)
        assert isinstance(console.app.screen, QueueRulesScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(console.app.screen, QueueRuleForm)
        await pilot.press(*"01 40 ab", "enter")  # letters: refused, nothing sent
        await settle(pilot)
        assert any("not a number to forward to" in n for n in notes(console))
        console.app.screen.query_one("#rule-destination", Input).value = "01 40 00 00 00"
        console.app.screen.query_one("#rule-until", Input).value = "tomorrow"
        await pilot.press("enter")
        await settle(pilot)
        assert any("expected a date and time" in n for n in notes(console))
        console.app.screen.query_one("#rule-until", Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(console.app.screen, QueueRulesScreen)
        [rule] = console.app.state.queues[ACCUEIL].forward_rules
        assert rule.destination == "+33140000000" and rule.created_by == "Camille Martin"
        rules = console.app.screen.query_one("#rules", RowList)
        assert rules.row(rule.id)[3] == "▶ applies now"
        console.backend.switch.inject_incoming_call("3900", ACME)  # forwarded, not queued
        await settle(pilot)
        assert console.app.state.queues[ACCUEIL].waiting == ()
        await pilot.press("space")  # switched off
        await settle(pilot)
        assert rules.row(rule.id)[3] == "off"
        await pilot.press("delete", "y")
        await settle(pilot)
        assert console.app.state.queues[ACCUEIL].forward_rules == ()
