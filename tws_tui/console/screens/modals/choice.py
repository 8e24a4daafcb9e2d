"""Small modals asking for one more answer.

* ``ChoiceScreen``: pick one of a few choices (Enter picks, Esc cancels) — my presence, the
  3-way participant to drop. Dismisses with the chosen option's id, or ``None`` on Escape.
* ``TickScreen``: tick some of a few choices (Space ticks, Enter applies, Esc cancels) — the
  lists of a contact, the directories searched. Dismisses with the ids ticked, or ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from tws_tui.platform.i18n import _


class ChoiceScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(
        self, title: str, options: Sequence[tuple[str, str]], *, current: str | None = None
    ) -> None:
        """``options`` are ``(id, label)`` pairs; ``current`` is highlighted first."""
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box choice-box"):
            yield Static(self.title_text, classes="modal-title")
            yield OptionList(*(Option(label, id=key) for key, label in self.options))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [key for key, _label in self.options]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TickScreen(ModalScreen[set[str] | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", show=False),
        Binding("enter", "apply", show=False, priority=True),
    ]

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        ticked: set[str],
        *,
        box_classes: str = "choice-box",
    ) -> None:
        """``options`` are ``(id, label)`` pairs; those in ``ticked`` start ticked."""
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.ticked = set(ticked)
        self.box_classes = box_classes

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"modal-box {self.box_classes}"):
            yield Static(self.title_text, classes="modal-title", markup=False)
            yield SelectionList[str](
                *((label, key, key in self.ticked) for key, label in self.options)
            )
            yield Static(_("Space ticks, Enter applies, Esc cancels."), classes="modal-note")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        self.dismiss(set(self.query_one(SelectionList).selected))
