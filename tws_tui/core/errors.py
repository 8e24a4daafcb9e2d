"""Typed call-control errors, one class per RFC 9457 problem ``code`` of the CTI protocol.

Backends raise these; the UI turns them into a sentence for the operator (never a traceback).
Each error carries ``code`` (stable, machine-readable), an English message id ``msgid`` with
its ``params`` (``NotFound(N_("Unknown call: {call_id}"), call_id=...)``), and ``str()``, the
English sentence. The sentence is translated only where it is shown
(:func:`tws_tui.domain.format.describe_error`), so the core imports no translation machinery:
:func:`N_` here only marks a msgid for ``tools/update_catalogs.py``, which extracts every
``N_("…")`` of the package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: What an error parameter may be: it travels in problem documents as JSON.
Param = str | int | float | bool


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction into the catalogs; translated later, where it is shown."""
    return msgid


def _format(text: str, params: Mapping[str, Param]) -> str | None:
    """``text`` with its ``{name}`` fields filled; None when they do not match ``params``."""
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


class MessageError(Exception):
    """An error whose sentence is an English msgid with parameters, translated where shown.

    Parameters named in ``TRANSLATED_PARAMS`` are msgids themselves (``expected``: "an integer
    from {low} to {high}"): they are translated, and filled with the same parameters, before
    the sentence is."""

    TRANSLATED_PARAMS: frozenset[str] = frozenset({"expected", "why", "doc"})

    def __init__(self, msgid: str = "", /, **params: object) -> None:
        self.msgid = msgid
        self.params: dict[str, Param] = {
            key: value if isinstance(value, Param) else str(value) for key, value in params.items()
        }
        super().__init__(self.translated(lambda text: text))

    def translated(self, translate: Callable[[str], str]) -> str:
        """The sentence in the language of ``translate`` (English when it has no entry)."""
        if not self.msgid:
            return str(self) if self.args else ""
        params = dict(self.params)
        for name in self.TRANSLATED_PARAMS & params.keys():
            value = params[name]
            if isinstance(value, str) and value:
                params[name] = _format(translate(value), self.params) or value
        english = _format(self.msgid, params) or self.msgid
        return _format(translate(self.msgid), params) or english


class CallControlError(MessageError):
    """Base of every error a backend may raise to the UI."""

    code = "error"
    http_status = 500


class NotSupported(CallControlError):
    """The backend lacks the capability (raised at once, without I/O); ``feature`` names it
    in words, a msgid itself."""

    code = "not_supported"
    http_status = 501
    TRANSLATED_PARAMS = MessageError.TRANSLATED_PARAMS | {"feature"}


class InvalidState(CallControlError):
    """The object is not in a state that allows the request (CSTA stateIncompatibility)."""

    code = "invalid_connection_state"
    http_status = 409


class AlreadyTaken(CallControlError):
    """A queued or parked call was taken by somebody else first."""

    code = "already_taken"
    http_status = 409


class NotFound(CallControlError):
    code = "not_found"
    http_status = 404


class NotDelivered(NotFound):
    """A message sent that did not reach its recipient (a SIP MESSAGE answered 404 or 480):
    the console keeps it in the conversation marked failed with the reason, to send again,
    rather than handing its text back to the input. Its problem code is NotFound's."""


class InvalidDestination(CallControlError):
    code = "invalid_destination"
    http_status = 400


class InvalidValue(CallControlError, ValueError):
    """A value the request cannot take — typed by a user (an empty label, a paste) or a file or
    setting the phone system refuses (a greeting that is not a usable WAV, a PIN that is not 4
    to 8 digits…): the sentence says what is wrong; nothing was changed."""

    code = "invalid_value"
    http_status = 400


class PermissionDenied(CallControlError):
    code = "forbidden"
    http_status = 403


class BackendUnavailable(CallControlError):
    code = "pbx_unavailable"
    http_status = 503


class BackendTimeout(CallControlError):
    code = "pbx_timeout"
    http_status = 504


ERRORS_BY_CODE: dict[str, type[CallControlError]] = {
    cls.code: cls
    for cls in (
        CallControlError,
        NotSupported,
        InvalidState,
        AlreadyTaken,
        NotFound,
        InvalidDestination,
        InvalidValue,
        PermissionDenied,
        BackendUnavailable,
        BackendTimeout,
    )
}
