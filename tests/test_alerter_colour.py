"""TWS-6.3-2: the incoming-call pop-up's header is drawn in the ringing colour chosen in
Preferences ([contacts] ringing_colour); with the theme's (the default) it stays bold only."""

from __future__ import annotations

from helpers import ACME, build_console, settle
from rich.color import Color
from rich.text import Text
from textual.widgets import Static

from tws_tui.console.screens.modals.alerter import AlerterScreen
from tws_tui.console.widgets.supervision_colours import tone_style
from tws_tui.settings.schema import AlertSettings, ContactSettings


def header_colours(text: Text) -> set[Color | None]:
    """The colours of the spans over the header's first character (☎)."""
    return {
        span.style.color if not isinstance(span.style, str) else None
        for span in text.spans
        if span.start == 0
    }


async def test_the_pop_up_header_takes_the_ringing_colour_then_the_theme_s() -> None:
    console = build_console(
        alerts=AlertSettings(popup=True), contacts=ContactSettings(ringing_colour="magenta")
    )
    async with console.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        console.ring(ACME)
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, AlerterScreen)
        body = screen.query_one("#alerter-body", Static).content
        assert isinstance(body, Text) and body.plain.startswith("☎ Incoming call")
        magenta = tone_style("colour:magenta")
        assert magenta is not None and magenta.color in header_colours(body)
        console.app.prefs.change("contacts", ringing_colour="theme")
        screen._show_call()
        body = screen.query_one("#alerter-body", Static).content
        assert isinstance(body, Text)
        assert header_colours(body) == {None}  # bold only: the theme's colours
