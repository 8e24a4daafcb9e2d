"""What the console sets up at start from the preferences (issue 17): two more themes, and the
screen it opens on.

Themes: ``tws-high-contrast`` is pure black and white, a yellow accent and saturated state
colours; ``tws-monochrome`` is black, white and greys only — the console already tells every
state by a word or a symbol (● ▲ ■, "Busy", "FWD →"), never by colour alone, so nothing is lost
when the terminal or the eye has no colour. :func:`with_access_themes` adds both to the app
before its theme is chosen; they are offered in Preferences → Theme and saved like Textual's.

Start-up screen (Preferences → *Start-up screen*, ``general.start_screen``): the setting names a
screen as the user does (``calls``), the app's modes otherwise (``call``). Contacts is the
default, the app's own first mode: nothing to switch then.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="tws-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#333333",
    warning="#FFA500",
    error="#FF4040",
    success="#00FF00",
    dark=True,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 40%",
        "border": "#FFFFFF",
    },
)
MONOCHROME = Theme(
    name="tws-monochrome",
    primary="#FFFFFF",
    secondary="#C0C0C0",
    accent="#FFFFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#404040",
    warning="#FFFFFF",
    error="#FFFFFF",
    success="#FFFFFF",
    dark=True,
    variables={
        "block-cursor-background": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#FFFFFF",
        "input-selection-background": "#FFFFFF 40%",
        "border": "#FFFFFF",
    },
)
ACCESS_THEMES = (HIGH_CONTRAST, MONOCHROME)


def with_access_themes(app: App[Any]) -> dict[str, Theme]:
    """Make both themes available to ``app`` (``app.theme = "tws-high-contrast"``); returns
    every theme ``app`` now has (``App.available_themes``)."""
    for theme in ACCESS_THEMES:
        app.register_theme(theme)
    return app.available_themes


#: ``general.start_screen`` value -> the app's mode.
START_MODES = {
    "contacts": "contacts",
    "calls": "call",
    "queues": "queues",
    "chat": "chat",
    "history": "history",
}


def open_start_screen(app: App[Any], start_screen: str) -> None:
    """At start: switch ``app`` to the mode of ``start_screen`` unless it is Contacts (the
    first mode, already shown) or unknown (the settings' validation reported it)."""
    mode = START_MODES.get(start_screen, "contacts")
    if mode != "contacts":
        app.switch_mode(mode)
