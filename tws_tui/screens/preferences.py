"""Preferences mode: language, theme and alert settings, saved to the app-owned prefs.toml.

Each change applies at once and is written with ``save_prefs`` (atomic; config.toml is never
rewritten). The full preference tabs (alerts, queues, contacts…) grow with later issues.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Select, Static, Switch

from tws_tui.i18n import LANGUAGES, N_, _, language
from tws_tui.screens.base import ModeScreen

SWITCHES = (
    ("bell", N_("Ring the terminal bell for an incoming call")),
    ("desktop_notifications", N_("Desktop notification for an incoming call")),
    ("clock_24h", N_("24-hour clock")),
    ("confirm_quit", N_("Ask before quitting")),
)


class PreferencesScreen(ModeScreen):
    MODE = "prefs"
    TITLE_MSGID = N_("Preferences")
    TOPICS = frozenset()

    def compose_body(self) -> ComposeResult:
        options = self.tws.ui
        with Horizontal(classes="pref-row"):
            yield Label(id="label-language")
            yield Select(
                [(n, c) for c, n in LANGUAGES.items()],
                value=language(),
                allow_blank=False,
                id="pref-language",
                compact=True,
            )
        with Horizontal(classes="pref-row"):
            yield Label(id="label-theme")
            yield Select(
                [(t, t) for t in sorted(self.app.available_themes)],
                value=self.app.theme,
                allow_blank=False,
                id="pref-theme",
                compact=True,
            )
        for key, _msgid in SWITCHES:
            with Horizontal(classes="pref-row"):
                yield Switch(getattr(options, key), id=f"pref-{key}")
                yield Label(id=f"label-{key}")
        yield Static(id="pref-files", classes="empty-note", markup=False)

    def refresh_from_state(self, topics: frozenset[str]) -> None:
        self.query_one("#label-language", Label).update(_("Language"))
        self.query_one("#label-theme", Label).update(_("Theme"))
        for key, msgid in SWITCHES:
            self.query_one(f"#label-{key}", Label).update(_(msgid))
        self.query_one("#pref-files", Static).update(self.tws.describe_files())

    @on(Select.Changed, "#pref-language")
    def _language(self, event: Select.Changed) -> None:
        if event.value != language():
            self.tws.change_language(str(event.value))

    @on(Select.Changed, "#pref-theme")
    def _theme(self, event: Select.Changed) -> None:
        if event.value != self.app.theme:
            self.tws.change_ui(theme=str(event.value))

    @on(Switch.Changed)
    def _switch(self, event: Switch.Changed) -> None:
        key = (event.switch.id or "").removeprefix("pref-")
        if getattr(self.tws.ui, key) != event.value:
            self.tws.change_ui(**{key: event.value})
