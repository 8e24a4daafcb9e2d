"""Files sent in chat through the server (issue 15, TWS Caller §4.3): ``POST /v1/chat/files``
sends one into a conversation, ``GET /v1/chat/files/{file_id}`` gives its bytes back.

Owns the two endpoints and their rules. A file is sent into a conversation its sender takes
part in (a colleague, or a group they are a member of: 403 otherwise), at most the server's
``[chat] max_file_kb`` (``ServerConfig.chat_file_max_bytes``, 5 MiB by default; past it a
413 problem whose sentence says the limit, in the client's language through its ``msgid``),
never empty. Its name is made safe (``domain.attachments.safe_file_name``: the last part of
the name only, no control, format or separator character: ``../../etc/passwd\\x1b[2J`` is kept
as ``passwd[2J``); its content type is the one given when it is a plain ``type/subtype``
(400 otherwise), else guessed from the name, else ``application/octet-stream``.

The bytes are kept **in the store itself** (a BLOB in the SQLite file, ``bytea`` in
PostgreSQL: table ``chat_files``, the message's ``attachment`` column naming it), not in files
on disk: one backup of the store holds every message with its files; in the scaled mode every
API instance serves every file without a shared folder; a message taken back or a group
deleted takes its files with it in the same transaction. Files are small (the 5 MiB limit), so
the store does not suffer from them.

Only a member of the conversation gets a file back (403 for anyone else: the message, and
so its id, is only ever shown to its members — no endpoint lists files); it comes with its
content type, ``Content-Disposition: attachment`` (with its safe name) and ``nosniff``, so a
browser never renders it as a page.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
import secrets
from urllib.parse import quote

from starlette.responses import Response

from tws_tui.core.errors import N_, CallControlError, InvalidValue, NotFound, PermissionDenied
from tws_tui.core.model import ChatAttachment, ChatMessage
from tws_tui.domain.attachments import safe_file_name
from tws_tui.server.http import Ctx, Operation
from tws_tui.server.state import ServerConfig
from tws_tui.wire import bodies, routes
from tws_tui.wire.problems import PayloadTooLarge

FILE_PREFIX = "file-"
DEFAULT_TYPE = "application/octet-stream"
#: A content type as sent: ``type/subtype`` of RFC 6838's characters, no parameters.
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
#: What the JSON around the base64 may take (the name, the recipient, the content type).
_ENVELOPE = 16 * 1024


def too_large(config: ServerConfig) -> PayloadTooLarge:
    """The refusal of a file over the server's limit (413), saying the limit."""
    most = max(1, config.chat_file_max_bytes // 1024)
    return PayloadTooLarge(
        N_("This file is too large for the phone system: at most {most} KB."), most=most
    )


def upload_limit(config: ServerConfig) -> tuple[int, CallControlError]:
    """The largest body of an upload (the file base64, 4 bytes per 3, and its envelope)."""
    return 4 * -(-config.chat_file_max_bytes // 3) + _ENVELOPE, too_large(config)


def content_type_of(given: str, name: str) -> str:
    """The content type kept for a file ``name`` sent with ``given`` (may be empty)."""
    typed = given.strip().lower()
    if typed:
        if not _CONTENT_TYPE.fullmatch(typed):
            raise InvalidValue(
                N_("Not a content type (type/subtype): {value}"), value=given.strip()[:80]
            )
        return typed
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or DEFAULT_TYPE


async def send_file(ctx: Ctx) -> ChatMessage:
    body: bodies.ChatFileBody = ctx.body
    state, me = ctx.state, ctx.me
    try:
        data = base64.b64decode(body.data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidValue(N_("The file's data is not base64.")) from None
    if len(data) > state.config.chat_file_max_bytes:
        raise too_large(state.config)
    if not data:
        raise InvalidValue(N_("This file is empty: nothing to send."))
    name = safe_file_name(body.name)
    content_type = content_type_of(body.content_type, name)
    key, _members = state.switchboard.conversation_of(me, body.to)
    file_id = f"{FILE_PREFIX}{secrets.token_hex(12)}"
    state.store.add_chat_file(file_id, key, name, content_type, data)
    attachment = ChatAttachment(file_id, name, len(data), content_type)
    try:
        return state.switchboard.send_chat(
            me, body.to, name, state.pbx.clock.now(), attachment=attachment
        )
    except Exception:
        state.store.delete_chat_file(file_id)
        raise


async def chat_file(ctx: Ctx) -> Response:
    file_id = ctx.params["file_id"]
    found = ctx.state.store.chat_file(file_id)
    if found is None:
        raise NotFound(N_("No such file: {file}"), file=file_id)
    conversation, name, content_type, data = found
    if not ctx.state.switchboard.takes_part(ctx.me, conversation):
        raise PermissionDenied(N_("This file was not sent to you."))
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=content_type, headers=headers)


TAG = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.CHAT_SEND_FILE, send_file,
              "Send a file (base64) into a conversation I take part in, at most the server's"
              " [chat] max_file_kb (413 past it); its name is kept safe (no folder, no control"
              " character); the message (its text the name) comes as chat.message events",
              TAG, response=ChatMessage, status=201, idempotency_key=True,
              body_limit_of=upload_limit, errors=(403, 413)),
    Operation(routes.CHAT_FILE, chat_file,
              "A file sent in one of my conversations (403 for anyone else), with its content"
              " type, as an attachment", TAG, response=bytes,
              media_type=DEFAULT_TYPE, errors=(403, 404)),
)  # fmt: skip
