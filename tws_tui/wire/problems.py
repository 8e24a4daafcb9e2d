"""RFC 9457 problem documents of the CTI protocol and their ``code`` ↔ typed errors.

Owns the error vocabulary on the wire: every error a server answers is
``application/problem+json`` with ``type`` (a stable URN per code), ``title``, ``status``,
``detail`` (English), ``instance`` and the stable ``code`` clients switch on, plus ``errors``
(JSON pointers) for a malformed request, and ``msgid`` with ``params``: the English message id
``detail`` was formatted from and its parameters, so that a client can show the sentence in
its own language (the console rebuilds the typed error with them; see
:meth:`tws_tui.core.errors.CallControlError.translated`). The core errors
(:mod:`tws_tui.core.errors`) keep their codes; the protocol adds the few that only HTTP needs
(authentication, malformed requests, idempotency key reuse, payload too large, sign-in
throttling), as subclasses
of ``CallControlError`` so that the console shows them like any other refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tws_tui.core.errors import (
    ERRORS_BY_CODE,
    CallControlError,
    InvalidState,
    PermissionDenied,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:tws-tui:cti:problem:"


class Unauthenticated(PermissionDenied):
    """No valid bearer token (missing, unknown, expired or revoked), or bad credentials."""

    code = "unauthenticated"
    http_status = 401


class InvalidRequest(CallControlError):
    """The request is malformed: bad JSON, unknown member, wrong type, bad parameter."""

    code = "invalid_request"
    http_status = 400


class PayloadTooLarge(InvalidRequest):
    code = "payload_too_large"
    http_status = 413


class UnsupportedMediaType(InvalidRequest):
    code = "unsupported_media_type"
    http_status = 415


class MethodNotAllowed(InvalidRequest):
    code = "method_not_allowed"
    http_status = 405


class TooManyRequests(PermissionDenied):
    """Too many failed sign-ins for this account or from this address: wait ``seconds``."""

    code = "too_many_requests"
    http_status = 429


class IdempotencyInFlight(InvalidState):
    """The same ``Idempotency-Key`` is still being processed."""

    code = "idempotency_in_flight"
    http_status = 409


class IdempotencyMismatch(InvalidRequest):
    """The ``Idempotency-Key`` was used before with another method, path or body."""

    code = "idempotency_mismatch"
    http_status = 422


PROTOCOL_ERRORS: tuple[type[CallControlError], ...] = (
    Unauthenticated,
    InvalidRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    IdempotencyInFlight,
    IdempotencyMismatch,
    TooManyRequests,
)
#: Every problem ``code`` of protocol v1 → the error class a client raises for it.
ERROR_CLASSES: Mapping[str, type[CallControlError]] = {
    **ERRORS_BY_CODE,
    **{cls.code: cls for cls in PROTOCOL_ERRORS},
}

TITLES: Mapping[str, str] = {
    "error": "Internal error",
    "not_supported": "Not supported by this server",
    "invalid_connection_state": "Not possible in the current state",
    "already_taken": "Already taken by somebody else",
    "not_found": "Not found",
    "invalid_destination": "Invalid destination",
    "invalid_value": "Invalid value",
    "forbidden": "Not allowed",
    "pbx_unavailable": "The switch is unavailable",
    "pbx_timeout": "The switch did not answer in time",
    "unauthenticated": "Authentication required",
    "invalid_request": "Malformed request",
    "payload_too_large": "Request body too large",
    "unsupported_media_type": "Unsupported media type",
    "method_not_allowed": "Method not allowed",
    "idempotency_in_flight": "A request with this Idempotency-Key is in progress",
    "idempotency_mismatch": "Idempotency-Key reused for another request",
    "too_many_requests": "Too many requests",
}


def problem(
    error: CallControlError,
    *,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """The problem document for a typed error."""
    code = error.code
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": TITLES.get(code, code.replace("_", " ").capitalize()),
        "status": error.http_status,
        "detail": str(error) or TITLES.get(code, code),
        "code": code,
    }
    if error.msgid:
        body["msgid"] = error.msgid
        body["params"] = dict(error.params)
    if instance is not None:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    if request_id is not None:
        body["request_id"] = request_id
    return body


def error_from_problem(status: int, body: Any) -> CallControlError:
    """The typed error a client raises for an error response (problem document or not)."""
    code = body.get("code") if isinstance(body, dict) else None
    detail = body.get("detail") if isinstance(body, dict) else None
    cls = ERROR_CLASSES.get(code) if isinstance(code, str) else None
    if cls is None:
        cls = _by_status(status)
    message = detail if isinstance(detail, str) and detail else f"HTTP {status}"
    error = _translatable(cls, body) or cls(message)
    if isinstance(code, str) and code != cls.code:
        error.code = code  # an unknown (newer) code is kept for logs
    return error


def _translatable(cls: type[CallControlError], body: Any) -> CallControlError | None:
    """The error rebuilt from the document's ``msgid`` and ``params`` (None if absent or bad)."""
    if not isinstance(body, dict):
        return None
    msgid, params = body.get("msgid"), body.get("params", {})
    if not isinstance(msgid, str) or not msgid or not isinstance(params, dict):
        return None
    if not all(isinstance(v, str | int | float | bool) for v in params.values()):
        return None
    error = cls(msgid, **{str(k): v for k, v in params.items()})
    detail = body.get("detail")
    return error if not isinstance(detail, str) or str(error) == detail else None


def _by_status(status: int) -> type[CallControlError]:
    from tws_tui.core.errors import BackendTimeout, BackendUnavailable, NotFound

    fallback: dict[int, type[CallControlError]] = {
        400: InvalidRequest,
        401: Unauthenticated,
        403: PermissionDenied,
        404: NotFound,
        409: InvalidState,
        413: PayloadTooLarge,
        415: UnsupportedMediaType,
        422: InvalidRequest,
        429: TooManyRequests,
        502: BackendUnavailable,
        503: BackendUnavailable,
        504: BackendTimeout,
    }
    return fallback.get(status, CallControlError)
