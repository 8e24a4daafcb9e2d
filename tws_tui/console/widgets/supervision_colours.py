"""The colours of a colleague's line in the supervision views — Contacts' rows, the
home-screen lists, the supervision tiles (TWS-6.3-2/-3): ringing in ``[contacts]
ringing_colour``, on a call (or on hold, or dialling) in ``[contacts] talking_colour``, each
chosen in Preferences. ``"theme"``, the default, keeps the theme's warning and error colours
(and so the high-contrast and monochrome themes' looks). The line's symbol and word always say
the state too: with ``NO_COLOR`` or a monochrome theme nothing is told by colour alone.

A tone is a word the lists carry per row: ``"warning"``/``"error"`` (the theme's, drawn by the
widget's component classes) or ``"colour:NAME"`` (:func:`tone_style`), so a colour changed in
Preferences changes the tones and the lists repaint those rows at once."""

from __future__ import annotations

from rich.style import Style
from textual.color import Color, ColorParseError

from tws_tui.core.model import LineState

THEME = "theme"
#: On a call as far as supervision goes: talking, on hold, dialling.
BUSY = frozenset({LineState.TALKING, LineState.HOLD, LineState.DIALING})
COLOUR_PREFIX = "colour:"


def line_tone(state: LineState, ringing: str = THEME, talking: str = THEME) -> str:
    """The tone of a colleague whose line is ``state``: "" when free or unknown."""
    if state in BUSY:
        return "error" if talking == THEME else COLOUR_PREFIX + talking
    if state is LineState.RINGING:
        return "warning" if ringing == THEME else COLOUR_PREFIX + ringing
    return ""


def tone_style(tone: str) -> Style | None:
    """The style of a ``colour:NAME`` tone (bold, in that colour); None for the theme's
    tones, which the widget's component classes draw."""
    if not tone.startswith(COLOUR_PREFIX):
        return None
    try:
        colour = Color.parse(tone.removeprefix(COLOUR_PREFIX))
    except ColorParseError:
        return None
    return Style(color=colour.rich_color, bold=True)
