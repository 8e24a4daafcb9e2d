"""SMS through the server's simulated gateway (issue 15, TWS §3.14): ``/v1/sms/messages``
(``?number=`` for one conversation).

Owns the endpoints and the gateway: a user sends an SMS to a mobile number (anything else:
400, ``domain.sms.mobile_number``), the server keeps it in its store (table ``sms``, per user
and number, so it is there in every session) and tells the user's consoles as a
``chat.message`` event (peer ``sms:`` and the number). The gateway is the simulator's rules
(``simulator.sms``): a delivery report ``REPORT_DELAY_S`` later on the switch's clock (failed
for a number ending in ``FAILING_SUFFIX``), the same message id with its ``delivery`` changed;
the person answers the first SMS of a conversation, then the later ones with ``REPLY_CHANCE``
drawn from the server's seed (``Random`` of seed, user and count: no state to keep).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime
from typing import Any

from tws_tui.core.events import ChatEvent
from tws_tui.core.model import ChatMessage, SmsDelivery, UserId
from tws_tui.domain.sms import check_sms_text, mobile_number, sms_peer
from tws_tui.server.http import Ctx, Operation, QueryParam
from tws_tui.server.state import ServerState
from tws_tui.simulator.sms import (
    FAILING_SUFFIX,
    REPLIES,
    REPLY_CHANCE,
    REPLY_DELAY_S,
    REPORT_DELAY_S,
)
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import format_time

SMS_LIMIT = QueryParam("limit", "integer", "the last SMS, how many at most", 100, 1, 1000)
SMS_NUMBER = QueryParam("number", "string", "only the SMS with this mobile number", max_length=40)


def _message(state: ServerState, row: tuple[Any, ...]) -> ChatMessage:
    sms_id, username, number, mine, text, at, delivery = row
    account = state.accounts.get(str(username))
    me = UserId(account.user_id if account is not None else str(username))
    peer = UserId(sms_peer(str(number)))
    return ChatMessage(
        str(sms_id),
        peer,
        me if mine else peer,
        str(text),
        datetime.fromisoformat(str(at)),
        delivery=SmsDelivery(delivery) if delivery else None,
    )


def _keep(state: ServerState, username: str, number: str, mine: bool, text: str) -> ChatMessage:
    sms_id = f"sms-{uuid.uuid4().hex}"
    at = format_time(state.pbx.clock.now())
    delivery = SmsDelivery.SENT.value if mine else None
    state.store.add_sms(sms_id, username, number, mine, text, at, delivery)
    row = (sms_id, username, number, mine, text, at, delivery)
    message = _message(state, row)
    state.hub.publish(username, ChatEvent(at=message.at, message=message))
    return message


def _report(state: ServerState, username: str, sms_id: str, number: str, answers: bool) -> None:
    failed = number.endswith(FAILING_SUFFIX)
    delivery = SmsDelivery.FAILED if failed else SmsDelivery.DELIVERED
    row = state.store.set_sms_delivery(sms_id, delivery.value)
    if row is None:
        return
    message = _message(state, row)
    state.hub.publish(username, ChatEvent(at=message.at, message=message))
    if answers and not failed:
        text = random.Random(f"{state.config.seed}:{username}:{sms_id}").choice(REPLIES)
        state.pbx.clock.call_later(REPLY_DELAY_S, lambda: _received(state, username, number, text))


def _received(state: ServerState, username: str, number: str, text: str) -> None:
    _keep(state, username, number, False, text)


async def send_sms(ctx: Ctx) -> ChatMessage:
    body: bodies.SmsSendBody = ctx.body
    number = mobile_number(body.number)
    check_sms_text(body.text)
    state, username = ctx.state, ctx.me.username
    before = state.store.sms_messages(username, 1000, number)
    sent = _keep(state, username, number, True, body.text)
    draw = random.Random(f"{state.config.seed}:{username}:{len(before)}").random()
    answers = not before or draw < REPLY_CHANCE
    state.pbx.clock.call_later(
        REPORT_DELAY_S, lambda: _report(state, username, sent.id, number, answers)
    )
    return sent


async def sms_recent(ctx: Ctx) -> bodies.ChatMessageList:
    typed = ctx.query_str(SMS_NUMBER)
    number = mobile_number(typed) if typed else None
    rows = ctx.state.store.sms_messages(ctx.me.username, ctx.query_int(SMS_LIMIT), number)
    return bodies.ChatMessageList(tuple(_message(ctx.state, row) for row in rows))


TAG = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.SMS_SEND, send_sms,
              "Send an SMS to a mobile number (400 otherwise) through the simulated gateway;"
              " its delivery report and any answer come as chat.message events", TAG,
              response=ChatMessage, status=201, idempotency_key=True),
    Operation(routes.SMS_RECENT, sms_recent,
              "My last SMS, sent and received (with one mobile number: ?number=), oldest first",
              TAG, response=bodies.ChatMessageList, query=(SMS_LIMIT, SMS_NUMBER)),
)  # fmt: skip
