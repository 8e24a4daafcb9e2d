"""The desk protocol (version 1): what ``tws-tui dial``, ``events`` and ``status`` say to the
running console over its local socket, and what it answers. Field names are stable.

One JSON object per line (UTF-8, ``\\n`` at the end, at most :data:`MAX_LINE_BYTES` bytes a
line), one request per connection, then the replies:

``{"verb": "dial", "number": "tel:+33123456789"}``
    The console dials the number as F3 does. ``number`` is what a person or a link gives: a
    number with separators, a ``tel:`` URI or a ``sip:`` URI whose user part is a number; it is
    normalised as the dial field does (:mod:`tws_tui.desk.numbers`). One reply:
    ``{"ok": true, "verb": "dial", "version": 1, "result": "dialling", "number": "+33123456789",
    "call_id": "…", "state": "connected"}``.

``{"verb": "status"}``
    One reply: ``{"ok": true, "verb": "status", "version": 1, "link": "online", "presence":
    "available", "me": {…}, "calls": [{…}, …], "devices": [{…}, …]}``; ``me``, each call and
    each device (my colleagues: line state, presence) are the core's objects in the JSON of the
    CTI protocol (:mod:`tws_tui.wire.codec`); ``me`` is ``null`` before the console is signed in.

``{"verb": "events"}``
    A first reply ``{"ok": true, "verb": "events", "version": 1}``, then one line per event of
    the console, in the envelope of the CTI event stream: ``{"id", "type", "time", "data"}``
    with ``type`` one of ``call.<kind>`` (``call.delivered``, ``call.established``,
    ``call.connection_cleared``… the CSTA names of :class:`~tws_tui.core.events.CallEventKind`),
    ``transfer.updated``, ``queue.updated``, ``device.updated`` (a colleague's line and
    presence), ``me.updated`` (my presence, agent state, forwarding) and ``chat.message``. The
    stream lasts until the client closes its connection (seen at the next event) or the
    console quits; the end of the client's writing (``nc -U``) does not end it.

Every refusal is one reply ``{"ok": false, "verb": …, "error": CODE, "message": "…"}``
(``message`` in the console's language; ``verb`` null when the request had none), then the
console closes the connection. The codes are :class:`ErrorCode`: ``malformed`` (not a JSON
object, no verb, a field of the wrong type), ``too_long`` (a line over the limit),
``unknown_verb``, ``invalid_number``, ``not_connected`` (the console is not signed in),
``refused`` (the phone system or the console refused the call), ``timeout`` (the phone system
did not answer the dial in time, or no request line came within 10 s), ``not_allowed``
(another user's connection), ``overflow`` (an event stream not read fast enough: the console
drops it rather than keep the events).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from typing import Any

from tws_tui.core.values import value_class
from tws_tui.desk.numbers import dial_number
from tws_tui.platform.i18n import _

VERSION = 1
#: The longest request or reply line read, newline included (a status of a big company fits).
MAX_LINE_BYTES = 64 * 1024
#: The longest status reply a client reads: the devices of a large company.
MAX_REPLY_BYTES = 16 * 1024 * 1024


class Verb(enum.StrEnum):
    DIAL = "dial"
    STATUS = "status"
    EVENTS = "events"


class ErrorCode(enum.StrEnum):
    MALFORMED = "malformed"
    TOO_LONG = "too_long"
    UNKNOWN_VERB = "unknown_verb"
    INVALID_NUMBER = "invalid_number"
    NOT_CONNECTED = "not_connected"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    NOT_ALLOWED = "not_allowed"
    OVERFLOW = "overflow"


#: The event types the ``events`` verb streams (``call.*`` besides).
STREAMED_TYPES = frozenset(
    {"transfer.updated", "queue.updated", "device.updated", "me.updated", "chat.message"}
)


def streamed(event_type: str) -> bool:
    """Whether an event of this wire ``type`` goes to ``events`` clients."""
    return event_type.startswith("call.") or event_type in STREAMED_TYPES


class DeskError(Exception):
    """A request the console refuses: the code of the reply and its sentence."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@value_class
class Request:
    verb: Verb
    number: str = ""  # dial: the normalised number


def parse_request(line: bytes) -> Request:
    """The request of one line; :class:`DeskError` (with the reply's code) when it is not one."""
    if len(line) > MAX_LINE_BYTES:
        raise DeskError(
            ErrorCode.TOO_LONG,
            _("The request is longer than {limit} bytes.").format(limit=MAX_LINE_BYTES),
        )
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DeskError(ErrorCode.MALFORMED, _("The request is not a JSON object.")) from None
    if not isinstance(data, dict):
        raise DeskError(ErrorCode.MALFORMED, _("The request is not a JSON object."))
    verb = data.get("verb")
    if not isinstance(verb, str):
        raise DeskError(ErrorCode.MALFORMED, _("The request has no verb."))
    if verb not in Verb._value2member_map_:
        raise DeskError(
            ErrorCode.UNKNOWN_VERB,
            _("Unknown verb {verb!r}: expected one of {verbs}.").format(
                verb=verb[:40], verbs=", ".join(Verb)
            ),
        )
    if verb != Verb.DIAL:
        return Request(Verb(verb))
    number = data.get("number")
    if not isinstance(number, str):
        raise DeskError(ErrorCode.MALFORMED, _("A dial request needs a number (a string)."))
    try:
        return Request(Verb.DIAL, dial_number(number))
    except ValueError as error:
        raise DeskError(ErrorCode.INVALID_NUMBER, str(error)) from None


def verb_of(line: bytes) -> str | None:
    """The verb of a request line, when it has one, for the reply to a refused request."""
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    verb = data.get("verb") if isinstance(data, dict) else None
    return verb if isinstance(verb, str) and verb in Verb._value2member_map_ else None


def ok(verb: Verb, **fields: Any) -> dict[str, Any]:
    """A reply that says the request was done."""
    return {"ok": True, "verb": verb.value, "version": VERSION, **fields}


def refusal(verb: str | None, code: ErrorCode, message: str) -> dict[str, Any]:
    """A reply that says why the request was not done."""
    return {"ok": False, "verb": verb, "version": VERSION, "error": code.value, "message": message}


def encode_line(message: Mapping[str, Any]) -> bytes:
    """One line of the protocol: compact JSON, non-ASCII kept, ``\\n`` at the end."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode_line(line: bytes) -> dict[str, Any]:
    """A reply line as an object; :class:`DeskError` ``malformed`` when it is not one."""
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        raise DeskError(ErrorCode.MALFORMED, _("The console's reply is not a JSON object."))
    return data
