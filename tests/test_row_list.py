"""RowList: the line-API list — keys move the cursor, the cursor follows its row, text is cut."""

from __future__ import annotations

import random
from typing import Any

import pytest
from helpers import Refreshes, count_layouts, record_paints
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from tws_tui.console.widgets.row_list import RowList, _fit, changed_columns

COLUMNS = ("Name", "Ext.")


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RowList(id="list")


def rows(*names: str) -> dict[str, tuple[str, str]]:
    return {name.lower(): (name, str(100 + i)) for i, name in enumerate(names)}


def test_fit_pads_cuts_and_counts_wide_characters() -> None:
    assert _fit("abc", 5) == "abc  "
    assert _fit("abcdef", 4) == "abc…"
    assert _fit("日本語", 5) == "日本…"  # two cells each: never more than the width
    assert _fit("Hélène", 6) == "Hélène"


async def test_keys_move_the_cursor_and_it_stays_on_its_row_across_updates() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        view.set_rows(COLUMNS, rows("Anne", "Bruno", "Chloé", "David"))
        view.focus()
        await pilot.press("down", "down")
        assert view.selected_key == "chloé"
        # a new colleague sorts before: the cursor stays on Chloé, not on the third line
        view.set_rows(COLUMNS, rows("Aaron", "Anne", "Bruno", "Chloé", "David"))
        assert view.selected_key == "chloé"
        await pilot.press("end")
        assert view.selected_key == "david"
        await pilot.press("home", "up")
        assert view.selected_key == "aaron"
        # the selected row disappears: the cursor stays in range
        view.set_rows(COLUMNS, rows("Anne"))
        assert view.selected_key == "anne"


async def test_page_down_scrolls_and_only_visible_lines_are_drawn() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        many = {f"k{i}": (f"Name {i:05d}", str(i)) for i in range(100_000)}
        view.set_rows(COLUMNS, many)
        view.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.cursor > 0 and view.scroll_offset.y > 0
        header = view.render_line(0).text
        first = view.render_line(1).text
        assert header.startswith("Name")
        assert first.startswith(f"Name {view.scroll_offset.y:05d}")


async def test_cells_are_text_not_markup() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 6)) as pilot:
        view = app.query_one(RowList)
        view.set_rows(COLUMNS, {"x": ("[bold]ACME[/bold]", "1")})
        await pilot.pause()
        assert view.render_line(1).text.startswith("[bold]ACME[/bold]")


async def test_new_rows_repaint_the_list_alone_and_the_scrollbar_follows_the_row_count() -> None:
    """Changing the rows (each letter of a search) must not lay the whole screen out again,
    yet the scrollbar appears when they overflow and goes when they fit again."""
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        view.set_rows(COLUMNS, rows("Anne", "Bruno"))
        await pilot.pause()
        assert not view.show_vertical_scrollbar
        layouts = count_layouts(app)
        view.set_rows(COLUMNS, rows("Anne", "Bruno", "Chloé Longername"))
        await pilot.pause()
        assert layouts == [0]
        assert view.render_line(3).text.startswith("Chloé Longername")
        many = {f"k{i}": (f"Name {i:03d}", str(i)) for i in range(50)}
        view.set_rows(COLUMNS, many)
        await pilot.pause()
        assert view.show_vertical_scrollbar  # 50 rows in 10 lines
        view.focus()
        await pilot.press("end")
        await pilot.pause()
        assert view.selected_key == "k49" and view.scroll_offset.y > 0
        view.set_rows(COLUMNS, rows("Anne"))
        await pilot.pause()
        assert not view.show_vertical_scrollbar and view.scroll_offset.y == 0


async def test_highlighted_words_are_marked_wherever_they_occur_accents_ignored() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        view.set_rows(COLUMNS, rows("Hélène Martin", "Bruno"))
        view.highlight(["mar", "hel"])
        await pilot.pause()
        line = view.render_line(1)
        marked = [seg.text for seg in line if seg.style and seg.style.underline]
        assert marked == ["Hél", "Mar"]  # the text as written, found by its folded form
        assert line.text.startswith("Hélène Martin")
        assert not [seg for seg in view.render_line(2) if seg.style and seg.style.underline]
        assert not [seg for seg in view.render_line(0) if seg.style and seg.style.underline]
        view.highlight([])
        await pilot.pause()
        assert not [seg for seg in view.render_line(1) if seg.style and seg.style.underline]


def cell_by_cell(old: Strip, new: Strip) -> tuple[int, int] | None:
    """What :func:`changed_columns` must answer, worked out one cell at a time (a wide
    character is its cell and a filler)."""

    def cells(strip: Strip) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for text, style, _control in strip:
            for char in text:
                found += [(char, style)] + [("", style)] * (cell_len(char) - 1)
        return found

    if old == new:
        return None
    before, after = cells(old), cells(new)
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while (
        end_before > start and end_after > start and before[end_before - 1] == after[end_after - 1]
    ):
        end_before -= 1
        end_after -= 1
    return start, max(end_before, end_after, start + 1)


def test_changed_columns_are_those_that_differ_cell_by_cell() -> None:
    """Compared run by run, two drawings of a line differ exactly where their cells do: wide
    characters, accents, styles that change without the text, segments cut differently."""
    rng = random.Random(3)
    styles = [Style(), Style(bold=True), Style(color="green", underline=True)]
    letters = "aab é日↙ ✕"

    def line(text: str) -> Strip:
        segments, at = [], 0
        while at < len(text):  # cut anywhere, each piece in one of the styles
            step = rng.randint(1, 4)
            segments.append(Segment(text[at : at + step], rng.choice(styles[:2])))
            at += step
        return Strip(segments)

    for _ in range(3000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        other = list(text)
        for _ in range(rng.randint(0, 3)):  # a few characters changed, added or removed
            at = rng.randint(0, len(other))
            choice = rng.random()
            if choice < 0.4 and at < len(other):
                other[at] = rng.choice(letters)
            elif choice < 0.7:
                other.insert(at, rng.choice(letters))
            elif at < len(other):
                del other[at]
        old, new = line(text), line("".join(other))
        if rng.random() < 0.2 and len(new):  # a style alone changes
            new = Strip([*new, Segment("x", styles[2])])
            old = Strip([*old, Segment("x", styles[1])])
        assert changed_columns(old, new) == cell_by_cell(old, new), (list(old), list(new))


async def test_new_rows_and_new_marks_repaint_the_cells_that_changed_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A search typed: the rows and the words marked change in one repaint of the cells that
    now differ (over SSH every cell is bytes on the link), not the whole list."""
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        names = ("Anne", "Bruno", "Chloé", "David", "Hélène Martin")
        view.set_rows(COLUMNS, rows(*names))
        await pilot.pause()
        refreshes = Refreshes(monkeypatch)
        frames = record_paints(app)
        source = view.source
        view.set_source(COLUMNS, source, [13, 4], marked=["mart"])
        await pilot.pause()
        assert all(regions for _widget, regions, _layout in refreshes.widgets(RowList))
        spans = [span for frame in frames if frame for span in frame]
        assert {y - view.region.y for y, _x1, _x2 in spans} == {5}, "Hélène Martin's line"
        assert [seg.text for seg in view.render_line(5) if seg.style and seg.style.underline] == [
            "Mart"
        ]
        refreshes.clear()
        frames.clear()
        view.highlight(["bru"])  # marks alone: Martin's go, Bruno's come
        await pilot.pause()
        assert all(regions for _widget, regions, _layout in refreshes.widgets(RowList))
        spans = [span for frame in frames if frame for span in frame]
        assert {y - view.region.y for y, _x1, _x2 in spans} == {2, 5}


async def test_new_rows_are_drawn_once_to_compare_and_paint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change of rows draws each line on screen once: the lines drawn to find what changed
    are those painted (a letter typed in History's search costs one drawing of the list);
    the cursor moving draws them again."""
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        view.set_rows(COLUMNS, rows("Anne", "Bruno", "Chloé", "David"))
        await pilot.pause()
        drawn: list[int] = []
        original = RowList.draw_line

        def draw_line(self: RowList, y: int) -> Strip:
            drawn.append(y)
            return original(self, y)

        monkeypatch.setattr(RowList, "draw_line", draw_line)
        view.set_rows(COLUMNS, rows("Aaron", "Anne", "Bruno", "Chloé", "David"))
        await pilot.pause()
        assert sorted(drawn) == list(range(view.size.height))
        assert view.render_line(1).text.startswith("Aaron")
        drawn.clear()
        view.focus()
        await pilot.press("down")
        await pilot.pause()
        # the cursor stayed on Anne's row, now the second, and moves to Bruno's
        assert view.selected_key == "bruno" and drawn  # the cursor's colours: drawn again
        assert "Bruno" in view.render_line(3).text


async def test_the_lines_drawn_together_measure_the_widget_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Drawing the lines on screen works out the widget's content width once, not per line
    (Textual measures its content region again at each call: most of a line's cost)."""
    from textual.widget import Widget

    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(RowList)
        view.set_rows(COLUMNS, rows("Anne", "Bruno", "Chloé", "David"))
        await pilot.pause()
        measured: list[object] = []
        region = Widget.scrollable_content_region

        def counted(widget: Widget) -> Any:
            if widget is view:
                measured.append(widget)
            return region.fget(widget)  # type: ignore[attr-defined]

        monkeypatch.setattr(Widget, "scrollable_content_region", property(counted))
        view.set_rows(COLUMNS, rows("Aaron", "Anne", "Bruno", "Chloé", "David"))
        assert len(measured) <= 2  # the lines before are those kept; the lines after: once
        await pilot.pause()
        assert view.render_line(1).text.startswith("Aaron")
