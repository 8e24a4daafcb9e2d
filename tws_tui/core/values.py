"""``@value_class``: a frozen dataclass whose ``__repr__``, ``__eq__`` and ``__hash__`` are shared.

``@value_class`` is ``@dataclass(frozen=True, slots=True)`` (``kw_only`` and ``slots`` may be
passed) with the same behaviour: frozen (:class:`dataclasses.FrozenInstanceError`),
:func:`dataclasses.replace`, :func:`dataclasses.fields`, ``__match_args__``, equality between
instances of exactly the same class over the fields with ``compare=True``, hashing, and the same
``Name(field=value, ...)`` repr.

Why: ``dataclasses`` writes the source of six methods for every frozen class and compiles it,
which is most of what creating the class costs (about 1 ms per class on a small machine, and
the model, events, settings and simulator declare some fifty of them at start-up). Here only
``__init__`` and the frozen ``__setattr__``/``__delattr__`` are generated; ``__repr__``,
``__eq__`` and ``__hash__`` are three functions common to every value class, which read the
fields through a per-class :func:`operator.attrgetter`.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")

# Class attributes set on each value class: the field names for the repr, and the key getters.
_REPR = "_value_repr_fields"
_EQ_KEY = "_value_eq_key"
_HASH_KEY = "_value_hash_key"


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _obj: ()
    getter = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (getter(obj),)
    return getter  # several names: attrgetter returns the tuple itself


@reprlib.recursive_repr()
def _value_repr(self: Any) -> str:
    cls = type(self)
    body = ", ".join(f"{name}={getattr(self, name)!r}" for name in getattr(cls, _REPR))
    return f"{cls.__qualname__}({body})"


def _value_eq(self: Any, other: object) -> Any:  # a bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    key: Callable[[Any], tuple[Any, ...]] = getattr(type(self), _EQ_KEY)
    return bool(key(self) == key(other))


def _value_hash(self: Any) -> int:
    key: Callable[[Any], tuple[Any, ...]] = getattr(type(self), _HASH_KEY)
    return hash(key(self))


_SHARED_METHODS = {"__repr__": _value_repr, "__eq__": _value_eq, "__hash__": _value_hash}


def _finish(cls: type[_T]) -> type[_T]:
    """Give the dataclass `cls` the shared repr, equality and hash, over its own fields."""
    specs = fields(cls)  # type: ignore[arg-type]  # cls is a dataclass by now
    compared = [spec.name for spec in specs if spec.compare]
    hashed = [spec.name for spec in specs if (spec.compare if spec.hash is None else spec.hash)]
    setattr(cls, _REPR, tuple(spec.name for spec in specs if spec.repr))
    setattr(cls, _EQ_KEY, staticmethod(_getter(compared)))
    setattr(cls, _HASH_KEY, staticmethod(_getter(hashed)))
    for name, method in _SHARED_METHODS.items():
        setattr(cls, name, method)
    return cls


@overload
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def value_class(cls: type[_T], /) -> type[_T]: ...


@overload
def value_class(*, kw_only: bool = False, slots: bool = True) -> Callable[[type[_T]], type[_T]]: ...


def value_class(
    cls: type[_T] | None = None, /, *, kw_only: bool = False, slots: bool = True
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """``@dataclass(frozen=True, slots=True)``; ``kw_only`` and ``slots`` as for ``dataclass``."""

    def wrap(cls: type[_T]) -> type[_T]:
        made = dataclass(frozen=True, slots=slots, kw_only=kw_only, repr=False, eq=False)(cls)
        return _finish(made)

    return wrap if cls is None else wrap(cls)
