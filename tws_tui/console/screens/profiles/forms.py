"""What the forms of the Profiles page share (issue 17; TWS §6.10; TWP §5.1.4): ``_Form`` —
rows, the error line, Save/Cancel, Esc —, the typed days, hours and dates, the presence
choices; and the form of a presence state of my own. A profile's form is :mod:`.profile_form`,
a rule's :mod:`.rule_form`.

Keyboard only is enough: Tab moves from field to field, Enter (in a field) or *Save* checks the
whole form, Esc or *Cancel* leaves it. A bad value is said under the form in one sentence and
the form stays open with everything typed: nothing is kept until every field is right.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from tws_tui.console.widgets.day_toggles import DayToggles
from tws_tui.core.model import PresenceState
from tws_tui.domain.custom_presence import CustomPresence, check_state
from tws_tui.domain.format import PRESENCE_WORD, error_text
from tws_tui.domain.profiles import (
    parse_time,
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
        self, label: str, *widgets: Input | Select[str] | Switch | Label | Button | DayToggles
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


class CustomPresenceForm(_Form):
    """A presence state of my own (TWS §1.6): its label, the base state colleagues' tiles and
    BLF read, and a note. Dismisses with the :class:`CustomPresence` as checked."""

    DEFAULT_CSS = FORM_CSS.format(cls="CustomPresenceForm")

    def __init__(
        self, taken: tuple[CustomPresence, ...], initial: CustomPresence | None = None
    ) -> None:
        """``taken``: the states kept besides this one; ``initial``: the state edited
        (TWP-3.2.1-1)."""
        super().__init__()
        self.taken = taken
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(_("A presence state of my own"), classes="modal-title")
            initial = self.initial or CustomPresence("", PresenceState.BUSY, "")
            yield self.row(_("Label"), Input(initial.label, id="cp-label", compact=True))
            yield self.row(
                _("Means"),
                Select(
                    presence_options(False),
                    value=PresenceState(initial.base).value,
                    allow_blank=False,
                    id="cp-base",
                    compact=True,
                ),
            )
            yield self.row(_("Presence note"), Input(initial.note, id="cp-note", compact=True))
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
