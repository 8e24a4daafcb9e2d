"""``LazyField``: a one-line hint that becomes a text field the first time it is used.

An ``Input`` (and its stylesheet) costs about 20 ms of the console's first frame; a field that
is not used at once — the contact search on the home screen — draws its hint as plain text
until ``.input`` is first asked for, which mounts the real field in its place. Its ``Input``
messages (``Changed``, ``Submitted``) bubble as from any ``Input``, under ``field_id``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input

from tws_tui.console.textual_private import CursorCellBlink


class TypingField(CursorCellBlink):
    """An ``Input`` whose letters repaint the field alone, and whose blinking cursor repaints
    the cells around it (:class:`~tws_tui.console.textual_private.CursorCellBlink`).

    Textual's ``Input`` sets its ``virtual_size`` (the text's width) at each change, and that
    reactive asks for a layout of the whole screen — about 10 ms of a 120x40 console for each
    letter typed. A one-line field sized by its container (never ``auto``: ``Input`` lays out
    itself then) only needs a repaint; its scroll limits follow ``virtual_size`` as before.
    """

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=True)

    def replace(self, text: str, start: int, end: int) -> None:
        """Typed or pasted text beyond ``max_length`` is cut, not refused whole: a page pasted
        by mistake leaves its first characters, and the field stays one short line."""
        if self.max_length:
            room = self.max_length - (len(self.value) - (end - start))
            text = text[: max(room, 0)]
        super().replace(text, start, end)


#: The longest text the dial bar and the search take: a number or a name, never a page.
FIELD_MAX_CHARS = 64


def make_field(field_id: str, placeholder: str) -> Input:
    """The one-line compact field both lazy fields mount (the dial bar's and this one)."""
    return TypingField(
        id=field_id,
        placeholder=placeholder,
        compact=True,
        select_on_focus=False,
        max_length=FIELD_MAX_CHARS,
    )


class LazyField(Widget):
    DEFAULT_CSS = """
    LazyField { height: auto; color: $text-muted; }
    LazyField > Input { width: 1fr; }
    """

    def __init__(
        self,
        hint: Callable[[], str],
        *,
        field_id: str,
        id: str | None = None,
        on_made: Callable[[Input], None] | None = None,
    ) -> None:
        """``hint`` is called whenever it is drawn (so it follows the language); ``on_made``
        gets the field when it is made (to watch its value, say)."""
        super().__init__(id=id)
        self.hint = hint
        self.field_id = field_id
        self.on_made = on_made

    def render(self) -> str:
        self._hint_drawn = "" if self.children else self.hint()
        return self._hint_drawn

    @property
    def made(self) -> bool:
        return bool(self.children)

    @property
    def input(self) -> Input:
        """The field, made on first use."""
        found = self.query(Input)
        if found:
            return found.first()
        field = make_field(self.field_id, self.hint())
        self.mount(field)
        if self.on_made is not None:
            self.on_made(field)
        return field

    @property
    def value(self) -> str:
        found = self.query(Input)
        return found.first().value if found else ""

    def refresh_hint(self) -> None:
        """After a language change: the hint, or the field's placeholder, in the new one
        (repainted only if its words changed)."""
        found = self.query(Input)
        if found:
            found.first().placeholder = self.hint()  # a reactive: repaints if it differs
        elif self.hint() != self._hint_drawn:
            self.refresh()

    _hint_drawn = ""  # the hint as last drawn
