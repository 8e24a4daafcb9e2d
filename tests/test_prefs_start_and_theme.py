"""Issue 17, Preferences complete: the high-contrast and monochrome-safe themes (chosen in the
Theme list, applied, saved; named in French and English) and the start-up screen (chosen in the
general section, saved, applied at the next start; a wrong value in prefs.toml reported and
Contacts used)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import build_console
from textual.color import Color
from textual.widgets import Select

from tws_tui.backends.sim import create
from tws_tui.console.app import TwsApp
from tws_tui.console.start_up import START_MODES
from tws_tui.console.theme_names import theme_label
from tws_tui.core.clock import ManualClock
from tws_tui.platform import paths
from tws_tui.platform.i18n import set_language
from tws_tui.settings.load import load_settings
from tws_tui.settings.prefs import PrefsStore
from tws_tui.settings.schema import START_SCREENS, GeneralSettings, Settings, UiSettings

SIZE = (110, 30)


async def settle(pilot: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


def console_opening_on(start_screen: str, **kwargs: Any) -> TwsApp:
    clock = ManualClock()
    settings = Settings(
        general=GeneralSettings(start_screen=start_screen), ui=UiSettings(animations=False)
    )
    backend = create({"seed": 0, "traffic": False, "clock": clock})
    return TwsApp(prefs=PrefsStore(settings), clock=clock, backend=backend, **kwargs)


def test_every_start_screen_is_a_mode_of_the_console() -> None:
    assert set(START_MODES) == set(START_SCREENS)
    assert set(START_MODES.values()) <= set(TwsApp.MODES)


def test_the_two_themes_are_named_in_both_languages() -> None:
    set_language("en")
    assert theme_label("tws-high-contrast") == "High contrast (black, white, yellow)"
    assert theme_label("tws-monochrome") == "Monochrome (no colour needed)"
    set_language("fr")
    assert theme_label("tws-high-contrast") == "Contraste élevé (noir, blanc, jaune)"
    assert theme_label("tws-monochrome") == "Monochrome (lisible sans couleur)"
    set_language("en")


@pytest.mark.parametrize("theme", ["tws-high-contrast", "tws-monochrome"])
async def test_a_theme_chosen_in_preferences_is_applied_and_saved(theme: str) -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        select = console.app.screen.query_one("#pref-theme", Select)
        assert theme in [value for _label, value in select._options]
        select.value = theme
        await settle(pilot)
        assert console.app.theme == theme
        assert {"ui": {"theme": theme}} in saved
        colours = console.app.current_theme
        assert (colours.foreground, colours.background) == ("#FFFFFF", "#000000")
        if theme == "tws-monochrome":  # no hue at all: states are told by words and symbols
            assert all(Color.parse(c or "").hsl.s == 0 for c in (colours.primary, colours.error))


async def test_a_saved_theme_is_the_one_at_start() -> None:
    console = build_console(ui=UiSettings(animations=False, theme="tws-high-contrast"))
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert console.app.theme == "tws-high-contrast"
        assert not console.app._notifications  # no "unknown theme" problem


async def test_the_start_up_screen_is_chosen_in_preferences_and_saved() -> None:
    saved: list[dict[str, Any]] = []
    console = build_console(save_prefs=saved.append)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert console.app.current_mode == "contacts"  # the default
        await pilot.press("alt+6")
        await settle(pilot)
        select = console.app.screen.query_one("#pref-start_screen", Select)
        assert select.value == "contacts"
        select.value = "queues"
        await settle(pilot)
        assert {"general": {"start_screen": "queues"}} in saved
        assert console.app.prefs.general.start_screen == "queues"
        assert console.app.current_mode == "prefs"  # applied at the next start, not now


@pytest.mark.parametrize("start_screen", START_SCREENS)
async def test_the_console_opens_on_the_start_up_screen(start_screen: str) -> None:
    app = console_opening_on(start_screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == START_MODES[start_screen]


async def test_a_wrong_start_screen_in_prefs_toml_is_reported_and_contacts_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable, sub in (
        (paths.ENV_CONFIG_DIR, "config"),
        (paths.ENV_DATA_DIR, "data"),
        (paths.ENV_STATE_DIR, "state"),
    ):
        monkeypatch.setenv(variable, str(tmp_path / sub))
    monkeypatch.delenv(paths.ENV_CONFIG_FILE, raising=False)
    set_language("en")
    prefs_file = paths.prefs_file()
    paths.ensure_dir(prefs_file.parent)
    prefs_file.write_text('[general]\nstart_screen = "lobby"\n', encoding="utf-8")
    settings, problems = load_settings()
    assert [str(problem) for problem in problems] == [
        "prefs.toml: general.start_screen = 'lobby' — expected one of contacts, calls, queues,"
        " chat, history; using 'contacts'"
    ]
    assert settings.general.start_screen == "contacts"
    clock = ManualClock()
    app = TwsApp(
        prefs=PrefsStore(settings),
        clock=clock,
        backend=create({"seed": 0, "traffic": False, "clock": clock}),
        problems=[str(problem) for problem in problems],
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.current_mode == "contacts"
        shown = [str(note.message) for note in app._notifications]
        assert any("general.start_screen = 'lobby'" in message for message in shown)
