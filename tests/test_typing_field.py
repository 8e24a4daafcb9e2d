"""``TypingField``: the letters typed repaint the field without laying the screen out again,
and a text longer than the field still scrolls to keep the cursor in view."""

from __future__ import annotations

from helpers import count_layouts
from textual.app import App, ComposeResult

from tws_tui.console.widgets.lazy_field import TypingField, make_field


class FieldApp(App[None]):
    CSS = "TypingField { width: 12; }"

    def compose(self) -> ComposeResult:
        yield make_field("field", "Search")


async def test_letters_repaint_the_field_alone_and_long_text_scrolls() -> None:
    app = FieldApp()
    async with app.run_test(size=(40, 5)) as pilot:
        field = app.query_one(TypingField)
        field.focus()
        await pilot.pause()
        layouts = count_layouts(app)
        await pilot.press(*"martin")
        await pilot.pause()
        assert field.value == "martin" and layouts == [0]
        await pilot.press(*" dupont-lefebvre")
        await pilot.pause()
        assert field.value == "martin dupont-lefebvre"
        assert field.scroll_offset.x > 0  # the cursor at the end stays in view
        await pilot.press("home")
        await pilot.pause()
        assert field.scroll_offset.x == 0
