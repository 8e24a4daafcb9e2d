"""The Profiles page's forms but the rule's (issue 17; TWS §6.10.1; TWP §5.1.4): a profile
(name, presence and note, its current extension, the schedule that activates it) and a presence
state of my own; and what every form of the page shares (``_Form``: rows, the error line,
Save/Cancel, Esc; the typed days, hours and dates). The rule form is ``rule_form.py``.

Keyboard only is enough: Tab moves from field to field, Enter (in a field) or *Save* checks the
whole form, Esc or *Cancel* leaves it. A bad value is said under the form in one sentence and
the form stays open with everything typed: nothing is kept until every field is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence, check_state
from tws_tui.domain.format import PRESENCE_WORD, error_text
from tws_tui.domain.profiles import (
    Profile,
    Schedule,
    check_extension,
    check_extension_rules,
    check_name,
    parse_days,
    parse_time,
    profile_name,
)
from tws_tui.platform.i18n import _

NO_PRESENCE = "none"
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


class ProfileForm(_Form):
    """A profile's name, presence and note, and its schedule. Dismisses with the profile."""

    DEFAULT_CSS = FORM_CSS.format(cls="ProfileForm")

    def __init__(self, profile: Profile, taken: Sequence[str], own: str = "") -> None:
        """``own``: my extension (the current extension, when left empty)."""
        super().__init__()
        self.profile = profile
        self.taken = list(taken)
        self.own = own

    def compose(self) -> ComposeResult:
        p = self.profile
        s = p.schedule
        with Vertical(classes="modal-box form-box"):
            yield Static(_("Profile"), classes="modal-title")
            yield self.row(_("Name"), Input(profile_name(p).strip(), id="p-name", compact=True))
            yield self.row(
                _("Presence"),
                Select(
                    presence_options(False),
                    value=p.presence.value,
                    allow_blank=False,
                    id="p-presence",
                    compact=True,
                ),
            )
            yield self.row(_("Presence note"), Input(p.note, id="p-note", compact=True))
            yield self.row(
                _("Current extension"),
                Input(
                    p.extension,
                    id="p-extension",
                    placeholder=_("empty: my own ({number})").format(number=self.own or "?"),
                    compact=True,
                ),
            )
            yield self.row(
                _("Schedule: days"),
                Input(_days_typed(s.days) if s else "", id="p-days", compact=True),
            )
            yield self.row(
                _("Schedule: from"),
                Input(_hhmm(s.start if s else None), id="p-start", classes="narrow", compact=True),
                Label(_("to"), classes="between"),
                Input(_hhmm(s.end if s else None), id="p-end", classes="narrow", compact=True),
            )
            yield Static(
                _(
                    "Days 1 to 7 (Monday is 1; empty: every day). Without hours the profile "
                    "is only switched to by hand."
                ),
                classes="form-hint",
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#p-name", Input).focus()

    def read(self) -> Profile:
        typed = self.text("#p-name")
        name = check_name(typed, self.taken)
        hours = hours_typed(self.text("#p-start"), self.text("#p-end"))
        days = parse_days(self.text("#p-days"))
        if hours is not None and hours[0] == hours[1]:
            raise ValueError(_("The hours start and end at the same time."))
        schedule = Schedule(days, *hours) if hours is not None else None
        default_kept = name == profile_name(self.profile) and not self.profile.name
        return check_extension_rules(
            Profile(
                key=self.profile.key,
                presence=PresenceState(self.choice("#p-presence")),
                name="" if default_kept else name,  # an untouched default name stays translated
                note=" ".join(self.text("#p-note").split()),
                rules=self.profile.rules,
                schedule=schedule,
                extension=check_extension(self.text("#p-extension"), self.own),
            )
        )


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
