"""Queue forwarding rules (TWS-6.5.3): a queue's calls forwarded to a number for a period.

Owns the rules kept on each queue and the requests that change them: ``save_queue_rule``
creates (id ``""``) or replaces a rule, activating or deactivating being a save with
``enabled`` changed, and ``delete_queue_rule`` removes one. A rule is a queue-level setting
shared by everyone (TWS-6.5.3-2): it travels with its queue in every console's ``QueueEvent``.

Routing: while an enabled rule of a queue is active (``QueueForwardRule.active_at``: within
``[starts_at, ends_at)``), a call dialled to the queue does not enter it: ``_plan`` forwards it
to the rule's destination, redirected from the queue. A closed call flow wins over a rule
(``FlowServices`` is asked first); with several active rules, the first saved wins. Calls
already waiting stay, as for call flows. No timer is needed: the rule's state is read from the
clock when a call arrives, and the console computes ``active_at(now)`` itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tws_tui.core.errors import N_, InvalidDestination, InvalidState, NotFound
from tws_tui.core.model import QueueForwardRule, QueueId, QueueRuleId
from tws_tui.simulator.base import SwitchBase, operation
from tws_tui.simulator.entities import QueueState


class QueueRuleServices(SwitchBase):
    """Per-queue forwarding rules: ``save_queue_rule``, ``delete_queue_rule``, routing hook."""

    def _rules_queue(self, queue_id: str) -> QueueState:
        queue = self.queues.get(QueueId(queue_id))
        if queue is None:
            raise NotFound(N_("Unknown queue: {queue_id}"), queue_id=queue_id)
        return queue

    def _rule_index(self, queue: QueueState, rule_id: str) -> int:
        for i, rule in enumerate(queue.rules):
            if rule.id == rule_id:
                return i
        raise NotFound(
            N_("Unknown forwarding rule for '{queue}': {rule_id}"),
            queue=queue.name,
            rule_id=rule_id,
        )

    def _forward_rule(self, queue: QueueState) -> QueueForwardRule | None:
        now = self.now()
        return next((r for r in queue.rules if r.active_at(now)), None)

    def _dialable(self, number: str) -> bool:
        """A number the switch can reach: a queue, a machine, an extension, an outside line."""
        return (
            any(q.number == number for q in self.queues.values())
            or number in self.machines
            or number in self.by_extension
            or number.startswith("+")
            or (number.startswith("0") and len(number) >= 6)
        )

    def _rule_destination(self, queue: QueueState, destination: str) -> str:
        if not destination.strip():
            raise InvalidDestination(
                N_("Forwarding of '{queue}': empty destination"), queue=queue.name
            )
        number = self._check_destination(destination)
        if not self._dialable(number):
            raise InvalidDestination(N_("Unreachable number: {number!r}"), number=destination)
        if number == queue.number:
            raise InvalidDestination(
                N_("'{queue}' cannot be forwarded to its own number: {number}"),
                queue=queue.name,
                number=number,
            )
        return number

    def _check_period(self, rule: QueueForwardRule) -> None:
        starts, ends = rule.starts_at, rule.ends_at
        for moment in (starts, ends):
            if moment is not None and moment.tzinfo is None:
                raise InvalidState(
                    N_("Forwarding time without a time zone: {moment}"), moment=str(moment)
                )
        if ends is None:
            return
        if starts is not None and ends <= starts:
            raise InvalidState(
                N_("The end of the forwarding ({ends}) must follow its start ({starts})"),
                ends=_when(ends),
                starts=_when(starts),
            )
        if rule.enabled and ends <= self.now():
            raise InvalidState(
                N_("The end of the forwarding ({ends}) is already past"), ends=_when(ends)
            )

    @operation
    def save_queue_rule(self, rule: QueueForwardRule, by: str | None = None) -> QueueForwardRule:
        """Create (id ``""``) or replace a rule of ``rule.queue_id``; return it as saved.

        The destination is normalised like any dialled number. ``by``: who creates it (kept as
        ``created_by``; a modified rule keeps its creator). Raises ``NotFound`` (queue, or a
        rule id it does not have), ``InvalidDestination`` (empty, not dialable, the queue's
        own number) or ``InvalidState`` (``ends_at`` not after ``starts_at``, or an enabled
        rule whose ``ends_at`` is already past); nothing changes then.
        """
        queue = self._rules_queue(rule.queue_id)
        index = self._rule_index(queue, rule.id) if rule.id else None
        destination = self._rule_destination(queue, rule.destination)
        self._check_period(rule)
        old = queue.rules[index] if index is not None else None
        saved = replace(
            rule,
            id=old.id if old is not None else QueueRuleId(self._id("regle-")),
            queue_id=queue.id,
            destination=destination,
            created_by=old.created_by if old is not None else (by or rule.created_by),
            version=next(self._versions),
        )
        if index is None:
            queue.rules.append(saved)
        else:
            queue.rules[index] = saved
        return saved

    @operation
    def delete_queue_rule(self, queue_id: str, rule_id: str) -> None:
        """Remove a rule; ``NotFound`` for an unknown queue or rule."""
        queue = self._rules_queue(queue_id)
        del queue.rules[self._rule_index(queue, rule_id)]


def _when(at: datetime) -> str:
    return at.strftime("%d/%m %H:%M")
