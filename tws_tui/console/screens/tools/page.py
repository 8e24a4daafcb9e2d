"""The Tools page (TWS-6.11, TWS-1.8), opened from Preferences; Escape goes back.

* Export a diagnostics bundle (E, ``tools.export``; TWS-6.11-6): a file name asked in the
  project's file dialog, then a zip of the logs (the console's and the backend's), config.toml,
  prefs.toml, profiles.json and about.txt with every secret removed
  (``platform/diagnostics.py``), written off the loop.
* E-mail support (M, ``tools.mail``; TWS-6.11-6): a ``mailto:`` link to ``[general]
  support_email`` saying to attach the bundle, with About's lines (``support_mail.py``); the
  address is set in the field below it (``support_address.py``: an e-mail address or nothing).
* Reconnect now (R, ``tools.reconnect``; TWS-6.11-7): the backend closed, built again and
  connected; the page says when the link is back.
* About (A, ``tools.about``; TWS-1.8-1): its own page (``about_page.py``).
* Traces (TWS-6.11-2…5, ``traces.py``): the trace level (L, ``tools.log_level``: from Trace to
  Off, applied at once and saved as ``[general] log_level``), the log files' paths (the
  console's and the backend's, TWS-6.11-4) and their
  rotation (15 files of 10 MB), the log folder's path copied to the clipboard and the folder
  opened on the desktop (C, ``tools.copy_log_folder``), the log exported to a path typed (X,
  ``tools.export_log``).
* Check dependencies (K, ``tools.dependencies``; TWS-6.11-8): its own page
  (``dependencies.py``).
* Delete all my history (D, ``tools.delete_history``): asked first, then every call of the
  local journal and its comments deleted and the missed calls' count back to none.

The spec advises users not to touch these (TWS-6.11-1): the page says they are for support.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.screens.tools import traces
from tws_tui.console.screens.tools.about import about_lines
from tws_tui.console.screens.tools.support_address import SupportAddressRow
from tws_tui.console.screens.tools.support_mail import support_mail
from tws_tui.core.events import LinkStatus
from tws_tui.core.topics import Topic, Topics
from tws_tui.platform import paths
from tws_tui.platform.diagnostics import build_bundle, log_files
from tws_tui.platform.i18n import N_, _, ngettext
from tws_tui.platform.logs import current_backend_log, current_log_file
from tws_tui.settings.profiles_file import profiles_file

BUNDLE_NAME = "tws-tui-diagnostics.zip"
#: (button id, label with {key}, the key's action id), row by row.
BUTTON_ROWS = (
    (
        ("tools-export", N_("Export a diagnostics bundle… ({key})"), "tools.export"),
        ("tools-reconnect", N_("Reconnect now ({key})"), "tools.reconnect"),
        ("tools-about", N_("About… ({key})"), "tools.about"),
    ),
    (
        ("tools-export-log", N_("Export the log… ({key})"), "tools.export_log"),
        ("tools-copy-log", N_("Copy the log folder's path ({key})"), "tools.copy_log_folder"),
    ),
    (
        ("tools-delete-history", N_("Delete all my history… ({key})"), "tools.delete_history"),
        ("tools-dependencies", N_("Check dependencies… ({key})"), "tools.dependencies"),
    ),
    (("tools-mail", N_("E-mail support… ({key})"), "tools.mail"),),
)


class ToolsScreen(ModeScreen):
    MODE = "tools"
    PARENT_MODE = "prefs"
    TITLE_MSGID = N_("Tools")
    TOPICS = frozenset({Topic.LINK})
    BINDINGS: ClassVar = bindings_for("tools")
    DEFAULT_CSS = """
    ToolsScreen #tools-scroll { height: 1fr; }
    ToolsScreen .tools-note { height: auto; padding: 0 1; }
    ToolsScreen .tools-row { height: 1; margin-top: 1; }
    ToolsScreen .tools-row Button { height: 1; border: none; min-width: 0; margin-right: 2; }
    ToolsScreen .tools-row Label { width: auto; padding: 0 1; }
    ToolsScreen .tools-row Select { width: 44; }
    """

    def compose_body(self) -> ComposeResult:
        self._reconnecting = False
        rows = iter(BUTTON_ROWS)
        with VerticalScroll(id="tools-scroll", can_focus=False):
            yield Static(id="tools-warning", classes="empty-note")
            yield self._buttons(next(rows))
            yield self._buttons(BUTTON_ROWS[-1])
            yield SupportAddressRow(classes="tools-row")
            yield Static(id="tools-traces-title", classes="section-title")
            with Horizontal(classes="tools-row"):
                yield Label(id="tools-level-label")
                yield Select(
                    traces.level_options(),
                    value=self.tws.prefs.general.log_level,
                    allow_blank=False,
                    id="tools-log-level",
                    compact=True,
                )
            yield Static(id="tools-log", classes="tools-note", markup=False)
            yield self._buttons(next(rows))
            yield Static(id="tools-upkeep-title", classes="section-title")
            yield self._buttons(next(rows))

    @staticmethod
    def _buttons(row: tuple[tuple[str, str, str], ...]) -> Horizontal:
        return Horizontal(
            *(Button("", id=button_id, compact=True) for button_id, _l, _a in row),
            classes="tools-row",
        )

    def refresh_from_state(self, topics: Topics) -> None:
        self.query_one("#tools-warning", Static).update(
            _("For support and maintenance: you should not need these in daily use.")
        )
        for row in BUTTON_ROWS:
            for button_id, label, action in row:
                key = self.tws.app_key_display(action)
                self.query_one(f"#{button_id}", Button).label = _(label).format(key=key)
        self.query_one(SupportAddressRow).relabel()
        self.query_one("#tools-traces-title", Static).update(_("Traces"))
        self.query_one("#tools-level-label", Label).update(
            _("Trace level ({key})").format(key=self.tws.app_key_display("tools.log_level"))
        )
        select: Select[str] = self.query_one("#tools-log-level", Select)
        with self.prevent(Select.Changed):
            select.set_options(traces.level_options())
            select.value = self.tws.prefs.general.log_level
        self.query_one("#tools-log", Static).update(traces.log_note())
        self.query_one("#tools-upkeep-title", Static).update(_("Maintenance"))
        if self._reconnecting and self.tws.state.link is LinkStatus.ONLINE:
            self._reconnecting = False
            self.tws.notify(_("Reconnected."))

    def action_close(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#tools-reconnect")
    def action_reconnect(self) -> None:
        """R: reconnect now; the page says when the link is back."""
        self._reconnecting = True
        self.tws.notify(_("Reconnecting…"))
        self.tws.reconnect()

    @on(Button.Pressed, "#tools-about")
    def action_about(self) -> None:
        from tws_tui.console.screens.tools.about_page import AboutScreen

        self.tws.push_screen(AboutScreen())

    def action_log_level(self) -> None:
        self.query_one("#tools-log-level", Select).focus()

    @on(Select.Changed, "#tools-log-level")
    def _level_chosen(self, event: Select.Changed) -> None:
        traces.choose_level(self.tws, str(event.value))

    @on(Button.Pressed, "#tools-copy-log")
    def action_copy_log_folder(self) -> None:
        traces.copy_log_folder(self.tws)

    @on(Button.Pressed, "#tools-export-log")
    def action_export_log(self) -> None:
        traces.ask_export_log(self.tws)

    @on(Button.Pressed, "#tools-dependencies")
    def action_dependencies(self) -> None:
        from tws_tui.console.screens.tools.dependencies import DependenciesScreen

        self.tws.push_screen(DependenciesScreen())

    @on(Button.Pressed, "#tools-mail")
    def action_mail_support(self) -> None:
        support_mail(self.tws, self.app, about_lines(self.tws))

    @on(Button.Pressed, "#tools-delete-history")
    def action_delete_history(self) -> None:
        """D: every call of the journal deleted, once confirmed."""
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_history()

        question = _(
            "Delete all your call history: every call and its comments, and the count of"
            " missed calls? This cannot be undone."
        )
        self.tws.push_screen(ConfirmScreen(question), answered)

    @work(group="tools-delete-history")
    async def _delete_history(self) -> None:
        deleted = await self.tws.local_journal.delete_all()
        if deleted is None:
            return  # the journal's own message said why
        self.tws.notify(
            ngettext("History deleted: {n} call.", "History deleted: {n} calls.", deleted).format(
                n=deleted
            )
        )

    @on(Button.Pressed, "#tools-export")
    def action_export(self) -> None:
        """E: where to write the bundle, then the bundle."""
        from tws_tui.console.screens.contacts.exchange import FileDialog

        self.tws.push_screen(
            FileDialog(
                _("Export a diagnostics bundle"),
                importing=False,
                suggestion=str(Path("~") / BUNDLE_NAME),
                note=_(
                    "A zip of the logs and the settings, passwords and tokens removed."
                    " Enter goes on, Esc cancels."
                ),
            ),
            self._export,
        )

    @work(group="tools-export")
    async def _export(self, answer: tuple[Path, str] | None) -> None:
        from tws_tui.console.screens.modals.save_text import save_bytes

        if answer is None:
            return
        path, _visibility = answer
        if not path.suffix:
            path = path.with_suffix(".zip")
        files = [
            ("config.toml", paths.config_file()),
            ("prefs.toml", paths.prefs_file()),
            ("profiles.json", profiles_file()),
        ]
        logs = log_files(current_log_file() or paths.log_file())
        backend_log = current_backend_log()
        if backend_log is not None:
            logs += log_files(backend_log)
        about = about_lines(self.tws)
        data, names = await asyncio.to_thread(build_bundle, files, logs, about)
        written = _("Diagnostics bundle written to {path} ({count} files).").format(
            path=path, count=len(names)
        )
        await save_bytes(self.tws, path, data, written)
