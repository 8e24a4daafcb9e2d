"""Capability gating for every backend: the one place that refuses what a backend cannot do.

A backend exposes ``capabilities`` (a frozenset of :class:`~tws_tui.core.model.Capability`);
a contract method whose capability is absent raises
:class:`~tws_tui.core.errors.NotSupported` at once, before any I/O, through :func:`check`.
Three ways to write a gated method, all typed so that ``mypy --strict`` keeps its signature:

* :func:`requires` decorates a method with a body: ``@requires(Capability.HOLD)``;
* :class:`Delegated` (``delegate(Capability.HOLD, Switch.hold)``) is a method that is one
  call of the backend's ``delegate_to`` object with the same arguments (the ``sim`` backend
  forwarding to the simulated switch);
* :class:`Refused` (``refuse(Capability.PARK, Switchboard.park)``) is a contract method that
  the backend never offers, typed by the contract's own declaration.

What a backend tells the console is gated the same way: :func:`restricted_call` (a call's
actions), :func:`restricted_queue` (a queue's forward rules) and :func:`restricted_snapshot`
(both, and call flows and pause reasons) keep only what its capabilities offer.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, overload

from tws_tui.core.allowed import restrict
from tws_tui.core.errors import N_, NotSupported
from tws_tui.core.model import Call, Capability, Queue, Snapshot

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Gated(Protocol):
    """A backend: what it can do."""

    @property
    def capabilities(self) -> frozenset[Capability]: ...


class Delegating(Gated, Protocol[T_co]):
    """A backend that forwards some methods to one object (the simulated switch)."""

    @property
    def delegate_to(self) -> T_co: ...


G = TypeVar("G", bound=Gated)


#: Each capability as the operator knows it, in a sentence's words (its id is for programs).
FEATURES: Mapping[Capability, str] = {
    Capability.MAKE_CALL: N_("outgoing calls"),
    Capability.ANSWER: N_("answering from the console"),
    Capability.HANGUP: N_("hanging up from the console"),
    Capability.CLEAR_CALL: N_("ending a call for everyone in it"),
    Capability.DROP_PARTICIPANT: N_("dropping one participant of a 3-way call"),
    Capability.HOLD: N_("call hold"),
    Capability.DEFLECT: N_("deflecting a ringing call"),
    Capability.BLIND_TRANSFER: N_("direct transfer"),
    Capability.ATTENDED_TRANSFER: N_("transfer after a consultation"),
    Capability.ALTERNATE: N_("switching between two calls"),
    Capability.CONFERENCE: N_("3-way calls"),
    Capability.PICKUP: N_("picking up a colleague's call"),
    Capability.PARK: N_("parking calls"),
    Capability.DTMF: N_("sending tones (DTMF)"),
    Capability.MUTE: N_("muting the microphone"),
    Capability.RECORD: N_("call recording"),
    Capability.HANDS_FREE: N_("hands-free"),
    Capability.QUEUES: N_("queues"),
    Capability.CALL_FLOWS: N_("day and night call flows"),
    Capability.QUEUE_RULES: N_("queue forwarding rules"),
    Capability.DND: N_("the do-not-disturb mode"),
    Capability.FORWARDING: N_("call forwarding"),
    Capability.FORWARDING_BY_PHONE: N_("call forwarding by this softphone"),
    Capability.PROFILES: N_("profiles"),
    Capability.PROFILE_RULES_ADVANCED: N_("advanced profile rules (TWS Rules)"),
    Capability.FORWARD_ANNOUNCEMENT: N_("an announcement played to the caller before a forward"),
    Capability.PRESENTED_NUMBER: N_("choosing the number callers see"),
    Capability.FORWARD_NOT_REACHABLE: N_("forwarding when my phone is not reachable"),
    Capability.FORWARD_DND: N_("forwarding while do not disturb"),
    Capability.FIND_ME: N_("simultaneous ring"),
    Capability.OTHERS_FEATURES: N_("changing a colleague's phone settings"),
    Capability.BLF: N_("colleagues' line states"),
    Capability.PRESENCE: N_("presence"),
    Capability.PRESENCE_SET: N_("changing my presence"),
    Capability.PRESENCE_CUSTOM: N_("presence states of my own"),
    Capability.AGENT: N_("queue agent states"),
    Capability.DIRECTORY: N_("directory search"),
    Capability.REVERSE_LOOKUP: N_("callers' names from the directory"),
    Capability.SHARED_LISTS: N_("shared contact lists"),
    Capability.SHARED_CONTACTS: N_("the public directory on the phone system"),
    Capability.HISTORY: N_("call history"),
    Capability.CHAT: N_("chat"),
    Capability.VOICEMAIL: N_("voicemail"),
    Capability.VOICEMAIL_MANAGE: N_("marking or deleting voicemail messages"),
    Capability.VOICEMAIL_AUDIO: N_("listening to voicemail messages here"),
    Capability.VOICEMAIL_SETTINGS: N_("setting the voicemail greetings, PIN and e-mail copy"),
    Capability.SHARED_COMMENTS: N_("sharing call comments with colleagues"),
    Capability.EVENT_REPLAY: N_("catching up on events after a reconnection"),
}


def refusal(capability: Capability) -> NotSupported:
    """The error of a backend without ``capability``: the feature in words (translated where
    shown), the capability's id beside it for logs and programs."""
    return NotSupported(
        N_("This phone system does not offer {feature}"),
        capability=capability,
        feature=FEATURES[capability],
    )


def check(backend: Gated, capability: Capability) -> None:
    """Raise ``NotSupported`` unless ``backend`` has ``capability``."""
    if capability not in backend.capabilities:
        raise refusal(capability)


def requires(
    capability: Capability,
) -> Callable[
    [Callable[Concatenate[G, P], Awaitable[R]]],
    Callable[Concatenate[G, P], Coroutine[Any, Any, R]],
]:
    """Decorate a backend method: ``NotSupported`` without ``capability``, else the method."""

    def decorate(
        method: Callable[Concatenate[G, P], Awaitable[R]],
    ) -> Callable[Concatenate[G, P], Coroutine[Any, Any, R]]:
        @functools.wraps(method)
        async def gated(backend: G, /, *args: P.args, **kwargs: P.kwargs) -> R:
            check(backend, capability)
            return await method(backend, *args, **kwargs)

        return gated

    return decorate


class Delegated(Generic[T, P, R]):
    """A gated method that calls ``target`` on the backend's ``delegate_to`` with its arguments."""

    def __init__(self, capability: Capability, target: Callable[Concatenate[T, P], R]) -> None:
        self.capability = capability
        self.target = target

    @overload
    def __get__(self, backend: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, backend: Delegating[T], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, R]]: ...
    def __get__(
        self, backend: Delegating[T] | None, owner: type[Any]
    ) -> Self | Callable[P, Coroutine[Any, Any, R]]:
        if backend is None:
            return self
        capability, target = self.capability, self.target

        async def delegated(*args: P.args, **kwargs: P.kwargs) -> R:
            check(backend, capability)
            return target(backend.delegate_to, *args, **kwargs)

        return delegated


def delegate(capability: Capability, target: Callable[Concatenate[T, P], R]) -> Delegated[T, P, R]:
    """``hold = delegate(Capability.HOLD, Switch.hold)``: see :class:`Delegated`."""
    return Delegated(capability, target)


class Refused(Generic[P, R]):
    """A contract method the backend never offers: it always raises ``NotSupported``."""

    def __init__(
        self, capability: Capability, contract: Callable[Concatenate[Any, P], Awaitable[R]]
    ) -> None:
        self.capability = capability
        self.contract = contract

    @overload
    def __get__(self, backend: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, backend: Gated, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, R]]: ...
    def __get__(
        self, backend: Gated | None, owner: type[Any]
    ) -> Self | Callable[P, Coroutine[Any, Any, R]]:
        if backend is None:
            return self
        capability = self.capability

        async def refused(*args: P.args, **kwargs: P.kwargs) -> R:
            raise refusal(capability)

        return refused


def refuse(
    capability: Capability, contract: Callable[Concatenate[Any, P], Awaitable[R]]
) -> Refused[P, R]:
    """``park = refuse(Capability.PARK, Switchboard.park)``: see :class:`Refused`."""
    return Refused(capability, contract)


def restricted_call(call: Call, capabilities: frozenset[Capability]) -> Call:
    """``call`` with only the actions ``capabilities`` offer."""
    return replace(call, allowed=restrict(call.allowed, capabilities))


def restricted_queue(queue: Queue, capabilities: frozenset[Capability]) -> Queue:
    """``queue`` without its forward rules unless ``capabilities`` offer ``QUEUE_RULES``."""
    if Capability.QUEUE_RULES in capabilities or not queue.forward_rules:
        return queue
    return replace(queue, forward_rules=())


def restricted_snapshot(snapshot: Snapshot, capabilities: frozenset[Capability]) -> Snapshot:
    """``snapshot`` as a backend with ``capabilities`` tells it: its calls and queues
    restricted, its call flows only with ``CALL_FLOWS``, its pause reasons only with
    ``AGENT``."""
    return replace(
        snapshot,
        calls=tuple(restricted_call(c, capabilities) for c in snapshot.calls),
        queues=tuple(restricted_queue(q, capabilities) for q in snapshot.queues),
        call_flows=snapshot.call_flows if Capability.CALL_FLOWS in capabilities else (),
        pause_reasons=snapshot.pause_reasons if Capability.AGENT in capabilities else (),
    )
