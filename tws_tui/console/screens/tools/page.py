"""The Tools page (TWS-6.11, TWS-1.8), opened from Preferences; Escape goes back.

* About (TWS-1.8-1): the lines of ``about.py`` — version, backend, its library and phone
  system, the link, Python and Textual, the files.
* Export a diagnostics bundle (E, ``tools.export``; TWS-6.11-6): a file name asked in the
  project's file dialog, then a zip of the logs, config.toml, prefs.toml, profiles.json and
  about.txt with every secret removed (``platform/diagnostics.py``), written off the loop.
* Reconnect now (R, ``tools.reconnect``; TWS-6.11-7): the backend closed, built again and
  connected; the page says when the link is back.

The spec advises users not to touch these: the page says they are for support.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.screens.tools.about import about_lines
from tws_tui.core.events import LinkStatus
from tws_tui.core.topics import Topic, Topics
from tws_tui.platform import paths
from tws_tui.platform.diagnostics import build_bundle, log_files
from tws_tui.platform.i18n import N_, _, labelled
from tws_tui.platform.logs import current_log_file
from tws_tui.settings.profiles_file import profiles_file

BUNDLE_NAME = "tws-tui-diagnostics.zip"


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
    """

    def compose_body(self) -> ComposeResult:
        self._reconnecting = False
        with VerticalScroll(id="tools-scroll", can_focus=False):
            yield Static(id="tools-warning", classes="empty-note")
            with Horizontal(classes="tools-row"):
                yield Button("", id="tools-export", compact=True)
                yield Button("", id="tools-reconnect", compact=True)
            yield Static(id="tools-about-title", classes="section-title")
            yield Static(id="tools-about", classes="tools-note", markup=False)

    def refresh_from_state(self, topics: Topics) -> None:
        self.query_one("#tools-warning", Static).update(
            _("For support and maintenance: you should not need these in daily use.")
        )
        self.query_one("#tools-export", Button).label = _(
            "Export a diagnostics bundle… ({key})"
        ).format(key=self.tws.app_key_display("tools.export"))
        self.query_one("#tools-reconnect", Button).label = _("Reconnect now ({key})").format(
            key=self.tws.app_key_display("tools.reconnect")
        )
        self.query_one("#tools-about-title", Static).update(_("About"))
        self.query_one("#tools-about", Static).update(
            "\n".join(labelled(label, value) for label, value in about_lines(self.tws))
        )
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
        about = about_lines(self.tws)
        data, names = await asyncio.to_thread(build_bundle, files, logs, about)
        written = _("Diagnostics bundle written to {path} ({count} files).").format(
            path=path, count=len(names)
        )
        await save_bytes(self.tws, path, data, written)
