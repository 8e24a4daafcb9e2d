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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, Switch

from tws_tui.console.widgets.colleague_match import ColleagueMatch
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.core.model import Forward, ForwardKind, MonitoredDevice
from tws_tui.domain.forwarding import (
    BY_PHONE_NOTE,
    DEFAULT_RING_TIME_S,
    KIND_WORD,
    check_destination,
    check_ring_time,
)
from tws_tui.platform.i18n import _

Forwards = dict[ForwardKind, Forward]


class ForwardingScreen(ModalScreen[Forwards | None]):
    DEFAULT_CSS = """
    ForwardingScreen .forward-row { height: 1; margin-bottom: 1; }
    ForwardingScreen .forward-row Switch { height: 1; border: none; padding: 0; margin-right: 1; }
    ForwardingScreen .forward-row Label { width: 24; }
    ForwardingScreen .forward-row Input { width: 20; }
    ForwardingScreen .forward-row Input.forward-delay { width: 6; }
    ForwardingScreen .forward-row Label.forward-after { width: auto; padding: 0 1; }
    ForwardingScreen .forward-hint { color: $text-muted; margin-bottom: 1; }
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
    ) -> None:
        """``kinds``: the rows shown; ``check`` refuses a destination (``ValueError``) that
        would ring me again; ``colleagues`` (not ``own``, my extension) are offered by name."""
        super().__init__()
        self.match = ColleagueMatch(colleagues, own, id="forward-match")
        self.forwards = dict(forwards)
        self.voicemail = voicemail
        self.by_phone = by_phone
        self.kinds = kinds
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="forwarding-box", classes="modal-box"):
            yield Static(_("My forwarding"), classes="modal-title")
            for kind in self.kinds:
                forward = self.forwards.get(kind, Forward(False))
                shown = forward.destination or ""
                if shown == self.voicemail:
                    shown = ""  # empty means voicemail
                with Horizontal(classes="forward-row"):
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
            hint = _(
                "A number, part of a colleague's name, or empty for your voicemail ({number})."
            ).format(number=self.voicemail)
            if not self.voicemail:
                hint = _("A phone number or part of a colleague's name (no voicemail is known).")
            yield Static(hint, classes="forward-hint", markup=False)
            yield self.match
            if self.by_phone:
                yield Static(
                    _(BY_PHONE_NOTE), id="forward-by-phone", classes="forward-hint", markup=False
                )
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="forward-save", variant="primary", compact=True)
                yield Button(_("Cancel"), id="forward-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#to-{ForwardKind.UNCONDITIONAL.value}", Input).focus()

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
    def _save(self) -> None:
        try:
            forwards = self.read()
        except ValueError as problem:
            self.app.notify(str(problem), severity="warning")
            return
        self.dismiss(forwards)

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
