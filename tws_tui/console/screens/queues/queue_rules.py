"""A queue's forwarding rules (TWS-6.5.3): list, create, modify, activate, deactivate, delete.

``QueueRulesScreen`` (``f`` on the Queues screen) lists the selected queue's rules: where its
calls go, from and until when, whether the rule is on and applies right now, who made it. A
rule applies to everyone in the queue, whoever created it (TWS-6.5.3-2): the screen says so.
Keys: ``a`` adds a rule, Enter edits the selected one, Space switches it on or off, Delete
removes it (after a confirmation), Esc closes. ``QueueRuleForm`` asks for the destination and
the period (``YYYY-MM-DD HH:MM`` or ``HH:MM`` today, local time; empty: from now / until
removed) and refuses what it cannot read, saying why, before anything is sent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, Switch

from tws_tui.console.api import ConsoleApi, console_api
from tws_tui.console.bindings import bindings_for
from tws_tui.console.widgets.row_list import RowList
from tws_tui.console.widgets.toggles import OnOffSwitch
from tws_tui.core.model import QueueForwardRule, QueueId, QueueRuleId
from tws_tui.core.topics import Topic, Topics
from tws_tui.domain.numbers import clean_number, is_dialable
from tws_tui.platform.i18n import _

WHEN_FORMAT = "%Y-%m-%d %H:%M"


class WhenError(ValueError):
    """A date and time the form cannot read; the message says what is expected."""


def parse_when(text: str, now: datetime) -> datetime | None:
    """``"2026-11-23 08:30"``, ``"08:30"`` (today) or ``""`` (None), in local time → aware."""
    text = text.strip()
    if not text:
        return None
    local_now = now.astimezone()
    try:
        if len(text) <= 5:
            moment = datetime.strptime(text, "%H:%M")
            local = local_now.replace(hour=moment.hour, minute=moment.minute, second=0)
        else:
            local = datetime.strptime(text, WHEN_FORMAT).replace(tzinfo=local_now.tzinfo)
    except ValueError:
        raise WhenError(
            _("{text!r}: expected a date and time such as 2026-11-23 08:30, or 08:30").format(
                text=text
            )
        ) from None
    return local.replace(microsecond=0, second=0)


def show_when(moment: datetime | None) -> str:
    return moment.astimezone().strftime(WHEN_FORMAT) if moment is not None else ""


class QueueRuleForm(ModalScreen[QueueForwardRule | None]):
    """Create or modify one rule; dismisses with the rule to save, or None."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", show=False)]

    def __init__(self, rule: QueueForwardRule, queue_name: str, now: datetime) -> None:
        super().__init__()
        self.rule = rule
        self.queue_name = queue_name
        self.now = now

    def compose(self) -> ComposeResult:
        title = _("New rule for {queue}") if not self.rule.id else _("Rule of {queue}")
        with Vertical(classes="modal-box"):
            yield Static(title.format(queue=self.queue_name), classes="modal-title", markup=False)
            yield Label(_("Forward the calls to (number)"))
            yield Input(self.rule.destination, id="rule-destination")
            yield Label(_("From (YYYY-MM-DD HH:MM or HH:MM; empty: now)"))
            yield Input(show_when(self.rule.starts_at), id="rule-from")
            yield Label(_("Until (empty: until removed)"))
            yield Input(show_when(self.rule.ends_at), id="rule-until")
            yield Label(_("On"))
            yield OnOffSwitch(self.rule.enabled, id="rule-enabled")
            yield Static(
                _("Enter saves, Esc cancels. The rule applies to everyone in the queue."),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        self.query_one("#rule-destination", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        destination = self.query_one("#rule-destination", Input).value
        if not is_dialable(destination):
            self.app.notify(
                _("{text!r} is not a number to forward to.").format(text=destination),
                severity="warning",
            )
            return
        try:
            starts = parse_when(self.query_one("#rule-from", Input).value, self.now)
            ends = parse_when(self.query_one("#rule-until", Input).value, self.now)
        except WhenError as error:
            self.app.notify(str(error), severity="warning")
            return
        if starts is not None and ends is not None and ends <= starts:
            self.app.notify(_("The end must come after the start."), severity="warning")
            return
        enabled = self.query_one("#rule-enabled", Switch).value
        self.dismiss(
            replace(
                self.rule,
                destination=clean_number(destination),
                starts_at=starts,
                ends_at=ends,
                enabled=enabled,
            )
        )


class QueueRulesScreen(ModalScreen[None]):
    """The rules of one queue, kept up to date while the screen is open."""

    MODE = "queue_rules"  # its keys' scope in the keymap (help, palette)
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", show=False),
        *bindings_for("queue_rules"),
    ]

    def __init__(self, queue_id: QueueId) -> None:
        super().__init__()
        self.queue_id = queue_id

    @property
    def tws(self) -> ConsoleApi:
        return console_api(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box rules-box"):
            yield Static(id="rules-title", classes="modal-title", markup=False)
            yield RowList(id="rules")
            yield Static(
                _(
                    "a add · Enter edit · Space on/off · Delete remove · Esc close. A rule"
                    " forwards the queue's calls for everyone in it."
                ),
                classes="modal-note",
            )

    def on_mount(self) -> None:
        self.tws.state_signal.subscribe(self, self._on_state)
        self._show()
        self.query_one("#rules", RowList).focus()

    def _on_state(self, topics: Topics) -> None:
        if Topic.QUEUES in topics:
            self._show()

    def _rules(self) -> dict[str, QueueForwardRule]:
        queue = self.tws.state.queues.get(self.queue_id)
        return {rule.id: rule for rule in queue.forward_rules} if queue is not None else {}

    def _show(self) -> None:
        queue = self.tws.state.queues.get(self.queue_id)
        name = queue.name if queue is not None else self.queue_id
        self.query_one("#rules-title", Static).update(
            _("Forwarding rules of {queue}").format(queue=name)
        )
        now = self.tws.clock.now()
        rows: dict[str, tuple[str, ...]] = {
            rule.id: (
                rule.destination,
                show_when(rule.starts_at) or _("now"),
                show_when(rule.ends_at) or _("until removed"),
                ("▶ " + _("applies now"))
                if rule.active_at(now)
                else (_("on") if rule.enabled else _("off")),
                rule.created_by or "",
            )
            for rule in self._rules().values()
        }
        table = self.query_one("#rules", RowList)
        table.set_rows((_("Forward to"), _("From"), _("Until"), _("State"), _("Created by")), rows)

    def _selected(self) -> QueueForwardRule | None:
        key = self.query_one("#rules", RowList).selected_key
        return self._rules().get(key) if key is not None else None

    def _save(self, rule: QueueForwardRule | None) -> None:
        if rule is not None:
            self.tws.run_command(lambda backend: backend.save_queue_rule(rule))

    def action_add(self) -> None:
        rule = QueueForwardRule(QueueRuleId(""), self.queue_id, "")
        queue = self.tws.state.queues.get(self.queue_id)
        name = queue.name if queue is not None else self.queue_id
        self.app.push_screen(QueueRuleForm(rule, name, self.tws.clock.now()), self._save)

    def action_edit(self) -> None:
        rule = self._selected()
        if rule is None:
            return
        queue = self.tws.state.queues.get(self.queue_id)
        name = queue.name if queue is not None else self.queue_id
        self.app.push_screen(QueueRuleForm(rule, name, self.tws.clock.now()), self._save)

    def action_toggle_rule(self) -> None:
        rule = self._selected()
        if rule is not None:
            self._save(replace(rule, enabled=not rule.enabled))

    def action_delete(self) -> None:
        from tws_tui.console.screens.modals.confirm import ConfirmScreen

        rule = self._selected()
        if rule is None:
            return
        queue_id, rule_id = rule.queue_id, rule.id

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.tws.run_command(lambda backend: backend.delete_queue_rule(queue_id, rule_id))

        question = _("Delete the rule forwarding to {number}? It applies to everyone.").format(
            number=rule.destination
        )
        self.app.push_screen(ConfirmScreen(question), confirmed)
