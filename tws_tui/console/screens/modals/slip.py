"""``SlipScreen``: "take a message" for an absent colleague (issue 15), the receptionist's slip.

Fields: for (part of a colleague's name; the first match is shown beside it and taken), the
caller's name and company, the number to call back, urgent, and what the caller said. Enter
in any field sends (the checks of :func:`tws_tui.domain.slips.slip_problem` first, in words);
the dialog closes only when the backend took the message: a failure is shown and everything
typed stays. Esc cancels.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import WorkType

from tws_tui.console.api import console_api
from tws_tui.console.widgets.toggles import TickBox
from tws_tui.core.model import MessageSlip, MonitoredDevice, UserId
from tws_tui.core.values import value_class
from tws_tui.domain.format import clock_time
from tws_tui.domain.slips import SLIP_NUMBER_MAX, colleagues_matching, slip_peer, slip_problem
from tws_tui.platform.i18n import _, labelled

#: What the dialog hands over to send: (colleague, slip, text) → None, or why it failed.
SendSlip = Callable[[UserId, MessageSlip, str], Awaitable[str | None]]


@value_class
class SlipDraft:
    """What the dialog opens with: the colleague's name typed, the slip prefilled from the
    call, the colleagues to choose from and who I am (never offered)."""

    for_text: str
    slip: MessageSlip
    colleagues: tuple[MonitoredDevice, ...]
    me: UserId | None


class SlipScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SlipScreen .slip-row { height: 1; margin-bottom: 1; }
    SlipScreen .slip-row Label { width: 16; }
    SlipScreen .slip-row Input { width: 1fr; background: $boost; }
    SlipScreen #slip-for { width: 20; }
    SlipScreen #slip-match { width: 1fr; padding-left: 1; }
    SlipScreen #slip-urgent { height: 1; border: none; padding: 0; margin-bottom: 1; }
    SlipScreen .slip-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, draft: SlipDraft, send: SendSlip) -> None:
        super().__init__()
        self.draft = draft
        self._send = send
        self._sending = False

    def compose(self) -> ComposeResult:
        slip = self.draft.slip
        with Vertical(id="slip-box", classes="modal-box"):
            title = _("Take a message")
            if slip.at is not None:
                clock_24h = console_api(self).prefs.ui.clock_24h
                at = clock_time(slip.at, clock_24h=clock_24h)
                title += " — " + _("call at {time}").format(time=at)
            yield Static(title, classes="modal-title", markup=False)
            with Horizontal(classes="slip-row"):
                yield Label(_("For"))
                yield Input(
                    self.draft.for_text,
                    id="slip-for",
                    placeholder=_("part of a name"),
                    compact=True,
                )
                yield Static(id="slip-match", markup=False)
            for field_id, label, value in (
                ("slip-caller", _("Caller"), slip.caller_name),
                ("slip-company", _("Company"), slip.company),
                ("slip-call-back", _("Call back on"), slip.call_back_on),
            ):
                with Horizontal(classes="slip-row"):
                    yield Label(label)
                    yield Input(value, id=field_id, compact=True)
            yield TickBox(_("Urgent"), slip.urgent, id="slip-urgent", compact=True)
            with Horizontal(classes="slip-row"):
                yield Label(_("Their message"))
                yield Input(id="slip-text", placeholder=_("what the caller said"), compact=True)
            yield Static(_("Enter sends, Esc cancels."), classes="slip-hint", markup=False)

    def on_mount(self) -> None:
        self._show_match()
        start = "#slip-text" if self.draft.for_text else "#slip-for"
        self.query_one(start, Input).focus()

    # ---- who it is for ----------------------------------------------------------------------

    def _match(self) -> MonitoredDevice | None:
        typed = self.query_one("#slip-for", Input).value
        if not typed.strip():
            return None
        found = colleagues_matching(self.draft.colleagues, typed, me=self.draft.me)
        return found[0] if found else None

    def _peer(self) -> UserId | None:
        """Whom the slip goes to: the colleague matched, else an extension typed in digits
        (a colleague the phone system does not list, e.g. on SIP)."""
        match = self._match()
        if match is not None:
            return slip_peer(match)
        typed = self.query_one("#slip-for", Input).value.strip()
        return UserId(typed) if typed.isdigit() and len(typed) <= SLIP_NUMBER_MAX else None

    @on(Input.Changed, "#slip-for")
    def _show_match(self) -> None:
        match = self._match()
        shown = self.query_one("#slip-match", Static)
        if match is not None:
            shown.update("→ " + " ".join(filter(None, (match.name, match.extension))))
        elif self._peer() is not None:
            shown.update("→ " + _("extension {number}").format(number=self._peer()))
        elif self.query_one("#slip-for", Input).value.strip():
            shown.update(_("no colleague by that name"))
        else:
            shown.update(_("type part of a colleague's name"))

    def offer_company(self, company: str, name: str) -> None:
        """The directory's answer for the caller's number: fills what is still empty."""
        for field_id, value in (("#slip-company", company), ("#slip-caller", name)):
            field = self.query_one(field_id, Input)
            if not field.value and value:
                field.value = value

    # ---- sending ----------------------------------------------------------------------------

    def read(self) -> tuple[MessageSlip, str]:
        """The slip and text as typed now."""

        def typed(field_id: str) -> str:
            return " ".join(self.query_one(field_id, Input).value.split())

        slip = replace(
            self.draft.slip,
            caller_name=typed("#slip-caller"),
            company=typed("#slip-company"),
            call_back_on=typed("#slip-call-back"),
            urgent=self.query_one("#slip-urgent", TickBox).value,
        )
        return slip, self.query_one("#slip-text", Input).value.strip()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if self._sending:
            return
        peer = self._peer()
        if peer is None:
            self.app.notify(_("Choose the colleague the message is for."), severity="warning")
            self.query_one("#slip-for", Input).focus()
            return
        slip, text = self.read()
        problem = slip_problem(slip, text)
        if problem is not None:
            self.app.notify(problem, severity="warning", markup=False)
            return
        self._sending = True

        async def send() -> None:
            try:
                failure = await self._send(peer, slip, text)
            finally:
                self._sending = False
            if failure is None:
                self.dismiss(None)
            else:
                self.app.notify(labelled(_("Not sent"), failure), severity="error", markup=False)

        work: WorkType[None] = send
        self.run_worker(work, group="slip-send", exit_on_error=False)
