"""``BlfGrid``: the supervised colleagues as numbered tiles (busy-lamp field, Webpilot §5/§13).

Each tile: its shortcut number (1…9, 0 for the first ten), the name and extension, the line
state as a symbol *and* a word (free, ringing, on a call, on hold, unavailable, unknown — a
line the switch has not reported is "unknown", never guessed), then DND or the forward target,
else the presence. Busy tiles are drawn in the theme's error colour, ringing ones in its
warning colour (the word says it too). With the grid focused, ←/→/↑/↓ move between tiles and a
digit jumps to that tile; the F-keys then act on it (F3 call, F4 transfer, Alt+I pick up).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from tws_tui.core.model import LineState, MonitoredDevice
from tws_tui.format import DND_SYMBOL, LINE_SYMBOL, LINE_WORD, PRESENCE_WORD
from tws_tui.i18n import _

TILE_WIDTH = 26
SHORTCUTS = "1234567890"
BUSY = {LineState.TALKING, LineState.HOLD, LineState.DIALING}


def tile_text(index: int, device: MonitoredDevice) -> tuple[str, str]:
    """The two lines of one tile (each at most ``TILE_WIDTH - 2`` cells)."""
    key = SHORTCUTS[index] if index < len(SHORTCUTS) else " "
    first = f"{key} {device.name}"
    if device.extension:
        first += f" ({device.extension})"
    state = f"  {LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}"
    if device.dnd:
        state += f" {DND_SYMBOL}"
    elif device.forward_unconditional:
        state += f" → {device.forward_unconditional}"
    elif device.presence is not None:
        state += f" · {_(PRESENCE_WORD[device.presence])}"
    return _cut(first), _cut(state)


def _cut(text: str, width: int = TILE_WIDTH - 2) -> str:
    if cell_len(text) <= width:
        return text
    return text[: width - 1] + "…"


class BlfGrid(Widget, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "blf--title",
        "blf--busy",
        "blf--ringing",
        "blf--cursor",
    }
    DEFAULT_CSS = """
    BlfGrid { height: auto; padding: 0 1; margin-top: 1; }
    BlfGrid > .blf--title { color: $secondary; text-style: bold; }
    BlfGrid > .blf--busy { color: $text-error; text-style: bold; }
    BlfGrid > .blf--ringing { color: $text-warning; text-style: bold; }
    BlfGrid > .blf--cursor { text-style: reverse; }
    """
    BINDINGS: ClassVar = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", "move_row(-1)", show=False),
        Binding("down", "move_row(1)", show=False),
        *(Binding(key, f"jump({index})", show=False) for index, key in enumerate(SHORTCUTS)),
    ]

    cursor: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.devices: list[MonitoredDevice] = []
        self.title = ""  # its first line (a widget of its own would cost the first frame)

    @property
    def selected(self) -> MonitoredDevice | None:
        return self.devices[self.cursor] if 0 <= self.cursor < len(self.devices) else None

    def show(self, devices: Sequence[MonitoredDevice], title: str = "") -> None:
        self.devices = list(devices)
        self.title = title
        self.cursor = min(self.cursor, max(0, len(self.devices) - 1))
        self.refresh(layout=True)

    def _per_row(self) -> int:
        return max(1, (self.size.width or 80) // TILE_WIDTH)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        if self.title:
            text.append(self.title + "\n", self.get_component_rich_style("blf--title"))
        if not self.devices:
            text.append(_("Nobody supervised: Ctrl+B on a colleague in the list adds them here."))
            return text
        per_row = self._per_row()
        for start in range(0, len(self.devices), per_row):
            row = list(enumerate(self.devices))[start : start + per_row]
            for line in (0, 1):
                if start or line:
                    text.append("\n")  # (the title line, if any, already ends with one)
                for index, device in row:
                    style = Style()
                    if device.line_state in BUSY:
                        style = self.get_component_rich_style("blf--busy")
                    elif device.line_state is LineState.RINGING:
                        style = self.get_component_rich_style("blf--ringing")
                    if index == self.cursor and self.has_focus:
                        style += self.get_component_rich_style("blf--cursor")
                    cell = tile_text(index, device)[line]
                    text.append(cell + " " * (TILE_WIDTH - 1 - cell_len(cell)), style)
                    text.append(" ")
        return text

    def action_move(self, step: int) -> None:
        if self.devices:
            self.cursor = (self.cursor + step) % len(self.devices)

    def action_move_row(self, step: int) -> None:
        if self.devices:
            self.cursor = max(0, min(len(self.devices) - 1, self.cursor + step * self._per_row()))

    def action_jump(self, index: int) -> None:
        if index < len(self.devices):
            self.cursor = index

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
