"""``RowList``: a keyed, read-only table drawn with the line API (only visible rows are drawn).

For lists that can be long (colleagues, contacts): ``set_rows`` costs one pass over the rows to
size the columns, and each frame draws only the lines on screen, so the list costs the same at
40 rows and at 100 000. The cursor follows its row's key across updates. A header line stays on
top. Cells are plain text (never markup). Keys: up/down, page up/down, home/end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

COLUMN_GAP = 2


def _fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    out, used = [], 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…" + " " * (width - 1 - used)


class RowList(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"rowlist--header", "rowlist--cursor"}
    DEFAULT_CSS = """
    RowList { height: 1fr; }
    RowList > .rowlist--header { text-style: bold; background: $panel; }
    RowList > .rowlist--cursor { background: $block-cursor-background;
                                 color: $block-cursor-foreground; text-style: bold; }
    RowList:blur > .rowlist--cursor { background: $block-cursor-blurred-background;
                                      text-style: none; }
    """
    BINDINGS: ClassVar = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Highlighted(Message):
        def __init__(self, key: str | None) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._columns: tuple[str, ...] = ()
        self._keys: list[str] = []
        self._rows: list[tuple[str, ...]] = []
        self._index: dict[str, int] = {}
        self._widths: list[int] = []

    # ---- data --------------------------------------------------------------------------

    def set_rows(self, columns: Sequence[str], rows: Mapping[str, Sequence[str]]) -> None:
        """Replace the content; the cursor stays on the same key when it is still there."""
        selected = self.selected_key
        self._columns = tuple(columns)
        self._keys = list(rows)
        self._rows = [tuple(values) for values in rows.values()]
        self._index = {key: i for i, key in enumerate(self._keys)}
        self._widths = [cell_len(c) for c in self._columns]
        for row in self._rows:
            for i, value in enumerate(row):
                if cell_len(value) > self._widths[i]:
                    self._widths[i] = cell_len(value)
        width = sum(self._widths) + COLUMN_GAP * max(0, len(self._widths) - 1)
        self.virtual_size = Size(width, len(self._rows) + 1)
        position = self._index.get(selected, self.cursor) if selected else self.cursor
        self.set_reactive(RowList.cursor, max(0, min(position, len(self._rows) - 1)))
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def selected_key(self) -> str | None:
        return self._keys[self.cursor] if 0 <= self.cursor < len(self._keys) else None

    def row(self, key: str) -> tuple[str, ...]:
        return self._rows[self._index[key]]

    def columns(self) -> tuple[str, ...]:
        return self._columns

    # ---- drawing -----------------------------------------------------------------------

    def _line_text(self, values: Sequence[str]) -> str:
        gap = " " * COLUMN_GAP
        return gap.join(_fit(v, w) for v, w in zip(values, self._widths, strict=False))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            text, style = (
                self._line_text(self._columns),
                self.get_component_rich_style("rowlist--header"),
            )
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            text = self._line_text(self._rows[index])
            style = (
                self.get_component_rich_style("rowlist--cursor")
                if index == self.cursor
                else Style()
            )
        base = self.rich_style + style
        strip = Strip([Segment(text, base)]).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, base)

    # ---- moving ------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        visible = max(1, self.size.height - 1)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.selected_key))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._go(self.scroll_offset.y + event.y - 1)

    def _go(self, index: int) -> None:
        if self._rows:
            self.cursor = max(0, min(index, len(self._rows) - 1))

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        """Scroll one page and move the cursor by as much, like a pager."""
        step = direction * max(1, self.size.height - 1)
        self.scroll_to(y=self.scroll_offset.y + step, animate=False, immediate=True)
        self._go(self.cursor + step)

    def action_edge(self, end: int) -> None:
        self._go(len(self._rows) - 1 if end else 0)
