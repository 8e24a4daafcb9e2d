"""Assistance requests (issue 15, TWS-4.4) and broadcasts (TWP-4.1) on the server:
``/v1/assist/requests``, ``/v1/broadcasts``.

Owns the endpoints: a user asks a colleague, a chat group they are in, or everyone (``to``
``"*"``) for help with a short text (:func:`tws_tui.domain.assist.checked_text`: 400 when
empty or long); the request is kept in the store (table ``assist_requests``, its JSON wire form,
so a console started again lists it) and every party — the requester and each receiver — gets
an ``assist.request`` event. ``…/take`` is "I'm on it": the store settles a request once
(``UPDATE … WHERE state = 'open'``), so of two receivers the first wins on every instance and
the other gets 409 ``already_taken`` naming who has it; ``…/cancel`` is the requester's, while
it is open. ``GET`` lists the requests I asked or was asked among the last
:data:`KEPT_LISTED`, oldest first. A broadcast (``POST /v1/broadcasts``) goes to the union of
its targets — colleagues, chat groups of the sender's, everyone — kept (table ``broadcasts``)
and told as a ``broadcast`` event to the sender and each receiver; no conversation is made.
"""

from __future__ import annotations

import json
import uuid

from tws_tui.core.errors import N_, NotFound
from tws_tui.core.events import AssistEvent, BroadcastEvent
from tws_tui.core.model import AssistRequest, Broadcast, UserId
from tws_tui.domain.assist import (
    EVERYONE,
    audience,
    broadcast_audience,
    cancelled,
    checked_broadcast_text,
    checked_text,
    taken,
)
from tws_tui.server.accounts import Account
from tws_tui.server.http import Ctx, Operation
from tws_tui.server.state import ServerState
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import decode, encode

#: How many of the newest requests a listing looks through.
KEPT_LISTED = 500


def _json(request: AssistRequest) -> str:
    return json.dumps(encode(request), ensure_ascii=False, separators=(",", ":"))


def _load(state: ServerState, request_id: str) -> AssistRequest:
    raw = state.store.assist(request_id)
    if raw is None:
        raise NotFound(N_("No help request {request_id}"), request_id=request_id)
    request: AssistRequest = decode(AssistRequest, json.loads(raw))
    return request


def _publish(state: ServerState, request: AssistRequest) -> None:
    at = state.pbx.clock.now()
    for user_id in (request.requester, *request.audience):
        account = state.accounts.by_user_id(user_id)
        if account is not None:
            state.hub.publish(account.username, AssistEvent(at=at, request=request))


def _audience(state: ServerState, me: Account, to: str) -> tuple[str, ...]:
    if to == EVERYONE:
        everyone = [account.user_id for account in state.accounts.all()]
        return audience(to, me.user_id, everyone)
    _key, members = state.switchboard.conversation_of(me, to)  # 404 / 403 / 400 as chat's
    return audience(to, me.user_id, (), members)


async def ask(ctx: Ctx) -> AssistRequest:
    body: bodies.AssistAskBody = ctx.body
    text = checked_text(body.text)
    state, me = ctx.state, ctx.me
    receivers = _audience(state, me, body.to)
    if not receivers:
        raise NotFound(N_("Nobody to ask for help there."))
    request = AssistRequest(
        f"assist-{uuid.uuid4().hex}",
        UserId(me.user_id),
        body.to,
        text,
        state.pbx.clock.now(),
        receivers,
        requester_name=me.name,
    )
    state.store.add_assist(request.id, request.state.value, _json(request))
    _publish(state, request)
    return request


def _settle(ctx: Ctx, *, take: bool) -> AssistRequest:
    state, me = ctx.state, ctx.me
    request = _load(state, ctx.params["request_id"])
    now = state.pbx.clock.now()
    after = (
        taken(request, me.user_id, me.name, now) if take else cancelled(request, me.user_id, now)
    )
    if after == request:
        return request
    if not state.store.settle_assist(request.id, after.state.value, _json(after)):
        # Settled meanwhile (another receiver first): the rules say so in words.
        fresh = _load(state, request.id)
        if take:
            taken(fresh, me.user_id, me.name, now)
        else:
            cancelled(fresh, me.user_id, now)
        return fresh
    _publish(state, after)
    return after


async def take(ctx: Ctx) -> AssistRequest:
    return _settle(ctx, take=True)


async def cancel(ctx: Ctx) -> AssistRequest:
    return _settle(ctx, take=False)


async def listing(ctx: Ctx) -> bodies.AssistList:
    me = ctx.me.user_id
    requests = [
        decode(AssistRequest, json.loads(raw)) for raw in ctx.state.store.assists(KEPT_LISTED)
    ]
    mine = tuple(r for r in requests if me == r.requester or me in r.audience)
    return bodies.AssistList(mine)


async def send_broadcast(ctx: Ctx) -> Broadcast:
    body: bodies.BroadcastBody = ctx.body
    text = checked_broadcast_text(body.text)
    state, me = ctx.state, ctx.me
    groups: dict[str, list[str]] = {}
    for target in body.to:
        if target != EVERYONE:  # 404 / 403 / 400 as chat's; a group's members
            groups[target] = state.switchboard.conversation_of(me, target)[1]
    everyone = [account.user_id for account in state.accounts.all()]
    receivers = broadcast_audience(body.to, me.user_id, everyone, groups)
    if not receivers:
        raise NotFound(N_("Nobody to send the broadcast to."))
    sent = Broadcast(
        f"broadcast-{uuid.uuid4().hex}",
        UserId(me.user_id),
        tuple(body.to),
        text,
        state.pbx.clock.now(),
        receivers,
        sender_name=me.name,
    )
    state.store.add_broadcast(sent.id, json.dumps(encode(sent), ensure_ascii=False))
    for user_id in (sent.sender, *receivers):
        account = state.accounts.by_user_id(user_id)
        if account is not None:
            state.hub.publish(account.username, BroadcastEvent(at=sent.at, broadcast=sent))
    return sent


async def broadcasts(ctx: Ctx) -> bodies.BroadcastList:
    me = ctx.me.user_id
    kept = [decode(Broadcast, json.loads(raw)) for raw in ctx.state.store.broadcasts(KEPT_LISTED)]
    return bodies.BroadcastList(tuple(b for b in kept if me == b.sender or me in b.audience))


TAG = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.ASSIST_ASK, ask,
              "Ask a colleague, a chat group of mine or everyone (to: \"*\") for help; each"
              " of them and I get assist.request events as it is taken or cancelled", TAG,
              response=AssistRequest, status=201, idempotency_key=True),
    Operation(routes.ASSIST_LIST, listing,
              "The help requests I asked or was asked, oldest first", TAG,
              response=bodies.AssistList),
    Operation(routes.ASSIST_TAKE, take,
              "I'm on it: the first receiver to take a request has it (409 already_taken"
              " after)", TAG, response=AssistRequest),
    Operation(routes.ASSIST_CANCEL, cancel,
              "Take my own help request back while nobody has taken it", TAG,
              response=AssistRequest),
    Operation(routes.BROADCAST_SEND, send_broadcast,
              "One notification to colleagues, chat groups of mine or everyone (\"*\") at once:"
              " a broadcast event to each of them and to me, no conversation", TAG,
              response=Broadcast, status=201, idempotency_key=True),
    Operation(routes.BROADCASTS, broadcasts,
              "The broadcasts I sent or received, oldest first", TAG,
              response=bodies.BroadcastList),
)  # fmt: skip
