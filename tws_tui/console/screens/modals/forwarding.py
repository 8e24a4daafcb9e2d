"""``ForwardingScreen``: see and set my own forwarding (issue 17, TWS §6.10, Selfcare §4).

One row per kind the phone system takes — always, when busy, when I do not answer (with the
delay in seconds), when my phone is not reachable — each with its on/off switch and its
destination: a number, or empty for my voicemail. Typing a destination turns its row on. Enter
or *Save* checks every row that is on (:mod:`tws_tui.domain.forwarding`, then ``check``: my own
number, a loop) and dismisses with the forwards; a bad destination (letters, a long paste, my
own number, a loop) or delay is refused with a notice and the dialog stays, nothing sent. A
destination typed as part of a colleague's name is matched as typed (:class:`ColleagueMatch`);
Enter in that field puts the first match's extension there, a second Enter saves.
Esc or *Cancel* dismisses with ``None``. With ``by_phone`` (a SIP softphone that forwards by
itself) a line says so: the phone system's forwarding would also work with the console closed.

While "Always" is on, the other rows stay as set but are drawn inactive and a line says why:
every call goes to its destination (Selfcare §4.1-5). Below the forwards, simultaneous ring /
find-me (``find_me``, where the phone system has it): on/off, the numbers separated by commas
(a ring time after a colon), all at once or one after the other (:mod:`tws_tui.domain.find_me`
checks them); without it, a line says it is set on the phone system.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, Switch

from tws_tui.console.widgets.colleague_match import ColleagueMatch
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.core.model import FindMe, FindMeMode, Forward, ForwardKind, MonitoredDevice
from tws_tui.domain.find_me import ON_THE_PBX_NOTE, numbers_text, parse_numbers
from tws_tui.domain.format import error_text
from tws_tui.domain.forwarding import (
    BY_PHONE_NOTE,
    DEFAULT_RING_TIME_S,
    KIND_WORD,
    check_destination,
    check_ring_time,
    override_note,
)
from tws_tui.platform.i18n import _

Forwards = dict[ForwardKind, Forward]


@dataclass(frozen=True)
class ForwardingAnswer:
    """What the dialog was saved with: the forwards, and find-me (None: not offered)."""

    forwards: Forwards
    find_me: FindMe | None = None


class ForwardingScreen(ModalScreen[ForwardingAnswer | None]):
    DEFAULT_CSS = """
    ForwardingScreen .forward-row { height: 1; }
    ForwardingScreen #forwarding-rows, ForwardingScreen #find-me-rows { height: auto; }
    ForwardingScreen #forwarding-rows { margin-bottom: 1; }
    ForwardingScreen .modal-box { height: auto; }
    ForwardingScreen .forward-row Switch { height: 1; border: none; padding: 0; margin-right: 1; }
    ForwardingScreen .forward-row Label { width: 24; }
    ForwardingScreen .forward-row Input { width: 20; }
    ForwardingScreen .forward-row Input.forward-delay { width: 6; }
    ForwardingScreen .forward-row Label.forward-after { width: auto; padding: 0 1; }
    ForwardingScreen .forward-row.-overridden Label { text-style: strike; color: $text-muted; }
    ForwardingScreen .forward-row Input#find-me-numbers { width: 34; }
    ForwardingScreen .forward-row Label.find-me-mode { width: auto; }
    ForwardingScreen .forward-hint { color: $text-muted; margin-bottom: 1; }
    ForwardingScreen #forward-hint { margin-bottom: 0; }
    ForwardingScreen .forward-row Label.find-me-pad { width: 4; }
    ForwardingScreen #forward-overridden { text-style: bold; margin-bottom: 1; }
    ForwardingScreen #forward-match { margin-bottom: 1; }
    ForwardingScreen .buttons { height: 1; }
    ForwardingScreen .buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(
        self,
        forwards: Mapping[ForwardKind, Forward],
        voicemail: str,
        kinds: tuple[ForwardKind, ...] = tuple(ForwardKind),
        check: Callable[[str], None] = lambda _number: None,
        colleagues: Iterable[MonitoredDevice] = (),
        own: str = "",
        *,
        by_phone: bool = False,
        find_me: FindMe | None = None,
    ) -> None:
        """``kinds``: the rows shown; ``check`` refuses a destination (``ValueError``) that
        would ring me again; ``colleagues`` (not ``own``, my extension) are offered by name;
        ``find_me``: mine where the phone system has it, None for the line saying it has not."""
        super().__init__()
        self.match = ColleagueMatch(colleagues, own, id="forward-match")
        self.forwards = dict(forwards)
        self.voicemail = voicemail
        self.by_phone = by_phone
        self.kinds = kinds
        self.check = check
        self.find_me = find_me

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="forwarding-box", classes="modal-box"):
            yield Static(_("My forwarding"), classes="modal-title")
            yield from self._compose_rows()
            hint = _(
                "A number, part of a colleague's name, or empty for your voicemail ({number})."
            ).format(number=self.voicemail)
            if not self.voicemail:
                hint = _("A phone number or part of a colleague's name (no voicemail is known).")
            yield Static(hint, id="forward-hint", classes="forward-hint", markup=False)
            yield self.match
            yield Static("", id="forward-overridden", markup=False)
            yield from self._compose_find_me()
            if self.by_phone:
                yield Static(
                    _(BY_PHONE_NOTE), id="forward-by-phone", classes="forward-hint", markup=False
                )
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="forward-save", variant="primary", compact=True)
                yield Button(_("Cancel"), id="forward-cancel", compact=True)

    def _compose_rows(self) -> ComposeResult:
        """One row per kind: its switch, its name and its destination (and the delay)."""
        with Vertical(id="forwarding-rows"):
            for kind in self.kinds:
                forward = self.forwards.get(kind, Forward(False))
                shown = forward.destination or ""
                if shown == self.voicemail:
                    shown = ""  # empty means voicemail
                with Horizontal(classes="forward-row", id=f"row-{kind.value}"):
                    yield OnOffSwitch(forward.enabled, id=f"on-{kind.value}")
                    yield Label(_(KIND_WORD[kind]))
                    yield Input(
                        shown,
                        id=f"to-{kind.value}",
                        classes="forward-to",
                        placeholder=_("my voicemail") if self.voicemail else _("number"),
                        compact=True,
                    )
                    if kind is ForwardKind.NO_ANSWER:
                        yield Label(_("after (s)"), classes="forward-after")
                        yield Input(
                            str(forward.ring_time_s or DEFAULT_RING_TIME_S),
                            id="delay",
                            classes="forward-delay",
                            compact=True,
                        )

    def _compose_find_me(self) -> ComposeResult:
        """Simultaneous ring / find-me's rows, or the line saying the phone system sets it."""
        if self.find_me is None:
            yield Static(
                _(ON_THE_PBX_NOTE), id="find-me-on-pbx", classes="forward-hint", markup=False
            )
            return
        with Vertical(id="find-me-rows"):
            with Horizontal(classes="forward-row", id="row-find_me"):
                yield OnOffSwitch(self.find_me.enabled, id="on-find_me")
                yield Label(_("Also ring"))
                yield Input(
                    numbers_text(self.find_me),
                    id="find-me-numbers",
                    placeholder="0611223344, 3002:25",
                    compact=True,
                )
            with Horizontal(classes="forward-row"):
                yield Label("", classes="find-me-pad")
                sequential = self.find_me.mode is FindMeMode.SEQUENTIAL
                yield OnOffSwitch(sequential, id="find-me-sequential")
                yield Label(_("one after the other (else all at once)"), classes="find-me-mode")
        yield Static(
            _("Numbers separated by commas; number:seconds for a ring time (else 20 s)."),
            classes="forward-hint",
            markup=False,
        )

    def on_mount(self) -> None:
        self.query_one(f"#to-{ForwardKind.UNCONDITIONAL.value}", Input).focus()
        self._show_override()

    @on(Switch.Changed, f"#on-{ForwardKind.UNCONDITIONAL.value}")
    @on(Input.Changed, f"#to-{ForwardKind.UNCONDITIONAL.value}")
    def _show_override(self) -> None:
        """While "Always" is on, the other rows are drawn inactive and a line says why."""
        if ForwardKind.UNCONDITIONAL not in self.kinds:
            return
        on_ = self.query_one(f"#on-{ForwardKind.UNCONDITIONAL.value}", Switch).value
        typed = self.query_one(f"#to-{ForwardKind.UNCONDITIONAL.value}", Input).value.strip()
        immediate = Forward(on_, typed or self.voicemail or None)
        note = override_note({ForwardKind.UNCONDITIONAL: immediate}, self.voicemail)
        self.query_one("#forward-overridden", Static).update(note)
        self.query_one("#forward-overridden", Static).display = bool(note)
        for kind in self.kinds:
            if kind is not ForwardKind.UNCONDITIONAL:
                self.query_one(f"#row-{kind.value}").set_class(bool(note), "-overridden")
        for row in self.query("#row-find_me"):  # the switch sends every call on: none rings
            row.set_class(bool(note), "-overridden")

    @on(Input.Changed, "#find-me-numbers")
    def _typed_find_me(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.query_one("#on-find_me", Switch).value = True

    @on(Input.Changed, ".forward-to")
    def _typed(self, event: Input.Changed) -> None:
        """A destination typed: its row is on."""
        if event.value.strip():
            kind = (event.input.id or "").removeprefix("to-")
            self.query_one(f"#on-{kind}", Switch).value = True
        self.match.show_for(event.value)

    @on(Button.Pressed, "#forward-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, ".forward-to")
    def _take_colleague(self, event: Input.Submitted) -> None:
        """Enter on a name: the first colleague matched is taken (a second Enter saves)."""
        if self.match.take(event.input):
            event.stop()
            return
        self._save()

    @on(Button.Pressed, "#forward-save")
    @on(Input.Submitted, "#delay")
    @on(Input.Submitted, "#find-me-numbers")
    def _save(self) -> None:
        try:
            answer = ForwardingAnswer(self.read(), self.read_find_me())
        except ValueError as problem:
            self.app.notify(error_text(problem), severity="warning")
            return
        self.dismiss(answer)

    def read_find_me(self) -> FindMe | None:
        """Find-me as set (None: not offered); ``ValueError`` for a bad number while it is on.
        Off, the numbers typed are kept when they read well, else the ones it had."""
        if self.find_me is None:
            return None
        on_ = self.query_one("#on-find_me", Switch).value
        sequential = self.query_one("#find-me-sequential", Switch).value
        mode = FindMeMode.SEQUENTIAL if sequential else FindMeMode.SIMULTANEOUS
        typed = self.query_one("#find-me-numbers", Input).value
        if not on_:
            try:
                numbers = parse_numbers(typed, self.check) if typed.strip() else ()
            except ValueError:
                numbers = self.find_me.numbers
            return FindMe(False, mode, numbers)
        return FindMe(True, mode, parse_numbers(typed, self.check))

    def read(self) -> Forwards:
        """The forwards as set in the dialog; ``ValueError`` (a sentence) for a bad
        destination or delay of a row that is on."""
        forwards: Forwards = {}
        for kind in self.kinds:
            before = self.forwards.get(kind, Forward(False))
            on_ = self.query_one(f"#on-{kind.value}", Switch).value
            delay = before.ring_time_s
            if not on_:
                forwards[kind] = Forward(False, before.destination, delay)
                continue
            typed = self.query_one(f"#to-{kind.value}", Input).value
            destination = check_destination(typed, self.voicemail)
            if destination != self.voicemail:
                self.check(destination)
            if kind is ForwardKind.NO_ANSWER:
                delay = check_ring_time(self.query_one("#delay", Input).value)
            forwards[kind] = Forward(True, destination, delay)
        return forwards
