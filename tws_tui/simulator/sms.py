"""The simulated switch's SMS gateway: SMS to mobile numbers, their delivery reports, and a
reply now and then.

Deterministic: a delivery report comes ``REPORT_DELAY_S`` after sending, on the switch's
clock: ``FAILED`` for a number ending in ``FAILING_SUFFIX`` (a phone switched off for good),
``DELIVERED`` otherwise; the person answers (``REPLIES``, after ``REPLY_DELAY_S``) with a
probability ``REPLY_CHANCE`` drawn from the seeded generator. Each listener of a user hears
every SMS message of theirs (sent, its report with the same id, received), the conversation's
peer being ``sms:`` and the number.
"""

from __future__ import annotations

import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from tws_tui.core.model import ChatMessage, SmsDelivery, UserId
from tws_tui.domain.sms import check_sms_text, is_sms_peer, mobile_number, sms_number, sms_peer
from tws_tui.simulator.switch import Switch

#: Seconds between an SMS sent and its delivery report.
REPORT_DELAY_S = 3.0
#: A number ending so never gets its SMS (the report says failed).
FAILING_SUFFIX = "99"
#: How likely the person is to answer a delivered SMS, and after how long.
REPLY_CHANCE = 0.5
REPLY_DELAY_S = 30.0
REPLIES = ("Bien reçu, merci.", "OK, je rappelle dès que possible.", "Merci pour l'info !")

Listener = Callable[[ChatMessage], None]


class SmsGateway:
    """SMS conversations by (user, number), listeners per user."""

    def __init__(self, switch: Switch, seed: int = 0) -> None:
        self.switch = switch
        self.rng = random.Random(f"sms-{seed}")
        self._conversations: dict[tuple[str, str], deque[ChatMessage]] = {}
        self._listeners: dict[str, list[Listener]] = {}

    def listen(self, user: UserId, listener: Listener) -> Callable[[], None]:
        self._listeners.setdefault(user, []).append(listener)
        return lambda: self._listeners.get(user, []).remove(listener)

    def _keep(self, user: UserId, message: ChatMessage) -> None:
        kept = self._conversations.setdefault((user, message.peer), deque(maxlen=500))
        found = next((i for i, m in enumerate(kept) if m.id == message.id), None)
        if found is None:
            kept.append(message)
        else:
            kept[found] = message
        for listener in list(self._listeners.get(user, ())):
            listener(message)

    def send(self, user: UserId, number: str, text: str) -> ChatMessage:
        """Hand ``text`` to the gateway for the mobile ``number``; the report follows."""
        e164 = mobile_number(number)
        check_sms_text(text)
        mid = f"sim-sms-{uuid.uuid4().hex}"
        at = self.switch.clock.now()
        sent = ChatMessage(mid, UserId(sms_peer(e164)), user, text, at, delivery=SmsDelivery.SENT)
        self._keep(user, sent)
        answers = self.rng.random() < REPLY_CHANCE
        self.switch.clock.call_later(REPORT_DELAY_S, lambda: self._report(user, sent, answers))
        return sent

    def _report(self, user: UserId, sent: ChatMessage, answers: bool) -> None:
        failed = sms_number(sent.peer).endswith(FAILING_SUFFIX)
        state = SmsDelivery.FAILED if failed else SmsDelivery.DELIVERED
        self._keep(user, replace(sent, delivery=state))
        if not failed and answers:
            text = self.rng.choice(REPLIES)
            self.switch.clock.call_later(
                REPLY_DELAY_S, lambda: self._receive(user, sent.peer, text)
            )

    def receive(self, user: UserId, peer: UserId, text: str) -> ChatMessage:
        """An SMS from ``peer``'s number arrives for ``user``."""
        mid = f"sim-sms-{uuid.uuid4().hex}"
        message = ChatMessage(mid, peer, peer, text, self.switch.clock.now())
        self._keep(user, message)
        return message

    def _receive(self, user: UserId, peer: UserId, text: str) -> None:
        self.receive(user, peer, text)

    def conversation(self, user: UserId, peer: UserId, limit: int) -> list[ChatMessage]:
        return list(self._conversations.get((user, peer), ()))[-limit:]

    def recent(self, user: UserId, limit: int) -> list[ChatMessage]:
        mine = [m for (u, peer), kept in self._conversations.items() if u == user for m in kept]
        return sorted(mine, key=lambda m: m.at)[-limit:]

    @staticmethod
    def handles(peer: str) -> bool:
        return is_sms_peer(peer)
