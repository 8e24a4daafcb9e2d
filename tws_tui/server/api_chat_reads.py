"""Read state of conversations on the server (issue 15): a console says how far its user read
a conversation (``POST /v1/chat/conversations/{peer}/read``, kept in the store's
``chat_reads``, never backwards) and every member — the user's other consoles too — gets a
``chat.read`` event; ``GET .../reads`` is how far each of the others read it, for "seen"."""

from __future__ import annotations

from tws_tui.server.http import Ctx, Operation
from tws_tui.wire import bodies, routes


async def mark_read(ctx: Ctx) -> None:
    body: bodies.ChatReadBody = ctx.body
    ctx.state.switchboard.mark_chat_read(ctx.me, ctx.params["peer"], body.message_id)


async def reads(ctx: Ctx) -> bodies.ChatReadList:
    return bodies.ChatReadList(tuple(ctx.state.switchboard.chat_reads(ctx.me, ctx.params["peer"])))


DATA = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(
        routes.CHAT_MARK_READ,
        mark_read,
        "I read a conversation up to a message; its members get chat.read",
        DATA,
    ),
    Operation(
        routes.CHAT_READS,
        reads,
        "How far each of the others read a conversation",
        DATA,
        response=bodies.ChatReadList,
    ),
)
