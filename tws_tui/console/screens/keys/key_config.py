"""``KeyConfigScreen`` (Alt+K): the keys of the console's virtual phone (Webpilot §13).

One ordered list, kept in ``[contacts] keys`` and shared by every connection (softphone or
desk phone, WPL-13.1-1): each key supervises a colleague, dials a number (shortcut) or watches
a queue (WPL-13.1-3). Each row says its kind, what it shows (the phone system's name for a
colleague or a queue, WPL-13.1-4; a shortcut's label), the number behind it, its state now and
the tile it gets on the Contacts screen — queues first, then colleagues by name, then
shortcuts (WPL-13.1-5), so the order here is that of the queues and of the shortcuts. A key
the phone system does not know says so and gets no tile.

Keys: ``a`` adds a key, Enter edits the selected one
(:class:`~tws_tui.console.screens.keys.key_form.KeyForm`),
Delete removes it, ``[``/``]`` (or Ctrl+↑/↓) move it, Esc closes. Each change is kept at once.
The keys of a physical phone (WPL-13.2-1) and the call flows (WPL-13.1-6) are set up on the
phone system: the screen says so rather than offering what it cannot do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.widgets.blf_grid import SHORTCUTS
from tws_tui.console.widgets.row_list import RowList
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.format import LINE_SYMBOL, LINE_WORD
from tws_tui.domain.phone_keys import (
    KIND_WORD,
    QUEUE,
    SHORTCUT,
    SUPERVISION,
    PhoneKey,
    find_device,
    find_queue,
    tiles,
)
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.domain.phone_keys import Tile


class KeyConfigScreen(ModalScreen[None]):
    MODE = "key_config"  # its keys' scope in the keymap (help, palette)
    BINDINGS: ClassVar = bindings_for("key_config")

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box keys-box"):
            yield Static(
                _("Key configuration: the keys of this console's virtual phone"),
                classes="modal-title",
            )
            yield RowList(id="keys")
            yield Static(
                _("a add · Enter edit · Delete remove · [ and ] move · Esc close."),
                classes="modal-note",
                markup=False,
            )
            yield Static(id="keys-note", classes="modal-note", markup=False)

    def on_mount(self) -> None:
        self.tws.state_signal.subscribe(self, self._on_state)
        self._show()
        self.query_one("#keys", RowList).focus()

    def _on_state(self, topics: Topics) -> None:
        if topics & {Topic.DEVICES, Topic.QUEUES}:
            self._show()

    def _show(self) -> None:
        keys = self.tws.prefs.phone_keys
        state = self.tws.state
        grid = tiles(
            keys,
            state.devices,
            state.queues,
            also_supervised=self.tws.lists.supervised,
            name_sort=self.tws.prefs.contacts.name_sort,
        )
        rows = {
            str(index): (str(index + 1), _(KIND_WORD[key.kind]), *self._describe(keys, index, grid))
            for index, key in enumerate(keys)
        }
        table = self.query_one("#keys", RowList)
        columns = ("#", _("Kind"), _("Shows"), _("Number"), _("Now"), _("Tile"))
        table.set_rows(columns, rows)
        note = _(
            "The tiles show queues first, then colleagues by name, then shortcuts: the order"
            " here is that of the queues and of the shortcuts. A colleague or a queue shows the"
            " name the phone system gives it; labels are for shortcuts. This list serves every"
            " connection (softphone or desk phone); the keys of a physical phone and the call"
            " flows are set up on the phone system."
        )
        extra = len(set(self.tws.lists.supervised))
        if extra:
            note += " " + _(
                "The colleagues of supervised contact lists have tiles too ({count}; Ctrl+O,"
                " contact manager)."
            ).format(count=extra)
        self.query_one("#keys-note", Static).update(note)

    def _describe(
        self, keys: tuple[PhoneKey, ...], position: int, grid: list[Tile]
    ) -> tuple[str, str, str, str]:
        """What key ``keys[position]`` shows, its number, its state now, its tile's number."""
        state, key = self.tws.state, keys[position]
        unknown = _("{target} (not on this phone system)").format(target=key.target)
        if key.kind == SUPERVISION:
            device = find_device(key.target, state.devices)
            if device is None:
                return unknown, "", "", ""
            line = LINE_SYMBOL[device.line_state] + " " + _(LINE_WORD[device.line_state])
            index = next((i for i, t in enumerate(grid) if t.device == device), None)
            return device.name, device.extension or "", line, _tile_number(index)
        if key.kind == QUEUE:
            queue = find_queue(key.target, state.queues)
            if queue is None:
                return unknown, "", "", ""
            waiting = _("{count} waiting").format(count=len(queue.waiting))
            index = next((i for i, t in enumerate(grid) if t.queue == queue), None)
            return queue.name, queue.number or "", waiting, _tile_number(index)
        shortcut_tiles = [i for i, t in enumerate(grid) if t.kind == SHORTCUT]
        ordinal = sum(1 for k in keys[:position] if k.kind == SHORTCUT)
        return key.label or key.target, key.target, "", _tile_number(shortcut_tiles[ordinal])

    # ---- keys ----------------------------------------------------------------------------

    def _selected(self) -> int | None:
        key = self.query_one("#keys", RowList).selected_key
        return int(key) if key is not None else None

    def _keep(self, keys: tuple[PhoneKey, ...], select: int | None = None) -> None:
        self.tws.prefs.set_phone_keys(keys)
        self._show()
        if select is not None:
            self.query_one("#keys", RowList).select_key(str(select))

    def action_add(self) -> None:
        from tws_tui.console.screens.keys.key_form import KeyForm

        def added(key: PhoneKey | None) -> None:
            if key is not None:
                keys = self.tws.prefs.phone_keys
                self._keep((*keys, key), select=len(keys))

        self.app.push_screen(KeyForm(), added)

    def action_edit(self) -> None:
        from tws_tui.console.screens.keys.key_form import KeyForm

        index = self._selected()
        if index is None:
            return

        def changed(key: PhoneKey | None) -> None:
            if key is not None:
                keys = list(self.tws.prefs.phone_keys)
                keys[index] = key
                self._keep(tuple(keys), select=index)

        self.app.push_screen(KeyForm(self.tws.prefs.phone_keys[index]), changed)

    def action_delete(self) -> None:
        index = self._selected()
        if index is None:
            return
        keys = list(self.tws.prefs.phone_keys)
        removed = keys.pop(index)
        self._keep(tuple(keys), select=min(index, len(keys) - 1))
        self.tws.notify(
            _("Key {number} removed ({kind}).").format(
                number=index + 1, kind=_(KIND_WORD[removed.kind])
            )
        )

    def action_move(self, step: int) -> None:
        index = self._selected()
        if index is None:
            return
        keys = list(self.tws.prefs.phone_keys)
        other = index + step
        if not 0 <= other < len(keys):
            return
        keys[index], keys[other] = keys[other], keys[index]
        self._keep(tuple(keys), select=other)

    def action_close(self) -> None:
        self.dismiss(None)


def _tile_number(index: int | None) -> str:
    """The digit of a tile (1…9, 0 for the first ten), its place after; "" when no tile."""
    if index is None:
        return ""
    return SHORTCUTS[index] if index < len(SHORTCUTS) else str(index + 1)
