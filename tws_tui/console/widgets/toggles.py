"""On/off controls whose state reads without colour (``NO_COLOR``, a monochrome terminal).

Textual's own controls say their state by colour alone: a check box always shows "X" (green when
ticked), every radio button shows "●" (lit when pressed), a switch is a coloured slider. These
subclasses keep their behaviour, messages and keys and change only the glyph:

* :class:`TickBox` — a ``Checkbox`` showing ``X`` when ticked and a blank when not;
* :class:`RadioChoice` — a ``RadioButton`` showing ``●`` when chosen and a blank when not;
* :class:`OnOffSwitch` — a ``Switch`` drawn as ``[x]`` / ``[ ]`` (it still posts
  ``Switch.Changed``, so handlers and queries by ``Switch`` are unchanged).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Checkbox, RadioButton, Switch

BLANK = " "


class TickBox(Checkbox):
    """A check box whose mark is there only when it is ticked."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads it per render
        return "X" if self.value else BLANK


class RadioChoice(RadioButton):
    """A radio button whose dot is there only when it is the one chosen."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual reads it per render
        return "●" if self.value else BLANK


class OnOffSwitch(Switch):
    """A switch drawn as a box with a mark: ``[x]`` on, ``[ ]`` off (its colour says it too)."""

    DEFAULT_CSS = """
    OnOffSwitch { padding: 0; }
    """

    def render(self) -> Text:
        colour = self.get_component_rich_style("switch--slider").color
        style = Style(color=colour, bold=True) if self.value else Style()
        return Text("[x]" if self.value else "[ ]", style=style, no_wrap=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 3
