"""Typed call-control errors, one class per RFC 9457 problem ``code`` of the CTI protocol.

Backends raise these; the UI turns them into a sentence for the operator (never a traceback).
Each error carries ``code`` (stable, machine-readable) and a human ``str()``.
"""

from __future__ import annotations


class CallControlError(Exception):
    """Base of every error a backend may raise to the UI."""

    code = "error"
    http_status = 500


class NotSupported(CallControlError):
    """The backend lacks the capability (raised at once, without I/O)."""

    code = "not_supported"
    http_status = 501


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


class InvalidDestination(CallControlError):
    code = "invalid_destination"
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
        PermissionDenied,
        BackendUnavailable,
        BackendTimeout,
    )
}
