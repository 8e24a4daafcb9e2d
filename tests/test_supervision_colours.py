"""The supervision colours (issue 17, TWS-6.3-2/-3) on ``sim``: a colleague ringing and one on
a call drawn in the colours chosen in Preferences — Contacts' rows and the supervision tiles,
at once, saved —, the theme's warning and error colours by default; and with ``NO_COLOR`` the
state still told by its symbol and word."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import answer_at, build_console, idle_colleagues, screen_text, settle, until
from rich.color import Color as RichColor
from textual.widgets import Select

from tws_tui.console.widgets.blf_grid import BlfGrid, tile_tone
from tws_tui.console.widgets.row_list import RowList
from tws_tui.console.widgets.supervision_colours import line_tone, tone_style
from tws_tui.core.model import LineState, Party
from tws_tui.domain.format import LINE_SYMBOL, LINE_WORD
from tws_tui.domain.phone_keys import Tile

SIZE = (120, 40)


def test_a_tone_per_state_and_the_theme_by_default() -> None:
    assert line_tone(LineState.RINGING) == "warning"
    assert line_tone(LineState.TALKING) == "error"
    assert line_tone(LineState.IDLE, "cyan", "magenta") == ""
    assert line_tone(LineState.RINGING, "cyan", "magenta") == "colour:cyan"
    assert line_tone(LineState.HOLD, "cyan", "magenta") == "colour:magenta"
    style = tone_style("colour:cyan")
    assert style is not None and style.bold and style.color is not None
    assert style.color.get_truecolor() == RichColor.parse("#00ffff").get_truecolor()
    assert tone_style("warning") is None


def colleagues_calling(console: Any) -> tuple[Any, Any]:
    """One colleague ringing, another on a call, by the simulator's outside callers."""
    ringing, talking = idle_colleagues(console)[:2]
    console.ring(Party("+33611111111"), to=ringing.extension)
    console.ring(Party("+33622222222"), to=talking.extension)
    answer_at(console, talking.extension)
    return ringing, talking


def row_of(rows: RowList, extension: str, console: Any) -> str:
    device = next(d for d in console.app.state.devices.values() if d.extension == extension)
    return f"dev:{device.device_id}"


def row_colour(rows: RowList, key: str) -> str:
    """The colour of the first character of row ``key`` as drawn (no cursor on it; the
    list scrolled so that it shows)."""
    strip = rows.draw_line(rows.row_keys().index(key) - rows.scroll_offset.y + 1)
    color = next(iter(strip)).style.color
    assert color is not None
    return "#{:02x}{:02x}{:02x}".format(*color.get_truecolor())


async def choose(pilot: Any, key: str, colour: str) -> None:
    pilot.app.screen.query_one(f"#pref-{key}", Select).value = colour
    await settle(pilot)


async def test_colours_chosen_in_preferences_apply_at_once_and_are_saved() -> None:
    saved: list[Any] = []
    first = build_console()
    device_ids = [c.device_id for c in idle_colleagues(first)[:2]]
    from tws_tui.settings.schema import ContactSettings

    console = build_console(
        save_prefs=saved.append, contacts=ContactSettings(supervised=tuple(device_ids))
    )
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ringing, talking = colleagues_calling(console)
        await settle(pilot)
        rows = console.app.screen.query_one("#contact-list", RowList)
        rows.cursor = len(rows.row_keys()) - 1  # the cursor off the two colleagues
        await settle(pilot)
        ringing_key, talking_key = (row_of(rows, c.extension, console) for c in (ringing, talking))
        assert (rows.tone(ringing_key), rows.tone(talking_key)) == ("warning", "error")
        await pilot.press("alt+6")
        await settle(pilot)
        await choose(pilot, "ringing_colour", "cyan")
        assert saved[-1]["contacts"]["ringing_colour"] == "cyan"  # each change written
        await choose(pilot, "talking_colour", "magenta")
        assert saved[-1]["contacts"]["talking_colour"] == "magenta"
        await pilot.press("alt+1")
        await settle(pilot)
        rows = console.app.screen.query_one("#contact-list", RowList)
        assert (rows.tone(ringing_key), rows.tone(talking_key)) == (
            "colour:cyan",
            "colour:magenta",
        )
        assert (row_colour(rows, ringing_key), row_colour(rows, talking_key)) == (
            "#00ffff",
            "#ff00ff",
        )
        grid = console.app.screen.query_one("#blf", BlfGrid)
        assert grid.colours == ("cyan", "magenta")
        tones = {
            tile.device.extension: tile_tone(tile, grid.colours)
            for tile in grid.tiles
            if tile.device
        }
        assert tones == {ringing.extension: "colour:cyan", talking.extension: "colour:magenta"}
        drawn = [span.style for span in grid.render().spans]
        assert tone_style("colour:cyan") in drawn and tone_style("colour:magenta") in drawn


def test_queue_tiles_keep_the_theme_tones() -> None:
    assert tile_tone(Tile("shortcut", label="x", number="1"), ("cyan", "magenta")) == ""


@pytest.mark.parametrize("colour", ["cyan", "theme"])
async def test_with_no_color_the_state_keeps_its_symbol_and_word(
    monkeypatch: pytest.MonkeyPatch, colour: str
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    console = build_console()
    console.app.prefs.change("contacts", ringing_colour=colour, talking_colour=colour)
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        colleagues_calling(console)
        await until(
            pilot,
            lambda: LINE_WORD[LineState.TALKING] in screen_text(console.app),
            "the states drawn",
        )
        shown = screen_text(console.app)
        for state in (LineState.RINGING, LineState.TALKING):
            assert f"{LINE_SYMBOL[state]} {LINE_WORD[state]}" in shown
