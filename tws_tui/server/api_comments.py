"""Comments shared on a call (TWS-3.13): ``/v1/conversations/{id}/comments`` and
``/v1/comments/{id}``.

Owns the endpoints: a user reads or adds the comments of a call they saw — the switchboard
notes who saw each call (it rang at them, in a queue too, they answered it, it was transferred
to them: the same ``conversation_id``) in the store's ``call_parties`` — and edits only their
own (403 otherwise); a comment is deleted by its author or a supervisor
(:func:`~tws_tui.server.roles.may_delete_comment`; a supervisor deleting a colleague's is
written to the audit log), for everyone. ``GET /v1/me/comments`` gives the newest comments on
every call I saw (the console searches History by them); with ``q``, only those whose text has
its words (History's search asks for those it has no copy of). Comments are kept in the
server's store with ids that never repeat (``cm-<seq>``, AUTOINCREMENT); each addition, change
or deletion goes to every user who saw the call as a ``comment.updated`` event (a deleted one:
``deleted`` true, its text empty).
"""

from __future__ import annotations

from datetime import datetime

from tws_tui.core.events import CommentEvent
from tws_tui.core.model import CallComment, UserId
from tws_tui.domain.comments import check_comment
from tws_tui.domain.text import fold, words
from tws_tui.server.http import Ctx, Operation, QueryParam
from tws_tui.server.roles import audit, may_delete_comment
from tws_tui.simulator.call_comments import (
    comment_gone,
    not_a_call_of_yours,
    not_your_comment,
)
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import format_time

PREFIX = "cm-"
RECENT_LIMIT = QueryParam(
    "limit", "integer", "the newest comments on calls I saw, how many at most", 500, 1, 2000
)
SEARCHED = QueryParam(
    "q",
    "string",
    "only the comments whose text has every word of it, case and accents ignored",
    max_length=64,
)


def _comment(ctx: Ctx, seq: int, conversation: str, author: str, at: str, text: str,
             edited: bool, deleted: bool = False) -> CallComment:  # fmt: skip
    account = ctx.state.accounts.get(author)
    return CallComment(
        f"{PREFIX}{seq}",
        conversation,
        UserId(account.user_id if account is not None else author),
        account.name if account is not None else author,
        datetime.fromisoformat(at),
        text,
        edited,
        deleted,
    )


def _found(ctx: Ctx, comment_id: str) -> tuple[int, tuple[str, str, str, str, bool]]:
    """Comment ``cm-<seq>``'s seq and row; ``NotFound`` (said) when there is none."""
    digits = comment_id.removeprefix(PREFIX)
    found = (
        ctx.state.store.call_comment(int(digits))
        if comment_id.startswith(PREFIX) and digits.isascii() and digits.isdigit()
        else None
    )
    if found is None:
        raise comment_gone(comment_id)
    return int(digits), found


def _check_saw(ctx: Ctx, conversation: str) -> list[str]:
    parties = ctx.state.store.call_parties(conversation)
    if ctx.me.username not in parties:
        raise not_a_call_of_yours(conversation)
    return parties


def _tell(ctx: Ctx, comment: CallComment, parties: list[str]) -> None:
    event = CommentEvent(at=ctx.state.pbx.clock.now(), comment=comment)
    for username in parties:
        ctx.state.hub.publish(username, event)


async def call_comments(ctx: Ctx) -> bodies.CommentList:
    conversation = ctx.params["conversation_id"]
    _check_saw(ctx, conversation)
    rows = ctx.state.store.call_comments(conversation)
    return bodies.CommentList(
        tuple(
            _comment(ctx, seq, conversation, author, at, text, edited)
            for seq, author, at, text, edited in rows
        )
    )


async def add_call_comment(ctx: Ctx) -> CallComment:
    body: bodies.CommentBody = ctx.body
    conversation = ctx.params["conversation_id"]
    parties = _check_saw(ctx, conversation)
    text = check_comment(body.text)
    at = format_time(ctx.state.pbx.clock.now())
    seq = ctx.state.store.add_call_comment(conversation, ctx.me.username, at, text)
    comment = _comment(ctx, seq, conversation, ctx.me.username, at, text, False)
    _tell(ctx, comment, parties)
    return comment


async def edit_call_comment(ctx: Ctx) -> CallComment:
    body: bodies.CommentBody = ctx.body
    seq, (conversation, author, at, _text, _edited) = _found(ctx, ctx.params["comment_id"])
    if author != ctx.me.username:
        raise not_your_comment()
    text = check_comment(body.text)
    ctx.state.store.edit_call_comment(seq, text)
    comment = _comment(ctx, seq, conversation, author, at, text, True)
    _tell(ctx, comment, ctx.state.store.call_parties(conversation))
    return comment


async def delete_call_comment(ctx: Ctx) -> None:
    comment_id = ctx.params["comment_id"]
    seq, (conversation, author, at, _text, edited) = _found(ctx, comment_id)
    may_delete_comment(ctx.me, author)
    ctx.state.store.delete_call_comment(seq)
    if author != ctx.me.username:  # a supervisor's right, used on a colleague's comment
        audit(ctx.state.store, ctx.me, "delete_call_comment", f"/v1/comments/{comment_id}", b"")
    comment = _comment(ctx, seq, conversation, author, at, "", edited, deleted=True)
    _tell(ctx, comment, ctx.state.store.call_parties(conversation))


async def recent_call_comments(ctx: Ctx) -> bodies.CommentList:
    wanted = words(fold(ctx.query_str(SEARCHED)))
    rows = ctx.state.store.comments_seen_by(ctx.me.username, ctx.query_int(RECENT_LIMIT), wanted)
    return bodies.CommentList(
        tuple(
            _comment(ctx, seq, conversation, author, at, text, edited)
            for seq, conversation, author, at, text, edited in rows
        )
    )


TAG = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.CALL_COMMENTS, call_comments,
              "The comments shared on a call I saw, oldest first", TAG,
              response=bodies.CommentList),
    Operation(routes.ADD_CALL_COMMENT, add_call_comment,
              "Comment a call I saw: every user who saw it gets comment.updated", TAG,
              response=CallComment, status=201, idempotency_key=True),
    Operation(routes.EDIT_CALL_COMMENT, edit_call_comment,
              "Change one of my comments (marked edited); someone else's: 403", TAG,
              response=CallComment),
    Operation(routes.DELETE_CALL_COMMENT, delete_call_comment,
              "Delete a comment for everyone: its author, or a supervisor (audited); else 403."
              " Every user who saw the call gets comment.updated with deleted true", TAG),
    Operation(routes.RECENT_CALL_COMMENTS, recent_call_comments,
              "The newest comments on every call I saw, oldest first; with q, those whose"
              " text has its words (History's search)", TAG,
              response=bodies.CommentList, query=(RECENT_LIMIT, SEARCHED)),
)  # fmt: skip
