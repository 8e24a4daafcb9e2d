"""``DialBar``: the field where a number is typed or a name is searched (F2 or / to focus).

Digits (with +, spaces, dots, dashes, parentheses, * and #) are a number to dial; letters search
the directory as you type and list up to five matches (up/down choose, the first is the
default). What the F-keys act on — call (F3), transfer (F4), consult (F5) — is
:meth:`DialBar.target`. A number mixed with letters is refused with a message, never dialled.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, Static

from tws_tui.console.api import DialTarget, console_api
from tws_tui.console.widgets.lazy_field import make_field
from tws_tui.core.model import Contact
from tws_tui.domain.numbers import parse_typed_number
from tws_tui.platform.i18n import _

MAX_MATCHES = 5


__all__ = ["DialBar", "DialTarget"]


class DialBar(Widget):
    """One line drawing its hint until first used; then the field and the match list."""

    DEFAULT_CSS = """
    DialBar { height: auto; color: $text-muted; }
    DialBar > Input { width: 1fr; }
    DialBar > #dial-matches { height: auto; color: $text-muted; padding: 0 1; display: none; }
    DialBar > #dial-matches.-shown { display: block; }
    """
    BINDINGS: ClassVar = [
        Binding("down", "choose(1)", show=False),
        Binding("up", "choose(-1)", show=False),
        Binding("escape", "leave", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="dial-bar")
        self.matches: list[Contact] = []
        self.chosen = 0

    def render(self) -> str:
        # Until the operator dials, the bar is this one line: the Input (and its stylesheet)
        # is made on first use, which keeps ~20 ms off the console's first frame.
        return "" if self.children else _("Number or name (F2)")

    @property
    def input(self) -> Input:
        """The dial field, made on first use."""
        found = self.query(Input)
        if found:
            return found.first()
        field = make_field("dial", _("Number or name (F2)"))
        self.mount(field, Static(id="dial-matches"))
        self.watch(field, "value", self._changed, init=False)
        return field

    @property
    def text(self) -> str:
        found = self.query(Input)
        return found.first().value if found else ""

    @property
    def is_typing(self) -> bool:
        """Whether the dial field has the focus ("/" is then a character, not F2)."""
        return any(field.has_focus for field in self.query(Input))

    def focus_input(self) -> None:
        self.input.focus()

    def clear(self) -> None:
        found = self.query(Input)
        if found:
            found.first().value = ""

    def target(self) -> DialTarget | None:
        """The number typed, or the chosen directory match; None when the field is empty.

        Raises ValueError (with the sentence to show) for a number that contains letters.
        """
        number = parse_typed_number(self.text)
        if number is not None:
            return DialTarget(number, number)
        if not self.text.strip():
            return None
        if not self.matches:
            raise ValueError(_("Nobody matches {text!r}.").format(text=self.text.strip()))
        contact = self.matches[min(self.chosen, len(self.matches) - 1)]
        if not contact.numbers:
            raise ValueError(_("{name} has no number.").format(name=contact.name))
        number = contact.numbers[0][1]
        return DialTarget(number, f"{contact.name} ({number})", contact.device_id)

    def chosen_contact(self) -> Contact | None:
        """The directory match chosen (▶) while a name is typed; None for a number or nothing."""
        if not self.text.strip() or parse_number_safe(self.text) or not self.matches:
            return None
        return self.matches[min(self.chosen, len(self.matches) - 1)]

    # ---- search as you type ------------------------------------------------------------

    def _changed(self, value: str) -> None:
        self.chosen = 0
        try:
            is_number = parse_typed_number(value) is not None
        except ValueError:
            is_number = True
        if is_number or not value.strip():
            self.matches = []
            self._show_matches()
        else:
            self._search(value.strip())

    @work(exclusive=True, group="dial-search", exit_on_error=False)
    async def _search(self, term: str) -> None:
        found = await console_api(self).directory(term, MAX_MATCHES)
        if term == self.text.strip():  # drop the answer to an outdated query
            self.matches = found
            self._show_matches()

    def _show_matches(self) -> None:
        found = self.query("#dial-matches")
        if not found:
            return
        view = found.first(Static)
        if not self.text.strip() or (not self.matches and parse_number_safe(self.text)):
            view.set_class(False, "-shown")
            return
        lines = Text(no_wrap=True, overflow="ellipsis")
        if not self.matches:
            lines.append(_("Nobody matches {text!r}.").format(text=self.text.strip()))
        for index, contact in enumerate(self.matches):
            number = contact.numbers[0][1] if contact.numbers else ""
            mark = "▶ " if index == self.chosen else "  "
            if index:
                lines.append("\n")
            style = "bold reverse" if index == self.chosen else ""
            lines.append(f"{mark}{contact.name}  {number}  {contact.department or ''}", style)
        view.update(lines)
        view.set_class(True, "-shown")

    def action_choose(self, step: int) -> None:
        if self.matches:
            self.chosen = (self.chosen + step) % len(self.matches)
            self._show_matches()

    def action_leave(self) -> None:
        self.clear()
        self.screen.focus_next()


def parse_number_safe(text: str) -> bool:
    """True if ``text`` is a number (or a number with letters, which is refused later)."""
    try:
        return parse_typed_number(text) is not None
    except ValueError:
        return True
