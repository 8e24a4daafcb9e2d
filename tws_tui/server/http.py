"""The HTTP plumbing shared by every endpoint: the operation table type and one dispatcher.

Owns :class:`Operation` (the route of :mod:`tws_tui.wire.routes` — method, path, body type —
with its handler, response type and summary: the one description of an endpoint, used both to
mount it and to write the OpenAPI document) and
:func:`dispatch`, which runs an operation: ``X-Request-Id``, bearer authentication, the body
(size limit, media type, JSON, strict decoding into the body class), path-parameter checks,
``Idempotency-Key`` replay, the command lock, then the answer — JSON, or an RFC 9457 problem
for every failure. Bad input never yields a traceback or a 500: a ``CallControlError`` keeps
its status, a malformed body is a 400 with the JSON pointer of the culprit, and anything
unexpected is logged and answered as a problem 500 without details.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import Response

from tws_tui.core.errors import CallControlError
from tws_tui.core.values import record_class, value_class
from tws_tui.server.idempotency import MAX_KEY_LENGTH, StoredResponse, fingerprint
from tws_tui.server.roles import audit, require_supervisor
from tws_tui.wire.codec import WireError, decode, encode
from tws_tui.wire.problems import (
    PROBLEM_CONTENT_TYPE,
    InvalidRequest,
    PayloadTooLarge,
    TooManyRequests,
    Unauthenticated,
    UnsupportedMediaType,
    problem,
)
from tws_tui.wire.routes import Route

if TYPE_CHECKING:
    from tws_tui.server.accounts import Account
    from tws_tui.server.state import ServerConfig, ServerState
    from tws_tui.server.tokens import Principal

log = logging.getLogger(__name__)

JSON = "application/json"
#: What a path parameter (an id) must match; the OpenAPI document states it.
ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}"
_ID = re.compile(ID_PATTERN)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}")
#: A number in a query string or a header: ASCII digits only (``str.isdigit`` takes ``²``),
#: and few of them (``int`` refuses more than 4 300 digits).
_DIGITS = re.compile(r"[0-9]{1,18}")

Handler = Callable[["Ctx"], Awaitable[Any]]
#: A body limit the server's settings give (a file sent in chat: ``[chat] max_file_kb``), with
#: the refusal past it, in the words of what is sent.
BodyLimit = Callable[["ServerConfig"], tuple[int, CallControlError]]


@value_class
class QueryParam:
    """One query parameter: what the handler reads (through :class:`Ctx`) and what the OpenAPI
    document states, from the same declaration."""

    name: str
    type: str  # "string" | "integer" | "boolean"
    description: str
    default: int | bool | None = None
    minimum: int = 0  # integers
    maximum: int = 0
    required: bool = False  # strings
    max_length: int = 200

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.type == "integer":
            out.update(minimum=self.minimum, maximum=self.maximum)
        elif self.type == "string":
            out.update(maxLength=self.max_length)
            if self.required:
                out.update(minLength=1)
        if self.default is not None:
            out["default"] = self.default
        return out


@value_class
class Operation:
    """One endpoint of the protocol: its route (:mod:`tws_tui.wire.routes`) and its handler."""

    route: Route
    handler: Handler
    summary: str
    tag: str
    response: Any = None  # a wire type, or bytes (of ``media_type``); None: 204 No Content
    media_type: str = JSON  # what the response is (``bytes`` ones: a recording's audio/wav)
    status: int = 200
    auth: bool = True
    query: tuple[QueryParam, ...] = ()
    idempotency_key: bool = False  # a POST that honours Idempotency-Key
    command: bool = False  # changes the switch: runs under the command lock
    stream: bool = False  # the SSE stream (documented, dispatched elsewhere)
    supervisor: bool = False  # a supervisor's right: 403 for an operator (server.roles)
    audited: bool = False  # written to the audit log when it succeeds
    errors: tuple[int, ...] = ()
    body_limit: int = 0  # the largest request body, bytes (0: the server's max_body_bytes)
    body_limit_of: BodyLimit | None = None  # or one the settings give, with its refusal

    @property
    def method(self) -> str:
        return self.route.method

    @property
    def path(self) -> str:
        return self.route.path

    @property
    def body(self) -> type | None:
        return self.route.body

    @property
    def operation_id(self) -> str:
        return self.handler.__name__.lstrip("_")


@record_class
class Ctx:
    """What a handler gets."""

    request: Request
    state: ServerState
    request_id: str
    account: Account | None = None
    principal: Principal | None = None
    body: Any = None
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def me(self) -> Account:
        assert self.account is not None
        return self.account

    def query_int(self, param: QueryParam) -> int:
        low, high = param.minimum, param.maximum
        raw = self.request.query_params.get(param.name)
        if raw is None:
            assert isinstance(param.default, int)
            return param.default
        raw = raw.strip()
        if not _DIGITS.fullmatch(raw) or not low <= int(raw) <= high:
            raise InvalidRequest(
                f"Query parameter {param.name!r} must be an integer from {low} to {high}"
            )
        return int(raw)

    def query_bool(self, param: QueryParam) -> bool:
        raw = self.request.query_params.get(param.name)
        if raw is None:
            return bool(param.default)
        if raw.lower() in ("true", "1", "yes"):
            return True
        if raw.lower() in ("false", "0", "no"):
            return False
        raise InvalidRequest(f"Query parameter {param.name!r} must be true or false")

    def query_str(self, param: QueryParam) -> str:
        name, required = param.name, param.required
        raw = self.request.query_params.get(name)
        if raw is None or (required and not raw.strip()):
            if required:
                raise InvalidRequest(f"Query parameter {name!r} is required")
            return ""
        if len(raw) > param.max_length:
            raise InvalidRequest(f"Query parameter {name!r} is longer than {param.max_length}")
        return raw


def json_response(
    value: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    body = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status, media_type=JSON, headers=dict(headers or {}))


def problem_response(
    error: CallControlError,
    *,
    instance: str | None,
    request_id: str | None,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    body = problem(error, instance=instance, errors=errors, request_id=request_id)
    headers = {}
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.params.get("seconds", 1))
    return Response(  # ASCII: whatever text a detail quotes, the document encodes
        json.dumps(body, ensure_ascii=True).encode("ascii"),
        status_code=error.http_status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def request_id_of(request: Request) -> str:
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.fullmatch(given) else f"r-{secrets.token_hex(6)}"


def authenticate(request: Request, state: ServerState) -> tuple[Principal, Account]:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("This request needs 'Authorization: Bearer <access token>'")
    state.sync_accounts()
    principal = state.tokens.verify(token.strip())
    account = state.accounts.get(principal.username)
    if account is None:
        raise Unauthenticated("This account no longer exists")
    return principal, account


async def read_body(
    request: Request, limit: int, too_large: CallControlError | None = None
) -> bytes:
    """The body, at most ``limit`` bytes (else ``too_large``, or a 413 saying the limit)."""
    refusal = too_large or PayloadTooLarge(f"The request body is larger than {limit} bytes")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not _DIGITS.fullmatch(declared):
            raise InvalidRequest("Bad Content-Length")
        if int(declared) > limit:
            raise refusal
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise refusal
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(raw: bytes, request: Request) -> Any:
    if not raw.strip():
        return None
    media = request.headers.get("content-type", JSON).split(";")[0].strip().lower()
    if media not in (JSON, "application/*+json") and not media.endswith("+json"):
        raise UnsupportedMediaType(f"Send JSON (Content-Type: {JSON}), not {media or 'nothing'}")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidRequest("The request body is not valid JSON") from None
    check_text(data)
    return data


def check_text(data: Any) -> None:
    """Refuse a JSON value holding a string that is not Unicode text (a lone surrogate such
    as ``"\\ud800"`` is valid JSON but cannot be stored, logged or sent back; a NUL character,
    which PostgreSQL's text cannot hold): a :class:`~tws_tui.wire.codec.WireError` naming the
    member, so a 400 with its pointer."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            if not _is_text(value):
                raise WireError(pointer, "not valid Unicode text (a lone surrogate)")
            if "\x00" in value:
                raise WireError(pointer, "a NUL character is not text")
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{index}", item) for index, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if not _is_text(key):
                    raise WireError(pointer, "a member name is not valid Unicode text")
                escaped = key.replace("~", "~0").replace("/", "~1")
                stack.append((f"{pointer}/{escaped}", item))


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_params(request: Request) -> dict[str, str]:
    params = {str(k): str(v) for k, v in request.path_params.items()}
    for name, value in params.items():
        if not _ID.fullmatch(value):
            raise InvalidRequest(f"Path parameter {name!r} is not a valid id: {value[:40]!r}")
    return params


class Relay(Protocol):
    """Where an API instance of the scaled mode sends the operations that need the switch
    (:class:`tws_tui.server.switch_link.SwitchLink`)."""

    def forwards(self, op: Operation) -> bool: ...

    async def forward(self, op: Operation, ctx: Ctx, raw: bytes) -> Response: ...


async def execute(op: Operation, ctx: Ctx, raw: bytes) -> Response:
    """Run the handler of ``op`` (a command under the switchboard's lock, its events stamped
    with the request id), write the audit log, and answer. Raises what the handler raises."""
    state = ctx.state
    if op.command and ctx.account is not None:
        async with state.switchboard.lock:
            with state.switchboard.command(ctx.account, ctx.request_id):
                result = await op.handler(ctx)
    else:
        result = await op.handler(ctx)
    if op.audited and ctx.account is not None:
        audit(state.store, ctx.account, op.operation_id, ctx.request.url.path, raw)
    if result is None:
        return Response(status_code=204)
    if isinstance(result, Response):  # bytes of their own type (a file sent in chat)
        return result
    if isinstance(result, bytes):
        return Response(result, status_code=op.status, media_type=op.media_type)
    return json_response(result, op.status)


def failure_response(error: Exception, method: str, instance: str, request_id: str) -> Response:
    """The problem answering ``error``: its own status for a ``CallControlError``, a 400 with
    the pointer for a bad body, a 500 without details (logged with its traceback) for a bug."""
    if isinstance(error, CallControlError):
        return problem_response(error, instance=instance, request_id=request_id)
    if isinstance(error, WireError):
        return problem_response(
            InvalidRequest(f"Bad request body: {error}"),
            instance=instance,
            request_id=request_id,
            errors=[{"pointer": error.pointer, "detail": error.detail}],
        )
    log.error("unexpected error in %s %s", method, instance, exc_info=error)
    return problem_response(
        CallControlError(f"Internal error ({type(error).__name__})"),
        instance=instance,
        request_id=request_id,
    )


async def dispatch(
    request: Request, op: Operation, state: ServerState, relay: Relay | None = None
) -> Response:
    """Run ``op`` for ``request``; always a response (JSON or problem), never an exception.
    With a ``relay`` (an API instance of the scaled mode), the operations it takes run on the
    switch process; authentication, the body's checks and idempotency stay here."""
    request_id = request_id_of(request)
    instance = request.url.path
    idempotency: tuple[str, str] | None = None
    response: Response
    try:
        ctx = Ctx(request, state, request_id)
        if op.auth:
            ctx.principal, ctx.account = authenticate(request, state)
            if op.supervisor:
                require_supervisor(ctx.account)
        if op.body_limit_of is not None:
            raw = await read_body(request, *op.body_limit_of(state.config))
        else:
            raw = await read_body(request, op.body_limit or state.config.max_body_bytes)
        ctx.params = check_params(request)
        data = parse_json(raw, request)
        if op.idempotency_key and ctx.account is not None:
            key = request.headers.get("idempotency-key")
            if key is not None:
                if not _KEY.fullmatch(key):
                    raise InvalidRequest(
                        "Idempotency-Key must be 1 to 255 visible ASCII characters"
                    )
                print_ = fingerprint(request.method, instance, raw)
                stored = state.idempotency.begin(ctx.account.username, key, print_)
                if stored is not None:
                    return _replay(stored, request_id)
                idempotency = (ctx.account.username, key)
        if op.body is not None:
            if data is None:
                raise InvalidRequest("This request needs a JSON body")
            ctx.body = decode(op.body, data, strict=True)
        elif data not in (None, {}):
            raise InvalidRequest("This request takes no body")
        if relay is not None and relay.forwards(op):
            response = await relay.forward(op, ctx, raw)
        else:
            response = await execute(op, ctx, raw)
    except Exception as error:  # every failure is answered as a problem
        response = failure_response(error, request.method, instance, request_id)
    if idempotency is not None:
        user, key = idempotency
        if response.status_code >= 500 or response.status_code == 401:
            state.idempotency.abort(user, key)
        else:
            stored = StoredResponse(
                response.status_code, bytes(response.body), response.media_type or JSON
            )
            state.idempotency.finish(user, key, stored)
    response.headers["X-Request-Id"] = request_id
    return response


def _replay(stored: StoredResponse, request_id: str) -> Response:
    response = Response(stored.body, status_code=stored.status, media_type=stored.media_type)
    if stored.status == 204:
        response = Response(status_code=204)
    response.headers["Idempotent-Replayed"] = "true"
    response.headers["X-Request-Id"] = request_id
    return response
