"""BarRowList: the scrollbar drawn in the list's lines looks as Textual's scrollbar widget does,
follows the rows and the scroll, costs no scrollbar widget in a frame, and takes the mouse."""

from __future__ import annotations

from typing import Any

from helpers import count_layouts, painted_widgets, record_paints
from rich.segment import Segment
from textual import events
from textual.app import App, ComposeResult

from tws_tui.console.widgets.bar_row_list import BarRowList
from tws_tui.console.widgets.row_list import RowList

COLUMNS = ("Name", "Ext.")


class TextualBarList(RowList):
    """The reference: a RowList with Textual's own scrollbar, as wide and always there."""

    DEFAULT_CSS = """
    TextualBarList { overflow-y: scroll; overflow-x: hidden; scrollbar-size-vertical: 2; }
    """


class ListApp(App[None]):
    def __init__(self, kind: type[RowList]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="list")


def rows(count: int) -> dict[str, tuple[str, str]]:
    return {f"k{n}": (f"Caller {n:03d}", str(100 + n)) for n in range(count)}


def cells(app: Any) -> list[list[tuple[str, Any]]]:
    """The screen, a (character, colours and attributes) pair a cell (what a terminal shows:
    the mouse actions Textual's scrollbar keeps in its styles left out)."""
    strips = app.screen._compositor.render_strips()
    return [
        [
            (char, segment.style.clear_meta_and_links() if segment.style else None)
            for segment in Segment.simplify(strip)
            for char in segment.text
        ]
        for strip in strips
    ]


async def screens(kind: type[RowList], pilot_steps: list[tuple[int, int]]) -> list[Any]:
    """The screen's cells after each (rows, cursor) step."""
    app = ListApp(kind)
    shots = []
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(RowList)
        for count, cursor in pilot_steps:
            view.set_rows(COLUMNS, rows(count))
            view.cursor = cursor
            await pilot.pause()
            shots.append(cells(app))
    return shots


async def test_the_drawn_bar_looks_as_textuals_scrollbar() -> None:
    # rows that fit (an empty track), many rows at the top, in the middle, at the end, fewer
    steps = [(3, 0), (200, 0), (200, 90), (200, 199), (37, 20), (11, 10), (12, 0)]
    drawn = await screens(BarRowList, steps)
    reference = await screens(TextualBarList, steps)
    for step, (mine, textuals) in enumerate(zip(drawn, reference, strict=True)):
        assert mine == textuals, f"step {steps[step]} differs"
    assert len({repr(shot) for shot in drawn}) == len(steps)  # each step shows another


async def test_new_rows_repaint_the_lines_alone_without_a_layout() -> None:
    app = ListApp(BarRowList)
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(BarRowList)
        view.set_rows(COLUMNS, rows(200))
        await pilot.pause()
        layouts, frames = count_layouts(app), record_paints(app)
        for count in (60, 5, 300, 8):  # the bar's thumb changes, then it goes and comes back
            view.set_rows(COLUMNS, rows(count))
            await pilot.pause()
        assert layouts == [0]
        assert painted_widgets(app, frames) == {"BarRowList#list"}
        assert all(frame is not None for frame in frames)  # never the whole screen


async def test_the_mouse_on_the_bar_scrolls_and_chooses_no_row() -> None:
    app = ListApp(BarRowList)
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(BarRowList)
        view.set_rows(COLUMNS, rows(200))
        await pilot.pause()
        bar_x = 39
        await pilot.click(BarRowList, offset=(bar_x, 11))  # the bottom of the bar: the end
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y > 0
        assert view.cursor == 0  # no row chosen
        await pilot.click(BarRowList, offset=(bar_x, 0))
        await pilot.pause()
        assert view.scroll_offset.y == 0
        await pilot.mouse_down(BarRowList, offset=(bar_x, 1))  # dragged along the bar
        await pilot.hover(BarRowList, offset=(bar_x, 6))
        middle = view.scroll_offset.y
        assert 0 < middle < view.max_scroll_y
        await pilot.mouse_up(BarRowList, offset=(bar_x, 6))
        await pilot.hover(BarRowList, offset=(bar_x, 11))  # released: moving does not scroll
        assert view.scroll_offset.y == middle
        await pilot.click(BarRowList, offset=(3, 2))  # a row, as before
        await pilot.pause()
        assert view.cursor == middle + 1


async def test_the_wheel_still_scrolls() -> None:
    app = ListApp(BarRowList)
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(BarRowList)
        view.set_rows(COLUMNS, rows(200))
        await pilot.pause()
        view.post_message(events.MouseScrollDown(view, 5, 5, 0, 0, 0, False, False, False))
        await pilot.pause()
        assert view.scroll_offset.y > 0
