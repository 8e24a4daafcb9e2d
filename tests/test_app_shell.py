"""Pilot tests of the console shell on the simulator: what an operator sees and does."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from helpers import ACME, DUPONT, build_console, prefs_of, screen_text
from textual.widgets import OptionList

from tws_tui.backends.sim import create
from tws_tui.console.app import BackendSetup, TwsApp
from tws_tui.console.commands import TwsCommands
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.modals.help import HelpScreen
from tws_tui.console.screens.modals.presence import PresencePicker
from tws_tui.console.screens.setup import SetupScreen
from tws_tui.console.widgets.ringing_banner import RingingBanner
from tws_tui.console.widgets.row_list import RowList
from tws_tui.console.widgets.status_bar import StatusBar
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import Capability, ConnectionState, PresenceState
from tws_tui.domain.keymap import ACTIONS
from tws_tui.settings.schema import UiSettings

SIZE = (110, 30)


def status_text(app: TwsApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


def banner(app: TwsApp) -> RingingBanner:
    return app.screen.query_one(RingingBanner)


def notes(app: TwsApp) -> list[str]:
    return [n.message for n in app._notifications]


async def settle(pilot: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_status_bar_shows_who_presence_link_and_time() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = status_text(console.app)
        assert "Camille Martin (100)" in text
        assert "● Available" in text
        assert "● Online" in text
        assert text.rstrip().endswith("09:00")


async def test_ringing_call_is_announced_on_every_screen_and_enter_answers() -> None:
    console = build_console()
    bells: list[int] = []
    console.app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        assert bells == [1]
        for key in ("alt+2", "alt+3", "alt+4", "alt+5", "alt+6", "alt+1"):
            await pilot.press(key)
            await settle(pilot)
            assert banner(console.app).display, key
            text = banner(console.app).render().plain
            assert "ACME Industries (+33123456789)" in text
        await pilot.press("enter")  # one key
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.state is ConnectionState.CONNECTED
        assert not banner(console.app).display
        assert bells == [1]  # the bell rang once, not for every refresh


async def test_enter_is_left_to_the_screen_when_nothing_rings() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.state.calls == {}  # the Contacts screen only opens the contact
        assert [n for n in notes(console.app) if not n.startswith("Enter again calls")] == []


async def test_two_calls_ring_at_once_enter_takes_the_oldest() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        console.clock.advance(2)
        console.ring(DUPONT)
        await settle(pilot)
        assert "+1 other" in banner(console.app).render().plain
        await pilot.press("enter")
        await settle(pilot)
        states = {c.remote.name: c.state for c in console.app.state.calls.values()}
        assert states["ACME Industries"] is ConnectionState.CONNECTED
        assert states["Jeanne Dupont"] is ConnectionState.ALERTING
        assert "Jeanne Dupont" in banner(console.app).render().plain


async def test_presence_is_set_from_the_picker_and_shown_in_words() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
        await pilot.press("down", "enter")  # Away
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.presence is PresenceState.AWAY
        assert "◐ Away" in status_text(console.app)
        await pilot.press("alt+p", "down", "down", "enter")  # Do not disturb
        await settle(pilot)
        assert console.app.state.me is not None and console.app.state.me.dnd
        assert "Do not disturb" in status_text(console.app)
        await pilot.press("alt+p", "up", "up", "up", "enter")  # back to Available
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and not me.dnd and me.presence is PresenceState.AVAILABLE


async def test_clicking_the_status_bar_opens_the_presence_picker() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(StatusBar)
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, PresencePicker)


async def test_help_lists_every_action_with_key_and_id() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(console.app.screen, HelpScreen)
        listed = console.app.screen.query_one(OptionList)
        ids = [option.id for option in listed.options if option.id]
        assert sorted(ids) == sorted(spec.id for spec in ACTIONS)  # each once
        shown = screen_text(console.app)
        assert "Everywhere" in shown or "Calls — on every screen" in shown
        await pilot.press(*"app.help")
        await settle(pilot)
        assert re.search(r"F1 +Help +app\.help", screen_text(console.app))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(console.app.screen, HelpScreen)


async def test_every_action_is_in_the_command_palette() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = TwsCommands(console.app.screen, None)
        titles = [hit.display async for hit in provider.discover()]
        here = ("app", console.app.screen.MODE)  # the app's actions and the screen's own
        assert len(titles) == len([s for s in ACTIONS if s.palette and s.scope in here])
        assert "Hang up" in titles and "Presence" in titles
        found = [str(hit.match_display) async for hit in provider.search("presen")]
        # (the presented number's and DND's actions match by their ids, call.presented_number
        # and presence.dnd)
        assert found == ["Presence", "Number callers see", "Do not disturb on/off", "Presence note"]


async def test_palette_command_runs_the_action() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"presence")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(console.app.screen, PresencePicker)


async def test_user_keymap_moves_answer_to_another_key() -> None:
    console = build_console(keymap={"call.answer": "f11"})
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.state is ConnectionState.ALERTING
        assert "[F11/F12] Answer" in banner(console.app).render().plain
        await pilot.press("f11")
        await settle(pilot)
        [call] = console.app.state.calls.values()
        assert call.state is ConnectionState.CONNECTED


async def test_unknown_keymap_id_is_reported_and_the_app_starts() -> None:
    keymap = {"call.teleport": "f9"}
    console = build_console(keymap=keymap, problems=["config.toml: ui.theme = 3 — expected text"])
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        [message] = notes(console.app)
        assert "call.teleport" in message
        assert "ui.theme" in message


async def test_language_switches_at_run_time() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+l")
        await settle(pilot)
        assert "● Disponible" in status_text(console.app)
        assert "● En ligne" in status_text(console.app)
        colleagues = console.app.screen.query_one("#contact-list", RowList)
        assert colleagues.columns()[0] == "Nom"
        await pilot.press("alt+l")
        await settle(pilot)
        assert "● Available" in status_text(console.app)


async def test_an_unsupported_action_gives_a_clear_message_not_a_traceback() -> None:
    without_hangup = [c for c in Capability if c is not Capability.HANGUP]
    console = build_console(capabilities=without_hangup)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        call = await console.backend.make_call("201")
        await settle(pilot)
        assert call.call_id in console.app.state.calls
        console.app.run_command(lambda backend: backend.hangup(call.call_id))
        await settle(pilot)
        assert any(m.startswith("Not available with this connection") for m in notes(console.app))
        assert console.app.is_running


async def test_quit_asks_first_and_no_keeps_the_console() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert console.app.is_running and not isinstance(console.app.screen, ConfirmScreen)
        await pilot.press("ctrl+q", "y")
        await settle(pilot)
    assert console.app.return_code == 0


async def test_missed_call_is_counted_then_cleared_by_opening_history() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        call_id = console.ring(ACME)
        await settle(pilot)
        console.clock.advance(15)
        console.backend.switch.caller_hangs_up(call_id)  # nobody answered: the caller gives up
        await settle(pilot)
        assert console.app.state.missed_calls == 1
        assert "1 missed call" in status_text(console.app)
        await pilot.press("alt+5")
        await settle(pilot)
        assert console.app.state.missed_calls == 0
        assert "missed" not in status_text(console.app)
        table = console.app.screen.query_one("#history-list", RowList)
        for _ in range(20):  # read in the journal's thread
            if table.row_count:
                break
            await pilot.pause(0.02)
        assert table.row_count == 1
        assert "✕ Missed" in table.row(table.row_keys()[0])


async def test_contacts_show_colleagues_line_state_live() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = console.app.screen.query_one("#contact-list", RowList)
        assert table.row_count >= 30
        device = min(
            (d for d in console.app.state.devices.values() if d.line_state.value == "idle"),
            key=lambda d: d.name,
        )
        assert device.extension is not None
        await console.backend.make_call(device.extension)
        await settle(pilot)
        row = table.row("dev:" + device.device_id)
        assert row[1] == device.extension and row[3] == "☎ Ringing"


async def test_first_run_setup_connects_to_the_demo_and_remembers_the_choice() -> None:
    saved: list[dict[str, Any]] = []
    clock = ManualClock()
    loaded: list[tuple[str, dict[str, Any]]] = []

    def loader(name: str, options: Any) -> Any:
        loaded.append((name, dict(options)))
        return create({**options, "traffic": False, "clock": clock})

    app = TwsApp(
        prefs=prefs_of(save_prefs=lambda changes: saved.append(dict(changes))),
        clock=clock,
        connect=BackendSetup(loader=loader),
        setup=True,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.state.me is None
        await pilot.press("enter")  # "Sign in" has the focus; Demo is preselected
        await settle(pilot, 5)
        assert not isinstance(app.screen, SetupScreen)
        assert loaded[0][0] == "sim"
        assert app.state.me is not None and app.state.me.extension == "100"
        assert {"backend": {"name": "sim", "sim": {}}, "general": {"auto_connect": False}} in saved


async def test_setup_with_a_refused_backend_option_says_why_and_stays() -> None:
    app = TwsApp(prefs=prefs_of(), clock=ManualClock(), setup=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#backend-sip")
        await settle(pilot)
        app.screen.query_one("#sip-server").value = "pbx example"  # type: ignore[attr-defined]
        app.screen.query_one("#sip-username").value = "201"  # type: ignore[attr-defined]
        app.screen.query_one("#setup-remember").value = False  # type: ignore[attr-defined]
        app.screen.query_one("#setup-connect").focus()
        await pilot.press("enter")
        await settle(pilot, 6)
        assert isinstance(app.screen, SetupScreen)
        error = str(app.screen.query_one("#setup-error").render())
        assert "option 'server' must be a host name" in error and "'pbx example'" in error
        assert app.is_running


async def test_setup_with_an_unavailable_backend_says_why_and_stays() -> None:
    def loader(name: str, options: Any) -> Any:
        from tws_tui.backends import load

        return load("not-installed", options)  # as for a backend whose package is missing

    app = TwsApp(
        prefs=prefs_of(), clock=ManualClock(), setup=True, connect=BackendSetup(loader=loader)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#setup-connect").focus()
        await pilot.press("enter")
        await settle(pilot, 6)
        assert isinstance(app.screen, SetupScreen)
        error = str(app.screen.query_one("#setup-error").render())
        assert "not-installed" in error and "sim" in error  # the unknown name and what exists
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_mode_renders_at_both_sizes_without_error(size: tuple[int, int]) -> None:
    console = build_console()
    async with console.app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        console.ring(ACME, to="3900")
        console.ring(DUPONT)
        await settle(pilot)
        for key in ("alt+2", "alt+3", "alt+4", "alt+5", "alt+6", "alt+1"):
            await pilot.press(key)
            await settle(pilot)
        assert notes(console.app) == []


async def test_demo_traffic_fills_queues_moves_colleagues_and_rings_within_10_seconds() -> None:
    """The acceptance of the demo: within 10 s something waits, a colleague's line changes,
    a call rings at my desk, and Enter answers it."""
    clock = ManualClock()
    backend = create({"seed": 0, "traffic": True, "clock": clock})
    app = TwsApp(
        prefs=prefs_of(ui=UiSettings(animations=False, bell=False)), clock=clock, backend=backend
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines_at_start = {d.device_id: d.line_state for d in app.state.devices.values()}
        waited = changed = answered = False
        for _ in range(20):  # 20 × 0.5 s of simulated time
            clock.advance(0.5)
            await settle(pilot, 2)
            waited = waited or app.state.waiting_total() > 0
            changed = changed or any(
                lines_at_start.get(d.device_id) != d.line_state for d in app.state.devices.values()
            )
            if app.state.ringing_calls() and not answered:
                caller = app.state.ringing_calls()[0].remote
                await pilot.press("enter")
                await settle(pilot)
                active = app.state.active_call()
                answered = active is not None and active.remote == caller
        assert waited, "no call waited in a queue within 10 s"
        assert changed, "no colleague's line changed within 10 s"
        assert answered, "no call rang (and was answered with Enter) within 10 s"


class FlakyLink:
    """The real sim backend behind a link that refuses the first connection attempt."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self.attempts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    async def connect(self) -> Any:
        from tws_tui.core.errors import BackendUnavailable

        self.attempts += 1
        if self.attempts == 1:
            raise BackendUnavailable("connection refused")
        return await self._backend.connect()


async def test_a_refused_connection_shows_reconnecting_then_recovers() -> None:
    clock = ManualClock()
    flaky = FlakyLink(create({"seed": 0, "traffic": False, "clock": clock}))
    app = TwsApp(prefs=prefs_of(), clock=clock, backend=flaky)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = status_text(app)
        assert "Reconnecting" in text and "connection refused" in text
        await pilot.pause(1.2)  # the first retry comes after one second
        await settle(pilot)
        assert "● Online" in status_text(app)
        assert flaky.attempts == 2


def test_the_console_keeps_the_language_the_command_line_chose(monkeypatch: Any) -> None:
    """`tws-tui --lang en` with `language = "fr"` in the settings starts in English: the CLI
    settles the language (--lang first) and the console does not set it again."""
    from tws_tui import cli
    from tws_tui.platform.i18n import language, set_language
    from tws_tui.settings.schema import GeneralSettings, Settings

    seen: list[str] = []
    monkeypatch.setattr(TwsApp, "run", lambda self, *args, **kwargs: seen.append(language()))
    french = Settings(general=GeneralSettings(language="fr"))
    monkeypatch.setattr(cli, "load_settings", lambda *args, **kwargs: (french, []))
    before = language()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        assert cli.main(["--lang", "en", "--demo"]) == 0
        assert seen == ["en"]
        assert cli.main(["--demo"]) == 0
        assert seen == ["en", "fr"]
    finally:
        set_language(before)
        for handler in root.handlers[:]:  # the log file the CLI opened: not for later tests
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
