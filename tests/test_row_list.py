"""RowList: the line-API list — keys move the cursor, the cursor follows its row, text is cut."""

from __future__ import annotations

from helpers import count_layouts
from textual.app import App, ComposeResult

from tws_tui.console.widgets.row_list import RowList, _fit

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
