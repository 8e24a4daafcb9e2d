"""``@value_class`` and ``@record_class``: dataclasses that cost almost nothing to declare.

``@value_class`` behaves as ``@dataclass(frozen=True, slots=True)`` and ``@record_class`` as
``@dataclass`` (mutable, ``eq=True`` so unhashable): ``dataclasses.fields``, ``replace``,
``asdict``, ``__match_args__``, the ``Name(field=value, ...)`` repr, equality between instances
of exactly the same class over the fields with ``compare=True``, the same ``__init__``
(positional and keyword-only fields, defaults, ``default_factory``, ``init=False``,
``__post_init__``) and, for value classes, :class:`dataclasses.FrozenInstanceError` on
assignment and hashing. ``kw_only`` and ``slots`` may be passed as to ``dataclass``.

Why: ``dataclasses`` writes the source of several methods for every class and compiles it, about
a third of a millisecond each on a small machine; the model, events, settings and simulator
declare some sixty classes, which made that most of the console's own start-up time. Here
``dataclass`` only collects the fields (``init=False, repr=False, eq=False``, nothing
compiled); ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` are
functions shared by every class; and ``__init__`` is compiled the first time the class is
instantiated, so a class that start-up never builds never pays for it.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")

# Class attributes set on each class: the field names for the repr, and the key getters.
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


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _frozen_getstate(self: Any) -> list[Any]:
    return [getattr(self, spec.name) for spec in fields(self)]


def _frozen_setstate(self: Any, state: list[Any]) -> None:
    for spec, value in zip(fields(self), state, strict=True):
        object.__setattr__(self, spec.name, value)


def _init_source(cls: type) -> tuple[str, dict[str, Any]]:
    """The source of ``cls.__init__`` and the names it refers to, from the dataclass fields."""
    namespace: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": MISSING}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for spec in fields(cls):
        name = spec.name
        default, factory = f"_default_{name}", f"_factory_{name}"
        if spec.default is not MISSING:
            namespace[default] = spec.default
        if spec.default_factory is not MISSING:
            namespace[factory] = spec.default_factory
        if not spec.init:
            if spec.default_factory is not MISSING:
                body.append(f"_set(self, {name!r}, {factory}())")
            elif spec.default is not MISSING:
                body.append(f"_set(self, {name!r}, {default})")
            continue
        if spec.default is not MISSING:
            parameter = f"{name}={default}"
        elif spec.default_factory is not MISSING:
            parameter = f"{name}=_MISSING"
        else:
            parameter = name
        (keyword if spec.kw_only else positional).append(parameter)
        if spec.default_factory is not MISSING:
            body.append(f"_set(self, {name!r}, {factory}() if {name} is _MISSING else {name})")
        else:
            body.append(f"_set(self, {name!r}, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    parameters = ["self", *positional, *(["*", *keyword] if keyword else [])]
    body.append("return None")
    lines = [f"def __init__({', '.join(parameters)}):", *(f"    {line}" for line in body)]
    return "\n".join(lines), namespace


def _check_defaults_order(cls: type) -> None:
    """Raise the ``TypeError`` ``dataclass`` raises for a required field after a default."""
    seen_default = False
    for spec in fields(cls):
        if not spec.init or spec.kw_only:
            continue
        has_default = spec.default is not MISSING or spec.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
        seen_default = seen_default or has_default


def _set_methods(cls: type, methods: dict[str, Any]) -> None:
    for name, method in methods.items():
        setattr(cls, name, method)


def _install_lazy_init(cls: type) -> None:
    """Give `cls` an ``__init__`` that compiles the real one on first use, then runs it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        source, namespace = _init_source(cls)
        exec(source, namespace)  # our own generated source, as dataclasses does
        real = namespace["__init__"]
        real.__qualname__ = f"{cls.__qualname__}.__init__"
        _set_methods(cls, {"__init__": real})
        real(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    _set_methods(cls, {"__init__": __init__})


def _finish(cls: type[_T], *, frozen: bool, eq: bool) -> type[_T]:
    """Give the dataclass `cls` its lazy ``__init__`` and the shared methods, over its fields."""
    _check_defaults_order(cls)
    specs = fields(cls)  # type: ignore[arg-type]  # cls is a dataclass by now
    setattr(cls, _REPR, tuple(spec.name for spec in specs if spec.repr))
    _set_methods(cls, {"__repr__": _value_repr})
    _install_lazy_init(cls)
    if not eq:  # compared and hashed by identity, as ``dataclass(eq=False)``
        return cls
    compared = [spec.name for spec in specs if spec.compare]
    setattr(cls, _EQ_KEY, staticmethod(_getter(compared)))
    if not frozen:  # mutable and comparable: unhashable
        _set_methods(cls, {"__eq__": _value_eq, "__hash__": None})
        return cls
    hashed = [spec.name for spec in specs if (spec.compare if spec.hash is None else spec.hash)]
    setattr(cls, _HASH_KEY, staticmethod(_getter(hashed)))
    _set_methods(
        cls,
        {
            "__eq__": _value_eq,
            "__hash__": _value_hash,
            "__setattr__": _frozen_setattr,
            "__delattr__": _frozen_delattr,
        },
    )
    if "__slots__" in cls.__dict__:  # pickle and copy restore slots through setattr
        _set_methods(cls, {"__getstate__": _frozen_getstate, "__setstate__": _frozen_setstate})
    return cls


def _declare(
    cls: type[_T], *, frozen: bool, eq: bool = True, kw_only: bool, slots: bool
) -> type[_T]:
    # A class without a docstring would make ``dataclass`` build one from the signature.
    if not cls.__dict__.get("__doc__"):
        cls.__doc__ = cls.__name__
    made = dataclass(init=False, repr=False, eq=False, kw_only=kw_only, slots=slots)(cls)
    return _finish(made, frozen=frozen, eq=eq)


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
        return _declare(cls, frozen=True, kw_only=kw_only, slots=slots)

    return wrap if cls is None else wrap(cls)


@overload
@dataclass_transform(field_specifiers=(field, Field))
def record_class(cls: type[_T], /) -> type[_T]: ...


@overload
def record_class(
    *, eq: bool = True, kw_only: bool = False, slots: bool = False
) -> Callable[[type[_T]], type[_T]]: ...


def record_class(
    cls: type[_T] | None = None,
    /,
    *,
    eq: bool = True,
    kw_only: bool = False,
    slots: bool = False,
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """``@dataclass`` (mutable; ``eq``, ``kw_only`` and ``slots`` as for it)."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _declare(cls, frozen=False, eq=eq, kw_only=kw_only, slots=slots)

    return wrap if cls is None else wrap(cls)
