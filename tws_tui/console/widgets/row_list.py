"""``RowList``: a keyed, read-only table drawn with the line API (only visible rows are drawn).

For lists that can be long (colleagues, contacts, waiting calls). Two ways to fill it:

* ``set_rows(columns, rows)``: every row's text given at once; one pass sizes the columns;
* ``set_source(columns, source, widths)``: a :class:`RowSource` that formats a row only when
  it is drawn, with fixed column widths, so that a list of 10 000 rows whose text changes every
  second (waiting times) costs only the lines on screen; ``refresh()`` redraws them.

Each frame draws only the lines on screen, and new rows repaint only the cells that changed on
screen (a colleague's line state: those words, not the table; over SSH that is most of what an
idle console sends). The cursor follows its row's key across updates. A
header line stays on top. Cells are plain text (never markup); a row may be drawn in the
theme's warning or error colour (its *tone*), which should repeat something the text already
says. ``highlight(words)`` marks, in green, where those words occur in the rows' text, case and
accents ignored (TWS-2.3.1.1-2: the text a search matched). Keys: up/down, page up/down,
home/end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import ClassVar, NamedTuple, Protocol, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tws_tui.console.textual_private import update_scrollbars
from tws_tui.console.widgets.supervision_colours import tone_style
from tws_tui.domain.format import cut
from tws_tui.domain.text import fold

COLUMN_GAP = 2
#: A column is never cut below this many cells (or its own width when narrower) to fit.
MIN_COLUMN = 5


@lru_cache(256)
def fit_widths(
    widths: tuple[int, ...], content: tuple[int, ...], available: int
) -> tuple[int, ...]:
    """Column widths (``widths``: each column's header or widest cell) that fit ``available``
    cells, gaps included. First the headers wider than their cells give up what their cells
    do not use ("Ext./number" over three-digit extensions); then the widest columns give up
    cells, none below :data:`MIN_COLUMN`. Every column keeps a readable start rather than the
    last ones falling off the right edge of an 80-column terminal."""
    fitted = list(widths)
    excess = sum(fitted) + COLUMN_GAP * max(0, len(fitted) - 1) - available
    for i, (width, cells) in enumerate(zip(widths, content, strict=True)):
        if excess <= 0:
            break
        spare = width - max(cells, MIN_COLUMN)
        if spare > 0:
            given = min(spare, excess)
            fitted[i] -= given
            excess -= given
    while excess > 0:
        widest = max(range(len(fitted)), key=lambda i: fitted[i])
        if fitted[widest] <= min(widths[widest], MIN_COLUMN):
            break
        fitted[widest] -= 1
        excess -= 1
    return tuple(fitted)


class _OneFolded(dict[int, str]):
    """``str.translate`` table: each character to the first of its :func:`fold`, so a text
    and its folded form keep the same positions (``"É"`` → ``"e"``); filled as met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = folded = (fold(char) or char)[0]
        return folded


_ONE_FOLDED = _OneFolded()


def _runs(strip: Strip, *, backwards: bool = False) -> list[tuple[str, Style | None]]:
    """``strip``'s text in runs of one style (adjacent segments of the same style joined, so
    two drawings of the same cells give the same runs); ``backwards``: from the right end,
    each run's text reversed."""
    runs = [(text, style) for text, style, _control in Segment.simplify(strip)]
    if backwards:
        runs = [(text[::-1], style) for text, style in reversed(runs)]
    return runs


def _same_cells(old: list[tuple[str, Style | None]], new: list[tuple[str, Style | None]]) -> int:
    """How many cells two lines in runs (see :func:`_runs`) have alike from their start."""
    cells = 0
    for (old_text, old_style), (new_text, new_style) in zip(old, new, strict=False):
        if old_style != new_style:
            break
        if old_text == new_text:
            cells += cell_len(old_text)
            continue
        alike = 0
        for a, b in zip(old_text, new_text, strict=False):
            if a != b:
                break
            alike += 1
        return cells + cell_len(old_text[:alike])
    return cells


def changed_columns(old: Strip, new: Strip) -> tuple[int, int] | None:
    """The columns ``[start, end)`` where two drawings of a line differ; None if they do not.

    Compared run by run (a line is a few runs of one style), a character at a time only
    inside the first and the last runs that differ."""
    if old == new:
        return None
    start = _same_cells(_runs(old), _runs(new))
    old_length, new_length = old.cell_length, new.cell_length
    tail = _same_cells(_runs(old, backwards=True), _runs(new, backwards=True))
    tail = min(tail, old_length - start, new_length - start)
    return start, max(old_length - tail, new_length - tail, start + 1)


def _fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    shown = cut(text, width)
    return shown + " " * (width - cell_len(shown))


def _pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """What finds any of ``words`` (the longest first), or None without a word."""
    wanted = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, wanted))) if wanted else None


@lru_cache(4096)
def _joined(values: tuple[str, ...], widths: tuple[int, ...]) -> str:
    """One line of cells, each cut or padded to its column's width (the same row drawn again,
    as each letter of a search narrows the rows, is not measured again)."""
    gap = " " * COLUMN_GAP
    return gap.join(_fit(v, w) for v, w in zip(values, widths, strict=False))


class _View(NamedTuple):
    """What a line drawn depends on besides the rows (see ``RowList._view``)."""

    scroll_y: int
    width: int
    content_width: int
    cursor: int
    scroll_x: int


class RowSource(Protocol):
    """Rows produced on demand: how many, each one's key, text and tone (``""``, ``"warning"``
    or ``"error"``), and where a key is."""

    def __len__(self) -> int: ...
    def key(self, index: int) -> str: ...
    def index_of(self, key: str) -> int | None: ...
    def cells(self, index: int) -> Sequence[str]: ...
    def tone(self, index: int) -> str: ...


class _GivenRows:
    """The :class:`RowSource` of ``set_rows``: every row's text already known."""

    def __init__(self, rows: Mapping[str, Sequence[str]], tones: Mapping[str, str]) -> None:
        self.keys = list(rows)
        self.rows = [tuple(values) for values in rows.values()]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.tones = tones

    def __len__(self) -> int:
        return len(self.rows)

    def key(self, index: int) -> str:
        return self.keys[index]

    def index_of(self, key: str) -> int | None:
        return self.index.get(key)

    def cells(self, index: int) -> Sequence[str]:
        return self.rows[index]

    def tone(self, index: int) -> str:
        return self.tones.get(self.keys[index], "")


class RowList(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rowlist--header",
        "rowlist--cursor",
        "rowlist--warning",
        "rowlist--error",
        "rowlist--match",
    }
    DEFAULT_CSS = """
    RowList { height: 1fr; }
    RowList > .rowlist--header { text-style: bold; background: $panel; }
    RowList > .rowlist--cursor { background: $block-cursor-background;
                                 color: $block-cursor-foreground; text-style: bold; }
    RowList:blur > .rowlist--cursor { background: $block-cursor-blurred-background;
                                      text-style: none; }
    RowList > .rowlist--warning { color: $text-warning; }
    RowList > .rowlist--error { color: $text-error; text-style: bold; }
    RowList > .rowlist--match { color: $text-success; text-style: bold underline; }
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
    #: Cells at the right end of each line that a subclass draws (``BarRowList``: its bar).
    END_CELLS: ClassVar[int] = 0

    class Highlighted(Message):
        def __init__(self, key: str | None, row_list: RowList | None = None) -> None:
            super().__init__()
            self.key = key
            self.row_list = row_list

        @property
        def control(self) -> RowList | None:
            """The list whose cursor moved (for ``@on(..., selector)`` and handlers)."""
            return self.row_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # The lines just drawn to compare with (see _repaint_changes), and the _view() they
        # were drawn at: the repaint that follows takes them instead of drawing them again.
        self._fresh: dict[int, Strip] = {}
        self._fresh_at: _View | None = None
        super().__init__(id=id, classes=classes)
        self._columns: tuple[str, ...] = ()
        self._source: RowSource = _GivenRows({}, {})
        self._widths: tuple[int, ...] = ()  # each column's header or widest cell
        self._content_widths: tuple[int, ...] = ()  # each column's widest cell
        self._match: re.Pattern[str] | None = None  # see highlight()
        self._base_style: Style | None = None  # the widget's style during one repaint
        self._batch_view: _View | None = None  # and its _view() (see _drawing)
        # The line last drawn at each y on screen, and the (scroll, width) they were drawn at:
        # what a change of rows is compared with (see _repaint_changes).
        self._drawn: dict[int, Strip] = {}
        self._drawn_at: tuple[int, int] = (-1, -1)

    # ---- data --------------------------------------------------------------------------

    def set_rows(
        self,
        columns: Sequence[str],
        rows: Mapping[str, Sequence[str]],
        *,
        tones: Mapping[str, str] | None = None,
        marked: Sequence[str] | None = None,
    ) -> None:
        """Replace the content; the cursor stays on the same key when it is still there.

        ``tones`` maps a row key to ``"warning"`` or ``"error"`` for rows drawn in that colour;
        ``marked``: the words to highlight from now on, in the same repaint (see
        :meth:`set_source`).
        """
        source = _GivenRows(rows, tones or {})
        widths = [cell_len(c) for c in columns]
        for key, row in zip(source.keys, source.rows, strict=True):
            if not self._sizes_columns(key):
                continue
            for i, value in enumerate(row):
                if cell_len(value) > widths[i]:
                    widths[i] = cell_len(value)
        self.set_source(columns, source, widths, marked=marked)

    def _sizes_columns(self, key: str) -> bool:
        """Whether the row ``key`` counts in the columns' widths (every row does here)."""
        return True

    def set_source(
        self,
        columns: Sequence[str],
        source: RowSource,
        widths: Sequence[int],
        *,
        marked: Sequence[str] | None = None,
    ) -> None:
        """Replace the content with rows formatted when drawn, in columns of ``widths`` cells
        (a header wider than its column widens it); the cursor stays on its key. Only the
        cells on screen that now read or look different are repainted. ``marked``: the words
        to highlight from now on (see :meth:`highlight`), in the same repaint."""
        drawn = self._lines_drawn()
        if marked is not None:
            self._match = _pattern(marked)
        selected = self.selected_key
        self._columns = tuple(columns)
        self._source = source
        self._content_widths = tuple(widths)
        self._widths = tuple(max(w, cell_len(c)) for w, c in zip(widths, columns, strict=True))
        # The columns are fitted to the list's width when drawn: nothing to scroll sideways.
        self._set_virtual_size(Size(0, len(source) + 1))
        position = self.cursor
        if selected is not None:
            found = source.index_of(selected)
            position = found if found is not None else self.cursor
        self.set_reactive(RowList.cursor, max(0, min(position, len(source) - 1)))
        self._repaint_changes(drawn)

    @contextmanager
    def _drawing(self) -> Iterator[None]:
        """Several lines drawn at once: the widget's style and its :meth:`_view` worked out
        once for all of them (Textual's ``rich_style`` walks the ancestors' backgrounds, and
        the content region is measured again at each call: together most of a line's cost
        when asked for each line)."""
        self._base_style = self.rich_style
        self._batch_view = self._view()
        try:
            yield
        finally:
            self._base_style = None
            self._batch_view = None

    def _lines_on_screen(self) -> list[Strip]:
        """Every line on screen drawn as things are now."""
        with self._drawing():
            return [self.render_line(y) for y in range(self.size.height)]

    def _lines_drawn(self) -> list[Strip]:
        """The lines on screen as last drawn: those kept from the last repaint when it was at
        the same scroll and width (a change of rows then costs one drawing of them, not
        two), else drawn now."""
        height = self.size.height
        drawn = self._drawn
        at = (self.scroll_offset.y, max(0, self.size.width - self.END_CELLS))
        if self._drawn_at != at or len(drawn) < height:
            return self._lines_on_screen()
        return [drawn[y] for y in range(height)]

    def _repaint_changes(self, drawn: list[Strip]) -> None:
        """Repaint the columns of each line on screen that differ from ``drawn`` (the lines
        as they were); everything when nothing was drawn yet."""
        self._fresh = {}  # drawn before this change
        if not drawn:
            self.refresh()
            return
        lines = self._lines_on_screen()
        changes = []
        for y, (old, new) in enumerate(zip(drawn, lines, strict=True)):
            changed = changed_columns(old, new)
            if changed is not None:
                start, end = changed
                changes.append(Region(start, y, end - start, 1))
        if changes:  # one call for all of them (each call marks the widget and its screen)
            self.refresh(*changes)
        self._fresh = dict(enumerate(lines))
        self._fresh_at = self._view()

    def _view(self) -> _View:
        """What a line drawn depends on besides the rows: scroll, widths, cursor."""
        if self._batch_view is not None:
            return self._batch_view
        scroll_x, scroll_y = self.scroll_offset
        end = self.END_CELLS
        return _View(
            scroll_y,
            max(0, self.size.width - end),
            max(0, self.scrollable_content_region.width - end),
            self.cursor,
            scroll_x,
        )

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """Textual's; a repaint of the whole list (a change that is not a change of rows:
        the cursor, focus, a source's texts) draws every line again."""
        if not regions:
            self._fresh = {}
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._fresh = {}  # drawn in the former colours
        super().notify_style_update()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the scrollable size without a layout of the whole screen when the list's own
        size does not depend on it (not ``auto``): Textual's reactive ``virtual_size`` asks
        for a layout, which repaints every widget of the screen (~10 ms at 120x40), and
        search-as-you-type changes the rows at each letter. Scrollbars that appear or vanish
        still ask for their layout."""
        if size == self.virtual_size:
            return
        height, width = self.styles.height, self.styles.width
        if (height is not None and height.is_auto) or (width is not None and width.is_auto):
            self.virtual_size = size
            return
        self.set_reactive(RowList.virtual_size, size)
        update_scrollbars(self, size)  # scrollbars shown or hidden, their sizes, scroll limits

    def highlight(self, words: Sequence[str]) -> None:
        """Mark where ``words`` (already folded: lower case, no accents) occur in the rows;
        no words, no marks. Only the lines on screen are redrawn."""
        match = _pattern(words)
        if (match and match.pattern) != (self._match and self._match.pattern):
            drawn = self._lines_drawn()
            self._match = match
            self._repaint_changes(drawn)

    @property
    def source(self) -> RowSource:
        """What the list shows (the one given to ``set_source``, or the rows of ``set_rows``)."""
        return self._source

    @property
    def row_count(self) -> int:
        return len(self._source)

    @property
    def selected_key(self) -> str | None:
        source = self._source
        return source.key(self.cursor) if 0 <= self.cursor < len(source) else None

    def row_keys(self) -> list[str]:
        return [self._source.key(i) for i in range(len(self._source))]

    def row(self, key: str) -> tuple[str, ...]:
        index = self._source.index_of(key)
        if index is None:
            raise KeyError(key)
        return tuple(self._source.cells(index))

    def tone(self, key: str) -> str:
        index = self._source.index_of(key)
        return self._source.tone(index) if index is not None else ""

    def columns(self) -> tuple[str, ...]:
        return self._columns

    # ---- drawing -----------------------------------------------------------------------

    def _line_text(self, values: Sequence[str]) -> str:
        available = self._view().content_width
        widths = fit_widths(self._widths, self._content_widths, available)
        return _joined(tuple(values), widths)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of one repaint, drawn together (see :meth:`_drawing`)."""
        with self._drawing():
            return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` (:meth:`draw_line`, or as just drawn to find what changed), kept as
        what the screen shows there."""
        view = self._view()
        at = (view.scroll_y, view.width)
        fresh = self._fresh.pop(y, None) if self._fresh_at == view else None
        strip = self.draw_line(y) if fresh is None else fresh
        if at != self._drawn_at:
            self._drawn.clear()
            self._drawn_at = at
        self._drawn[y] = strip
        return strip

    def draw_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, a row, or blank below the last row."""
        view = self._view()
        width, scroll_x, scroll_y = view.width, view.scroll_x, view.scroll_y
        own = self._base_style if self._base_style is not None else self.rich_style
        if y == 0:
            text, style = (
                self._line_text(self._columns),
                self.get_component_rich_style("rowlist--header"),
            )
        else:
            index = scroll_y + y - 1
            if index >= len(self._source):
                end = self.line_end(y)
                if not end:
                    return Strip.blank(width, own)
                return Strip([Segment(" " * width, own), *end], width + self.END_CELLS)
            text = self._line_text(self._source.cells(index))
            if index == self.cursor:
                style = self.get_component_rich_style("rowlist--cursor")
            elif tone := self._source.tone(index):
                style = tone_style(tone) or self.get_component_rich_style(f"rowlist--{tone}")
            else:
                style = Style()
        base = own + style
        segments = [Segment(text, base)]
        if self._match is not None and y != 0:
            segments = self._marked(text, base)
        length = cell_len(text)
        end = self.line_end(y)
        if scroll_x == 0 and length <= width:  # as always (the columns fit): one Strip made
            if length < width:
                segments.append(Segment(" " * (width - length), base))
            return Strip([*segments, *end], width + self.END_CELLS)
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        strip = strip.extend_cell_length(width, base)
        return Strip.join([strip, Strip(end)]) if end else strip

    def line_end(self, y: int) -> Sequence[Segment]:
        """What a subclass draws after line ``y``'s rows (:attr:`END_CELLS` cells)."""
        return ()

    def _marked(self, text: str, base: Style) -> list[Segment]:
        """``text`` in segments, the matches of the highlighted words in the match style.
        Each character is folded alone so positions stay those of ``text``."""
        assert self._match is not None
        folded = text.lower() if text.isascii() else text.translate(_ONE_FOLDED)
        marked = base + self.get_component_rich_style("rowlist--match")
        segments: list[Segment] = []
        at = 0
        for found in self._match.finditer(folded):
            if found.start() > at:
                segments.append(Segment(text[at : found.start()], base))
            segments.append(Segment(text[found.start() : found.end()], marked))
            at = found.end()
        if at < len(text):
            segments.append(Segment(text[at:], base))
        return segments or [Segment(text, base)]

    # ---- moving ------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        visible = max(1, self.size.height - 1)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.selected_key, self))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._go(self.scroll_offset.y + event.y - 1)

    def select_key(self, key: str) -> bool:
        """Put the cursor on the row ``key``; False (cursor unchanged) when there is none."""
        index = self._source.index_of(key)
        if index is None:
            return False
        self._go(index)
        return True

    def _go(self, index: int) -> None:
        if len(self._source):
            self.cursor = max(0, min(index, len(self._source) - 1))

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        """Scroll one page and move the cursor by as much, like a pager."""
        step = direction * max(1, self.size.height - 1)
        self.scroll_to(y=self.scroll_offset.y + step, animate=False, immediate=True)
        self._go(self.cursor + step)

    def action_edge(self, end: int) -> None:
        self._go(len(self._source) - 1 if end else 0)
