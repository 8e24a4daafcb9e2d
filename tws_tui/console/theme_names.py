"""The colour themes as the user reads them: a name in the user's language, never an id.

``ui.theme`` in the settings holds Textual's theme id (``textual-dark``); the Preferences
screen shows :func:`theme_label` instead (``Textual, sombre``). Proper names (Nord, Dracula,
Gruvbox…) stay as their authors wrote them; the words around them (dark, light, the terminal's
colours) are translated. A theme this table does not know (a newer Textual's) is shown by its
id made readable.
"""

from __future__ import annotations

from collections.abc import Mapping

from tws_tui.platform.i18n import N_, _

DARK, LIGHT = N_("{name}, dark"), N_("{name}, light")

#: Textual's built-in themes: (proper name, msgid of the label built with it).
THEMES: Mapping[str, tuple[str, str]] = {
    "textual-dark": ("Textual", DARK),
    "textual-light": ("Textual", LIGHT),
    "ansi-dark": ("", N_("Terminal's colours, dark")),
    "ansi-light": ("", N_("Terminal's colours, light")),
    "atom-one-dark": ("Atom One", DARK),
    "atom-one-light": ("Atom One", LIGHT),
    "solarized-dark": ("Solarized", DARK),
    "solarized-light": ("Solarized", LIGHT),
    "catppuccin-frappe": ("Catppuccin Frappé", "{name}"),
    "catppuccin-latte": ("Catppuccin Latte", "{name}"),
    "catppuccin-macchiato": ("Catppuccin Macchiato", "{name}"),
    "catppuccin-mocha": ("Catppuccin Mocha", "{name}"),
    "dracula": ("Dracula", "{name}"),
    "flexoki": ("Flexoki", "{name}"),
    "gruvbox": ("Gruvbox", "{name}"),
    "monokai": ("Monokai", "{name}"),
    "nord": ("Nord", "{name}"),
    "rose-pine": ("Rosé Pine", "{name}"),
    "rose-pine-dawn": ("Rosé Pine Dawn", "{name}"),
    "rose-pine-moon": ("Rosé Pine Moon", "{name}"),
    "tokyo-night": ("Tokyo Night", "{name}"),
    "tws-high-contrast": ("", N_("High contrast (black, white, yellow)")),
    "tws-monochrome": ("", N_("Monochrome (no colour needed)")),
}


def theme_label(theme: str) -> str:
    """How the theme ``theme`` (a Textual theme id) is named to the user, in their language."""
    if theme in THEMES:
        name, msgid = THEMES[theme]
        return _(msgid).format(name=name)
    return theme.replace("-", " ").replace("_", " ").capitalize()
