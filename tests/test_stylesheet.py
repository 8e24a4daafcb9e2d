"""ReusingStylesheet: same rules as Textual's, parsed once while the variables do not change."""

from __future__ import annotations

import pytest
from helpers import build_console
from textual.color import Color
from textual.css.stylesheet import Stylesheet

from tws_tui.console.stylesheet import ReusingStylesheet

CSS = "Static { color: $accent; }"


def _accent_of(stylesheet: ReusingStylesheet) -> Color:
    (rule,) = stylesheet.rules
    color = rule.styles.color
    assert color is not None
    return color


def test_unchanged_variables_reuse_parsed_rules_and_new_ones_reparse() -> None:
    sheet = ReusingStylesheet(variables={"accent": "#ff0000"})
    sheet.add_source(CSS, read_from=("test", "CSS"))
    sheet.parse()
    parsed = sheet.rules[0]
    sheet.set_variables({"accent": "#ff0000"})
    sheet.reparse()
    assert sheet.rules[0] is parsed  # from the cache, not parsed again
    sheet.set_variables({"accent": "#0000ff"})
    sheet.reparse()
    assert sheet.rules[0] is not parsed
    assert _accent_of(sheet) == Color.parse("#0000ff")


@pytest.mark.parametrize("css", ["Static { color: $nowhere; }", "Static { colour: red; }"])
def test_bad_css_raises_on_reparse_as_textual_does(css: str) -> None:
    raised = []
    for sheet in (Stylesheet(variables={}), ReusingStylesheet(variables={})):
        sheet.add_source(css, read_from=("test", "CSS"))
        with pytest.raises(Exception) as error:  # compared just below
            sheet.reparse()
        raised.append(type(error.value))
    assert raised[0] is raised[1]


async def test_a_theme_change_restyles_the_running_console() -> None:
    app = build_console().app
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.stylesheet, ReusingStylesheet)
        before = app.screen.query_one(".mode-title").styles.background
        app.theme = "textual-light"
        await pilot.pause()
        after = app.screen.query_one(".mode-title").styles.background
        assert before != after
