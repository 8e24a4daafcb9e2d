"""Preferences mode: language, theme, display, automatic connection, my forwarding (issue 17:
what is on, and a button to the forwarding dialog), my voicemail (TWS-6.9: the active
greeting, the e-mail copy, a PIN still 0000, and a button to the voicemail settings page,
``screens/history/voicemail_settings.py``), incoming-call alerts (TWS §6.4) and the
contact preferences (TWS §6.6).

Each change applies at once and is written with ``save_prefs`` (atomic; config.toml is never
rewritten). The alert switches drive the alerter pop-up, automatic answer and the callback
offer; the deflection target is checked (digits only) before it is kept. Every ``[alerts]``
key, the finer ones included (bell mode, delays, auto-answer numbers), is in config.toml.

Contacts (TWS §6.6, ``[contacts]`` and ``[ui] toast_position``): name sort (-3), where the
contact's card opens (-2), what Enter on a contact does (-4), how the home-screen lists are
drawn (-6), the supervision colours of a colleague ringing and on a call (TWS-6.3-2/-3), the
queue waiting-time thresholds (TWS-6.3-4, ``widgets/wait_thresholds.py``), a
button to the key configuration (Webpilot §13, Alt+K); presence: Away after
idle minutes (-7), the corner of the notices (-5) and the presence states in which notices
show (-8, one switch each; incoming calls always ring). Last, my profiles (issue 17): the
active one, a button to the Profiles page (``screens/profiles/``) and my calendar (a file or URL:
calendar presence), and the buttons to the Audio, Sound library and Tools pages
(``preferences_more.py``). Synchronised directories
and their credentials (-9, -10) are the phone system's: a note says there is nothing to set
here. The page scrolls (Tab moves through it) when the terminal is short.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, Switch

from tws_tui.console.screens.base import ModeScreen
from tws_tui.console.screens.preferences_more import compose_more, open_page, refresh_more
from tws_tui.console.theme_names import theme_label
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.console.widgets.wait_thresholds import WaitThresholds
from tws_tui.core.model import Capability, PresenceState
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.find_me import ON_THE_PBX_NOTE
from tws_tui.domain.find_me import summary as find_me_summary
from tws_tui.domain.format import PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.domain.forwarding import BY_PHONE_NOTE, offered_kinds, summary
from tws_tui.domain.numbers import clean_number, is_dialable
from tws_tui.domain.presented_number import default_text
from tws_tui.domain.profiles import profile_name
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import LANGUAGES, N_, _, labelled, language
from tws_tui.settings.prefs import Section
from tws_tui.settings.schema import PRESENCE_STATES, SUPERVISION_COLOURS

SWITCHES = (
    ("bell", N_("Ring the terminal bell for an incoming call")),
    ("desktop_notifications", N_("Desktop notification for an incoming call")),
    ("clock_24h", N_("24-hour clock")),
    ("confirm_quit", N_("Ask before quitting")),
    ("auto_connect", N_("Connect automatically at start-up (off: the sign-in screen)")),
)
Choices = tuple[tuple[str, str, str, tuple[tuple[object, str], ...]], ...]
#: TWS §6.6 choices: (setting, section, label, (value, shown)…).
GENERAL_SWITCHES = frozenset({"confirm_quit", "auto_connect"})  # the others are [ui]
CONTACT_CHOICES: Choices = (
    (
        "name_sort",
        "contacts",
        N_("Sort names by"),
        (("first", N_("first name (as written)")), ("last", N_("last name"))),
    ),
    (
        "infocard",
        "contacts",
        N_("Contact details"),
        (
            ("external", N_("beside the list, following the cursor")),
            ("internal", N_("under the contact, opened by Enter or Space")),
        ),
    ),
    (
        "call_gesture",
        "contacts",
        N_("Enter on a contact"),
        (
            ("double", N_("opens it, a second Enter calls")),
            ("single", N_("calls at once")),
        ),
    ),
    (
        "list_display",
        "contacts",
        N_("Home-screen lists"),
        (
            ("free", N_("each list its own (Ctrl+D switches one)")),
            ("classic", N_("all classic: initials, name, company")),
            ("reduced", N_("all reduced: presence and name")),
        ),
    ),
)
PRESENCE_CHOICES: Choices = (
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
#: Issue 17: the screen the console opens on after sign-in (``general.start_screen``).
GENERAL_CHOICES: Choices = (
    (
        "start_screen",
        "general",
        N_("Start-up screen"),
        (
            ("contacts", N_("Contacts")),
            ("calls", N_("Calls")),
            ("queues", N_("Queues")),
            ("chat", N_("Chat")),
            ("history", N_("History")),
        ),
    ),
)
#: TWS-6.3-2/-3: a colleague ringing, on a call, in supervision (``[contacts]``).
COLOURS = tuple((c, N_("the theme's") if c == "theme" else c) for c in SUPERVISION_COLOURS)
THEME_CHOICES: Choices = (
    ("ringing_colour", "contacts", N_("Colleague ringing"), COLOURS),
    ("talking_colour", "contacts", N_("Colleague on a call"), COLOURS),
)
ALL_CHOICES = GENERAL_CHOICES + CONTACT_CHOICES + THEME_CHOICES + PRESENCE_CHOICES
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
        width: 48;
    }
    .pref-row Label.choice-label {
        width: 24;
    }
    .pref-note {
        height: auto;
        padding: 0 1;
    }
    .pref-row Button {
        height: 1;
        border: none;
        min-width: 0;
    }
    #prefs-scroll {
        height: 1fr;
    }
    """
    MODE = "prefs"
    TITLE_MSGID = N_("Preferences")
    TOPICS = frozenset({Topic.ME, Topic.VOICEMAIL_SETTINGS})  # shown in their sections

    def compose_body(self) -> ComposeResult:
        self._options_language = language()  # the language the lists' options are in
        with VerticalScroll(id="prefs-scroll", can_focus=False):
            yield from self._compose_prefs()

    def _compose_prefs(self) -> ComposeResult:
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
                self._theme_options(),
                value=self.app.theme,
                allow_blank=False,
                id="pref-theme",
                compact=True,
            )
        yield from self._choices(GENERAL_CHOICES)
        prefs = self.tws.prefs
        for key, _msgid in SWITCHES:
            with Horizontal(classes="pref-row"):
                yield OnOffSwitch(prefs.value(self._switch_section(key), key), id=f"pref-{key}")
                yield Label(id=f"label-{key}")
        yield Static(id="forwarding-title", classes="section-title")
        yield Static(id="forwarding-summary", classes="pref-note", markup=False)
        with Horizontal(classes="pref-row"):
            yield Button("", id="pref-forwarding", compact=True)
        yield Static(id="presented-summary", classes="pref-note", markup=False)
        with Horizontal(classes="pref-row", id="presented-row"):
            yield Button("", id="pref-presented", compact=True)
        yield Static(id="voicemail-title", classes="section-title")
        yield Static(id="voicemail-summary", classes="pref-note", markup=False)
        with Horizontal(classes="pref-row"):
            yield Button("", id="pref-voicemail", compact=True)
        alerts = self.tws.prefs.alerts
        yield Static(id="alerts-title", classes="section-title")
        for key, _msgid in ALERT_SWITCHES:
            with Horizontal(classes="pref-row"):
                yield OnOffSwitch(prefs.value("alerts", key), id=f"alert-{key}")
                yield Label(id=f"label-alert-{key}")
        with Horizontal(classes="pref-row"):
            yield Label(id="label-deflect")
            yield Input(alerts.deflect_to, id="pref-deflect", compact=True)
        yield Static(id="contacts-title", classes="section-title")
        yield from self._choices(CONTACT_CHOICES + THEME_CHOICES)
        yield WaitThresholds()  # TWS-6.3-4
        with Horizontal(classes="pref-row"):
            yield Label(id="label-keys", classes="choice-label")
            yield Button("", id="pref-keys", compact=True)
        yield Static(id="presence-title", classes="section-title")
        yield from self._choices(PRESENCE_CHOICES)
        yield Label(id="label-notices")
        shown_when = self.tws.prefs.contacts.show_notices_when
        for state in PRESENCE_STATES:
            with Horizontal(classes="pref-row"):
                yield OnOffSwitch(state in shown_when, id=f"notice-{state}")
                yield Label(id=f"label-notice-{state}")
        yield Static(id="collaboration-title", classes="section-title")
        yield Static(id="collaboration-note", classes="empty-note")
        yield Static(id="pref-files", classes="empty-note", markup=False)
        yield Static(id="profiles-title", classes="section-title")
        yield Static(id="profiles-summary", classes="pref-note", markup=False)
        with Horizontal(classes="pref-row"):
            yield Button("", id="pref-profiles", compact=True)
        with Horizontal(classes="pref-row"):
            yield Label(id="label-calendar", classes="choice-label")
            yield Input(self.tws.prefs.contacts.calendar, id="pref-calendar", compact=True)
        yield from compose_more()

    def _choices(self, choices: Choices) -> ComposeResult:
        for key, section, _label, options in choices:
            with Horizontal(classes="pref-row"):
                yield Label(id=f"label-{key}", classes="choice-label")
                yield Select(
                    self._choice_options(key, section, options),
                    value=self.tws.prefs.value(self._section(section), key),
                    allow_blank=False,
                    id=f"pref-{key}",
                    classes="contact-choice",
                    compact=True,
                )

    def _choice_options(
        self, key: str, section: str, options: tuple[tuple[object, str], ...]
    ) -> list[tuple[str, object]]:
        """A choice's options in the current language; a value from config.toml the list
        does not offer is added as it is written there."""
        current = self.tws.prefs.value(self._section(section), key)
        shown = [(_(label), value) for value, label in options]
        if current not in (value for value, _label in options):
            shown.append((str(current), current))
        return shown

    def _theme_options(self) -> list[tuple[str, str]]:
        """Every theme by its name in the current language, in alphabetical order."""
        labels = [(theme_label(theme), theme) for theme in self.app.available_themes]
        return sorted(labels, key=lambda option: fold(option[0]))

    def _relabel_options(self) -> None:
        """After a language switch (Alt+L, or the Language choice): every list's options
        again in the new language, the chosen value kept and nothing saved."""
        if self._options_language == language():
            return
        self._options_language = language()
        lists = [("#pref-theme", self._theme_options())] + [
            (f"#pref-{key}", self._choice_options(key, section, options))
            for key, section, _label, options in ALL_CHOICES
        ]
        with self.prevent(Select.Changed):  # the same value: no preference changes
            self.query_one("#pref-language", Select).value = language()  # Alt+L: the new one
            for selector, shown in lists:
                select: Select[object] = self.query_one(selector, Select)
                value = select.value
                select.set_options(shown)
                select.value = value
                # Shown again even when it is the first option (set_options chose it already).
                select.mutate_reactive(Select.value)  # type: ignore[misc]  # generic class

    @staticmethod
    def _section(section: str) -> Section:
        """Where a choice's setting lives: ``[contacts]``, ``[general]``, else ``[ui]``."""
        if section == "general":
            return "general"
        return "contacts" if section == "contacts" else "ui"

    @staticmethod
    def _switch_section(key: str) -> Section:
        """Where a switch's setting lives: ``[general]`` for confirm_quit and auto_connect,
        else ``[ui]``."""
        return "general" if key in GENERAL_SWITCHES else "ui"

    def refresh_from_state(self, topics: Topics) -> None:
        self._relabel_options()
        self.query_one("#label-language", Label).update(_("Language"))
        self.query_one("#label-theme", Label).update(_("Theme"))
        for key, msgid in SWITCHES:
            self.query_one(f"#label-{key}", Label).update(_(msgid))
        self._refresh_forwarding()
        self._refresh_voicemail()
        self.query_one("#alerts-title", Static).update(_("Incoming calls"))
        for key, msgid in ALERT_SWITCHES:
            self.query_one(f"#label-alert-{key}", Label).update(_(msgid))
        self.query_one("#label-deflect", Label).update(_("Deflect to (Enter saves)"))
        self.query_one("#contacts-title", Static).update(_("Contacts"))
        for key, _section, label, _options in ALL_CHOICES:
            self.query_one(f"#label-{key}", Label).update(_(label))
        self.query_one("#label-keys", Label).update(_("Supervision tiles"))
        self.query_one("#pref-keys", Button).label = _("Key configuration… ({key})").format(
            key=self.tws.app_key_display("keys.configure")
        )
        self.query_one("#presence-title", Static).update(_("Presence"))
        self.query_one("#label-notices", Label).update(
            _("Show notices while I am (incoming calls always ring):")
        )
        for state in PRESENCE_STATES:
            presence = PresenceState(state)
            self.query_one(f"#label-notice-{state}", Label).update(
                PRESENCE_SYMBOL[presence] + " " + _(PRESENCE_WORD[presence])
            )
        self.query_one("#collaboration-title", Static).update(_("Collaboration"))
        self.query_one("#collaboration-note", Static).update(
            _(
                "Synchronised directories and calendars (Office 365, Exchange, Google…) and the"
                " credentials they need are set up on the phone system by an administrator:"
                " there is nothing to configure for them in this console. Your own calendar,"
                " for calendar presence, is set at the end of this page."
            )
        )
        voicemail = self.tws.calls.voicemail_number
        self.query_one("#pref-deflect", Input).placeholder = (
            _("empty: voicemail {number}").format(number=voicemail) if voicemail else ""
        )
        self.query_one("#pref-files", Static).update(self.tws.describe_files())
        self._refresh_profiles()
        refresh_more(self)

    def _refresh_profiles(self) -> None:
        """My profiles (issue 17): the active one, and the button to the Profiles page."""
        self.query_one("#profiles-title", Static).update(_("Profiles"))
        profiles = self.tws.profiles
        button = self.query_one("#pref-profiles", Button)
        button.label = _("Profiles and their rules…")
        self.query_one("#label-calendar", Label).update(_("My calendar"))
        self.query_one("#pref-calendar", Input).placeholder = _(
            ".ics file or https:// address, Enter saves: Busy during its events"
        )
        note = self.query_one("#profiles-summary", Static)
        button.disabled = not profiles.offered
        if not profiles.offered:
            note.update(_("This phone system does not let the console switch profiles."))
            return
        note.update(
            _("Active: {name} ({key} switches from anywhere).").format(
                name=profile_name(profiles.book.current()),
                key=self.tws.app_key_display("profile.switch"),
            )
        )

    def _refresh_forwarding(self) -> None:
        """My forwarding, kind by kind, and the button to the dialog; a phone system without
        forwarding says so and the button is off."""
        self.query_one("#forwarding-title", Static).update(_("My forwarding"))
        button = self.query_one("#pref-forwarding", Button)
        button.label = _("Set my forwarding… ({key})").format(
            key=self.tws.app_key_display("forwarding.set")
        )
        me = self.tws.state.me
        note = self.query_one("#forwarding-summary", Static)
        if not self.tws.can(Capability.FORWARDING):
            button.disabled = True
            note.update(_("This phone system does not let the console set call forwarding."))
        elif me is None:
            note.update(_("Not connected."))
        else:
            button.disabled = False
            kinds = offered_kinds(self.tws.can)
            voicemail = self.tws.calls.voicemail_number
            text = summary(me.forwards, voicemail, kinds)
            if self.tws.can(Capability.FIND_ME):
                text += "\n" + find_me_summary(me.find_me, voicemail)
            else:
                text += "\n" + _(ON_THE_PBX_NOTE)
            if self.tws.can(Capability.FORWARDING_BY_PHONE):
                text += "\n" + _(BY_PHONE_NOTE)
            note.update(text)
        self._refresh_presented()

    def _refresh_voicemail(self) -> None:
        """My voicemail's settings (TWS-6.9): what is known of them, and the button to their
        page; a phone system that keeps them itself (SIP: the PBX) says so."""
        self.query_one("#voicemail-title", Static).update(_("My voicemail"))
        button = self.query_one("#pref-voicemail", Button)
        button.label = _("Greetings, PIN and e-mail copy…")
        backend = self.tws.backend
        note = self.query_one("#voicemail-summary", Static)
        offered = backend is not None and backend.voicemail_prefs is not None
        button.disabled = not offered
        settings = self.tws.state.voicemail_settings
        if not offered:
            note.update(
                _("This phone system keeps the voicemail settings itself (its voicemail menu).")
            )
        elif settings is None:
            note.update("")
        else:
            active = next((g.name for g in settings.greetings if g.active), _("the standard one"))
            copy = settings.email if settings.email_copy else _("off")
            parts = [labelled(_("Greeting"), active), labelled(_("E-mail copy"), copy)]
            if settings.pin_is_default:
                parts.append(_("PIN still 0000"))
            note.update(" · ".join(parts))

    @on(Button.Pressed, "#pref-voicemail")
    def _open_voicemail_settings(self) -> None:
        from tws_tui.console.screens.history.voicemail_settings import VoicemailSettingsScreen

        self.app.push_screen(VoicemailSettingsScreen(), lambda _none: self._refresh_voicemail())

    def _refresh_presented(self) -> None:
        """The number callers see by default (Selfcare §2.3), where the phone system lets
        me choose it; else the line and its button are hidden."""
        me = self.tws.state.me
        offered = self.tws.can(Capability.PRESENTED_NUMBER) and bool(
            me is not None and me.company_numbers
        )
        note = self.query_one("#presented-summary", Static)
        button = self.query_one("#pref-presented", Button)
        note.display = self.query_one("#presented-row").display = offered
        if me is not None and offered:
            note.update(default_text(me))
            button.label = _("Choose the number callers see…")

    @on(Button.Pressed, "#pref-profiles")
    def _open_profiles(self) -> None:
        from tws_tui.console.screens.profiles.page import ProfilesScreen

        self.app.push_screen(ProfilesScreen(), lambda _none: self._refresh_profiles())

    @on(Button.Pressed, "#pref-presented")
    def _open_presented(self) -> None:
        self.tws.calls.pick_presented_number(default=True)

    @on(Button.Pressed, ".pref-page")
    def _open_page(self, event: Button.Pressed) -> None:
        open_page(self, event.button.id or "")

    @on(Button.Pressed, "#pref-forwarding")
    async def _open_forwarding(self) -> None:
        await self.app.run_action("set_forwarding")

    @on(Select.Changed, "#pref-language")
    def _language(self, event: Select.Changed) -> None:
        if event.value != language():
            self.tws.prefs.change("general", language=str(event.value))

    @on(Select.Changed, "#pref-theme")
    def _theme(self, event: Select.Changed) -> None:
        if event.value != self.app.theme:
            self.tws.prefs.change("ui", theme=str(event.value))

    @on(Select.Changed, ".contact-choice")
    def _contact_choice(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("pref-")
        section = next(s for k, s, _label, _options in ALL_CHOICES if k == key)
        if self.tws.prefs.value(self._section(section), key) != event.value:
            self.tws.prefs.change(self._section(section), **{key: event.value})

    @on(Button.Pressed, "#pref-keys")
    async def _open_keys(self) -> None:
        await self.app.run_action("configure_keys")

    @on(Switch.Changed, ".pref-row Switch")
    def _switch(self, event: Switch.Changed) -> None:
        switch_id = event.switch.id or ""
        if switch_id.startswith("notice-"):
            ticked = {
                state
                for state in PRESENCE_STATES
                if self.query_one(f"#notice-{state}", Switch).value
            }
            states = tuple(state for state in PRESENCE_STATES if state in ticked)
            if states != self.tws.prefs.contacts.show_notices_when:
                self.tws.prefs.change("contacts", show_notices_when=states)
            return
        if switch_id.startswith("alert-"):
            key = switch_id.removeprefix("alert-")
            if self.tws.prefs.value("alerts", key) != event.value:
                self.tws.prefs.change("alerts", **{key: event.value})
            return
        key = switch_id.removeprefix("pref-")
        section = self._switch_section(key)
        if self.tws.prefs.value(section, key) != event.value:
            self.tws.prefs.change(section, **{key: event.value})

    @on(Input.Submitted, "#pref-calendar")
    def _calendar(self, event: Input.Submitted) -> None:
        """Calendar presence's source: a file that exists, an http(s) address, or empty."""
        source = event.value.strip()
        web = source.startswith(("http://", "https://"))
        if source and not web and not Path(source).expanduser().is_file():
            self.tws.notify(
                _("{path}: no such file; the calendar is unchanged.").format(path=source),
                severity="warning",
                markup=False,
            )
            return
        self.tws.prefs.change("contacts", calendar=source)
        self.tws.profiles.calendar_changed()

    @on(Input.Submitted, "#pref-deflect")
    def _deflect(self, event: Input.Submitted) -> None:
        target = clean_number(event.value)
        if target and not is_dialable(target):
            self.tws.notify(
                _("{text!r} is not a phone number: it contains letters.").format(text=event.value),
                severity="warning",
            )
            return
        self.tws.prefs.change("alerts", deflect_to=target)
        self.tws.notify(_("Saved."))
