"""JSON wire form of the core model and events (CTI protocol v1), for server and client alike.

Owns the one mapping between Python values and JSON, driven by the type hints of the frozen
model classes, so a field added to the model travels without a line written here:

* value classes ↔ objects with the same snake_case member names; enums ↔ their values;
  ``datetime`` ↔ RFC 3339 strings in UTC (``2026-11-22T09:00:00.120000Z``); tuples and
  frozensets ↔ arrays (frozensets sorted, so the text is stable); mappings ↔ objects;
* :func:`decode` checks every type. ``strict=True`` (the server reading a request) refuses
  unknown members; the default (the client reading the server) ignores them, and turns an
  enum value it does not know into that enum's ``UNKNOWN`` member or drops it from a set, as
  protocol v1 is additive;
* events ↔ envelopes ``{"id", "type", "time", "data"}`` (:func:`encode_event`,
  :func:`decode_event`); ``type`` is ``call.<kind>`` for call events, else one of
  :data:`EVENT_TYPES`. Unknown types decode to ``None`` (ignored by clients).

A :class:`WireError` names the JSON pointer of the bad member and what was expected.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any, Union

from tws_tui.core.events import (
    AssistEvent,
    BroadcastEvent,
    CallEvent,
    CallEventKind,
    CallFlowEvent,
    ChatEvent,
    ChatGroupEvent,
    ChatReadEvent,
    CommentEvent,
    DeviceEvent,
    Event,
    HistoryEvent,
    OperatorEvent,
    ParkingEvent,
    ProfilesEvent,
    QueueEvent,
    SnapshotEvent,
    TransferEvent,
    VoicemailEvent,
    VoicemailSettingsEvent,
)

API_VERSION = "1.0"

#: Event type → class, for every event but call events (``call.<CallEventKind>``).
EVENT_TYPES: Mapping[str, type[Event]] = {
    "snapshot": SnapshotEvent,
    "transfer.updated": TransferEvent,
    "queue.updated": QueueEvent,
    "call_flow.updated": CallFlowEvent,
    "parking.updated": ParkingEvent,
    "device.updated": DeviceEvent,
    "me.updated": OperatorEvent,
    "history.created": HistoryEvent,
    "chat.message": ChatEvent,
    "chat.group": ChatGroupEvent,
    "chat.read": ChatReadEvent,
    "assist.request": AssistEvent,
    "broadcast": BroadcastEvent,
    "voicemail.updated": VoicemailEvent,
    "voicemail_settings.updated": VoicemailSettingsEvent,
    "comment.updated": CommentEvent,
    "profiles.updated": ProfilesEvent,
}
CALL_EVENT_PREFIX = "call."
#: Stream control events (no model event): the session ends, the switch link changed.
SESSION_EXPIRED = "session.expired"
SYSTEM_STATUS = "system.status"
_TYPE_OF: Mapping[type[Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}
_ENVELOPE_SKIP = frozenset({"at", "seq", "kind"})


class WireError(ValueError):
    """A JSON document that does not have the expected shape."""

    def __init__(self, pointer: str, detail: str) -> None:
        super().__init__(f"{pointer or '/'}: {detail}")
        self.pointer = pointer or "/"
        self.detail = detail


# ---- encoding -------------------------------------------------------------------------------


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode(value: Any) -> Any:
    """The JSON-able form of a model value (see the module docstring)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return format_time(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(encode(key)): encode(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        return sorted((encode(item) for item in value), key=str)
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    raise TypeError(f"cannot encode {type(value).__name__} for the wire")


# ---- decoding -------------------------------------------------------------------------------


@cache
def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a (value) class."""
    return typing.get_type_hints(cls)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), "an array" if isinstance(value, list) else "an object"
    )


def decode(tp: Any, data: Any, *, strict: bool = False, pointer: str = "") -> Any:
    """Build a value of type ``tp`` from its JSON form; :class:`WireError` when it is not one."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if tp is type(None):
        if data is not None:
            raise WireError(pointer, f"expected null, got {_kind(data)}")
        return None
    if origin in (Union, types.UnionType):
        return _decode_union(tp, data, strict, pointer)
    if isinstance(tp, typing.NewType):
        return decode(tp.__supertype__, data, strict=strict, pointer=pointer)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _decode_enum(tp, data, strict, pointer)
    if tp is bool:
        if not isinstance(data, bool):
            raise WireError(pointer, f"expected a boolean, got {_kind(data)}")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise WireError(pointer, f"expected an integer, got {_kind(data)}")
        return data
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise WireError(pointer, f"expected a number, got {_kind(data)}")
        return float(data)
    if tp is str:
        if not isinstance(data, str):
            raise WireError(pointer, f"expected a string, got {_kind(data)}")
        return data
    if tp is datetime:
        return _decode_time(data, pointer)
    if origin in (tuple, frozenset, list, set):
        return _decode_sequence(tp, origin, data, strict, pointer)
    if origin in (dict, Mapping) or tp in (dict, Mapping):
        return _decode_mapping(tp, data, strict, pointer)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_object(tp, data, strict, pointer)
    raise TypeError(f"no wire decoder for {tp!r}")


def _decode_union(tp: Any, data: Any, strict: bool, pointer: str) -> Any:
    options = typing.get_args(tp)
    if data is None:
        if type(None) in options:
            return None
        raise WireError(pointer, "must not be null")
    errors: list[WireError] = []
    for option in options:
        if option is type(None):
            continue
        try:
            return decode(option, data, strict=strict, pointer=pointer)
        except WireError as error:
            errors.append(error)
    raise errors[0]


def _decode_enum(tp: type[enum.Enum], data: Any, strict: bool, pointer: str) -> Any:
    if isinstance(data, str) and data in tp._value2member_map_:
        return tp(data)
    if not strict and isinstance(data, str) and "UNKNOWN" in tp.__members__:
        return tp.__members__["UNKNOWN"]
    allowed = ", ".join(str(m.value) for m in tp)
    raise WireError(pointer, f"expected one of {allowed}; got {data!r}")


def _decode_time(data: Any, pointer: str) -> datetime:
    if not isinstance(data, str):
        raise WireError(pointer, f"expected an RFC 3339 date-time string, got {_kind(data)}")
    try:
        moment = datetime.fromisoformat(data)
    except ValueError:
        raise WireError(pointer, f"expected an RFC 3339 date-time, got {data!r}") from None
    if moment.tzinfo is None:
        raise WireError(pointer, f"a date-time needs a time zone offset or Z, got {data!r}")
    try:  # 0001-01-01T00:00:00+14:00 parses, but is before year 1 in UTC
        moment.astimezone(UTC)
    except OverflowError:
        raise WireError(pointer, f"a date-time out of range, got {data!r}") from None
    return moment


def _decode_sequence(tp: Any, origin: Any, data: Any, strict: bool, pointer: str) -> Any:
    if not isinstance(data, list):
        raise WireError(pointer, f"expected an array, got {_kind(data)}")
    args = typing.get_args(tp)
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        if len(data) != len(args):
            raise WireError(pointer, f"expected an array of {len(args)} items, got {len(data)}")
        return tuple(
            decode(arg, item, strict=strict, pointer=f"{pointer}/{i}")
            for i, (arg, item) in enumerate(zip(args, data, strict=True))
        )
    item_type = args[0] if args else Any
    items = []
    for i, item in enumerate(data):
        try:
            items.append(decode(item_type, item, strict=strict, pointer=f"{pointer}/{i}"))
        except WireError:
            lenient_enum = isinstance(item_type, type) and issubclass(item_type, enum.Enum)
            if strict or not lenient_enum or not isinstance(item, str):
                raise  # an unknown enum value in a set of flags is dropped (additive v1)
    if origin is frozenset or origin is set:
        return frozenset(items)
    return tuple(items) if origin is tuple else items


def _decode_mapping(tp: Any, data: Any, strict: bool, pointer: str) -> dict[Any, Any]:
    if not isinstance(data, dict):
        raise WireError(pointer, f"expected an object, got {_kind(data)}")
    args = typing.get_args(tp) or (str, Any)
    key_type, value_type = args
    out = {}
    for key, value in data.items():
        where = f"{pointer}/{_escape(key)}"
        out[decode(key_type, key, strict=True, pointer=where)] = decode(
            value_type, value, strict=strict, pointer=where
        )
    return out


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _decode_object(tp: type, data: Any, strict: bool, pointer: str) -> Any:
    if not isinstance(data, dict):
        raise WireError(pointer, f"expected an object, got {_kind(data)}")
    specs = {f.name: f for f in dataclasses.fields(tp) if f.init}
    if strict:
        for key in data:
            if key not in specs:
                raise WireError(f"{pointer}/{_escape(key)}", "unknown member")
    types_ = hints(tp)
    kwargs = {}
    for name, spec in specs.items():
        if name not in data:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise WireError(f"{pointer}/{name}", "required member is missing")
            continue
        kwargs[name] = decode(types_[name], data[name], strict=strict, pointer=f"{pointer}/{name}")
    try:
        return tp(**kwargs)
    except (TypeError, ValueError) as error:
        raise WireError(pointer, str(error)) from None


# ---- events ---------------------------------------------------------------------------------


def event_type(event: Event) -> str:
    """The ``type`` of an event on the wire."""
    if isinstance(event, CallEvent):
        return CALL_EVENT_PREFIX + event.kind.value
    name = _TYPE_OF.get(type(event))
    if name is None:
        raise TypeError(f"{type(event).__name__} is not sent on the event stream")
    return name


def encode_event(event: Event, event_id: str | None) -> dict[str, Any]:
    """The envelope of ``event`` with its stream id."""
    data = {
        f.name: encode(getattr(event, f.name))
        for f in dataclasses.fields(event)
        if f.name not in _ENVELOPE_SKIP
    }
    return {"id": event_id, "type": event_type(event), "time": format_time(event.at), "data": data}


def event_class(type_name: str) -> tuple[type[Event], CallEventKind | None] | None:
    """The event class (and call event kind) of a wire ``type``; None when unknown."""
    if type_name.startswith(CALL_EVENT_PREFIX):
        kind = type_name.removeprefix(CALL_EVENT_PREFIX)
        if kind in CallEventKind._value2member_map_:
            return CallEvent, CallEventKind(kind)
        return None
    cls = EVENT_TYPES.get(type_name)
    return (cls, None) if cls is not None else None


def decode_event(envelope: Any) -> Event | None:
    """The event of an envelope; None for a type this client does not know (ignored)."""
    if not isinstance(envelope, dict):
        raise WireError("", f"an event envelope must be an object, got {_kind(envelope)}")
    type_name = envelope.get("type")
    if not isinstance(type_name, str):
        raise WireError("/type", "expected a string")
    found = event_class(type_name)
    if found is None:
        return None
    cls, kind = found
    data = envelope.get("data")
    if not isinstance(data, dict):
        raise WireError("/data", f"expected an object, got {_kind(data)}")
    event_id = envelope.get("id")
    payload = dict(data)
    payload["at"] = envelope.get("time")
    payload["seq"] = event_id if isinstance(event_id, str) else None
    if kind is not None:
        payload["kind"] = kind.value
    return typing.cast(Event, decode(cls, payload))
