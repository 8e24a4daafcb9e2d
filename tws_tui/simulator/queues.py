"""Queues: waiting lists, ACD distribution to colleague agents, overflow, abandon, agent state.

Owns everything about queued calls: a call to a queue number waits in arrival order (higher
priority first); ready, idle colleague agents get it rung on their phone (longest idle
first) and answer after a seeded delay; the operator is a switchboard member who is never
pushed calls and picks one with ``answer_queued``. A call still waiting after the queue's
``overflow_after_s`` moves to ``overflow_to``; a caller gives up after their patience. Agents
pause with one of the company's pause reasons (or none).
"""

from __future__ import annotations

from datetime import datetime

from tws_tui.core.errors import N_, AlreadyTaken, InvalidState, NotFound
from tws_tui.core.events import CallEventKind
from tws_tui.core.model import AgentState, CallId, Cause, ConnectionState, QueueId
from tws_tui.simulator.base import operation
from tws_tui.simulator.calls import CallServices
from tws_tui.simulator.entities import Conn, Endpoint, QueueState, SimCall

_EPOCH = datetime.min


class QueueServices(CallServices):
    """Enqueue, distribute, overflow, abandon, answer_queued, set_agent_state."""

    def _queue(self, queue_id: str) -> QueueState:
        queue = self.queues.get(QueueId(queue_id))
        if queue is None:
            raise NotFound(N_("Unknown queue: {queue_id}"), queue_id=queue_id)
        return queue

    def _enqueue(self, call: SimCall, queue: QueueState, cause: Cause) -> None:
        if queue.max_waiting is not None and len(queue.waiting) >= queue.max_waiting:
            overflow = self.queues.get(queue.overflow_to) if queue.overflow_to else None
            if overflow is not None and overflow is not queue:
                self._enqueue(call, overflow, Cause.OVERFLOW)  # full: straight to overflow
            elif call.conns:
                self._clear(call.conns[0], Cause.BUSY)  # full, nowhere to go: busy tone
            return
        call.waiting_in = queue.id
        call.queue = queue.ref
        call.queued_at = self.now()
        queue.ever.add(call.id)
        position = len(queue.waiting)
        while position > 0 and queue.waiting[position - 1].priority < call.priority:
            position -= 1
        queue.waiting.insert(position, call)
        for conn in call.conns:
            conn.cause = cause
        self._emit_all(call, CallEventKind.QUEUED, cause)
        self._cancel(call.timers, "overflow")
        if queue.overflow_to is not None and queue.overflow_after_s is not None:
            self._later(
                queue.overflow_after_s, lambda: self._overflow(call), call.timers, "overflow"
            )
        if call.patience_s is not None and "patience" not in call.timers:
            self._later(call.patience_s, lambda: self._abandon(call), call.timers, "patience")

    def _leave_queue(self, call: SimCall) -> None:
        queue = self._queue_of(call)
        if queue is not None and call in queue.waiting:
            queue.waiting.remove(call)
        call.waiting_in = None
        self._cancel(call.timers, "overflow", "patience")

    def _overflow(self, call: SimCall) -> None:
        queue = self._queue_of(call)
        if queue is None or queue.overflow_to is None:
            return
        target = self.queues[queue.overflow_to]
        patience = call.timers.pop("patience", None)
        self._leave_queue(call)
        if patience is not None:
            call.timers["patience"] = patience  # the caller's patience keeps running
        self._enqueue(call, target, Cause.OVERFLOW)

    def _abandon(self, call: SimCall) -> None:
        if call.waiting_in is not None and call.conns:
            self._clear(call.conns[0], Cause.CALL_CANCELLED)

    # ---- distribution ---------------------------------------------------------------------

    def _idle_agents(self, queue: QueueState) -> list[Endpoint]:
        agents = [
            ep
            for ep in self.endpoints.values()
            if ep.internal
            and not ep.operator
            and queue.id in ep.queues
            and ep.agent is AgentState.READY
            and ep.registered
            and not ep.conns
        ]
        return sorted(agents, key=lambda ep: (ep.idle_since or _EPOCH, ep.extension or ""))

    def _distribute_all(self) -> None:
        for queue in self.queues.values():
            while queue.waiting:
                agents = self._idle_agents(queue)
                if not agents:
                    break
                call = queue.waiting[0]
                self._leave_queue(call)
                conn = self._alert(call, agents[0], Cause.DISTRIBUTED, None)
                self._arm_agent_timer(conn, queue)

    def _arm_agent_timer(self, conn: Conn, queue: QueueState) -> None:
        def fire() -> None:
            self._agent_no_answer(conn, queue)

        self._later(self.behaviour.agent_ring_s, fire, conn.timers, "agent")

    def _agent_no_answer(self, conn: Conn, queue: QueueState) -> None:
        """The agent let it ring: pause them and put the call back at the head of the queue."""
        if not conn.alive or conn.state is not ConnectionState.ALERTING:
            return
        call, agent = conn.call, conn.endpoint
        self._remove_conn(conn, CallEventKind.CONNECTION_CLEARED, Cause.CALL_NOT_ANSWERED)
        agent.agent = AgentState.NOT_READY
        agent.agent_reason = "Pas de réponse"
        agent.auto_paused = True
        if call.conns:
            self._enqueue(call, queue, Cause.ENTERING_DISTRIBUTION)
            queue.waiting.remove(call)
            queue.waiting.insert(0, call)

    # ---- operator requests ------------------------------------------------------------------

    def _check_pause_reason(self, state: AgentState, reason: str | None) -> None:
        if state is not AgentState.NOT_READY or reason is None or not self.pause_reasons:
            return
        if reason not in self.pause_reasons:
            known = ", ".join(self.pause_reasons)
            raise InvalidState(
                N_("Unknown pause reason: '{reason}' (reasons: {known})"),
                reason=reason,
                known=known,
            )

    @operation
    def answer_queued(self, device: str, queue_id: str, call_id: str) -> CallId:
        """``device`` takes a waiting call out of a queue; ``AlreadyTaken`` if it is gone."""
        ep = self.endpoint(device)
        queue = self._queue(queue_id)
        call = next((c for c in queue.waiting if c.id == call_id), None)
        if call is None:
            if call_id in queue.ever:
                raise AlreadyTaken(
                    N_("Call {call_id} no longer waits in '{queue}'"),
                    call_id=call_id,
                    queue=queue.name,
                )
            raise NotFound(N_("No call {call_id} in '{queue}'"), call_id=call_id, queue=queue.name)
        self._leave_queue(call)
        conn = self._new_conn(call, ep, ConnectionState.ALERTING, Cause.DISTRIBUTED)
        self._answer(conn, Cause.DISTRIBUTED)
        return conn.id

    @operation
    def set_agent_state(
        self,
        device: str,
        state: AgentState,
        reason: str | None = None,
        queue_id: str | None = None,
    ) -> None:
        """Log in / out / pause an agent, in one queue or (``None``) in all their queues.

        ``None`` means the device's assigned queues (every queue for the operator). Logging
        in with READY / NOT_READY joins the queues; LOGGED_OFF leaves them; an agent already
        in some queues who pauses or resumes with ``None`` stays in those queues (a pause is
        the agent's, not a queue's: WPL-14.1-2). BUSY is set by the
        switch, not requested (``InvalidState``). A pause (NOT_READY) reason must be one of
        ``pause_reasons`` when the company has some (``InvalidState``); no reason is fine.
        """
        ep = self.endpoint(device)
        if state is AgentState.BUSY:
            raise InvalidState(N_("The 'busy' state is set by the phone system, not requested"))
        self._check_pause_reason(state, reason)
        if queue_id is not None:
            targets = [self._queue(queue_id).id]
        elif state is not AgentState.LOGGED_OFF and ep.queues:
            targets = []  # pause or resume where I am
        else:
            targets = list(ep.home_queues) or list(self.queues)
        if state is AgentState.LOGGED_OFF:
            ep.queues = [q for q in ep.queues if q not in targets]
        else:
            ep.queues = [q for q in self.queues if q in ep.queues or q in targets]
        if not ep.queues:
            ep.agent = AgentState.LOGGED_OFF
        elif state is not AgentState.LOGGED_OFF:
            ep.agent = state
        ep.agent_reason = reason
        ep.auto_paused = False
