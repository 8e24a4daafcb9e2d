"""The simulated switch's assistance requests (TWS-4.4): asked, taken, cancelled; and its
broadcasts (TWP-4.1): one text to several colleagues, groups or everyone.

Owns :class:`SwitchAssist`: the requests by id and the listeners per user (the requester and
every receiver hear each change). The rules are :mod:`tws_tui.domain.assist`'s, the same as
the CTI server's. Deterministic: when the operator asks, the first receiver (by extension
order of the audience) says "I'm on it" ``TAKE_AFTER_S`` later on the switch's clock, unless
the request was taken or cancelled meanwhile. A broadcast is kept and told to the sender and
each receiver (:data:`BroadcastListener`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from tws_tui.core.errors import N_, NotFound
from tws_tui.core.model import AssistRequest, AssistState, Broadcast, UserId
from tws_tui.domain.assist import (
    EVERYONE,
    audience,
    broadcast_audience,
    cancelled,
    checked_broadcast_text,
    checked_text,
    taken,
)
from tws_tui.simulator.chat import SwitchChat

#: Seconds before a simulated colleague takes the operator's request.
TAKE_AFTER_S = 20.0

Listener = Callable[[AssistRequest], None]
BroadcastListener = Callable[[Broadcast], None]


class SwitchAssist:
    """Assistance requests on the simulated switch, listeners per user."""

    def __init__(self, chat: SwitchChat) -> None:
        self.chat = chat
        self.switch = chat.switch
        self.requests: dict[str, AssistRequest] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self.broadcasts: list[Broadcast] = []
        self._broadcast_listeners: dict[str, list[BroadcastListener]] = {}

    def listen(self, user: UserId, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each request ``user`` asked or was asked, as it changes."""
        self._listeners.setdefault(user, []).append(listener)
        return lambda: self._listeners.get(user, []).remove(listener)

    def _name(self, user: str) -> str:
        try:
            return self.switch.endpoint_of_user(user).name or user
        except NotFound:
            return user

    def _colleagues(self) -> list[str]:
        endpoints = sorted(
            (ep for ep in self.switch.endpoints.values() if ep.internal and ep.user_id),
            key=lambda ep: ep.extension or "",
        )
        return [str(ep.user_id) for ep in endpoints]

    def _changed(self, request: AssistRequest) -> AssistRequest:
        self.requests[request.id] = request
        for user in (request.requester, *request.audience):
            for listener in list(self._listeners.get(user, ())):
                listener(request)
        return request

    def ask(self, user: UserId, to: str, text: str) -> AssistRequest:
        """``user`` asks ``to`` (a colleague, a group of theirs, or everyone) for help."""
        line = checked_text(text)
        receivers = audience(to, user, self._colleagues(), self._members(user, to))
        if not receivers:
            raise NotFound(N_("Nobody to ask for help there."))
        request = AssistRequest(
            f"sim-assist-{uuid.uuid4().hex}",
            user,
            to,
            line,
            self.switch.clock.now(),
            receivers,
            requester_name=self._name(user),
        )
        self._changed(request)
        if user == self.switch.operator.user_id:
            helper = receivers[0]
            self.switch.clock.call_later(
                TAKE_AFTER_S, lambda: self._colleague_takes(request.id, helper)
            )
        return request

    def _members(self, user: UserId, target: str) -> tuple[str, ...]:
        """The members of ``target`` when it is a chat group of ``user``'s (``NotFound`` for a
        group of others), else () once it is everyone or a colleague (``NotFound`` for an
        unknown one): what a help request or a broadcast to ``target`` may reach."""
        if target in self.chat.groups:
            members = self.chat.groups[target].members
            if user not in members:
                raise NotFound(N_("Unknown chat group: {group}"), group=target)
            return members
        if target != EVERYONE:
            self.switch.endpoint_of_user(target)  # NotFound for an unknown colleague
        return ()

    def _find(self, request_id: str) -> AssistRequest:
        request = self.requests.get(request_id)
        if request is None:
            raise NotFound(N_("No help request {request_id}"), request_id=request_id)
        return request

    def take(self, user: UserId, request_id: str) -> AssistRequest:
        request = self._find(request_id)
        at = self.switch.clock.now()
        return self._changed(taken(request, user, self._name(user), at))

    def cancel(self, user: UserId, request_id: str) -> AssistRequest:
        request = self._find(request_id)
        after = cancelled(request, user, self.switch.clock.now())
        return request if after == request else self._changed(after)

    def _colleague_takes(self, request_id: str, helper: str) -> None:
        request = self.requests.get(request_id)
        if request is not None and request.state is AssistState.OPEN:
            self.take(UserId(helper), request_id)

    def of(self, user: UserId) -> list[AssistRequest]:
        """The requests ``user`` asked or was asked, oldest first."""
        return [r for r in self.requests.values() if user == r.requester or user in r.audience]

    # ---- broadcasts (TWP-4.1) ---------------------------------------------------------------

    def listen_broadcasts(self, user: UserId, listener: BroadcastListener) -> Callable[[], None]:
        """Call ``listener`` with each broadcast ``user`` sends or receives."""
        self._broadcast_listeners.setdefault(user, []).append(listener)
        return lambda: self._broadcast_listeners.get(user, []).remove(listener)

    def broadcast(self, user: UserId, to: tuple[str, ...], text: str) -> Broadcast:
        """``user`` sends ``text`` to each of ``to`` (colleagues, groups of theirs, everyone)."""
        line = checked_broadcast_text(text)
        groups = {target: members for target in to if (members := self._members(user, target))}
        receivers = broadcast_audience(to, user, self._colleagues(), groups)
        if not receivers:
            raise NotFound(N_("Nobody to send the broadcast to."))
        sent = Broadcast(
            f"sim-broadcast-{uuid.uuid4().hex}",
            user,
            tuple(to),
            line,
            self.switch.clock.now(),
            receivers,
            sender_name=self._name(user),
        )
        self.broadcasts.append(sent)
        for member in (user, *receivers):
            for listener in list(self._broadcast_listeners.get(member, ())):
                listener(sent)
        return sent

    def broadcasts_of(self, user: UserId) -> list[Broadcast]:
        """The broadcasts ``user`` sent or received, oldest first."""
        return [b for b in self.broadcasts if user == b.sender or user in b.audience]
