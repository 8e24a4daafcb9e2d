"""``KeyForm``: add or change one key of the virtual phone (Webpilot §13, WPL-13.1-3).

A key's kind — supervision of a colleague, shortcut, queue — then what it points at: a
colleague or a queue chosen among those the phone system has (type a name's first letters to
jump to it), named as the system names them (WPL-13.1-4: no label of ours); a shortcut's number
(digits, an optional leading +, * and #; separators allowed) and its label. Ctrl+S (or Enter
in a field) saves, Esc cancels; what cannot be saved is said under the title, nothing typed is
lost. Dismisses with the key, or None.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import form_row
from tws_tui.domain.numbers import clean_number, is_dialable
from tws_tui.domain.phone_keys import (
    KIND_WORD,
    KINDS,
    LABEL_MAX,
    QUEUE,
    SHORTCUT,
    SUPERVISION,
    PhoneKey,
    find_device,
    find_queue,
)
from tws_tui.domain.text import name_key
from tws_tui.platform.i18n import _

#: The form's rows shown for each kind.
ROWS = {
    SUPERVISION: ("row-colleague",),
    QUEUE: ("row-queue",),
    SHORTCUT: ("row-number", "row-label"),
}


class KeyForm(ModalScreen[PhoneKey | None]):
    MODE = "key_form"  # its keys' scope in the keymap (help, palette)
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", show=False),
        *bindings_for("key_form"),
    ]

    def __init__(self, key: PhoneKey | None = None) -> None:
        super().__init__()
        self.key = key or PhoneKey(SUPERVISION, "")

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    def compose(self) -> ComposeResult:
        key, state = self.key, self.tws.state
        title = _("New key") if not key.target else _("Change the key")
        colleagues = [
            (f"{d.name} ({d.extension})" if d.extension else d.name, str(d.device_id))
            for d in sorted(
                state.devices.values(),
                key=lambda d: name_key(d.name, self.tws.prefs.contacts.name_sort),
            )
        ]
        queues = [
            (f"{q.name} ({q.number})" if q.number else q.name, str(q.id))
            for q in state.queues.values()
        ]
        colleague, queue = "", ""
        unknown = _("{target} (not on this phone system)").format(target=key.target)
        if key.kind == SUPERVISION and key.target:
            device = find_device(key.target, state.devices)
            colleague = str(device.device_id) if device is not None else key.target
            if device is None:
                colleagues.append((unknown, key.target))
        elif key.kind == QUEUE and key.target:
            found = find_queue(key.target, state.queues)
            queue = str(found.id) if found is not None else key.target
            if found is None:
                queues.append((unknown, key.target))
        with Vertical(classes="modal-box form-box"):
            yield Static(title, classes="modal-title", markup=False)
            yield Static(id="key-error", classes="form-error", markup=False)
            yield _row(
                "row-kind",
                _("Kind"),
                Select(
                    [(_(KIND_WORD[kind]), kind) for kind in KINDS],
                    value=key.kind,
                    allow_blank=False,
                    compact=True,
                    id="key-kind",
                ),
            )
            yield _row(
                "row-colleague",
                _("Colleague"),
                Select(
                    colleagues,
                    value=colleague or Select.NULL,
                    prompt=_("choose a colleague (type a name)"),
                    compact=True,
                    id="key-colleague",
                ),
            )
            yield _row(
                "row-queue",
                _("Queue"),
                Select(
                    queues,
                    value=queue or Select.NULL,
                    prompt=_("choose a queue"),
                    compact=True,
                    id="key-queue",
                ),
            )
            number = key.target if key.kind == SHORTCUT else ""
            yield _row("row-number", _("Number"), Input(number, id="key-number", compact=True))
            yield _row(
                "row-label",
                _("Label"),
                Input(key.label, id="key-label", compact=True, max_length=LABEL_MAX),
            )
            yield Static(
                _(
                    "Ctrl+S (or Enter in a field) saves, Esc cancels. A colleague or a queue"
                    " shows the name the phone system gives it; a label is for shortcuts."
                ),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        self._show_rows(self.key.kind)
        self.query_one("#key-kind", Select).focus()

    @on(Select.Changed, "#key-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_rows(event.value)

    def _show_rows(self, kind: str) -> None:
        for rows in ROWS.values():
            for row in rows:
                self.query_one(f"#{row}").display = row in ROWS[kind]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def chosen(self) -> PhoneKey | str:
        """The key as the form shows it now, or why it cannot be saved."""
        kind = self.query_one("#key-kind", Select).value
        if kind == SHORTCUT:
            number = self.query_one("#key-number", Input).value
            label = self.query_one("#key-label", Input).value.strip()
            if not number.strip():
                return _("Type the number this shortcut dials.")
            if not is_dialable(number):
                return _("{text!r} is not a phone number: it contains letters.").format(text=number)
            return PhoneKey(SHORTCUT, clean_number(number), label)
        field = "#key-colleague" if kind == SUPERVISION else "#key-queue"
        target = self.query_one(field, Select).value
        if not isinstance(target, str) or not isinstance(kind, str):
            if kind == SUPERVISION:
                return _("Choose the colleague to supervise.")
            return _("Choose the queue to watch.")
        label = self.key.label if kind == self.key.kind else ""  # kept, though not shown
        return PhoneKey(kind, target, label)

    def action_save(self) -> None:
        chosen = self.chosen()
        if isinstance(chosen, str):
            self.query_one("#key-error", Static).update(chosen)
            return
        self.dismiss(chosen)


def _row(row_id: str, label: str, field: Select[str] | Input) -> Horizontal:
    return form_row(label, field, row_id=row_id)
