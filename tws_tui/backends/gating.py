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
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, Self, TypeVar, overload

from tws_tui.core.errors import N_, NotSupported
from tws_tui.core.model import Capability

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


def refusal(capability: Capability) -> NotSupported:
    """The error of a backend without ``capability``."""
    return NotSupported(
        N_("This phone system does not offer '{capability}'"), capability=capability
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
