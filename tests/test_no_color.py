"""Issue 14, "Monochrome (NO_COLOR=1)": every state reads without colour — the sign-in radio
buttons and check boxes, the Preferences switches — and no text is grey on a grey too close."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import build_console, prefs_of
from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color
from textual.widgets import Checkbox, RadioButton, Switch

from tws_tui.console.app import TwsApp
from tws_tui.console.no_color import MIN_CONTRAST, ReadableMonochrome, readable_grey_style
from tws_tui.core.clock import ManualClock

DARK_BACKGROUND = Color(18, 18, 18)  # xterm-256 grey 233


def brightness(style: Style, background: Color) -> tuple[float, float]:
    fore = Color.from_rich_color(style.color)
    back = Color.from_rich_color(style.bgcolor) if style.bgcolor else background
    return fore.brightness, back.brightness


def test_grey_237_on_233_is_lifted_to_a_readable_grey() -> None:
    faint = Style(color=RichColor.from_rgb(58, 58, 58))  # grey 237
    fore, back = brightness(readable_grey_style(faint, DARK_BACKGROUND), DARK_BACKGROUND)
    assert fore - back >= MIN_CONTRAST - 0.01


def test_a_faint_text_stays_fainter_than_ordinary_text() -> None:
    """A key shown faint because it does nothing now stays told apart from a live one."""
    faint = readable_grey_style(Style(color=RichColor.from_rgb(70, 70, 70)), DARK_BACKGROUND)
    plain = readable_grey_style(Style(color=RichColor.from_rgb(224, 224, 224)), DARK_BACKGROUND)
    assert brightness(faint, DARK_BACKGROUND)[0] < brightness(plain, DARK_BACKGROUND)[0] - 0.2


def test_dark_text_on_a_light_background_goes_darker() -> None:
    light = Color(240, 240, 240)
    faint = Style(color=RichColor.from_rgb(200, 200, 200))
    fore, back = brightness(readable_grey_style(faint, light), light)
    assert back - fore >= MIN_CONTRAST - 0.01


def test_styles_that_carry_states_are_kept() -> None:
    style = Style(color=RichColor.from_rgb(30, 30, 30), bold=True, reverse=True, underline=True)
    kept = readable_grey_style(style, DARK_BACKGROUND)
    assert kept.bold and kept.reverse and kept.underline


async def settle(pilot: Any, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_no_color_puts_the_readable_filter_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = TwsApp(prefs=prefs_of(), clock=ManualClock(), setup=True)
    async with app.run_test(size=(80, 24)):
        filters = app.get_line_filters()
        assert any(isinstance(f, ReadableMonochrome) for f in filters)


def glyphs(widget: Any) -> str:
    return str(widget.render())


async def test_sign_in_marks_only_the_chosen_backend_and_the_ticked_boxes() -> None:
    app = TwsApp(prefs=prefs_of(), clock=ManualClock(), setup=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        buttons = {b.id: glyphs(b) for b in app.screen.query(RadioButton)}
        assert "●" in buttons["backend-sim"]
        assert all("●" not in text for key, text in buttons.items() if key != "backend-sim")
        boxes = {b.id: (b.value, glyphs(b)) for b in app.screen.query(Checkbox)}
        for value, text in boxes.values():
            assert ("X" in text) is value
        app.screen.query_one("#setup-auto", Checkbox).value = True
        await settle(pilot)
        assert "X" in glyphs(app.screen.query_one("#setup-auto", Checkbox))


async def test_preferences_switches_show_on_and_off_in_text() -> None:
    console = build_console()
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("alt+6")
        await settle(pilot)
        bell = console.app.screen.query_one("#pref-bell", Switch)
        before = glyphs(bell)
        bell.value = not bell.value
        await settle(pilot)
        after = glyphs(bell)
        assert {before, after} == {"[x]", "[ ]"}
        assert after == ("[x]" if bell.value else "[ ]")
