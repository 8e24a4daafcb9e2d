"""``BarRowList``: a :class:`~tws_tui.console.widgets.row_list.RowList` that draws its vertical
scrollbar in its own lines, for lists whose rows change at each key (History's search).

Textual's scrollbar is a widget of its own: each change of the rows' count (each letter of a
search) re-renders all of its cells through Rich and styles them line by line, and the frame
cuts every line of the list at its edge — ``bench/history.py`` measured 2–3 ms of a letter's
frame there, a fifth of the slowest keys. Here the same bar (Textual's ``ScrollBarRender``,
its glyphs and the list's ``scrollbar-*`` colours: the cells look the same) ends each line the
list draws anyway, so a change of rows repaints it with them, in the cells that changed. The
widget's own scrollbar is kept at no width (``overflow-y: scroll`` and
``scrollbar-size-vertical: 0``): the mouse wheel scrolls as before, and no scrollbar appearing
or vanishing lays the screen out. A click on the bar scrolls there; dragging it scrolls along.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from math import ceil
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.scrollbar import ScrollBarRender

from tws_tui.console.widgets.row_list import RowList


class BarRowList(RowList):
    DEFAULT_CSS = """
    BarRowList { overflow-y: scroll; overflow-x: hidden; scrollbar-size-vertical: 0; }
    """
    #: The bar's width in cells (Textual's default vertical scrollbar size): the rows are
    #: drawn that much narrower.
    BAR_WIDTH: ClassVar[int] = 2
    END_CELLS = BAR_WIDTH

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        # the bar's cells by line, with what they were worked out for (see _bar_cells)
        self._bar: tuple[object, list[Segment]] | None = None
        self._grabbed = False  # the bar is being dragged
        self._batch_bar: list[Segment] | None = None  # the bar while lines are drawn together

    @contextmanager
    def _drawing(self) -> Iterator[None]:
        """The bar worked out once for the lines drawn together (RowList's ``_drawing``)."""
        with super()._drawing():
            self._batch_bar = self._bar_cells()
            try:
                yield
            finally:
                self._batch_bar = None

    def line_end(self, y: int) -> Sequence[Segment]:
        cells = self._batch_bar if self._batch_bar is not None else self._bar_cells()
        return (cells[y],) if y < len(cells) else ()

    def _bar_style(self) -> Style:
        """The bar's colours as Textual's ``ScrollBar.render`` works them out."""
        styles = self.styles
        background = styles.scrollbar_background
        if background.a < 1:
            background = self.background_colors[0] + background
        color = background + styles.scrollbar_color
        return Style.from_color(color.rich_color, background.rich_color)

    def _bar_cells(self) -> list[Segment]:
        """One segment a line of the widget: the bar at the current scroll, size and rows,
        worked out once for them (its colours once per style: see notify_style_update)."""
        height = self.size.height
        virtual = ceil(self.virtual_size.height)
        scroll_y = self.scroll_offset.y
        own = self._base_style if self._base_style is not None else self.rich_style
        key = (height, virtual, scroll_y, own)
        if self._bar is not None and self._bar[0] == key:
            return self._bar[1]
        window = height if height < virtual else 0
        if self.screen.styles.scrollbar_color.a == 0:  # Textual draws no thumb then
            window = 0
        bar_style = self._bar_style()
        assert bar_style.bgcolor is not None and bar_style.color is not None
        bar = ScrollBarRender.render_bar(
            size=height,
            virtual_size=virtual,
            window_size=window,
            position=scroll_y,
            thickness=self.BAR_WIDTH,
            vertical=True,
            back_color=bar_style.bgcolor,
            bar_color=bar_style.color,
        )
        cells = [
            Segment(segment.text, own + segment.style.clear_meta_and_links())
            if segment.style is not None
            else Segment(segment.text, own)
            for segment in bar.segments
        ]
        self._bar = (key, cells)
        return cells

    def notify_style_update(self) -> None:
        self._bar = None  # drawn in the former colours
        super().notify_style_update()

    # ---- the mouse on the bar -----------------------------------------------------------

    def _on_bar(self, x: int) -> bool:
        return x >= self.size.width - self.BAR_WIDTH

    def _scroll_to_bar(self, y: int) -> None:
        """Scroll so that the bar's thumb sits at line ``y`` of the widget."""
        height = max(1, self.size.height)
        share = max(0.0, min(1.0, y / max(1, height - 1)))
        self.scroll_to(y=round(share * self.max_scroll_y), animate=False, immediate=True)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self._on_bar(event.x):
            self._grabbed = True
            self.capture_mouse()
            self._scroll_to_bar(event.y)
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._grabbed:
            self._scroll_to_bar(event.y)
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._grabbed:
            self._grabbed = False
            self.release_mouse()
            event.stop()

    def on_click(self, event: events.Click) -> None:
        """A click on the bar scrolled (on_mouse_down): no row chosen (``RowList.on_click``,
        which Textual calls after this one, is skipped)."""
        if self._on_bar(event.x):
            event.prevent_default()
            event.stop()
