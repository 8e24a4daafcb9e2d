"""``ChoiceScreen``: a small modal list to pick one of a few choices (Enter picks, Esc cancels).

Used where an action needs one more answer: my presence, the 3-way participant to drop.
Dismisses with the chosen option's id, or ``None`` on Escape.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


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
