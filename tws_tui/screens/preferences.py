"""Preferences mode: language, theme, display, incoming-call alerts (TWS §6.4) and contacts
(TWS §6.6: name sort, Away after idle minutes, where notices appear).

Each change applies at once and is written with ``save_prefs`` (atomic; config.toml is never
rewritten). The alert switches drive the alerter pop-up, automatic answer and the callback
offer; the deflection target is checked (digits only) before it is kept. Every ``[alerts]``
key, the finer ones included (bell mode, delays, auto-answer numbers), is in config.toml.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static, Switch

from tws_tui.i18n import LANGUAGES, N_, _, language
from tws_tui.numbers import clean_number, is_dialable
from tws_tui.screens.base import ModeScreen

SWITCHES = (
    ("bell", N_("Ring the terminal bell for an incoming call")),
    ("desktop_notifications", N_("Desktop notification for an incoming call")),
    ("clock_24h", N_("24-hour clock")),
    ("confirm_quit", N_("Ask before quitting")),
)
#: TWS §6.6 choices: (setting, section, label, (value, shown)…).
CONTACT_CHOICES: tuple[tuple[str, str, str, tuple[tuple[object, str], ...]], ...] = (
    (
        "name_sort",
        "contacts",
        N_("Sort names by"),
        (("first", N_("first name (as written)")), ("last", N_("last name"))),
    ),
    (
        "away_after_min",
        "contacts",
        N_("Show me as Away after"),
        (
            (0, N_("never")),
            (5, N_("5 idle minutes")),
            (10, N_("10 idle minutes")),
            (15, N_("15 idle minutes")),
            (30, N_("30 idle minutes")),
            (60, N_("60 idle minutes")),
        ),
    ),
    (
        "toast_position",
        "ui",
        N_("Notices appear"),
        (
            ("bottom-right", N_("bottom right")),
            ("top-right", N_("top right")),
            ("bottom-left", N_("bottom left")),
            ("top-left", N_("top left")),
        ),
    ),
)
ALERT_SWITCHES = (
    ("popup", N_("Pop-up for an incoming call (answer, refuse, deflect)")),
    ("popup_queue_calls", N_("Pop-up for queue calls too")),
    ("auto_answer", N_("Answer automatically (numbers from alerts.auto_answer_numbers)")),
    ("callback_offer", N_("Offer to call back after a failed call")),
)


class PreferencesScreen(ModeScreen):
    DEFAULT_CSS = """
    .pref-row {
        height: auto;
        margin-top: 1;
    }
    .pref-row Label {
        padding: 0 1 0 0;
    }
    .pref-row Switch {
        height: 1;
        border: none;
        padding: 0;
        margin-right: 1;
    }
    .pref-row {
        margin-top: 0;
    }
    .pref-row Select {
        width: 40;
    }
    """
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
        alerts = self.tws.incoming.alerts
        yield Static(id="alerts-title", classes="section-title")
        for key, _msgid in ALERT_SWITCHES:
            with Horizontal(classes="pref-row"):
                yield Switch(getattr(alerts, key), id=f"alert-{key}")
                yield Label(id=f"label-alert-{key}")
        with Horizontal(classes="pref-row"):
            yield Label(id="label-deflect")
            yield Input(alerts.deflect_to, id="pref-deflect", compact=True)
        yield Static(id="contacts-title", classes="section-title")
        for key, section, _label, options in CONTACT_CHOICES:
            current = getattr(self._section(section), key)
            values = [value for value, _shown in options]
            if current not in values:  # a value from config.toml the list does not offer
                options = (*options, (current, str(current)))
            with Horizontal(classes="pref-row"):
                yield Label(id=f"label-{key}")
                yield Select(
                    [(_(shown), value) for value, shown in options],
                    value=current,
                    allow_blank=False,
                    id=f"pref-{key}",
                    classes="contact-choice",
                    compact=True,
                )
        yield Static(id="pref-files", classes="empty-note", markup=False)

    def _section(self, section: str) -> object:
        return self.tws.contact_settings if section == "contacts" else self.tws.ui

    def refresh_from_state(self, topics: frozenset[str]) -> None:
        self.query_one("#label-language", Label).update(_("Language"))
        self.query_one("#label-theme", Label).update(_("Theme"))
        for key, msgid in SWITCHES:
            self.query_one(f"#label-{key}", Label).update(_(msgid))
        self.query_one("#alerts-title", Static).update(_("Incoming calls"))
        for key, msgid in ALERT_SWITCHES:
            self.query_one(f"#label-alert-{key}", Label).update(_(msgid))
        self.query_one("#label-deflect", Label).update(_("Deflect to (Enter saves)"))
        self.query_one("#contacts-title", Static).update(_("Contacts"))
        for key, _section, label, _options in CONTACT_CHOICES:
            self.query_one(f"#label-{key}", Label).update(_(label))
        voicemail = self.tws.voicemail_number
        self.query_one("#pref-deflect", Input).placeholder = (
            _("empty: voicemail {number}").format(number=voicemail) if voicemail else ""
        )
        self.query_one("#pref-files", Static).update(self.tws.describe_files())

    @on(Select.Changed, "#pref-language")
    def _language(self, event: Select.Changed) -> None:
        if event.value != language():
            self.tws.change_language(str(event.value))

    @on(Select.Changed, "#pref-theme")
    def _theme(self, event: Select.Changed) -> None:
        if event.value != self.app.theme:
            self.tws.change_ui(theme=str(event.value))

    @on(Select.Changed, ".contact-choice")
    def _contact_choice(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("pref-")
        section = next(s for k, s, _label, _options in CONTACT_CHOICES if k == key)
        if getattr(self._section(section), key) == event.value:
            return
        if section == "contacts":
            self.tws.change_contacts(**{key: event.value})
        else:
            self.tws.change_ui(**{key: event.value})

    @on(Switch.Changed, ".pref-row Switch")
    def _switch(self, event: Switch.Changed) -> None:
        switch_id = event.switch.id or ""
        if switch_id.startswith("alert-"):
            key = switch_id.removeprefix("alert-")
            if getattr(self.tws.incoming.alerts, key) != event.value:
                self.tws.change_alerts(**{key: event.value})
            return
        key = switch_id.removeprefix("pref-")
        if getattr(self.tws.ui, key) != event.value:
            self.tws.change_ui(**{key: event.value})

    @on(Input.Submitted, "#pref-deflect")
    def _deflect(self, event: Input.Submitted) -> None:
        target = clean_number(event.value)
        if target and not is_dialable(target):
            self.tws.notify(
                _("{text!r} is not a phone number: it contains letters.").format(text=event.value),
                severity="warning",
            )
            return
        self.tws.change_alerts(deflect_to=target)
        self.tws.notify(_("Saved."))
