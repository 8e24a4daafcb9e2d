"""``AssistAskScreen``: ask for help (issue 15, TWS-4.4.1): whom, and what for; the same
dialog writes a broadcast (TWP-4.1: to several, comma-separated; ``AskKind``).

"To" is empty for everyone, else part of a colleague's name or of a group's (for a broadcast,
several, comma-separated): who is meant is shown beside the field as it is typed (the
controller's ``resolve``), or why nobody is. Enter in
"To" goes to the text; Enter in the text checks it (:func:`tws_tui.domain.assist.checked_text`)
and dismisses with (to, text); a problem is said under the fields and the dialog stays. Esc
cancels (None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tws_tui.core.errors import InvalidValue
from tws_tui.core.values import value_class
from tws_tui.domain.assist import (
    ASSIST_TEXT_MAX,
    BROADCAST_TEXT_MAX,
    checked_broadcast_text,
    checked_text,
)
from tws_tui.platform.i18n import N_, _

#: What the dialog asks of the console: the text typed in "To" → (to, label), or why not.
Resolve = Callable[[str], tuple[str, str] | str]


@value_class
class AskKind:
    """What the dialog writes: its title, the text's label and hint (msgids), the longest
    text, and the check of the text (raises :class:`InvalidValue`)."""

    title: str
    label: str
    hint: str
    most: int
    check: Callable[[str], str]


HELP = AskKind(
    N_("Ask for help"),
    N_("Need"),
    N_("what you need help with (Enter asks, Esc cancels)"),
    ASSIST_TEXT_MAX,
    checked_text,
)
BROADCAST = AskKind(
    N_("Broadcast to colleagues"),
    N_("Message"),
    N_("what to tell them all (Enter sends, Esc cancels)"),
    BROADCAST_TEXT_MAX,
    checked_broadcast_text,
)


class AssistAskScreen(ModalScreen[tuple[str, str] | None]):
    DEFAULT_CSS = """
    AssistAskScreen .assist-row { height: 1; margin-bottom: 1; }
    AssistAskScreen .assist-row Label { width: 12; }
    AssistAskScreen .assist-row Input { width: 1fr; background: $boost; }
    AssistAskScreen #assist-to { width: 24; }
    AssistAskScreen #assist-target { width: 1fr; padding-left: 1; }
    AssistAskScreen #assist-problem { color: $error; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, resolve: Resolve, kind: AskKind = HELP) -> None:
        super().__init__()
        self._resolve = resolve
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(id="assist-box", classes="modal-box"):
            yield Static(_(self.kind.title), classes="modal-title")
            with Horizontal(classes="assist-row"):
                yield Label(_("To"))
                yield Input(id="assist-to", placeholder=_("everyone"), compact=True)
                yield Static(id="assist-target", markup=False)
            with Horizontal(classes="assist-row"):
                yield Label(_(self.kind.label))
                yield Input(
                    id="assist-text",
                    placeholder=_(self.kind.hint),
                    max_length=self.kind.most,
                    compact=True,
                )
            yield Static(id="assist-problem", markup=False)

    def on_mount(self) -> None:
        self._show_target("")
        self.query_one("#assist-text", Input).focus()

    def _show_target(self, typed: str) -> tuple[str, str] | None:
        found = self._resolve(typed)
        label = self.query_one("#assist-target", Static)
        if isinstance(found, str):
            label.update("✗ " + found)
            return None
        label.update("→ " + found[1])
        return found

    @on(Input.Changed, "#assist-to")
    def _to_changed(self, event: Input.Changed) -> None:
        self._show_target(event.value)

    @on(Input.Submitted, "#assist-to")
    def _to_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#assist-text", Input).focus()

    @on(Input.Submitted, "#assist-text")
    def _text_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.query_one("#assist-problem", Static)
        target = self._show_target(self.query_one("#assist-to", Input).value)
        if target is None:
            problem.update(_("Choose whom: part of a name, or nothing for everyone."))
            return
        try:
            text = self.kind.check(event.value)
        except InvalidValue as error:
            problem.update(error.translated(_))
            return
        self.dismiss((target[0], text))
