"""A text and its files in one chat message through the server (issue 15, TWS Caller
§4.3.5.3-4, §4.3.5.4): ``POST /v1/chat/file-messages``.

Owns the endpoint. One request carries the text (maybe empty) and 1 to
``domain.attachment_tags.MAX_FILES`` files, each base64 with its name, content type and tags;
the message stored and sent (``chat.message`` events) carries every file with its tags
(``ChatMessage.files``). Each file follows ``api_chat_files``' rules (a safe name, the content
type given or guessed, never empty, at most ``[chat] max_file_kb``: 413 naming the file), the
files of a message together at most ``MAX_TOTAL_MB`` (413 too); each tag
``attachment_tags.check_tag``'s (letters, digits and ``- _ . +``, at most 24 characters, 8 a
file; 400 saying what is wrong). Every file is checked before any is kept; a file kept is
taken away again when the message is refused. The bytes go to ``chat_files`` as a single
file's; a member of the conversation fetches each with ``GET /v1/chat/files/{file_id}``. Tags
are stored, not searched (TWS-4.3.5.4-3).
"""

from __future__ import annotations

import base64
import binascii
import secrets

from tws_tui.core.errors import N_, CallControlError, InvalidValue
from tws_tui.core.model import ChatAttachment, ChatMessage
from tws_tui.domain.attachment_tags import MAX_FILES, MAX_TOTAL_BYTES, MAX_TOTAL_MB, checked_tags
from tws_tui.domain.attachments import safe_file_name
from tws_tui.server.api_chat_files import FILE_PREFIX, content_type_of
from tws_tui.server.http import Ctx, Operation
from tws_tui.server.state import ServerConfig
from tws_tui.server.switchboard import MAX_CHAT_TEXT
from tws_tui.wire import bodies, routes
from tws_tui.wire.problems import PayloadTooLarge

#: What the JSON around the files' base64 may take: the text (UTF-8, escaped), and each
#: file's name, content type and tags.
_ENVELOPE = 6 * MAX_CHAT_TEXT + MAX_FILES * 8 * 1024 + 16 * 1024


def _total(config: ServerConfig) -> int:
    """The most bytes the files of one message may weigh on this server."""
    return min(MAX_TOTAL_BYTES, MAX_FILES * config.chat_file_max_bytes)


def upload_limit(config: ServerConfig) -> tuple[int, CallControlError]:
    """The largest body of a message with files (their base64, 4 bytes per 3, and the rest)."""
    refusal = PayloadTooLarge(
        N_("The files of a message weigh at most {most} MB in all."), most=MAX_TOTAL_MB
    )
    return 4 * -(-_total(config) // 3) + _ENVELOPE, refusal


def _decoded(item: bodies.ChatFileItem, config: ServerConfig) -> tuple[str, str, bytes]:
    """One file of the body: its safe name, content type and bytes, checked."""
    name = safe_file_name(item.name)
    try:
        data = base64.b64decode(item.data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidValue(N_("The data of {name} is not base64."), name=name) from None
    if not data:
        raise InvalidValue(N_("{name} is empty: nothing to send."), name=name)
    if len(data) > config.chat_file_max_bytes:
        raise PayloadTooLarge(
            N_("{name} is too large for the phone system: at most {most} KB."),
            name=name,
            most=max(1, config.chat_file_max_bytes // 1024),
        )
    return name, content_type_of(item.content_type, name), data


async def send_files(ctx: Ctx) -> ChatMessage:
    body: bodies.ChatFilesBody = ctx.body
    state, me = ctx.state, ctx.me
    if not body.files or len(body.files) > MAX_FILES:
        raise InvalidValue(N_("A message carries 1 to {most} files."), most=MAX_FILES)
    decoded = [(*_decoded(item, state.config), checked_tags(item.tags)) for item in body.files]
    if sum(len(data) for _name, _type, data, _tags in decoded) > _total(state.config):
        raise PayloadTooLarge(
            N_("The files of a message weigh at most {most} MB in all."), most=MAX_TOTAL_MB
        )
    key, _members = state.switchboard.conversation_of(me, body.to)
    kept: list[ChatAttachment] = []
    try:
        for name, content_type, data, tags in decoded:
            file_id = f"{FILE_PREFIX}{secrets.token_hex(12)}"
            state.store.add_chat_file(file_id, key, name, content_type, data)
            kept.append(ChatAttachment(file_id, name, len(data), content_type, tags))
        return state.switchboard.send_chat(
            me, body.to, body.text, state.pbx.clock.now(), files=tuple(kept)
        )
    except Exception:
        for attachment in kept:
            state.store.delete_chat_file(attachment.id)
        raise


TAG = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.CHAT_SEND_FILES, send_files,
              "Send a text (maybe empty) and 1 to 10 files (base64), each with its tags, as one"
              " message into a conversation I take part in; each file at most the server's"
              " [chat] max_file_kb, 20 MB in all (413 past either); the message, its files and"
              " their tags come as chat.message events; each file is fetched as a single one",
              TAG, response=ChatMessage, status=201, idempotency_key=True,
              body_limit_of=upload_limit, errors=(403, 413)),
)  # fmt: skip
