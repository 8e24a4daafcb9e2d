"""``BlfGrid``: the keys of the virtual phone as numbered tiles (busy-lamp field, Webpilot §5/§13).

The tiles come from :func:`tws_tui.domain.phone_keys.tiles`: queues first, then the supervised
colleagues by name, then the shortcuts (WPL-13.1-5). Each tile starts with its number (1…9, 0
for the first ten). A colleague's: the name and extension, the line state as a symbol *and* a
word (free, ringing, on a call, on hold, unavailable, unknown — a line the switch has not
reported is "unknown", never guessed), then who is calling them (← name or number) or on
the line with them (↔) when the switch says, else DND or the forward target, else the
presence. A
queue's (≡): its name and number, the calls waiting and the agents busy out of those logged
in. A shortcut's (★): its label and the number it dials. Busy colleagues, and queues with
callers waiting and no agent ready, are drawn in the theme's error colour; ringing colleagues
and queues with callers waiting in its warning colour (the words say it too); a colleague's
tile in the supervision colours chosen in Preferences instead, when chosen (TWS-6.3-2/-3,
``supervision_colours.py``). With the grid
focused, ←/→/↑/↓ move between tiles and a digit jumps to that tile; the F-keys then act on it
(F3 call, F4 transfer, Alt+I pick up). New tiles repaint only the tiles that read or look
different (a colleague's line state changes one tile, not the grid); the grid is laid out again
only when its tiles, title or empty text come or go.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

from tws_tui.console.widgets.supervision_colours import THEME, line_tone, tone_style
from tws_tui.core.model import LineState, MonitoredDevice
from tws_tui.domain.format import DND_SYMBOL, LINE_SYMBOL, LINE_WORD, PRESENCE_WORD, cut
from tws_tui.domain.phone_keys import Tile
from tws_tui.platform.i18n import _

TILE_WIDTH = 26
SHORTCUTS = "1234567890"
Colours = tuple[str, str]  # the supervision colours: ringing, on a call
#: The line states whose other party the tile names when the switch says who it is.
PEER_SHOWN = {LineState.RINGING, LineState.TALKING, LineState.HOLD}
QUEUE_SYMBOL = "≡"
SHORTCUT_SYMBOL = "★"


def tile_text(index: int, tile: Tile) -> tuple[str, str]:
    """The two lines of one tile (each at most ``TILE_WIDTH - 2`` cells)."""
    key = SHORTCUTS[index] if index < len(SHORTCUTS) else " "
    if tile.queue is not None:
        queue = tile.queue
        first = f"{key} {QUEUE_SYMBOL} {queue.name}"
        if queue.number:
            first += f" ({queue.number})"
        state = "  " + _("{waiting} waiting · {busy}/{agents} busy").format(
            waiting=len(queue.waiting), busy=queue.agents_busy, agents=queue.agents_logged_in
        )
        return _cut(first), _cut(state)
    if tile.device is None:
        first = f"{key} {SHORTCUT_SYMBOL} {tile.label or tile.number}"
        state = f"  {tile.number}" if tile.label else "  " + _("shortcut")
        return _cut(first), _cut(state)
    device = tile.device
    first = f"{key} {device.name}"
    if device.extension:
        first += f" ({device.extension})"
    state = f"  {LINE_SYMBOL[device.line_state]} {_(LINE_WORD[device.line_state])}"
    peer = device.peer
    if peer is not None and device.line_state in PEER_SHOWN and (peer.name or peer.number):
        arrow = "←" if device.line_state is LineState.RINGING else "↔"
        state += f" {arrow} {peer.name or peer.number}"
    elif device.dnd:
        state += f" {DND_SYMBOL}"
    elif device.forward_unconditional:
        state += f" → {device.forward_unconditional}"
    elif device.presence is not None:
        state += f" · {device.presence_label or _(PRESENCE_WORD[device.presence])}"
    return _cut(first), _cut(state)


def tile_tone(tile: Tile, colours: Colours = (THEME, THEME)) -> str:
    """``"busy"``, ``"ringing"``, ``"colour:NAME"`` or ``""``: a busy colleague, or callers
    waiting in a queue with no agent ready; a ringing colleague, or callers waiting; a
    colleague in a supervision colour of ``colours``."""
    if tile.queue is not None:
        if not tile.queue.waiting:
            return ""
        return "busy" if tile.queue.agents_ready == 0 else "ringing"
    if tile.device is None:
        return ""
    tone = line_tone(tile.device.line_state, *colours)
    return {"error": "busy", "warning": "ringing"}.get(tone, tone)


def tile_look(index: int, tile: Tile, colours: Colours) -> tuple[tuple[str, str], str]:
    """What the tile shows: its two lines and its tone."""
    return tile_text(index, tile), tile_tone(tile, colours)


def _cut(text: str, width: int = TILE_WIDTH - 2) -> str:
    return cut(text, width)


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
        self.tiles: list[Tile] = []
        self.title = ""  # its first line (a widget of its own would cost the first frame)
        self.empty = ""  # what it says when there is no tile
        self.colours: Colours = (THEME, THEME)

    @property
    def selected(self) -> Tile | None:
        return self.tiles[self.cursor] if 0 <= self.cursor < len(self.tiles) else None

    @property
    def selected_device(self) -> MonitoredDevice | None:
        """The colleague of the selected tile (None on a queue or a shortcut)."""
        tile = self.selected
        return tile.device if tile is not None else None

    @property
    def devices(self) -> list[MonitoredDevice]:
        """The colleagues' tiles' devices, in grid order."""
        return [tile.device for tile in self.tiles if tile.device is not None]

    def show(
        self,
        tiles: Sequence[Tile],
        title: str = "",
        empty: str = "",
        colours: Colours = (THEME, THEME),
    ) -> None:
        before = [tile_look(index, tile, self.colours) for index, tile in enumerate(self.tiles)]
        self.colours = colours
        same_frame = len(tiles) == len(self.tiles) and (title, empty) == (self.title, self.empty)
        self.tiles = list(tiles)
        self.title = title
        self.empty = empty
        self.cursor = min(self.cursor, max(0, len(self.tiles) - 1))
        if not same_frame:
            self.refresh(layout=True)
            return
        per_row, top = self._per_row(), 1 if title else 0
        for index, tile in enumerate(self.tiles):
            if tile_look(index, tile, colours) != before[index]:
                row, column = divmod(index, per_row)
                self.refresh(Region(column * TILE_WIDTH, top + 2 * row, TILE_WIDTH, 2))

    def _per_row(self) -> int:
        return max(1, (self.size.width or 80) // TILE_WIDTH)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        if self.title:
            text.append(self.title + "\n", self.get_component_rich_style("blf--title"))
        if not self.tiles:
            text.append(self.empty)
            return text
        per_row = self._per_row()
        for start in range(0, len(self.tiles), per_row):
            row = list(enumerate(self.tiles))[start : start + per_row]
            for line in (0, 1):
                if start or line:
                    text.append("\n")  # (the title line, if any, already ends with one)
                for index, tile in row:
                    style = Style()
                    if tone := tile_tone(tile, self.colours):
                        style = tone_style(tone) or self.get_component_rich_style(f"blf--{tone}")
                    if index == self.cursor and self.has_focus:
                        style += self.get_component_rich_style("blf--cursor")
                    cell = tile_text(index, tile)[line]
                    text.append(cell + " " * (TILE_WIDTH - 1 - cell_len(cell)), style)
                    text.append(" ")
        return text

    def action_move(self, step: int) -> None:
        if self.tiles:
            self.cursor = (self.cursor + step) % len(self.tiles)

    def action_move_row(self, step: int) -> None:
        if self.tiles:
            self.cursor = max(0, min(len(self.tiles) - 1, self.cursor + step * self._per_row()))

    def action_jump(self, index: int) -> None:
        if index < len(self.tiles):
            self.cursor = index

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
