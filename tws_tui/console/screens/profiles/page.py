"""``ProfilesScreen``: the Profiles page of Preferences (issue 17; TWS §6.10; TWP §5.1) — the
profiles (★ the active one), the highlighted profile's presence, note and schedule, its rules
in the order they are tried as a table (``widgets/rule_table.py``: on/off, name, presence,
status — ACTIVE and which wins, PENDING, NOT ACTIVE —, summary sentence, filters, days) with
the highlighted rule's whole sentence, filters and why below it, and which rule would win for a
call from a number typed below.

Keyboard only, 80×24: Tab goes list → rules → buttons → the caller field; Enter on a profile
activates it, on a rule edits it; the buttons add, edit and delete profiles and rules and switch
a rule on or off — Space (``profiles.rule_toggle``) or a click on its box too, saying the status
it gets (``questions.py``) —, Delete (``profiles.delete``) deletes the profile or the rule
focused, the Yes/No question saying what goes with it; Shift+↑ / Shift+↓ (``profiles.rule_up`` /
``profiles.rule_down``) move the highlighted rule, and the order is the order rules are tried in
(TWS-6.10.6.3-2). Every change goes through the profiles controller (checked, then kept in
profiles.json); a refused one changes nothing. A new rule is off until switched on
(TWS-6.10.6.1-15, -6.10.6.3-1); a new profile is not activated (TWS-6.10.1-6) and is kept only
with its first rule, and a profile's last rule cannot be deleted (TWS-6.10.1-5). The first
(default) profile cannot be deleted (TWS-6.10.5-3); deleting the active one activates the
default (TWS-6.10.5-2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static, Switch
from textual.widgets.option_list import Option

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.screens.audio.sounds import shown_name
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.console.screens.profiles.profile_form import EditedProfile, ProfileForm
from tws_tui.console.screens.profiles.questions import (
    delete_profile_question,
    delete_rule_question,
    switched_notice,
)
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.console.widgets.rule_table import RuleTable
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.core.model import Capability
from tws_tui.domain.format import PRESENCE_SYMBOL, PRESENCE_WORD
from tws_tui.domain.forwarding import KIND_WORD, offered_kinds
from tws_tui.domain.phone_line import LINE_WORD
from tws_tui.domain.profiles import (
    PROFILE_SYMBOL,
    Profile,
    Rule,
    days_text,
    hhmm,
    move_rule,
    overlap_warning,
    profile_name,
    put_rule,
    remove_rule,
    semicolons,
    target_word,
)
from tws_tui.domain.rule_summary import filters_text, summary
from tws_tui.platform.i18n import _, labelled
from tws_tui.platform.sound_library import library
from tws_tui.settings.profiles_file import ProfileBook

ACTIVE_MARK = "★"


class ProfilesScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ProfilesScreen { align: left top; }
    ProfilesScreen #profiles-box { width: 100%; height: 100%; padding: 0 1;
        background: $surface; }
    ProfilesScreen #profiles-title { text-style: bold; height: 1; }
    ProfilesScreen #profiles-main { height: 1fr; }
    ProfilesScreen OptionList { border: none; padding: 0; }
    ProfilesScreen OptionList:focus { border: none; }
    ProfilesScreen #profile-list { width: 22; height: 1fr; border-right: vkey $panel; }
    ProfilesScreen #profile-detail { width: 1fr; height: 1fr; padding-left: 1; }
    ProfilesScreen #profile-info { height: auto; }
    ProfilesScreen #rule-list { height: auto; max-height: 60%; }
    ProfilesScreen #rule-detail { height: 3; }
    ProfilesScreen .buttons { height: 1; }
    ProfilesScreen .buttons Button { width: auto; min-width: 0; margin-right: 2; }
    ProfilesScreen .pref-row { height: 1; }
    ProfilesScreen .pref-row Switch { height: 1; border: none; padding: 0; margin-right: 1; }
    ProfilesScreen .pref-row Input { width: 1fr; }
    ProfilesScreen .pref-row Label.gap { margin-right: 3; }
    ProfilesScreen #verdict { height: 2; color: $text-muted; }
    """
    _detail_of = ""  # the profile whose detail is drawn
    MODE = "profiles"  # its keys' scope in the keymap (help, palette)
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", show=False),
        *bindings_for("profiles"),
    ]

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    @property
    def book(self) -> ProfileBook:
        return self.tws.profiles.book

    def compose(self) -> ComposeResult:
        with Vertical(id="profiles-box"):
            yield Static(id="profiles-title", markup=False)
            with Horizontal(id="profiles-main"):
                yield OptionList(id="profile-list")
                with Vertical(id="profile-detail"):
                    yield Static(id="profile-info", markup=False)
                    yield RuleTable(id="rule-list")
                    yield Static(id="rule-detail", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Activate"), id="p-activate", compact=True)
                yield Button(_("New profile"), id="p-add", compact=True)
                yield Button(_("Edit"), id="p-edit", compact=True)
                yield Button(_("Delete"), id="p-delete", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(_("New rule"), id="r-add", compact=True)
                yield Button(_("Edit rule"), id="r-edit", compact=True)
                yield Button(_("On/off"), id="r-toggle", compact=True)
                yield Button(_("Delete rule"), id="r-delete", compact=True)
            with Horizontal(classes="pref-row"):
                yield OnOffSwitch(self.book.auto_switch, id="p-auto")
                yield Label(_("Switch profile by schedule"), classes="gap")
                yield OnOffSwitch(self.book.deflect_to_current, id="p-deflect-current")
                yield Label(_("Deflect to the current extension"))
            with Horizontal(classes="pref-row"):
                yield Label(_("A call from") + " ")
                yield Input(id="caller-test", placeholder=_("number"), compact=True)
            yield Static(id="verdict", markup=False)

    def on_mount(self) -> None:
        self.show(self.book.active)
        self.query_one("#profile-list", OptionList).focus()

    # ---- drawing ------------------------------------------------------------------------------

    def selected(self) -> Profile:
        index = self.query_one("#profile-list", OptionList).highlighted or 0
        return self.book.profiles[min(index, len(self.book.profiles) - 1)]

    def show(self, key: str | None = None, rule: int | None = None) -> None:
        """Draw the list (highlighting ``key``, else the same row) and the detail."""
        listing = self.query_one("#profile-list", OptionList)
        keep = listing.highlighted or 0
        listing.clear_options()
        for p in self.book.profiles:
            mark = ACTIVE_MARK if p.key == self.book.active else " "
            listing.add_option(Option(f"{mark} {profile_name(p)}", id=p.key))
        keys = [p.key for p in self.book.profiles]
        listing.highlighted = keys.index(key) if key in keys else min(keep, len(keys) - 1)
        self.query_one("#profiles-title", Static).update(
            _("Profiles — {mark} active, {key} switches from anywhere, Esc closes").format(
                mark=ACTIVE_MARK, key=self.tws.app_key_display("profile.switch")
            )
        )
        self.show_detail(rule)

    def show_detail(self, rule: int | None = None) -> None:
        profile = self.selected()
        self._detail_of = profile.key
        schedule = _("by hand only")
        if profile.schedule is not None:
            s = profile.schedule
            schedule = f"{days_text(s.days)} {hhmm(s.start)}–{hhmm(s.end)}"
        presence = f"{PRESENCE_SYMBOL[profile.presence]} {_(PRESENCE_WORD[profile.presence])}"
        if profile.note:
            presence += f" ({profile.note})"
        extension = profile.extension or _("my own")
        order = _("Rules, tried in this order ({up}/{down} moves one):").format(
            up=self.tws.app_key_display("profiles.rule_up"),
            down=self.tws.app_key_display("profiles.rule_down"),
        )
        info = "\n".join(
            (
                labelled(f"{PROFILE_SYMBOL} {profile_name(profile)}", presence),
                _("Schedule: {when}").format(when=schedule)
                + " · "
                + labelled(_("Current extension"), extension)
                + self._line_text(profile),
                order if profile.rules else _("No rule yet."),
            )
        )
        self.query_one("#profile-info", Static).update(info)
        rules = self.query_one("#rule-list", RuleTable)
        keep = rules.cursor_row
        verdict = self.tws.profiles.verdict(profile)
        voicemail = self.tws.calls.voicemail_number
        rules.show_rules(
            verdict.outcomes, voicemail, profile.extension, keep if rule is None else rule
        )
        self.show_rule_detail()
        self.show_verdict()

    def _line_text(self, profile: Profile) -> str:
        """ " · Phone line: desk phone" in a OneNumber set-up (TWS-6.10.1-4), else ""."""
        if not self.tws.prefs.settings.profiles.one_number:
            return ""
        return " · " + labelled(_("Phone line"), _(LINE_WORD[profile.line]))

    def show_rule_detail(self) -> None:
        """The highlighted rule in full: its sentence, its filters and why it wins or waits —
        what the table cuts or leaves out at 80 columns."""
        profile = self.selected()
        index = self._rule_index()
        detail = self.query_one("#rule-detail", Static)
        if index is None or index >= len(profile.rules):
            detail.update("")
            return
        outcome = self.tws.profiles.verdict(profile).outcomes[index]
        rule = outcome.rule
        sentence = summary(rule, self.tws.calls.voicemail_number, profile.extension)
        line = labelled(f"{index + 1}. {rule.name}", f"{sentence} · {filters_text(rule)}")
        text = Text(line)
        text.stylize("bold", 0, len(f"{index + 1}. {rule.name}"))
        text.append("\n" + outcome.why, style="italic")
        detail.update(text)

    def show_verdict(self) -> None:
        """Which rule of the highlighted profile wins for the number typed (now)."""
        typed = self.query_one("#caller-test", Input).value.strip()
        verdict_line = self.query_one("#verdict", Static)
        if not typed:
            verdict_line.update(_("Type a number to see which rule would forward its call now."))
            return
        if not typed.lstrip("+").isdigit():
            verdict_line.update(_("{text!r} is not a phone number.").format(text=typed))
            return
        verdict = self.tws.profiles.verdict(self.selected(), typed)
        winners = [o for o in verdict.outcomes if o.wins]
        if not winners:
            verdict_line.update(
                _("No rule forwards a call from {number} now.").format(number=typed)
            )
            return
        voicemail = self.tws.calls.voicemail_number
        extension = self.selected().extension
        won = semicolons(
            [
                f"{_(KIND_WORD[o.rule.kind])} → {target_word(o.rule, voicemail, extension)}"
                f" ({o.rule.name})"
                for o in winners
            ]
        )
        verdict_line.update(_("A call from {number} now: {won}").format(number=typed, won=won))

    # ---- changes ------------------------------------------------------------------------------

    def _keep(self, book: ProfileBook, key: str | None = None, rule: int | None = None) -> None:
        if self.tws.profiles.save(book):
            self.show(key, rule)

    def _replace(self, profile: Profile) -> ProfileBook:
        profiles = tuple(profile if p.key == profile.key else p for p in self.book.profiles)
        return replace(self.book, profiles=profiles)

    @on(OptionList.OptionHighlighted, "#profile-list")
    def _highlighted(self) -> None:
        """Another profile: its first rule; the same one redrawn (a change kept): the rule
        the change left highlighted stays so."""
        if self.selected().key != self._detail_of:
            self.show_detail(0)

    @on(OptionList.OptionSelected, "#profile-list")
    @on(Button.Pressed, "#p-activate")
    def _activate(self) -> None:
        key = self.selected().key
        self.tws.profiles.activate(key)
        self.show(key)

    @on(Switch.Changed, "#p-auto")
    def _auto(self, event: Switch.Changed) -> None:
        if event.value != self.book.auto_switch:
            self._keep(replace(self.book, auto_switch=event.value), self.selected().key)

    @on(Switch.Changed, "#p-deflect-current")
    def _deflect_current(self, event: Switch.Changed) -> None:
        """TWS-6.4-13: Alt+D and the alerter's Deflect go to the active profile's current
        extension (a profile without one: ``alerts.deflect_to`` or my voicemail, as before)."""
        if event.value != self.book.deflect_to_current:
            self._keep(replace(self.book, deflect_to_current=event.value), self.selected().key)

    @on(Input.Changed, "#caller-test")
    def _caller_typed(self) -> None:
        self.show_verdict()

    @on(Button.Pressed, "#p-add")
    def _add_profile(self) -> None:
        keys = {p.key for p in self.book.profiles}
        key = next(f"p{n}" for n in range(1, 1000) if f"p{n}" not in keys)
        blank = Profile(key, self.selected().presence, name=" ")
        taken = [profile_name(p) for p in self.book.profiles]

        def added(edited: object) -> None:
            """The profile is kept with its first rule (TWS-6.10.1-5), not activated."""
            if not isinstance(edited, EditedProfile):
                return
            profile = edited.profile

            def first_rule(with_rule: Profile | None) -> None:
                if with_rule is None:
                    self.app.notify(
                        _(
                            "A profile needs at least one forwarding rule: {name} was not added."
                        ).format(name=profile_name(profile)),
                        severity="warning",
                        markup=False,
                    )
                    return
                profiles = (*self.book.profiles, with_rule)
                book = replace(self.book, profiles=profiles, extensions=edited.extensions)
                self._keep(book, key, 0)

            self.app.notify(
                _("Now the first forwarding rule of {name}: a profile needs one.").format(
                    name=profile_name(profile)
                ),
                markup=False,
            )
            self._rule_form(profile, None, first_rule)

        self.app.push_screen(self._profile_form(blank, taken), added)

    @on(Button.Pressed, "#p-edit")
    def _edit_profile(self) -> None:
        profile = self.selected()
        taken = [profile_name(p) for p in self.book.profiles if p.key != profile.key]

        def edited(changed: object) -> None:
            if isinstance(changed, EditedProfile):
                book = replace(self._replace(changed.profile), extensions=changed.extensions)
                self._keep(book, changed.profile.key)

        self.app.push_screen(self._profile_form(profile, taken), edited)

    def _profile_form(self, profile: Profile, taken: list[str]) -> ProfileForm:
        """The profile form, its current extension chosen among the remembered numbers."""
        others = [p for p in self.book.profiles if p.key != profile.key]
        one_number = self.tws.prefs.settings.profiles.one_number
        extensions = self.book.extension_list()
        return ProfileForm(profile, taken, self._own(), extensions, others, one_number)

    @on(Button.Pressed, "#p-delete")
    def _delete_profile(self) -> None:
        profile = self.selected()
        default = self.book.profiles[0]
        if profile.key == default.key:
            self.app.notify(
                _("{name} is the default profile: it cannot be deleted.").format(
                    name=profile_name(profile)
                ),
                severity="warning",
            )
            return
        was_active = profile.key == self.book.active

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            profiles = tuple(p for p in self.book.profiles if p.key != profile.key)
            self._keep(replace(self.book, profiles=profiles), default.key)
            if was_active:
                self.tws.profiles.activate(default.key)
                self.show(default.key)

        question = delete_profile_question(profile, default, was_active)
        self.app.push_screen(ConfirmScreen(question), confirmed)

    def _rule_index(self) -> int | None:
        if not self.selected().rules:
            return None
        return self.query_one("#rule-list", RuleTable).cursor_row

    def _own(self) -> str:
        me = self.tws.state.me
        return me.extension if me is not None else ""

    def _sounds(self) -> list[tuple[str, str]] | None:
        """The sound library's sounds over 2 s for a rule's announcement (TWS-6.8-4); None
        where the phone system plays none before a forward (``sip``)."""
        if not self.tws.can(Capability.FORWARD_ANNOUNCEMENT):
            return None
        return [(shown_name(s.name), s.name) for s in library() if s.fits("announcement")]

    def _edit_rule_at(self, index: int | None) -> None:
        profile = self.selected()

        def done(changed: Profile | None) -> None:
            if changed is not None:  # the rule saved, where its group put it
                fresh = [i for i, r in enumerate(changed.rules) if r not in profile.rules]
                at = fresh[0] if fresh else index or 0
                self._keep(self._replace(changed), profile.key, at)

        self._rule_form(profile, index, done)

    def _rule_form(
        self, profile: Profile, index: int | None, done: Callable[[Profile | None], None]
    ) -> None:
        """The rule form for ``profile``'s rule at ``index`` (None: a new rule, off until
        switched on); ``done`` gets the profile with the rule, or None when cancelled."""
        rule = profile.rules[index] if index is not None else Rule("", "", enabled=False)
        kept: list[Profile] = []

        def check(typed: Rule) -> Rule:
            checked = self.tws.profiles.check(typed)
            kept[:] = [put_rule(profile, checked, index)]
            return checked

        def closed(answer: object) -> None:
            if isinstance(answer, Rule) and kept:
                self._warn_overlap(profile, answer, index)
            done(kept[0] if isinstance(answer, Rule) and kept else None)

        form = RuleForm(
            rule,
            check,
            offered_kinds(self.tws.can),
            colleagues=self.tws.state.devices.values(),
            own=self._own(),
            own_states=[s.label for s in self.book.presence_states],
            extension=profile.extension,
            sounds=self._sounds(),
            advanced=self.tws.can(Capability.PROFILE_RULES_ADVANCED)
            and self.tws.prefs.general.tws_rules,  # as the profiles controller judges them
        )
        self.app.push_screen(form, closed)

    @on(Button.Pressed, "#r-add")
    def _add_rule(self) -> None:
        self._edit_rule_at(None)

    @on(DataTable.RowHighlighted, "#rule-list")
    def _rule_highlighted(self) -> None:
        self.show_rule_detail()

    @on(DataTable.RowSelected, "#rule-list")
    @on(Button.Pressed, "#r-edit")
    def _edit_rule(self) -> None:
        index = self._rule_index()
        if index is not None:
            self._edit_rule_at(index)

    @on(Button.Pressed, "#r-toggle")
    def _toggle_rule(self) -> None:
        index = self._rule_index()
        if index is None:
            return
        profile = self.selected()
        rule = profile.rules[index]
        flipped = replace(rule, enabled=not rule.enabled)
        self._warn_overlap(profile, flipped, index)  # switched on, it may overlap another
        changed = put_rule(profile, flipped, index)
        if self.tws.profiles.save(self._replace(changed)):
            self.show(profile.key, index)
            outcome = self.tws.profiles.verdict(self.selected()).outcomes[index]
            self.app.notify(switched_notice(outcome), markup=False)

    @on(RuleTable.BoxClicked, "#rule-list")
    def _box_clicked(self) -> None:
        """A click on a rule's ☐/☑ ticks or unticks it (TWS-6.10.6.3-1)."""
        self._toggle_rule()

    def action_toggle_rule(self) -> None:
        """Space: the highlighted rule on or off (TWP-5.1.5-1)."""
        self._toggle_rule()

    def action_delete(self) -> None:
        """Delete: the highlighted profile when the profile list has the focus, else the
        highlighted rule; each asks first."""
        if self.focused is self.query_one("#profile-list", OptionList):
            self._delete_profile()
        else:
            self._delete_rule()

    def _warn_overlap(self, profile: Profile, rule: Rule, index: int | None) -> None:
        warning = overlap_warning(profile.rules, rule, index)
        if warning:
            self.app.notify(warning, severity="warning", markup=False, timeout=10)

    @on(Button.Pressed, "#r-delete")
    def _delete_rule(self) -> None:
        index = self._rule_index()
        if index is None:
            return
        profile = self.selected()
        outcome = self.tws.profiles.verdict(profile).outcomes[index]
        try:
            without = remove_rule(profile, index)
        except ValueError as problem:  # its last rule (TWS-6.10.1-5)
            self.app.notify(str(problem), severity="warning", markup=False)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._keep(self._replace(without), profile.key, index)

        voicemail = self.tws.calls.voicemail_number
        question = delete_rule_question(outcome, voicemail, profile.extension)
        self.app.push_screen(ConfirmScreen(question), confirmed)

    def _move(self, step: int) -> None:
        index = self._rule_index()
        if index is None:
            return
        profile = self.selected()
        moved, to = move_rule(profile, index, step)
        if to != index:
            self._keep(self._replace(moved), profile.key, to)
        self.query_one("#rule-list", RuleTable).focus()

    def action_rule_up(self) -> None:
        """Try the highlighted rule one place earlier (it may then win)."""
        self._move(-1)

    def action_rule_down(self) -> None:
        self._move(1)
