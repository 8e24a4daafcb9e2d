"""Readable monochrome for ``NO_COLOR``: greys with enough contrast to read.

With ``NO_COLOR`` set, Textual turns every colour into its grey (``textual.filter.Monochrome``).
Text that was told apart by hue alone then lands on a grey close to its background: a muted note
("No parked call.") or a section title in an accent colour becomes dark grey on darker grey.
:class:`ReadableMonochrome` does the same conversion, then moves a foreground that is too close
to its background to a grey :data:`MIN_CONTRAST` away from it (lighter on a dark background,
darker on a light one) — readable, and still fainter than ordinary text, so a key shown
faint because it does nothing now stays told apart. Styles — bold, reverse, underline, dim —
are kept: they are what shows states without colour. ``TwsApp.get_line_filters`` puts it in
place of Textual's filter.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

#: The least difference of perceived brightness (0…1) kept between a text and its background.
MIN_CONTRAST = 0.45


@lru_cache(1024)
def readable_grey_style(style: Style, background: Color) -> Style:
    """``style`` in greys, its foreground at least :data:`MIN_CONTRAST` from its background
    (its own, else the line's ``background``)."""
    back = (
        Color.from_rich_color(style.bgcolor).monochrome
        if style.bgcolor is not None
        else background.monochrome
    )
    fore = Color.from_rich_color(style.color).monochrome if style.color is not None else None
    if fore is not None and abs(fore.brightness - back.brightness) < MIN_CONTRAST:
        level = back.brightness + (MIN_CONTRAST if back.brightness < 0.5 else -MIN_CONTRAST)
        grey = round(255 * level)
        fore = Color(grey, grey, grey)
    return style + Style.from_color(
        fore.rich_color if fore is not None else None,
        back.rich_color if style.bgcolor is not None else None,
    )


class ReadableMonochrome(LineFilter):
    """Every colour to grey, every text readable on its background."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else readable_grey_style(style, background), None)
            for text, style, _control in segments
        ]
