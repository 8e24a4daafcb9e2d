"""``QueueActions``: what the operator does with the queues — take the oldest waiting call
(Alt+O), pick up a chosen one (TWS-3.1.3-3), pause and resume as an agent (WPL-14.1-2)."""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import AgentState, QueuedCall
from tws_tui.platform.i18n import _


class QueueActions:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api

    def pick_up_queued(self, call: QueuedCall) -> None:
        """Take a waiting call; a call already taken says so (AlreadyTaken)."""
        queue_id, call_id = call.queue.id, call.call_id
        self.api.run_command(lambda backend: backend.answer_queued(queue_id, call_id))

    def take_oldest(self) -> None:
        """Pick up the call that has waited longest in the queues I show."""
        hidden = self.api.prefs.queues.hidden
        waiting = [
            call
            for queue in self.api.state.queues.values()
            if queue.id not in hidden
            for call in queue.waiting
        ]
        if not waiting:
            self.api.notify(_("Nobody is waiting."), severity="warning")
            return
        self.pick_up_queued(min(waiting, key=lambda call: call.queued_at))

    def toggle_agent_pause(self) -> None:
        """Pause (with one of the backend's reasons, when it has some) or resume."""
        from tws_tui.console.screens.modals.choice import ChoiceScreen

        me = self.api.state.me
        if me is None or me.agent is AgentState.LOGGED_OFF:
            self.api.notify(_("Log in to a queue first (l)."), severity="warning")
            return
        if me.agent is AgentState.NOT_READY:
            self.api.run_command(lambda backend: backend.set_agent_state(AgentState.READY))
            return
        reasons = self.api.state.pause_reasons

        def pause(reason: str | None) -> None:
            if reason is not None or not reasons:
                self.api.run_command(
                    lambda backend: backend.set_agent_state(AgentState.NOT_READY, reason)
                )

        if not reasons:
            pause(None)
            return
        options = [(reason, reason) for reason in reasons]
        self.api.push_screen(ChoiceScreen(_("Pause: why?"), options), pause)
