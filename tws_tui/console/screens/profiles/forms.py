"""The forms of the Profiles page (issue 17; TWS §6.10.6.1; TWP §5.1.4) and what they share
(rows, the error line, Save/Cancel): a forwarding rule (name, kind, destination — a number,
my voicemail or the profile's current extension —, delay, on/off, the announcement the caller
hears first — none, the default one or a sound of the library, where the phone system plays
one; ► listens to the sound chosen —, then its conditions: presence — a base state, a state
of my own, my calendar's meeting —, days, hours, dates, callers included — numbers, a contact
list, one contact, a whole directory, a regular expression — and callers excluded by the same
kinds), and a presence state of my own. The profile's own form is :mod:`.profile_form`.

Keyboard only is enough: Tab moves from field to field, Enter (in a field) or *Save* checks the
whole form, Esc or *Cancel* leaves it. A bad value is said under the form in one sentence and
the form stays open with everything typed: nothing is kept until every field is right. The
rule form hands its rule to ``check`` (the console's checks: own number, loop, overlap), whose
``ValueError`` is shown the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from tws_tui.console.api import console_api
from tws_tui.console.screens.audio.preview import preview_sound
from tws_tui.console.widgets.colleague_match import ColleagueMatch
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.contacts.rules import (
    DIRECTORY_NAMES,
    KEPT_DIRECTORIES,
    PHONE_SYSTEM_DIRECTORIES,
    directory_name,
)
from tws_tui.core.model import DEFAULT_ANNOUNCEMENT, ForwardKind, MonitoredDevice, PresenceState
from tws_tui.domain.custom_presence import CustomPresence, check_state
from tws_tui.domain.format import PRESENCE_WORD, error_text
from tws_tui.domain.forwarding import DEFAULT_RING_TIME_S, KIND_WORD, check_ring_time
from tws_tui.domain.profiles import (
    CURRENT_EXTENSION,
    ORIGIN_WORD,
    Origin,
    Rule,
    check_pattern,
    parse_datetime,
    parse_days,
    parse_numbers,
    parse_time,
)
from tws_tui.platform.i18n import _, labelled

NO_PRESENCE = "none"
NO_ANNOUNCEMENT = "-"
#: A rule's presence choice for a state of my own: this prefix, then its label.
OWN_STATE = "own:"
#: A rule's presence choice for my calendar's meeting.
IN_MEETING = "calendar"
ANY_DIRECTORY = "-"
FORM_CSS = """
{cls} .form-box {{ width: 76; max-width: 100%; height: auto; max-height: 100%; }}
{cls} .form-scroll {{ height: auto; max-height: 16; }}
{cls} .form-row {{ height: 1; margin-bottom: 1; }}
{cls} .form-row Label {{ width: 22; }}
{cls} .form-row Input {{ width: 1fr; }}
{cls} .form-row Input.narrow {{ width: 8; }}
{cls} .form-row Label.between {{ width: auto; padding: 0 1; }}
{cls} .form-row Select {{ width: 1fr; }}
{cls} .form-row Button {{ width: 3; min-width: 3; margin-left: 1; }}
{cls} .form-row Switch {{ height: 1; border: none; padding: 0; }}
{cls} .form-error {{ color: $error; height: auto; }}
{cls} .form-hint {{ color: $text-muted; height: auto; }}
{cls} .buttons {{ height: 1; margin-top: 1; }}
{cls} .buttons Button {{ margin-right: 2; }}
"""


def _days_typed(days: frozenset[int]) -> str:
    return "".join(str(day + 1) for day in sorted(days))


def _hhmm(moment: time | None) -> str:
    return moment.strftime("%H:%M") if moment is not None else ""


def _date_typed(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment is not None else ""


def presence_options(none: bool) -> list[tuple[str, str]]:
    options = [(_(PRESENCE_WORD[state]), state.value) for state in PresenceState]
    return [(_("any presence"), NO_PRESENCE), *options] if none else options


def rule_presence_options(own_states: Sequence[str]) -> list[tuple[str, str]]:
    """A rule's presence choices (TWS-6.10.6.1-3): none, the base states, my own states by
    label, and my calendar's meeting."""
    own = [(label, OWN_STATE + label) for label in own_states]
    return [*presence_options(True), *own, (_("in a meeting (calendar)"), IN_MEETING)]


def directory_options(chosen: str, none: str = "") -> list[tuple[str, str]]:
    """A rule's directory choices (TWS-6.10.6.1-13/-14): any (``none``: the words for no
    directory excluded), then each directory a caller can be found in (ours, the kept ones,
    the phone system's; not its queues)."""
    sources = [*DIRECTORY_NAMES, *KEPT_DIRECTORIES, *PHONE_SYSTEM_DIRECTORIES]
    sources = [s for s in sources if s != "queue"]
    if chosen and chosen not in sources:
        sources.append(chosen)  # another backend's directory, kept as it was
    first = none or _("any directory")
    return [(first, ANY_DIRECTORY), *((directory_name(s), s) for s in sources)]


def rule_presence_value(rule: Rule) -> str:
    if rule.in_meeting:
        return IN_MEETING
    if rule.presence_label:
        return OWN_STATE + rule.presence_label
    return rule.presence.value if rule.presence else NO_PRESENCE


class _Form(ModalScreen[object]):
    """What both forms share: rows, the error line, Save/Cancel, Esc."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def row(
        self, label: str, *widgets: Input | Select[str] | Switch | Label | Button
    ) -> Horizontal:
        return Horizontal(Label(label), *widgets, classes="form-row")

    def buttons(self) -> ComposeResult:
        yield Static("", id="form-error", classes="form-error", markup=False)
        with Horizontal(classes="buttons"):
            yield Button(_("Save"), id="form-save", variant="primary", compact=True)
            yield Button(_("Cancel"), id="form-cancel", compact=True)

    def text(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def choice(self, selector: str) -> str:
        return str(self.query_one(selector, Select).value)

    @on(Button.Pressed, "#form-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#form-save")
    @on(Input.Submitted)
    def _save(self) -> None:
        try:
            answer = self.read()
        except ValueError as problem:  # InvalidValue: its msgid in my language
            self.query_one("#form-error", Static).update(error_text(problem))
            return
        self.dismiss(answer)

    def read(self) -> object:
        raise NotImplementedError


def hours_typed(start: str, end: str) -> tuple[time, time] | None:
    """Both hours, neither (None), or a sentence saying both are needed."""
    if not start.strip() and not end.strip():
        return None
    if not start.strip() or not end.strip():
        raise ValueError(_("Give both hours (from and to), or neither."))
    return parse_time(start), parse_time(end)


class RuleForm(_Form):
    """A forwarding rule (TWS-6.10.6.1). Dismisses with the rule as ``check`` kept it."""

    DEFAULT_CSS = FORM_CSS.format(cls="RuleForm")

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
    ) -> None:
        """``kinds``: the kinds of forward the phone system takes; ``colleagues`` (not
        ``own``, my extension) are offered by name for the destination; ``own_states``: the
        labels of my presence states; ``extension``: the profile's current extension; ``sounds``:
        the sound library (shown name, name) when the phone system plays an announcement
        before a forward, None when it cannot."""
        self.sounds = sounds
        super().__init__()
        self.own_states = list(own_states)
        if rule.presence_label and rule.presence_label not in self.own_states:
            self.own_states.append(rule.presence_label)  # a state since removed stays shown
        self.extension = extension
        self.match = ColleagueMatch(colleagues, own, id="r-match")
        self.rule = rule
        self.check = check
        self.kinds = kinds if rule.kind in kinds else (*kinds, rule.kind)

    def compose(self) -> ComposeResult:
        r = self.rule
        start, end = r.hours if r.hours else (None, None)
        since, until = r.dates if r.dates else (None, None)
        with Vertical(classes="modal-box form-box"):
            yield Static(_("Forwarding rule"), classes="modal-title")
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
                    _("To"),
                    Input(
                        "" if r.to_current else r.destination,
                        id="r-to",
                        placeholder=_("number or part of a colleague's name"),
                        compact=True,
                    ),
                )
                yield self.match
                yield self.row(
                    _("To the current extension"),
                    OnOffSwitch(r.to_current, id="r-current"),
                    Label(self.extension or _("(none yet)"), classes="between"),
                )
                yield from self._announcement_row()
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
                    _("Days (1-7)"), Input(_days_typed(r.days), id="r-days", compact=True)
                )
                yield self.row(
                    _("Hours from"),
                    Input(_hhmm(start), id="r-start", classes="narrow", compact=True),
                    Label(_("to"), classes="between"),
                    Input(_hhmm(end), id="r-end", classes="narrow", compact=True),
                )
                yield self.row(
                    _("Dates from"), Input(_date_typed(since), id="r-since", compact=True)
                )
                yield self.row(_("Dates to"), Input(_date_typed(until), id="r-until", compact=True))
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
                yield self.row(
                    _("Caller numbers"),
                    Input(
                        " ".join(r.numbers), id="r-numbers", placeholder="06* 0145…", compact=True
                    ),
                )
                yield self.row(_("Contact list"), Input(r.contact_list, id="r-list", compact=True))
                yield self.row(
                    _("Caller contact"),
                    Input(r.contact, id="r-contact", placeholder=_("a name"), compact=True),
                )
                yield self.row(
                    _("Caller directory"),
                    Select(
                        directory_options(r.directory),
                        value=r.directory or ANY_DIRECTORY,
                        allow_blank=False,
                        id="r-directory",
                        compact=True,
                    ),
                )
                yield self.row(
                    _("Number pattern"),
                    Input(r.pattern, id="r-pattern", placeholder="0[67][0-9]{8}", compact=True),
                )
                yield self.row(
                    _("Except numbers"),
                    Input(" ".join(r.exclude_numbers), id="r-except", compact=True),
                )
                yield self.row(
                    _("Except contact list"),
                    Input(r.exclude_list, id="r-except-list", compact=True),
                )
                yield from self._exclusion_rows()
            yield from self.buttons()

    def _exclusion_rows(self) -> ComposeResult:
        """TWS-6.10.6.1-14: one contact, a whole directory, a regular expression excluded."""
        r = self.rule
        yield self.row(
            _("Except contact"),
            Input(r.exclude_contact, id="r-except-contact", placeholder=_("a name"), compact=True),
        )
        yield self.row(
            _("Except directory"),
            Select(
                directory_options(r.exclude_directory, _("no directory")),
                value=r.exclude_directory or ANY_DIRECTORY,
                allow_blank=False,
                id="r-except-directory",
                compact=True,
            ),
        )
        yield self.row(
            _("Except pattern"),
            Input(r.exclude_pattern, id="r-except-pattern", placeholder="0800.*", compact=True),
        )

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
        self.query_one("#r-name", Input).focus()

    @on(Input.Changed, "#r-to")
    def _typed_to(self, event: Input.Changed) -> None:
        self.match.show_for(event.value)

    @on(Input.Submitted, "#r-to")
    def _take_colleague(self, event: Input.Submitted) -> None:
        """Enter on a name: the first colleague matched is taken (a second Enter saves)."""
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
        to_current = self.query_one("#r-current", Switch).value
        if to_current and not self.extension:
            raise ValueError(
                _("This profile has no current extension: give it one in the profile first.")
            )
        rule = Rule(
            name=self.text("#r-name"),
            destination=CURRENT_EXTENSION if to_current else self.text("#r-to"),
            kind=kind,
            ring_time_s=check_ring_time(delay_typed) if kind is ForwardKind.NO_ANSWER else None,
            enabled=self.query_one("#r-enabled", Switch).value,
            presence=PresenceState(presence) if base else None,
            presence_label=presence.removeprefix(OWN_STATE)
            if presence.startswith(OWN_STATE)
            else "",
            in_meeting=presence == IN_MEETING,
            days=parse_days(self.text("#r-days")),
            hours=hours_typed(self.text("#r-start"), self.text("#r-end")),
            dates=dates,
            origin=Origin(self.choice("#r-origin")),
            numbers=parse_numbers(self.text("#r-numbers")),
            contact_list=" ".join(self.text("#r-list").split()),
            exclude_numbers=parse_numbers(self.text("#r-except")),
            exclude_list=" ".join(self.text("#r-except-list").split()),
            contact=" ".join(self.text("#r-contact").split()),
            directory=self._chosen_directory("#r-directory"),
            pattern=check_pattern(self.text("#r-pattern")),
            exclude_contact=" ".join(self.text("#r-except-contact").split()),
            exclude_directory=self._chosen_directory("#r-except-directory"),
            exclude_pattern=self._except_pattern(),
            announcement=self._announcement(),
        )
        return self.check(rule)

    def _except_pattern(self) -> str:
        """The excluded callers' regular expression; a refusal names its field (the
        included callers' has the same words)."""
        try:
            return check_pattern(self.text("#r-except-pattern"))
        except ValueError as problem:
            raise ValueError(labelled(_("Except pattern"), str(problem))) from problem

    def _chosen_directory(self, selector: str) -> str:
        directory = self.choice(selector)
        return "" if directory == ANY_DIRECTORY else directory

    def _announcement(self) -> str:
        if self.sounds is None:
            return ""
        chosen = self.choice("#r-announcement")
        return "" if chosen == NO_ANNOUNCEMENT else chosen


class CustomPresenceForm(_Form):
    """A presence state of my own (TWS §1.6): its label, the base state colleagues' tiles and
    BLF read, and a note. Dismisses with the :class:`CustomPresence` as checked."""

    DEFAULT_CSS = FORM_CSS.format(cls="CustomPresenceForm")

    def __init__(self, taken: tuple[CustomPresence, ...]) -> None:
        super().__init__()
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(_("A presence state of my own"), classes="modal-title")
            yield self.row(_("Label"), Input(id="cp-label", compact=True))
            yield self.row(
                _("Means"),
                Select(
                    presence_options(False),
                    value=PresenceState.BUSY.value,
                    allow_blank=False,
                    id="cp-base",
                    compact=True,
                ),
            )
            yield self.row(_("Presence note"), Input(id="cp-note", compact=True))
            yield Static(
                _(
                    "Colleagues read the label; their tiles and BLF keys show the state it "
                    "means. E.g. At reception desk, Busy."
                ),
                classes="form-hint",
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#cp-label", Input).focus()

    def read(self) -> CustomPresence:
        typed = CustomPresence(
            self.text("#cp-label"), PresenceState(self.choice("#cp-base")), self.text("#cp-note")
        )
        return check_state(typed, self.taken)
