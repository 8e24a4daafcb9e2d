"""The profile form of the Profiles page (issue 17; TWS §6.10.1): a profile's name, presence
and note, its phone line where the console is set up for it (TWS-6.10.1-4: softphone or
desk phone), its *current extension* — chosen in a drop-down of remembered numbers (my own first,
then those kept with the profiles: a meeting room's 2004), to which *Add* joins the number
typed beside it and from which *Remove* takes the number chosen (refused, naming the profile,
while another profile has it: TWS-6.10.1-3) — and the schedule that activates it.

Like the rule form: Tab moves, Enter in a field or *Save* checks the whole form (Enter in the
number to add adds it), Esc or *Cancel* leaves it and nothing is kept, the list's changes
included. A bad value is said under the form in one sentence, everything typed kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from tws_tui.console.screens.profiles.forms import (
    FORM_CSS,
    _Form,
    _hhmm,
    hours_typed,
    presence_options,
)
from tws_tui.console.widgets.day_toggles import DayToggles
from tws_tui.core.model import PresenceState
from tws_tui.domain.format import error_text
from tws_tui.domain.phone_line import LINE_WORD
from tws_tui.domain.profile_extensions import add_extension, remove_extension
from tws_tui.domain.profiles import (
    Profile,
    Schedule,
    check_extension,
    check_extension_rules,
    check_name,
    profile_name,
)
from tws_tui.platform.i18n import _

#: The drop-down's value for my own extension (a profile's current extension left empty).
MY_OWN = "own"


@dataclass(frozen=True)
class EditedProfile:
    """What the form saves: the profile, and the remembered extension numbers as left."""

    profile: Profile
    extensions: tuple[str, ...]


class ProfileForm(_Form):
    """A profile's name, presence and note, current extension and schedule. Dismisses with an
    :class:`EditedProfile`."""

    DEFAULT_CSS = (
        FORM_CSS.format(cls="ProfileForm")
        + """
    ProfileForm .form-row Button.words { width: auto; min-width: 0; }
    ProfileForm .form-row Input#p-ext-new { width: 12; }
    ProfileForm .form-scroll { max-height: 58vh; }
    """
    )

    def __init__(
        self,
        profile: Profile,
        taken: Sequence[str],
        own: str = "",
        extensions: Sequence[str] = (),
        others: Iterable[Profile] = (),
        one_number: bool = False,
    ) -> None:
        """``own``: my extension (the current extension "my own"); ``extensions``: the
        remembered numbers; ``others``: the other profiles (a number one of them has cannot
        be removed); ``one_number``: the phone line is offered (``[profiles] one_number``)."""
        super().__init__()
        self.profile = profile
        self.taken = list(taken)
        self.own = own
        self.extensions = tuple(extensions)
        if profile.extension and profile.extension not in self.extensions:
            self.extensions += (profile.extension,)
        self.others = tuple(others)
        self.one_number = one_number

    def _extension_options(self) -> list[tuple[str, str]]:
        mine = _("my own ({number})").format(number=self.own or "?")
        return [(mine, MY_OWN), *((number, number) for number in self.extensions)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box form-box"):
            yield Static(_("Profile"), classes="modal-title")
            with VerticalScroll(classes="form-scroll"):
                yield from self._rows()
            yield from self.buttons()

    def _rows(self) -> ComposeResult:
        """The fields, scrolled where the terminal is short (80×24: Save and Cancel shown)."""
        p = self.profile
        s = p.schedule
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
            Select(
                self._extension_options(),
                value=p.extension or MY_OWN,
                allow_blank=False,
                id="p-extension",
                compact=True,
            ),
            Button(_("Remove"), id="p-ext-remove", classes="words", compact=True),
        )
        yield self.row(
            _("Another extension"),
            Input(id="p-ext-new", placeholder=_("number"), compact=True),
            Button(_("Add"), id="p-ext-add", classes="words", compact=True),
        )
        if self.one_number:  # TWS-6.10.1-4: only in a OneNumber set-up
            yield self.row(
                _("Phone line"),
                Select(
                    [(_(word), line) for line, word in LINE_WORD.items()],
                    value=p.line,
                    allow_blank=False,
                    id="p-line",
                    compact=True,
                ),
            )
        yield self.row(
            _("Schedule: days"),
            DayToggles(s.days if s else frozenset(), id="p-days"),
        )
        yield self.row(
            _("Schedule: from"),
            Input(_hhmm(s.start if s else None), id="p-start", classes="narrow", compact=True),
            Label(_("to"), classes="between"),
            Input(_hhmm(s.end if s else None), id="p-end", classes="narrow", compact=True),
        )
        yield Static(
            _("No day ticked: every day. Without hours the profile is only switched to by hand."),
            classes="form-hint",
        )

    def on_mount(self) -> None:
        self.query_one("#p-name", Input).focus()

    def _said(self, words: str) -> None:
        self.query_one("#form-error", Static).update(words)

    def _choose(self, value: str) -> None:
        select: Select[str] = self.query_one("#p-extension", Select)
        select.set_options(self._extension_options())
        select.value = value

    @on(Button.Pressed, "#p-ext-add")
    @on(Input.Submitted, "#p-ext-new")
    def _add_extension(self, event: Button.Pressed | Input.Submitted) -> None:
        """The number typed joins the list and is chosen (Enter here adds, not saves)."""
        if isinstance(event, Input.Submitted):
            event.prevent_default()
            event.stop()
        field = self.query_one("#p-ext-new", Input)
        try:
            self.extensions = add_extension(self.extensions, field.value, self.own)
        except ValueError as problem:
            self._said(error_text(problem))
            return
        field.value = ""
        self._said("")
        self._choose(self.extensions[-1])

    @on(Button.Pressed, "#p-ext-remove")
    def _remove_extension(self) -> None:
        """The number chosen leaves the list (this profile then has my own), unless another
        profile has it."""
        chosen = self.choice("#p-extension")
        try:
            self.extensions = remove_extension(
                self.extensions, "" if chosen == MY_OWN else chosen, self.others
            )
        except ValueError as problem:
            self._said(error_text(problem))
            return
        self._said(_("{number} removed from the list.").format(number=chosen))
        self._choose(MY_OWN)

    def read(self) -> EditedProfile:
        typed = self.text("#p-name")
        name = check_name(typed, self.taken)
        hours = hours_typed(self.text("#p-start"), self.text("#p-end"))
        days = self.query_one("#p-days", DayToggles).value
        if hours is not None and hours[0] == hours[1]:
            raise ValueError(_("The hours start and end at the same time."))
        schedule = Schedule(days, *hours) if hours is not None else None
        default_kept = name == profile_name(self.profile) and not self.profile.name
        chosen = self.choice("#p-extension")
        profile = check_extension_rules(
            replace(
                self.profile,
                presence=PresenceState(self.choice("#p-presence")),
                name="" if default_kept else name,  # an untouched default name stays translated
                note=" ".join(self.text("#p-note").split()),
                schedule=schedule,
                extension=check_extension("" if chosen == MY_OWN else chosen, self.own),
                line=self.choice("#p-line") if self.one_number else self.profile.line,
            )
        )
        return EditedProfile(profile, self.extensions)
