"""Session and user endpoints: tokens, health, capabilities, snapshot, my state and features,
supervised devices (BLF), directory, history, chat and voicemail."""

from __future__ import annotations

import asyncio
from datetime import datetime

from tws_tui.core.errors import N_, NotFound
from tws_tui.core.model import (
    ANSWERING_MACHINE,
    Capability,
    ChatGroup,
    ChatMessage,
    Contact,
    Forward,
    ForwardStep,
    OperatorState,
    Snapshot,
)
from tws_tui.domain.find_me import check_find_me
from tws_tui.server import directory
from tws_tui.server.accounts import Account, Role
from tws_tui.server.http import Ctx, Operation, QueryParam
from tws_tui.server.roles import audit_entries, check_destination, require_supervisor
from tws_tui.simulator.base import normalize_number
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import API_VERSION
from tws_tui.wire.problems import InvalidRequest, Unauthenticated

#: What the reference server offers (the simulator's features, plus replay, chat, voicemail);
#: its switch forwards calls itself, not the console.
SERVER_CAPABILITIES = frozenset(Capability) - {Capability.FORWARDING_BY_PHONE}
MAX_CLIENT_ID = 64
#: The query parameters (each read by its handler and documented from here).
DEVICES_Q = QueryParam("q", "string", "name contains, or exact extension")
SEARCH_Q = QueryParam("q", "string", "name, company, department or number")
SEARCH_LIMIT = QueryParam("limit", "integer", "how many at most", 20, 1, 500)
REVERSE_NUMBER = QueryParam("number", "string", "any format", required=True, max_length=40)
HISTORY_LIMIT = QueryParam("limit", "integer", "how many at most", 50, 1, 500)
MISSED_ONLY = QueryParam("missed_only", "boolean", "only missed calls", False)
AUDIT_LIMIT = QueryParam("limit", "integer", "the newest entries, how many at most", 100, 1, 1000)
CHAT_LIMIT = QueryParam("limit", "integer", "the last messages, how many at most", 100, 1, 1000)


def capabilities_of(account: Account) -> frozenset[Capability]:
    if account.role is Role.SUPERVISOR:
        return SERVER_CAPABILITIES
    return SERVER_CAPABILITIES - {Capability.OTHERS_FEATURES}


def _user(account: Account) -> bodies.UserInfo:
    return bodies.UserInfo(
        account.user_id, account.username, account.name, account.extension, account.role.value
    )


# ---- auth and session -----------------------------------------------------------------------


async def create_token(ctx: Ctx) -> bodies.TokenResponse:
    body: bodies.TokenRequest = ctx.body
    state = ctx.state
    client_id = (body.client_id or "tws-tui")[:MAX_CLIENT_ID]
    if body.grant_type == "password":
        if not body.username or body.password is None:
            raise InvalidRequest("grant_type password needs username and password")
        address = ctx.request.client.host if ctx.request.client else "?"
        state.throttle.check(body.username, address)  # before hashing: guessing costs nothing
        state.sync_accounts()  # the account commands may have changed it while the server runs
        async with state.hashing:  # each hash takes 128 MiB: a few at a time
            account = await asyncio.to_thread(
                state.accounts.authenticate, body.username, body.password
            )
        if account is None:
            state.throttle.failed(body.username, address)
            raise Unauthenticated(N_("Wrong user name or password"))
        state.throttle.succeeded(account.username)
        if state.attach_remote is not None:  # scaled mode: the switch is another process
            await state.attach_remote(account.username, ctx.request_id)
        else:
            async with state.switchboard.lock:
                state.switchboard.attach(account)
        tokens, closed = state.tokens.login(account.username, client_id)
        state.close_sessions(closed)
    elif body.grant_type == "refresh_token":
        if not body.refresh_token:
            raise InvalidRequest("grant_type refresh_token needs refresh_token")
        state.sync_accounts()
        username, tokens = state.tokens.refresh(body.refresh_token)
        found = state.accounts.get(username)
        if found is None:
            raise Unauthenticated(N_("This account no longer exists"))
        account = found
    else:
        raise InvalidRequest("grant_type must be password or refresh_token")
    return bodies.TokenResponse(
        tokens.access_token,
        "Bearer",
        tokens.expires_in,
        tokens.refresh_token,
        tokens.refresh_expires_in,
        _user(account),
    )


async def revoke_token(ctx: Ctx) -> None:
    assert ctx.principal is not None
    ctx.state.close_sessions({ctx.principal.session_id})


async def health(ctx: Ctx) -> bodies.Health:
    return bodies.Health("ok", ctx.state.hub.epoch, API_VERSION)


async def capabilities(ctx: Ctx) -> bodies.Capabilities:
    config = ctx.state.config
    caps = tuple(sorted(capabilities_of(ctx.me), key=str))
    return bodies.Capabilities(
        API_VERSION, caps, config.max_body_bytes, config.ring_size, config.heartbeat_s
    )


async def snapshot(ctx: Ctx) -> Snapshot:
    return ctx.state.switchboard.snapshot(ctx.me)


async def me(ctx: Ctx) -> OperatorState:
    return ctx.state.switchboard.snapshot(ctx.me).me


# ---- features and devices -------------------------------------------------------------------


async def set_presence(ctx: Ctx) -> None:
    body: bodies.PresenceBody = ctx.body
    ctx.state.switchboard.set_presence(ctx.me, body.state, body.note, body.label)


async def set_presented_number(ctx: Ctx) -> None:
    body: bodies.PresentedNumberBody = ctx.body
    ctx.state.switchboard.set_presented_number(ctx.me, body.number)


async def set_dnd(ctx: Ctx) -> None:
    ctx.state.switchboard.set_dnd(ctx.me, ctx.params["user_id"], ctx.body.enabled)


async def get_forwards(ctx: Ctx) -> dict[str, Forward]:
    device = ctx.state.switchboard.target_user(ctx.me, ctx.params["user_id"])
    ep = ctx.state.switchboard.switch.endpoint(device)
    return {kind.value: forward for kind, forward in ep.forwards.items()}


async def set_forward(ctx: Ctx) -> None:
    forward: Forward = ctx.body
    # the answering machine (TWS-6.10.6.1-4) is the switch's own, no number to allow
    if forward.enabled and forward.destination and forward.destination != ANSWERING_MACHINE:
        check_destination(ctx.state.config.forward_destinations, forward.destination)
    ctx.state.switchboard.set_forward(ctx.me, ctx.params["user_id"], ctx.params["kind"], ctx.body)


async def set_find_me(ctx: Ctx) -> None:
    find_me = check_find_me(ctx.body)  # empty, letters, twice…: said as the console says it
    for number in find_me.numbers:
        check_destination(ctx.state.config.forward_destinations, number.number)
    ctx.state.switchboard.set_find_me(ctx.me, ctx.params["user_id"], find_me)


async def list_devices(ctx: Ctx) -> bodies.DeviceList:
    term = ctx.query_str(DEVICES_Q).casefold()
    devices = ctx.state.switchboard.snapshot(ctx.me).devices
    if term:
        devices = tuple(
            d for d in devices if term in d.name.casefold() or term == (d.extension or "")
        )
    return bodies.DeviceList(devices)


# ---- directory ------------------------------------------------------------------------------


async def search_directory(ctx: Ctx) -> bodies.ContactList:
    term = ctx.query_str(SEARCH_Q).strip().casefold()
    limit = ctx.query_int(SEARCH_LIMIT)
    entries = ctx.state.switchboard.directory()
    found = await asyncio.to_thread(directory.search, entries, term, limit)
    return bodies.ContactList(found)


async def reverse_lookup(ctx: Ctx) -> Contact:
    number = normalize_number(ctx.query_str(REVERSE_NUMBER))
    entries = ctx.state.switchboard.directory()
    found = await asyncio.to_thread(directory.reverse, entries, number)
    if found is None:
        raise NotFound(N_("Nobody known with the number {number}"), number=number)
    return found


async def shared_contacts(ctx: Ctx) -> bodies.ContactList:
    return bodies.ContactList(ctx.state.switchboard.shared_contacts())


async def add_contact(ctx: Ctx) -> Contact:
    return ctx.state.switchboard.add_contact(ctx.me, ctx.body)


def _may_change_contact(ctx: Ctx, contact_id: str) -> None:
    """An operator changes or deletes only the shared contacts they added (roles.py)."""
    creator = ctx.state.store.contact_creator(contact_id)
    if creator is not None and creator != ctx.me.username:
        require_supervisor(ctx.me)  # someone else's shared contact


async def update_contact(ctx: Ctx) -> Contact:
    contact_id = ctx.params["contact_id"]
    _may_change_contact(ctx, contact_id)
    return ctx.state.switchboard.update_contact(contact_id, ctx.body)


async def delete_contact(ctx: Ctx) -> None:
    contact_id = ctx.params["contact_id"]
    _may_change_contact(ctx, contact_id)
    ctx.state.switchboard.delete_contact(contact_id)


async def audit_log(ctx: Ctx) -> bodies.AuditList:
    return bodies.AuditList(tuple(audit_entries(ctx.state.store, ctx.query_int(AUDIT_LIMIT))))


# ---- history --------------------------------------------------------------------------------


async def history(ctx: Ctx) -> bodies.HistoryList:
    limit = ctx.query_int(HISTORY_LIMIT)
    missed_only = ctx.query_bool(MISSED_ONLY)
    return bodies.HistoryList(tuple(ctx.state.switchboard.history(ctx.me, limit, missed_only)))


async def history_seen(ctx: Ctx) -> None:
    ctx.state.store.mark_history_seen(ctx.me.username)


async def history_clear(ctx: Ctx) -> None:
    """Tools' "delete all my history": every call of mine the server keeps, and their
    comments (written to the audit log)."""
    ctx.state.store.clear_history(ctx.me.username)


async def history_comment(ctx: Ctx) -> None:
    ctx.state.switchboard.comment(ctx.me, ctx.params["entry_id"], ctx.body.text)


async def history_steps(ctx: Ctx) -> bodies.ForwardStepList:
    """What my forwards did to a call of my history (issue 17): the announcement the caller
    heard and for how long, then the number it went on to; [] for a call of mine they did
    nothing to; 404 for a call that was never mine (as every route naming an id)."""
    conversation = ctx.params["conversation_id"]
    rows = ctx.state.store.call_steps(ctx.me.username, conversation)
    if not rows and ctx.me.username not in ctx.state.store.call_parties(conversation):
        raise NotFound(N_("No call {conversation_id} in my history"), conversation_id=conversation)
    return bodies.ForwardStepList(
        tuple(ForwardStep(datetime.fromisoformat(at), w, d, s) for at, w, d, s in rows)
    )


# ---- chat and voicemail ---------------------------------------------------------------------


async def chat_send(ctx: Ctx) -> ChatMessage:
    body: bodies.ChatSendBody = ctx.body
    return ctx.state.switchboard.send_chat(
        ctx.me,
        body.to,
        body.text,
        ctx.state.pbx.clock.now(),
        slip=body.slip,
        reply_to=body.reply_to,
    )


async def chat_edit(ctx: Ctx) -> ChatMessage:
    body: bodies.ChatEditBody = ctx.body
    now = ctx.state.pbx.clock.now()
    return ctx.state.switchboard.change_chat(ctx.me, ctx.params["message_id"], body.text, now)


async def chat_delete(ctx: Ctx) -> None:
    now = ctx.state.pbx.clock.now()
    ctx.state.switchboard.change_chat(ctx.me, ctx.params["message_id"], None, now)


async def chat_recent(ctx: Ctx) -> bodies.ChatMessageList:
    limit = ctx.query_int(CHAT_LIMIT)
    return bodies.ChatMessageList(tuple(ctx.state.switchboard.recent_chat(ctx.me, limit)))


async def chat_conversation(ctx: Ctx) -> bodies.ChatMessageList:
    limit = ctx.query_int(CHAT_LIMIT)
    messages = ctx.state.switchboard.conversation(ctx.me, ctx.params["peer"], limit)
    return bodies.ChatMessageList(tuple(messages))


async def chat_groups(ctx: Ctx) -> bodies.ChatGroupList:
    return bodies.ChatGroupList(tuple(ctx.state.switchboard.groups_of(ctx.me)))


async def chat_create_group(ctx: Ctx) -> ChatGroup:
    body: bodies.ChatGroupBody = ctx.body
    return ctx.state.switchboard.create_group(ctx.me, body)


async def voicemail(ctx: Ctx) -> bodies.Voicemail:
    return ctx.state.switchboard.voicemail(ctx.me)


async def voicemail_mark(ctx: Ctx) -> None:
    body: bodies.HeardBody = ctx.body
    ctx.state.switchboard.mark_voicemail(ctx.me, ctx.params["message_id"], body.heard)


async def voicemail_delete(ctx: Ctx) -> None:
    ctx.state.switchboard.delete_voicemail(ctx.me, ctx.params["message_id"])


async def voicemail_audio(ctx: Ctx) -> bytes:
    return ctx.state.switchboard.voicemail_audio(ctx.me, ctx.params["message_id"])


AUTH = "Session"
ME = "Features"
DATA = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(
        routes.CREATE_TOKEN, create_token,
        "Sign in (grant_type password) or get a new access token (grant_type refresh_token)",
        AUTH, response=bodies.TokenResponse, auth=False,
    ),
    Operation(routes.REVOKE_TOKEN, revoke_token, "Sign out: revoke this session", AUTH),
    Operation(routes.HEALTH, health, "Liveness and the stream epoch", AUTH,
              response=bodies.Health, auth=False),
    Operation(routes.CAPABILITIES, capabilities, "What this server offers me", AUTH,
              response=bodies.Capabilities),
    Operation(routes.SNAPSHOT, snapshot, "My whole console (SnapshotDevice), with cursor",
              AUTH, response=Snapshot),
    Operation(routes.ME, me, "My operator state", ME, response=OperatorState),
    Operation(routes.SET_PRESENCE, set_presence, "Set my presence", ME,
              command=True),
    Operation(routes.SET_PRESENTED_NUMBER, set_presented_number,
              "The company number callers see by default (null: the switch's)", ME,
              command=True),
    Operation(routes.SET_DND, set_dnd, "Do not disturb (me, or anyone for a supervisor)", ME,
              command=True, audited=True),
    Operation(routes.GET_FORWARDS, get_forwards, "Forwards (me, or anyone for a supervisor)",
              ME, response=dict[str, Forward]),
    Operation(routes.SET_FORWARD, set_forward,
              "Set one forward: unconditional, busy, no_answer or not_reachable (allowed "
              "destinations only)",
              ME, command=True, audited=True),
    Operation(routes.SET_FIND_ME, set_find_me,
              "Simultaneous ring / find-me: the numbers my calls also ring on, all at once or "
              "one after the other (allowed destinations only)",
              ME, command=True, audited=True),
    Operation(routes.LIST_DEVICES, list_devices, "Supervised colleagues (BLF, presence)", ME,
              response=bodies.DeviceList,
              query=(DEVICES_Q,)),
    Operation(routes.SEARCH_DIRECTORY, search_directory, "Search the directory", DATA,
              response=bodies.ContactList,
              query=(SEARCH_Q, SEARCH_LIMIT)),
    Operation(routes.REVERSE_LOOKUP, reverse_lookup, "Who has this number", DATA,
              response=Contact, query=(REVERSE_NUMBER,)),
    Operation(routes.SHARED_CONTACTS, shared_contacts,
              "Every contact of the public directory (shared contacts)", DATA,
              response=bodies.ContactList),
    Operation(routes.ADD_CONTACT, add_contact, "Add a shared contact", DATA,
              response=Contact, status=201, idempotency_key=True),
    Operation(routes.UPDATE_CONTACT, update_contact,
              "Change a shared contact (mine; anyone's for a supervisor)", DATA,
              response=Contact, audited=True),
    Operation(routes.DELETE_CONTACT, delete_contact,
              "Delete a shared contact (mine; anyone's for a supervisor)", DATA, audited=True),
    Operation(routes.HISTORY, history, "My call history, newest first", DATA,
              response=bodies.HistoryList,
              query=(HISTORY_LIMIT, MISSED_ONLY)),
    Operation(routes.HISTORY_SEEN, history_seen, "Mark my missed calls seen", DATA),
    Operation(routes.HISTORY_CLEAR, history_clear,
              "Delete all my call history and its comments", DATA, audited=True),
    Operation(routes.HISTORY_STEPS, history_steps,
              "What my forwards did to a call of mine: announcement played, then forwarded",
              DATA, response=bodies.ForwardStepList),
    Operation(routes.HISTORY_COMMENT, history_comment,
              "Comment a history entry (empty text removes it)", DATA, ),
    Operation(routes.CHAT_SEND, chat_send,
              "Send a chat message (user or group); with a slip, a message taken for them",
              DATA, response=ChatMessage, status=201,
              idempotency_key=True),
    Operation(routes.CHAT_EDIT, chat_edit, "Change one of my messages (marked edited)", DATA,
              response=ChatMessage),
    Operation(routes.CHAT_DELETE, chat_delete,
              "Take one of my messages back (marked deleted, its text gone)", DATA),
    Operation(routes.CHAT_RECENT, chat_recent,
              "My last 1:1 messages, all conversations, oldest first", DATA,
              response=bodies.ChatMessageList, query=(CHAT_LIMIT,)),
    Operation(routes.CHAT_CONVERSATION, chat_conversation,
              "A conversation, oldest first", DATA, response=bodies.ChatMessageList,
              query=(CHAT_LIMIT,)),
    Operation(routes.CHAT_GROUPS, chat_groups, "My chat groups", DATA,
              response=bodies.ChatGroupList),
    Operation(routes.CHAT_CREATE_GROUP, chat_create_group, "Create a chat group", DATA,
              response=ChatGroup, status=201,
              idempotency_key=True),
    Operation(routes.VOICEMAIL, voicemail, "My voicemail messages, newest first", DATA,
              response=bodies.Voicemail),
    Operation(routes.VOICEMAIL_MARK, voicemail_mark,
              "Mark one of my voicemail messages heard (true) or new (false)", DATA),
    Operation(routes.VOICEMAIL_DELETE, voicemail_delete, "Delete one of my voicemail messages",
              DATA),
    Operation(routes.VOICEMAIL_AUDIO, voicemail_audio,
              "The recording of one of my voicemail messages (WAV)", DATA, response=bytes,
              media_type="audio/wav"),
    Operation(routes.AUDIT, audit_log, "The audit log of privileged actions (supervisor)",
              AUTH, response=bodies.AuditList, query=(AUDIT_LIMIT,), supervisor=True),
)  # fmt: skip
