"""The About page (TWS-1.8-1), opened from Tools (A): every line of ``about.py`` — version,
installation date and licence, the backend with its library and phone system, who I am and
the extension supervised, this machine's address, the link, Python and the libraries, the
files — and C (``about.copy``) puts them all on the clipboard, as text, for a support
request; Escape goes back."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.screens.tools.about import about_text
from tws_tui.core.topics import Topic, Topics
from tws_tui.platform.i18n import N_, _


class AboutScreen(ModeScreen):
    MODE = "about"
    PARENT_MODE = "prefs"
    TITLE_MSGID = N_("About")
    TOPICS = frozenset({Topic.LINK, Topic.ME})
    BINDINGS: ClassVar = bindings_for("about")
    DEFAULT_CSS = """
    AboutScreen #about-scroll { height: 1fr; }
    AboutScreen .about-note { height: auto; padding: 0 1; }
    """

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="about-scroll"):
            yield Static(id="about-keys", classes="empty-note")
            yield Static(id="about-lines", classes="about-note", markup=False)

    def refresh_from_state(self, topics: Topics) -> None:
        self.query_one("#about-keys", Static).update(
            _("{copy}: copy these lines to the clipboard, for a support request.").format(
                copy=self.tws.app_key_display("about.copy")
            )
        )
        self.query_one("#about-lines", Static).update(about_text(self.tws))

    def action_copy(self) -> None:
        """C: the whole text on the clipboard."""
        self.tws.copy_to_clipboard(about_text(self.tws))
        self.tws.notify(_("About copied to the clipboard."))

    def action_close(self) -> None:
        self.dismiss()
