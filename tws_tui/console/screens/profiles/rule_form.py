"""``RuleForm``: a forwarding rule of a profile (issue 17; TWS §6.10.6.1; TWP §5.1.4) — its name,
on/off, kind, where it forwards (*Forward to*, by name: my **Voicemail**, the **Simple answering
machine** — the switch plays the rule's announcement, or the default one, and hangs up —, the
profile's **Current extension**, or an **Other number** — a number, or part of the name of a
colleague or of a contact of any directory, Enter taking the first match's number), the delay,
my presence and the callers (all, internal, external) it is for; then its options and filters
(TWS-6.10.6.1-8, shown only where the phone system has the *TWS Rules* option,
``Capability.PROFILE_RULES_ADVANCED``): the announcement the caller hears first — none, the
default one or a sound of the library, where the phone system plays one; ► listens to it —, days
(seven boxes, Monday first), hours (ticking *Hours* fills 08:00–18:00, TWS-6.10.6.1-10; a window
may cross midnight), dates, callers included — numbers, a contact list, one contact, a whole
directory, a regular expression — and callers excluded by the same kinds, as typed lines
(``caller_filters.py``).

On a phone system without the option, an advanced rule already kept (from another console or
a profiles.json written before) is shown with its conditions kept as they are, marked as not
applied here: the profiles controller leaves it out when it judges the rules.

Two tabs (TWS-6.10.6.1-1): *General information* — the rule, then its options — and *Filters* —
the callers included and excluded —, the latter hidden without the option; ←/→ on the tab names
(Shift+Tab twice from the name: the scroll, then them) switches, and a field of the other tab
given the focus shows its tab. The form's scroll and tabs are sized to the terminal's height, so
Save and Cancel stay in sight at 80×24.

Keyboard only is enough (``forms._Form``): Tab moves from field to field, Enter or *Save*
checks the whole form, Esc or *Cancel* leaves it; a bad value is said under the form in one
sentence. The rule goes to ``check`` (the console's checks: own number, loop, overlap).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, Switch, TabbedContent, TabPane

from tws_tui.console.api import console_api
from tws_tui.console.screens.audio.preview import preview_sound
from tws_tui.console.screens.profiles.caller_filters import CallerFilters, directory_names
from tws_tui.console.screens.profiles.forms import (
    FORM_CSS,
    NO_PRESENCE,
    _date_typed,
    _Form,
    _hhmm,
    hours_typed,
    presence_options,
)
from tws_tui.console.widgets.contact_match import ContactMatch
from tws_tui.console.widgets.day_toggles import DayToggles
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    DEFAULT_ANNOUNCEMENT,
    ForwardKind,
    MonitoredDevice,
    PresenceState,
)
from tws_tui.domain.caller_filters import filter_of
from tws_tui.domain.forwarding import DEFAULT_RING_TIME_S, KIND_WORD, check_ring_time
from tws_tui.domain.profiles import (
    CURRENT_EXTENSION,
    ORIGIN_WORD,
    Origin,
    Rule,
    parse_datetime,
)
from tws_tui.platform.i18n import N_, _

NO_ANNOUNCEMENT = "-"
#: A rule's presence choice for a state of my own: this prefix, then its label.
OWN_STATE = "own:"
#: A rule's presence choice for my calendar's meeting.
IN_MEETING = "calendar"
ANY_DIRECTORY = "-"
#: *Forward to* (TWS-6.10.6.1-4): the destinations by name, in the manual's order.
TO_VOICEMAIL = "voicemail"
TO_MACHINE = "machine"
TO_CURRENT = "current"
TO_NUMBER = "number"
TARGET_WORD = {
    TO_VOICEMAIL: N_("Voicemail"),
    TO_MACHINE: N_("Simple answering machine"),
    TO_CURRENT: N_("Current extension"),
    TO_NUMBER: N_("Other number"),
}
#: The hours ticking *Hours* fills (TWS-6.10.6.1-10).
DEFAULT_HOURS = ("08:00", "18:00")


def rule_presence_options(own_states: Sequence[str]) -> list[tuple[str, str]]:
    """A rule's presence choices (TWS-6.10.6.1-3): none, the base states, my own states by
    label, and my calendar's meeting."""
    own = [(label, OWN_STATE + label) for label in own_states]
    return [*presence_options(True), *own, (_("in a meeting (calendar)"), IN_MEETING)]


def rule_presence_value(rule: Rule) -> str:
    if rule.in_meeting:
        return IN_MEETING
    if rule.presence_label:
        return OWN_STATE + rule.presence_label
    return rule.presence.value if rule.presence else NO_PRESENCE


def target_of(rule: Rule, voicemail: str) -> str:
    """Which *Forward to* choice ``rule`` shows: a new rule (no destination) an other number."""
    if rule.to_current:
        return TO_CURRENT
    if rule.destination == ANSWERING_MACHINE:
        return TO_MACHINE
    if voicemail and rule.destination == voicemail:
        return TO_VOICEMAIL
    return TO_NUMBER


class RuleForm(_Form):
    """A forwarding rule (TWS-6.10.6.1). Dismisses with the rule as ``check`` kept it."""

    DEFAULT_CSS = FORM_CSS.format(cls="RuleForm") + (
        "RuleForm #r-advanced, RuleForm #r-number { height: auto; }"
        "RuleForm #r-match { margin-bottom: 1; }"
        "RuleForm TabbedContent { height: auto; max-height: 60vh; }"
        "RuleForm TabPane { padding: 1 0 0 0; height: auto; }"
        "RuleForm .form-scroll { max-height: 45vh; }"  # Save and Cancel stay in sight at 80×24
    )
    #: Where the destination's number is typed: shown for *Other number* only.
    NUMBER_ROWS: ClassVar = "#r-number"

    def __init__(
        self,
        rule: Rule,
        check: Callable[[Rule], Rule],
        kinds: tuple[ForwardKind, ...] = tuple(ForwardKind),
        colleagues: Iterable[MonitoredDevice] = (),
        own: str = "",
        own_states: Sequence[str] = (),
        extension: str = "",
        sounds: Sequence[tuple[str, str]] | None = None,
        advanced: bool = True,
    ) -> None:
        """``kinds``: the kinds of forward the phone system takes; ``colleagues`` (not
        ``own``, my extension) and the directories' contacts are offered by name for the
        destination; ``own_states``: the labels of my presence states; ``extension``: the
        profile's current extension; ``sounds``: the sound library (shown name, name) when the
        phone system plays an announcement before a forward, None when it cannot;
        ``advanced``: whether it has the *TWS Rules* option (options and filters)."""
        self.sounds = sounds
        super().__init__()
        self.own_states = list(own_states)
        if rule.presence_label and rule.presence_label not in self.own_states:
            self.own_states.append(rule.presence_label)  # a state since removed stays shown
        self.extension = extension
        self.match = ContactMatch(colleagues, own, id="r-match")
        self.rule = rule
        self.check = check
        self.kinds = kinds if rule.kind in kinds else (*kinds, rule.kind)
        self.advanced = advanced

    @property
    def voicemail(self) -> str:
        return console_api(self).calls.voicemail_number

    def compose(self) -> ComposeResult:
        r = self.rule
        target = target_of(r, self.voicemail)
        with Vertical(classes="modal-box form-box"):
            yield Static(_("Forwarding rule"), classes="modal-title")
            with TabbedContent(id="r-tabs"):
                with TabPane(_("General information"), id="r-general"):
                    yield from self._general(r, target)
                with TabPane(_("Filters"), id="r-filters"), VerticalScroll(classes="form-scroll"):
                    yield from self._filters()
            yield from self.buttons()

    def _general(self, r: Rule, target: str) -> ComposeResult:
        """The first tab (TWS-6.10.6.1-1): the rule itself, then its options."""
        with VerticalScroll(classes="form-scroll"):
            yield self.row(_("Name"), Input(r.name, id="r-name", compact=True))
            yield self.row(_("Switched on"), OnOffSwitch(r.enabled, id="r-enabled"))
            yield self.row(
                _("Forward"),
                Select(
                    [(_(KIND_WORD[k]), k.value) for k in self.kinds],
                    value=r.kind.value,
                    allow_blank=False,
                    id="r-kind",
                    compact=True,
                ),
            )
            yield self.row(
                _("Forward to"),
                Select(
                    [(_(word), value) for value, word in TARGET_WORD.items()],
                    value=target,
                    allow_blank=False,
                    id="r-target",
                    compact=True,
                ),
                Label(self.extension or _("(none yet)"), id="r-extension", classes="between"),
            )
            with Vertical(id="r-number"):
                yield self.row(
                    _("Number"),
                    Input(
                        r.destination if target == TO_NUMBER else "",
                        id="r-to",
                        placeholder=_("number, or part of a name"),
                        compact=True,
                    ),
                )
                yield self.match
            yield self.row(
                _("No answer after (s)"),
                Input(
                    str(r.ring_time_s or DEFAULT_RING_TIME_S),
                    id="r-delay",
                    classes="narrow",
                    compact=True,
                ),
            )
            yield self.row(
                _("When my presence is"),
                Select(
                    rule_presence_options(self.own_states),
                    value=rule_presence_value(r),
                    allow_blank=False,
                    id="r-presence",
                    compact=True,
                ),
            )
            yield self.row(
                _("Callers"),
                Select(
                    [(_(ORIGIN_WORD[o]), o.value) for o in Origin],
                    value=r.origin.value,
                    allow_blank=False,
                    id="r-origin",
                    compact=True,
                ),
            )
            yield from self._simple_only_hint()
            with Vertical(id="r-advanced"):
                yield from self._announcement_row()
                yield from self._schedule_rows()

    def _simple_only_hint(self) -> ComposeResult:
        """TWS-6.10.6.1-8: without the *TWS Rules* option, say why options are missing."""
        if self.advanced:
            return
        words = _(
            "This phone system has simple rules only (no TWS Rules option): no announcement, "
            "days, hours, dates or caller filter."
        )
        if self.rule.advanced:
            words += " " + _("This rule's options and filters are kept but not applied here.")
        yield Static(words, id="r-simple-only", classes="form-hint")

    def _schedule_rows(self) -> ComposeResult:
        r = self.rule
        start, end = r.hours if r.hours else (None, None)
        since, until = r.dates if r.dates else (None, None)
        yield self.row(_("Days (none: all)"), DayToggles(r.days, id="r-days"))
        yield self.row(
            _("Hours"),
            OnOffSwitch(r.hours is not None, id="r-hours"),
            Input(_hhmm(start), id="r-start", classes="narrow", compact=True),
            Label(_("to"), classes="between"),
            Input(_hhmm(end), id="r-end", classes="narrow", compact=True),
        )
        yield self.row(_("Dates from"), Input(_date_typed(since), id="r-since", compact=True))
        yield self.row(_("Dates to"), Input(_date_typed(until), id="r-until", compact=True))

    def _filters(self) -> ComposeResult:
        """TWS-6.10.6.1-13/-14: callers included and excluded, as typed lines."""
        names = directory_names([self.rule.directory, self.rule.exclude_directory])
        lists = [shown.name for shown, _contacts in console_api(self).lists.home_lists]
        for side, excluded, id in (
            (N_("Callers included"), False, "r-included"),
            (N_("Callers excluded"), True, "r-excluded"),
        ):
            yield CallerFilters(side, filter_of(self.rule, excluded), lists, names, id=id)

    def _announcement_row(self) -> ComposeResult:
        """TWS-6.10.6.1-7: the caller hears it before the forward; off where not offered."""
        if self.sounds is None:
            yield Static(
                _("Announcement: this phone system plays none before a forward."),
                classes="form-hint",
            )
            return
        options = [
            (_("No announcement: forward at once"), NO_ANNOUNCEMENT),
            (_("None: the default announcement"), DEFAULT_ANNOUNCEMENT),
            *self.sounds,
        ]
        chosen = self.rule.announcement or NO_ANNOUNCEMENT
        if chosen not in {value for _shown, value in options}:
            options.append((chosen, chosen))  # a sound since removed stays shown
        yield self.row(
            _("Announcement"),
            Select(options, value=chosen, allow_blank=False, id="r-announcement", compact=True),
            Button("►", id="r-preview", compact=True),
        )

    @on(Button.Pressed, "#r-preview")
    def _preview(self) -> None:
        """►: the announcement chosen played here, as the Sound library's P plays it."""
        tws, chosen = console_api(self), self.choice("#r-announcement")
        if chosen in (NO_ANNOUNCEMENT, DEFAULT_ANNOUNCEMENT):
            tws.notify(_("Only a sound of the library can be listened to here."), markup=False)
            return
        shown = next((words for words, name in self.sounds or () if name == chosen), chosen)
        self.run_worker(preview_sound(tws, chosen, shown), group="sound-preview", exclusive=True)

    def on_mount(self) -> None:
        self.query_one("#r-advanced").display = self.advanced
        if not self.advanced:  # no caller filter without the TWS Rules option
            self.query_one("#r-tabs", TabbedContent).hide_tab("r-filters")
        self._show_target(self.choice("#r-target"))
        self.query_one("#r-name", Input).focus()

    def _show_target(self, target: str) -> None:
        self.query_one(self.NUMBER_ROWS).display = target == TO_NUMBER
        self.query_one("#r-extension").display = target == TO_CURRENT

    @on(Select.Changed, "#r-target")
    def _target_chosen(self, event: Select.Changed) -> None:
        self._show_target(str(event.value))

    @on(Switch.Changed, "#r-hours")
    def _hours_ticked(self, event: Switch.Changed) -> None:
        """Ticked: 08:00–18:00 where no hours are typed yet (TWS-6.10.6.1-10); unticked:
        no hours."""
        start, end = self.query_one("#r-start", Input), self.query_one("#r-end", Input)
        if not event.value:
            start.value = end.value = ""
        elif not start.value.strip() and not end.value.strip():
            start.value, end.value = DEFAULT_HOURS

    @on(Input.Changed, "#r-start, #r-end")
    def _hours_typed(self) -> None:
        """Hours typed tick *Hours*; both erased untick it."""
        typed = bool(self.text("#r-start").strip() or self.text("#r-end").strip())
        switch = self.query_one("#r-hours", Switch)
        if switch.value != typed:
            with self.prevent(Switch.Changed):
                switch.value = typed

    @on(Input.Changed, "#r-to")
    def _typed_to(self, event: Input.Changed) -> None:
        self.match.show_for(event.value)

    @on(Input.Submitted, "#r-to")
    def _take_contact(self, event: Input.Submitted) -> None:
        """Enter on a name: the first colleague or contact matched is taken (a second Enter
        saves)."""
        if self.match.take(event.input):
            event.prevent_default()  # not saved yet: the form's own Enter handler waits
            event.stop()

    def read(self) -> Rule:
        since, until = self.text("#r-since").strip(), self.text("#r-until").strip()
        dates = None
        if since or until:
            if not since or not until:
                raise ValueError(_("Give both dates (from and to), or neither."))
            dates = (parse_datetime(since), parse_datetime(until))
        kind = ForwardKind(self.choice("#r-kind"))
        delay_typed = self.text("#r-delay").strip()
        presence = self.choice("#r-presence")
        base = presence not in (NO_PRESENCE, IN_MEETING) and not presence.startswith(OWN_STATE)
        included = self.query_one("#r-included", CallerFilters).read()
        excluded = self.query_one("#r-excluded", CallerFilters).read()
        rule = Rule(
            name=self.text("#r-name"),
            destination=self._destination(),
            kind=kind,
            ring_time_s=check_ring_time(delay_typed) if kind is ForwardKind.NO_ANSWER else None,
            enabled=self.query_one("#r-enabled", Switch).value,
            presence=PresenceState(presence) if base else None,
            presence_label=presence.removeprefix(OWN_STATE)
            if presence.startswith(OWN_STATE)
            else "",
            in_meeting=presence == IN_MEETING,
            days=self.query_one("#r-days", DayToggles).value,
            hours=hours_typed(self.text("#r-start"), self.text("#r-end")),
            dates=dates,
            origin=Origin(self.choice("#r-origin")),
            numbers=included.numbers,
            contact_list=included.contact_list,
            exclude_numbers=excluded.numbers,
            exclude_list=excluded.contact_list,
            contact=included.contact,
            directory=included.directory,
            pattern=included.pattern,
            exclude_contact=excluded.contact,
            exclude_directory=excluded.directory,
            exclude_pattern=excluded.pattern,
            announcement=self._announcement(),
        )
        return self.check(rule)

    def _destination(self) -> str:
        """*Forward to* as the rule keeps it: my voicemail's number (the checks refuse it
        when none is known), the current extension, or the number typed."""
        target = self.choice("#r-target")
        if target == TO_CURRENT:
            if not self.extension:
                raise ValueError(
                    _("This profile has no current extension: give it one in the profile first.")
                )
            return CURRENT_EXTENSION
        if target == TO_MACHINE:
            if self.sounds is None:  # as a 302 plays nothing, nothing answers with one
                raise ValueError(
                    _(
                        "This phone system plays no announcement, so it has no answering "
                        "machine: choose another destination."
                    )
                )
            return ANSWERING_MACHINE
        if target == TO_VOICEMAIL:
            return ""  # the checks put my voicemail's number, or say none is known
        typed = self.text("#r-to")
        if not typed.strip():
            raise ValueError(_("Give the number to forward to, or choose Voicemail."))
        return typed

    def _announcement(self) -> str:
        if self.sounds is None:
            return ""
        chosen = self.choice("#r-announcement")
        return "" if chosen == NO_ANNOUNCEMENT else chosen
