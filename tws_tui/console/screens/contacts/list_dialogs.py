"""The contact-list dialogs: a list's properties, and the lists a contact belongs to.

* :class:`ListForm` (TWS-2.4.2, TWS-2.4.7): a list's name (1 to 40 characters), "Public"
  (every user sees it, TWS-2.4.2-4), "Supervised" (its colleagues get BLF tiles, TWS-2.4.2-5),
  "On the home screen" (TWS-2.4.2-3), how its contacts are sorted there (TWS-2.4.2-6) and how
  they look (classic or reduced, TWS-2.4.2-7). Enter (or Ctrl+S) saves through the ``save``
  function given, in the store's thread (:mod:`.store_work`); a refused name keeps the form
  open with the reason under it.
* :class:`ListPicker` (TWS-2.4.3.3, TWS-2.4.4.3): every list with a tick where the contact is
  in it; Space ticks or unticks, Enter applies, Esc cancels. Dismisses with the ids ticked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, Switch

from tws_tui.console.screens.base import form_row
from tws_tui.console.screens.contacts.store_work import store_work
from tws_tui.console.screens.modals.choice import TickScreen
from tws_tui.contacts.rules import LIST_DISPLAYS, LIST_NAME_MAX_CHARS, LIST_SORTS
from tws_tui.contacts.store import ContactList
from tws_tui.core.values import value_class
from tws_tui.platform.i18n import _


@value_class
class ListProperties:
    """What the list form says about a list (see :class:`ContactList`)."""

    name: str
    public: bool
    supervised: bool
    visible: bool
    sort: str
    display: str


#: ``save(properties)`` writes the list and returns it as saved.
SaveList = Callable[[ListProperties], ContactList]


def _switch_row(label: str, value: bool, switch_id: str, hint: str) -> Horizontal:
    return Horizontal(
        Label(label, classes="form-label"),
        Switch(value, id=switch_id),
        Static(hint, classes="form-hint"),
        classes="form-row switch-row",
    )


def _choice_row(label: str, choices: dict[str, str], value: str, select_id: str) -> Horizontal:
    """A labelled choice among ``choices`` (value → its name, translated when shown)."""
    return form_row(
        label,
        Select(
            [(_(name), key) for key, name in choices.items()],
            value=value,
            allow_blank=False,
            compact=True,
            id=select_id,
        ),
    )


class ListForm(ModalScreen[ContactList | None]):
    """Create a list (``current`` None) or change one; dismisses with the list as saved."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", show=False),
        Binding("ctrl+s", "save", show=False),
    ]

    def __init__(self, save: SaveList, current: ContactList | None = None) -> None:
        super().__init__()
        self._save_list = save
        self._saving = False  # a save is in the store's thread: another Enter waits for it
        self.current = current

    def compose(self) -> ComposeResult:
        current = self.current
        title = (
            _("Properties of the list {name}").format(name=current.name)
            if current is not None
            else _("New contact list")
        )
        with Vertical(classes="modal-box form-box"):
            yield Static(title, classes="modal-title", markup=False)
            yield Static(id="list-error", classes="form-error", markup=False)
            yield Horizontal(
                Label(_("Name"), classes="form-label"),
                Input(
                    current.name if current is not None else "",
                    id="list-name",
                    compact=True,
                    max_length=LIST_NAME_MAX_CHARS,
                ),
                classes="form-row",
            )
            yield _switch_row(
                _("Public"),
                current is not None and current.public,
                "list-public",
                _("every user sees it and can change it"),
            )
            yield _switch_row(
                _("Supervised"),
                current is not None and current.supervised,
                "list-supervised",
                _("its colleagues get supervision tiles"),
            )
            yield _switch_row(
                _("On the home screen"),
                current is not None and current.visible,
                "list-visible",
                _("shown under the search on Contacts"),
            )
            yield _choice_row(
                _("Sort"), LIST_SORTS, current.sort if current is not None else "name", "list-sort"
            )
            yield _choice_row(
                _("Display"),
                LIST_DISPLAYS,
                current.display if current is not None else "classic",
                "list-display",
            )
            yield Static(_("Enter or Ctrl+S saves, Esc cancels."), classes="modal-note")

    def on_mount(self) -> None:
        self.query_one("#list-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def properties(self) -> ListProperties:
        """The list as the form shows it now."""
        sort, display = (
            self.query_one("#list-sort", Select).value,
            self.query_one("#list-display", Select).value,
        )
        return ListProperties(
            name=self.query_one("#list-name", Input).value,
            public=self.query_one("#list-public", Switch).value,
            supervised=self.query_one("#list-supervised", Switch).value,
            visible=self.query_one("#list-visible", Switch).value,
            sort=sort if isinstance(sort, str) else "name",
            display=display if isinstance(display, str) else "classic",
        )

    def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        properties, save = self.properties(), self._save_list
        store_work(self, lambda: save(properties), self._saved, failed=self._refused)

    def action_cancel(self) -> None:
        """Esc: closed unsaved, unless a save is under way (then its answer closes it)."""
        if not self._saving:
            self.dismiss(None)

    def _saved(self, saved: ContactList) -> None:
        self._saving = False
        self.dismiss(saved)

    def _refused(self, refused: Exception) -> None:
        self._saving = False
        self.query_one("#list-error", Static).update(str(refused))


class ListPicker(TickScreen):
    """Tick the lists a contact belongs to; dismisses with the ids of the lists ticked."""

    def __init__(self, contact_name: str, lists: Sequence[ContactList], member_of: set[str]):
        super().__init__(
            _("Lists of {name}").format(name=contact_name),
            [(lst.id, lst.name) for lst in lists],
            member_of,
            box_classes="choice-box lists-box",
        )
