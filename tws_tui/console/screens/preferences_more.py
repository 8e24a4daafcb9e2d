"""Preferences' last section (issue 17): the buttons to the pages kept in modules of their
own — Audio (TWS-6.7, ``screens/audio/``), the Sound library (TWS-6.8) and Tools (TWS-6.11,
TWS-1.8, ``screens/tools/``) — so the Preferences screen grows by two lines only."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Static

from tws_tui.platform.i18n import N_, _


def _tools() -> Screen[None]:
    from tws_tui.console.screens.tools.page import ToolsScreen

    return ToolsScreen()


def _audio() -> Screen[None]:
    from tws_tui.console.screens.audio.page import AudioScreen

    return AudioScreen()


def _sounds() -> Screen[None]:
    from tws_tui.console.screens.audio.sounds import SoundsScreen

    return SoundsScreen()


#: (button id, label, the page it opens).
PAGES: list[tuple[str, str, Callable[[], Screen[None]]]] = [
    ("pref-audio", N_("Audio: devices and volumes…"), _audio),
    ("pref-sounds", N_("Sound library: a sound per event…"), _sounds),
    ("pref-tools", N_("Tools: traces, diagnostics, history, about…"), _tools),
]


def compose_more() -> ComposeResult:
    yield Static(id="more-title", classes="section-title")
    for button_id, _label, _page in PAGES:
        with Horizontal(classes="pref-row"):
            yield Button("", id=button_id, compact=True, classes="pref-page")


def refresh_more(screen: Screen[None]) -> None:
    screen.query_one("#more-title", Static).update(_("Audio, sounds and tools"))
    for button_id, label, _page in PAGES:
        screen.query_one(f"#{button_id}", Button).label = _(label)


def open_page(screen: Screen[None], button_id: str) -> None:
    """The page a button of this section opens."""
    page = next(make for bid, _label, make in PAGES if bid == button_id)
    screen.app.push_screen(page())
