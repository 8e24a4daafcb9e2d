"""Commands between API instances and the switch process (scaled mode), over Redis.

Owns both ends of the command path:

* :class:`SwitchLink` (an API instance, the :class:`~.http.Relay` of :func:`~.http.dispatch`):
  an operation that needs the switch — every authenticated one but signing in and out and the
  capabilities — is checked here (authentication, body, idempotency) and then sent as one
  entry of the command stream ``<prefix>:cmd`` (XADD): the operation's id, the user, the path
  parameters, the query, the raw body, the request id, a reply key and a deadline. The answer
  (status, media type, body: the JSON result or the problem document) comes back on that
  request's own reply list (BLPOP), and is sent to the client as it is. No answer within
  ``command_timeout_s``: a 504 problem (``pbx_timeout``).
* :class:`CommandRunner` (the switch process): reads the command stream through the consumer
  group ``switch`` (a command sent while no switch runs is taken by the next one that starts),
  one command after the other, and runs each with the same code as the embedded server
  (:func:`~.http.execute`: the switchboard's lock, ownership checks, events stamped with the
  request id), and answers once the events it caused are in Redis (a client that reads its
  stream after the answer finds them); a command past its deadline (its client gave up) is
  dropped, not run. Because
  one switch decides every command in the order received, two operators answering the same
  queued call from two API instances get one winner and one ``already_taken``.

Signing in on an API instance attaches the account's position on the switch through the
internal operation ``attach`` before the tokens are given.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import logging
import secrets
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from starlette.requests import Request
from starlette.responses import Response

from tws_tui.core.errors import N_, BackendTimeout, BackendUnavailable
from tws_tui.server.http import Ctx, Operation, execute, failure_response
from tws_tui.server.stream_redis import Entries, Keys, StreamPublisher
from tws_tui.wire.codec import decode
from tws_tui.wire.problems import Unauthenticated

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from tws_tui.server.state import ServerState

log = logging.getLogger(__name__)

#: The operations an API instance answers itself (tokens and its own settings).
#: The headers of a switch's answer an API instance passes on (a file sent in chat's).
PASSED_HEADERS = frozenset({"content-disposition", "x-content-type-options"})
LOCAL_OPERATIONS = frozenset({"create_token", "revoke_token", "health", "capabilities"})
#: The internal operation that makes an account a monitored position on the switch.
ATTACH = "attach"
GROUP = "switch"
#: Commands kept in the stream (only its unread tail matters).
COMMANDS_KEPT = 10000
REPLY_TTL_S = 60


class SwitchLink:
    """An API instance's way to the switch: commands out, answers back."""

    def __init__(self, redis: Redis, keys: Keys, *, timeout_s: float, instance: str) -> None:
        self.redis = redis
        self.keys = keys
        self.timeout_s = timeout_s
        self.instance = instance
        self._numbers = itertools.count(1)

    def forwards(self, op: Operation) -> bool:
        return op.operation_id not in LOCAL_OPERATIONS

    async def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one command; the switch's answer (``status``, ``media_type``, ``body``)."""
        from redis.exceptions import RedisError

        request = f"{self.instance}-{next(self._numbers)}-{secrets.token_hex(4)}"
        reply_key = self.keys.reply(request)
        message = {
            **message,
            "reply": reply_key,
            "deadline_ms": int((time.time() + self.timeout_s) * 1000),
        }
        try:
            await self.redis.xadd(
                self.keys.commands,
                {"m": json.dumps(message, ensure_ascii=False)},
                maxlen=COMMANDS_KEPT,
                approximate=True,
            )
            answer = await self.redis.blpop([reply_key], timeout=self.timeout_s)
        except (RedisError, OSError) as error:
            raise BackendUnavailable(
                N_("The phone system cannot be reached: {error}"), error=str(error)
            ) from None
        if answer is None:
            raise BackendTimeout(
                N_("The phone system did not answer within {seconds} s"),
                seconds=round(self.timeout_s),
            )
        reply: dict[str, Any] = json.loads(answer[1])
        return reply

    async def forward(self, op: Operation, ctx: Ctx, raw: bytes) -> Response:
        request = ctx.request
        reply = await self.send(
            {
                "op": op.operation_id,
                "user": ctx.me.username,
                "request_id": ctx.request_id,
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "params": dict(ctx.params),
                "body": raw.decode("utf-8"),
            }
        )
        body = base64.b64decode(reply["body"])
        status = int(reply["status"])
        if status == 204:
            return Response(status_code=204)
        headers = {str(k): str(v) for k, v in dict(reply.get("headers") or {}).items()}
        return Response(body, status_code=status, media_type=reply["media_type"], headers=headers)

    async def attach(self, username: str, request_id: str) -> None:
        """Make ``username``'s position monitored on the switch (at sign-in)."""
        reply = await self.send({"op": ATTACH, "user": username, "request_id": request_id})
        if int(reply["status"]) >= 400:
            raise BackendUnavailable(N_("The phone system refused to attach {user}"), user=username)


class CommandRunner:
    """The switch's side: the command stream's consumer, one command at a time."""

    def __init__(
        self,
        state: ServerState,
        publisher: StreamPublisher,
        operations: Mapping[str, Operation],
        *,
        consumer: str,
        block_ms: int = 1000,
    ) -> None:
        self.state = state
        self.publisher = publisher
        self.redis = publisher.redis
        self.keys = publisher.keys
        self.operations = operations
        self.consumer = consumer
        self.block_ms = block_ms
        self.ran = 0
        self.stopping = False  # set by the switch before it cancels run()

    async def prepare(self) -> None:
        """The consumer group, made at the stream's start when new (a command sent before any
        switch ran is taken too)."""
        from redis.exceptions import ResponseError

        with contextlib.suppress(ResponseError):  # BUSYGROUP: it exists
            await self.redis.xgroup_create(self.keys.commands, GROUP, id="0", mkstream=True)

    async def run(self) -> None:
        from redis.exceptions import RedisError

        await self.prepare()
        while not self.stopping:
            try:
                found = cast(
                    "Entries",
                    await self.redis.xreadgroup(
                        GROUP,
                        self.consumer,
                        {self.keys.commands: ">"},
                        count=100,
                        block=self.block_ms,
                    ),
                )
            except (RedisError, OSError) as error:
                log.warning("cannot read the commands from Redis (%s): retrying", error)
                await asyncio.sleep(0.5)
                if "NOGROUP" in str(error):  # Redis restarted empty: the group again
                    with contextlib.suppress(RedisError, OSError):
                        await self.prepare()
                continue
            for _key, entries in found or ():
                for entry_id, fields in entries:
                    await self._run_one(fields)
                    with contextlib.suppress(RedisError, OSError):
                        await self.redis.xack(self.keys.commands, GROUP, entry_id)

    async def _run_one(self, fields: Mapping[bytes, bytes]) -> None:
        from redis.exceptions import RedisError

        try:
            message = json.loads(fields[b"m"])
            reply_key = str(message["reply"])
        except (KeyError, ValueError, TypeError):
            log.warning("a malformed command was dropped: %r", fields)
            return
        if int(message.get("deadline_ms", 0)) < time.time() * 1000:
            log.info("a command past its deadline was dropped: %s", message.get("op"))
            return
        response = await self.answer(message)
        await self.publisher.flushed()  # the events it caused are in Redis before its answer
        reply = {
            "status": response.status_code,
            "media_type": response.media_type,
            "body": base64.b64encode(bytes(response.body)).decode("ascii"),
            "headers": {k: v for k, v in response.headers.items() if k in PASSED_HEADERS},
        }
        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.lpush(reply_key, json.dumps(reply))
            pipe.expire(reply_key, REPLY_TTL_S)
            await pipe.execute()
        except (RedisError, OSError) as error:
            log.warning("cannot answer a command (%s)", error)
        self.ran += 1

    async def answer(self, message: Mapping[str, Any]) -> Response:
        """Run one command as the embedded server would; always a response."""
        state = self.state
        op_id = str(message.get("op", ""))
        path = str(message.get("path", "/"))
        request_id = str(message.get("request_id", ""))
        try:
            state.sync_accounts()
            account = state.accounts.get(str(message.get("user", "")))
            if account is None:
                raise Unauthenticated(N_("This account no longer exists"))
            if op_id == ATTACH:
                async with state.switchboard.lock:
                    state.switchboard.attach(account)
                self.publisher.changed(account.username)
                await self.publisher.flushed(snapshots=True)  # a stream may open at once
                return Response(status_code=204)
            op = self.operations.get(op_id)
            if op is None or op.stream:
                raise BackendUnavailable(N_("Unknown command {command}"), command=op_id)
            params = {str(k): str(v) for k, v in dict(message.get("params") or {}).items()}
            scope = {
                "type": "http",
                "method": str(message.get("method", op.method)),
                "path": path,
                "query_string": str(message.get("query", "")).encode(),
                "headers": [],
                "path_params": params,
            }
            raw = str(message.get("body", "")).encode("utf-8")
            ctx = Ctx(Request(scope), state, request_id, account=account, params=params)
            if op.body is not None:
                ctx.body = decode(op.body, json.loads(raw), strict=True)
            return await execute(op, ctx, raw)
        except Exception as error:  # answered as a problem, as dispatch does
            return failure_response(error, str(message.get("method", "")), path, request_id)
