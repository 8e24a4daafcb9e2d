"""Managing chat groups on the server (TWS-4.2, issue 15): rename a group, add members,
remove one, leave, delete it, beside ``GET``/``POST /v1/chat/groups`` in ``api_users``.
The rules (only the administrator renames, changes members or deletes, the next member
becomes administrator, the last one out deletes the group) are ``domain.chat_groups``'; every
member, old and new, gets a ``chat.group`` event, and the group's thread a notice per change
(``chat.message`` with ``notice``: joined, left, removed, renamed)."""

from __future__ import annotations

from tws_tui.core.model import ChatGroup
from tws_tui.server.http import Ctx, Operation
from tws_tui.wire import bodies, routes


async def rename_group(ctx: Ctx) -> ChatGroup:
    body: bodies.ChatGroupNameBody = ctx.body
    return ctx.state.switchboard.rename_group(ctx.me, ctx.params["group_id"], body.name)


async def add_members(ctx: Ctx) -> ChatGroup:
    body: bodies.ChatMembersBody = ctx.body
    return ctx.state.switchboard.add_group_members(ctx.me, ctx.params["group_id"], body.members)


async def remove_member(ctx: Ctx) -> ChatGroup:
    return ctx.state.switchboard.remove_group_member(
        ctx.me, ctx.params["group_id"], ctx.params["user_id"]
    )


async def leave_group(ctx: Ctx) -> None:
    ctx.state.switchboard.remove_group_member(ctx.me, ctx.params["group_id"], ctx.me.user_id)


async def delete_group(ctx: Ctx) -> None:
    ctx.state.switchboard.delete_group(ctx.me, ctx.params["group_id"])


DATA = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(
        routes.CHAT_RENAME_GROUP,
        rename_group,
        "Rename a chat group (its administrator only)",
        DATA,
        response=ChatGroup,
    ),
    Operation(
        routes.CHAT_ADD_MEMBERS,
        add_members,
        "Add members to a chat group (its administrator only)",
        DATA,
        response=ChatGroup,
    ),
    Operation(
        routes.CHAT_REMOVE_MEMBER,
        remove_member,
        "Remove a member from a chat group (its administrator only)",
        DATA,
        response=ChatGroup,
    ),
    Operation(
        routes.CHAT_LEAVE_GROUP,
        leave_group,
        "Leave a chat group (the next member becomes administrator; the last one out deletes"
        " it and its conversation)",
        DATA,
    ),
    Operation(
        routes.CHAT_DELETE_GROUP,
        delete_group,
        "Delete a chat group and its conversation (its administrator only); every member gets"
        " it gone",
        DATA,
    ),
)
