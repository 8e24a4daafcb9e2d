"""The console's private Textual access (``console/textual_private.py``) against the installed
Textual: each function does what its caller needs, so an upgrade that renames, removes or
changes a private fails here, naming it."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from typing import Any, ClassVar

import pytest
import textual
from helpers import Paint, record_paints
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.stylesheet import Stylesheet
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Button, Static

from tws_tui.console import textual_private
from tws_tui.console.textual_private import (
    CursorCellBlink,
    KeepLinesInput,
    RepaintOnceBelow,
    ResilientApp,
    TextualPrivateMissing,
    binds_key,
    forget_key_sequences,
    is_exiting,
    keep_latest_notifications,
    stylesheet_variables,
    update_scrollbars,
    write_to_terminal,
)

UPGRADE = f"Textual {textual.__version__} changed a private: see console/textual_private.py"


def _parse(data: str) -> list[Any]:
    """The events Textual's terminal parser makes of ``data`` (then end of input)."""
    parser_module = importlib.import_module("textual._xterm_parser")
    parser = parser_module.XTermParser()
    return [*parser.feed(data), *parser.feed("")]


def test_a_missing_private_is_reported_by_name() -> None:
    with pytest.raises(TextualPrivateMissing, match=r"Static\._no_such_private"):
        textual_private._private(Static(), "_no_such_private")


def test_forgotten_sequences_fall_back_to_escape_plus_character() -> None:
    table = importlib.import_module("textual._ansi_sequences").ANSI_SEQUENCES_KEYS
    saved = table.get("\x1b7")
    try:
        forget_key_sequences(["\x1b7"])
        forget_key_sequences(["\x1b7"])  # idempotent
        keys = [event.key for event in _parse("\x1b7")]
        assert keys == ["alt+7"], UPGRADE
    finally:
        if saved is not None:
            table["\x1b7"] = saved


def test_stylesheet_variables_are_those_last_set() -> None:
    sheet = Stylesheet(variables={"accent": "#ff0000"})
    assert stylesheet_variables(sheet) == {"accent": "#ff0000"}, UPGRADE
    sheet.set_variables({"accent": "#0000ff"})
    assert stylesheet_variables(sheet) == {"accent": "#0000ff"}, UPGRADE


class Bound(Static, can_focus=True):
    BINDINGS: ClassVar = [Binding("x", "noop", id="test.noop")]


class BindingApp(App[None]):
    BINDINGS: ClassVar = [Binding("f9", "noop")]

    def compose(self) -> ComposeResult:
        yield Bound("bound")
        yield Button("plain")


class BoundTwice(Bound):
    BINDINGS: ClassVar = [Binding("z", "noop")]


async def test_binds_key_sees_a_node_own_and_inherited_bindings_only() -> None:
    app = BindingApp()
    async with app.run_test():
        bound = app.query_one(Bound)
        assert binds_key(bound, "x"), UPGRADE
        assert not binds_key(app.query_one(Button), "x"), UPGRADE
        assert binds_key(app.query_one(Button), "enter"), UPGRADE  # Button's own
        assert not binds_key(bound, "f9"), UPGRADE  # the app's, not the widget's
        twice = BoundTwice("twice")
        await app.mount(twice)
        assert binds_key(twice, "z") and binds_key(twice, "x"), UPGRADE


async def test_write_to_terminal_goes_to_the_driver() -> None:
    app = App[None]()
    assert not write_to_terminal(app, "\x1b]9;hello\x07")  # not running: no driver
    async with app.run_test():
        written: list[str] = []
        driver = app._driver
        assert driver is not None, UPGRADE
        driver.write = written.append  # type: ignore[method-assign]
        assert write_to_terminal(app, "\x1b]9;hello\x07")
        assert written == ["\x1b]9;hello\x07"], UPGRADE


def boom() -> None:
    raise ValueError("boom")


class Faulty(ResilientApp[None]):
    def __init__(self) -> None:
        super().__init__()
        self.reported: list[Exception] = []

    def report_handler_error(self, error: Exception) -> None:
        self.reported.append(error)


async def test_a_handler_error_is_reported_and_the_app_keeps_running() -> None:
    assert callable(getattr(App, "_handle_exception", None)), UPGRADE
    app = Faulty()
    async with app.run_test() as pilot:
        app.call_next(boom)
        await pilot.pause()
        assert [str(error) for error in app.reported] == ["boom"], UPGRADE
        assert app.is_running and not is_exiting(app), UPGRADE
        app.exit()
        assert is_exiting(app), UPGRADE


async def test_a_handler_error_exits_a_resilient_app_that_does_not_report() -> None:
    app = ResilientApp[None]()
    with pytest.raises(ValueError, match="boom"):
        async with app.run_test() as pilot:
            app.call_next(boom)
            await pilot.pause()


class Tall(ScrollView):
    DEFAULT_CSS = "Tall { height: 5; width: 20; }"


class TallApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Tall()


async def test_update_scrollbars_follows_a_virtual_size_set_without_layout() -> None:
    app = TallApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(Tall)
        assert not view.show_vertical_scrollbar
        view.set_reactive(Widget.virtual_size, Size(10, 50))
        update_scrollbars(view, Size(10, 50))
        assert view.show_vertical_scrollbar, UPGRADE
        view.scroll_to(y=40, animate=False, immediate=True)
        await pilot.pause()
        assert view.scroll_offset.y > 0
        view.set_reactive(Widget.virtual_size, Size(10, 2))
        update_scrollbars(view, Size(10, 2))
        assert not view.show_vertical_scrollbar and view.scroll_offset.y == 0, UPGRADE


async def test_keep_latest_notifications_drops_the_oldest() -> None:
    app: App[None] = App()
    async with app.run_test(notifications=True) as pilot:
        for n in range(5):
            app.notify(f"notice {n}")
        await pilot.pause()
        keep_latest_notifications(app, 2)
        await pilot.pause()
        shown = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert len(shown) == 2, UPGRADE
        assert "notice 3" in shown[0] and "notice 4" in shown[1], UPGRADE


class Rows(RepaintOnceBelow[None]):
    def compose(self) -> ComposeResult:
        yield from (Static(f"row {n}", id=f"row{n}") for n in range(20))


class PlainRows(Screen[None]):
    compose = Rows.compose


class Over(ModalScreen[None]):
    DEFAULT_CSS = "Over { align: center middle; } Over > Static { width: 20; height: 3; }"

    def compose(self) -> ComposeResult:
        yield Static("pop-up")


class Below(App[None]):
    def __init__(self, below: type[Screen[None]]) -> None:
        super().__init__()
        self.below = below

    def get_default_screen(self) -> Screen[None]:
        return self.below()


async def paints_below_a_pop_up(below: type[Screen[None]]) -> list[Paint]:
    """What three changes of one row below a pop-up paint, after a first one."""
    app = Below(below)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.push_screen(Over())
        await pilot.pause()
        row = app.screen_stack[0].query_one("#row5", Static)
        row.update("first change", layout=False)
        await pilot.pause()
        frames = record_paints(app)
        for n in range(3):
            row.update(f"change {n}", layout=False)
            await pilot.pause()
            await pilot.pause()
        return frames


async def test_a_change_below_a_pop_up_is_painted_once_and_alone() -> None:
    frames = await paints_below_a_pop_up(Rows)
    assert frames and all(frame == [(5, 0, 60)] for frame in frames), (UPGRADE, frames)


async def test_textual_alone_repaints_more_than_the_change_below_a_pop_up() -> None:
    """Why ``RepaintOnceBelow`` exists. When this fails, Textual no longer resends what
    changed below a pop-up: the adapter can go."""
    frames = await paints_below_a_pop_up(PlainRows)
    assert any(frame is None or frame != [(5, 0, 60)] for frame in frames), frames


class Field(App[None]):
    def compose(self) -> ComposeResult:
        yield CursorCellBlink(value="hello")


async def test_the_blinking_cursor_repaints_the_cells_around_it() -> None:
    app = Field()
    async with app.run_test(size=(60, 5)) as pilot:
        field = app.query_one(CursorCellBlink)
        field.focus()
        field.cursor_position = 2
        await pilot.pause()
        shown = field.render_line(0)
        frames = record_paints(app)
        field._cursor_visible = not field._cursor_visible  # what the blink timer does
        await pilot.pause()
        assert field.render_line(0) != shown, UPGRADE  # the cursor did blink
        x = field.cursor_screen_offset.x
        assert frames == [[(field.content_region.y, x - 1, x + 2)]], (UPGRADE, frames)


class LinesField(App[None]):
    def compose(self) -> ComposeResult:
        yield KeepLinesInput(value="a", select_on_focus=False)


async def test_a_paste_keeps_every_line_and_a_new_line_is_drawn_as_one_cell() -> None:
    app = LinesField()
    async with app.run_test(size=(60, 5)) as pilot:
        field = app.query_one(KeepLinesInput)
        field.focus()
        field.post_message(events.Paste("one\r\ntwo\nthree"))
        await pilot.pause()
        assert field.value == "aone\ntwo\nthree", UPGRADE  # Input alone keeps "one"
        assert field.cursor_position == len(field.value)
        drawn = "".join(segment.text for segment in field.render_line(0))
        assert drawn.startswith("aone↵two↵three"), (UPGRADE, drawn)


# ---- no private of Textual overridden by accident ------------------------------------------

#: The Textual names console classes override on purpose (each through this adapter).
OVERRIDDEN_ON_PURPOSE = {
    ("ResilientApp", "_handle_exception"),
    ("RepaintOnceBelow", "_compositor_refresh"),
    ("RepaintOnceBelow", "_repaint_required"),
    ("CursorCellBlink", "_cursor_visible"),
    ("KeepLinesInput", "_value"),
    ("KeepLinesInput", "_on_paste"),
}


def _names_defined(tree: ast.ClassDef) -> set[str]:
    """The private and action names a class's source defines: its methods and class
    attributes, and the ``self._x`` its methods assign."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    for node in ast.walk(tree):
        if _assigns_self_attribute(node):
            assert isinstance(node, ast.Attribute)
            names.add(node.attr)
    return {
        name
        for name in names
        if name.startswith("action_") or (name.startswith("_") and not name.startswith("__"))
    }


def _assigns_self_attribute(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _textual_names(base: type) -> set[str]:
    """What a Textual class defines: its attributes and the ``self.x`` it assigns."""
    names = set(vars(base))
    try:
        source = textwrap.dedent(inspect.getsource(base))
    except (OSError, TypeError):
        return names
    for node in ast.walk(ast.parse(source)):
        if _assigns_self_attribute(node):
            assert isinstance(node, ast.Attribute)
            names.add(node.attr)
    return names


def test_no_console_class_overrides_a_textual_name_by_accident() -> None:
    """A console class's ``_name`` or ``action_name`` that Textual also defines replaces
    Textual's (``action_toggle`` once hid ``DOMNode.action_toggle``); one that Textual adds in
    an upgrade would too, silently. Only the adapter's override is allowed."""
    import tws_tui.console as console

    clashes = []
    for info in pkgutil.walk_packages(console.__path__, console.__name__ + "."):
        module = importlib.import_module(info.name)
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
            if not isinstance(cls, type):
                continue
            textual_bases = [b for b in cls.__mro__[1:] if b.__module__.startswith("textual.")]
            theirs = set().union(*map(_textual_names, textual_bases)) if textual_bases else set()
            for name in sorted(_names_defined(node) & theirs):
                if (cls.__name__, name) not in OVERRIDDEN_ON_PURPOSE:
                    clashes.append(f"{info.name}.{cls.__name__}.{name}")
    assert clashes == [], (
        f"console classes override names of Textual {textual.__version__} (rename them, or go"
        f" through console/textual_private.py): {clashes}"
    )
