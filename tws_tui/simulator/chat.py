"""Chat on the simulated switch: colleagues' 1:1 messages, kept by the switch, and colleagues
who answer the operator now and then.

``SwitchChat`` stores every conversation (by the two user ids) and tells each listener of the
user a message is for or from; a colleague the operator writes to answers after a few seconds
(the first message always, then with a seeded probability, ``ANSWER_CHANCE``), and
``colleague_writes`` is the traffic generator's "a colleague writes to the operator". Every
draw comes from one seeded ``random.Random`` and every delay from the switch's clock, so tests
replay exactly.
"""

from __future__ import annotations

import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from tws_tui.core.errors import N_, InvalidDestination
from tws_tui.core.model import ChatMessage, MessageSlip, UserId
from tws_tui.simulator.switch import Switch

#: How likely a colleague is to answer a message of the operator's (the first one of a
#: conversation is always answered).
ANSWER_CHANCE = 0.7
#: Seconds before a colleague answers (uniform between the two).
ANSWER_DELAY_S = (4.0, 20.0)
#: Longest message the simulated switch takes (the CTI server's limit).
MAX_TEXT = 4000
#: What simulated colleagues write (the company is French).
ANSWERS = (
    "D'accord, merci !",
    "Je le rappelle dans 5 minutes.",
    "Je suis en réunion, je te rappelle.",
    "Tu peux me le passer ?",
    "OK, c'est noté.",
)
OPENERS = (
    "Tu peux prendre mes appels jusqu'à 14 h ?",
    "Quelqu'un a demandé à me joindre ?",
    "Je suis absent cet après-midi, merci de prendre les messages.",
    "Le coursier est arrivé ?",
)

Listener = Callable[[ChatMessage], None]


class SwitchChat:
    """The switch's chat: conversations between users, listeners per user."""

    def __init__(self, switch: Switch, seed: int = 0) -> None:
        self.switch = switch
        self.rng = random.Random(seed)
        self._conversations: dict[tuple[str, str], deque[ChatMessage]] = {}
        self._listeners: dict[str, list[Listener]] = {}

    def listen(self, user: UserId, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each message for or from ``user`` (as ``user`` sees it)."""
        self._listeners.setdefault(user, []).append(listener)
        return lambda: self._listeners.get(user, []).remove(listener)

    def _key(self, a: str, b: str) -> tuple[str, str]:
        first, second = sorted((a, b))
        return first, second

    def send(
        self, sender: UserId, to: UserId, text: str, *, slip: MessageSlip | None = None
    ) -> ChatMessage:
        """Store and deliver one message (a slip's text may be empty); the sender's copy is
        returned."""
        if (not text.strip() and slip is None) or len(text) > MAX_TEXT:
            raise InvalidDestination(N_("A chat message has 1 to {most} characters"), most=MAX_TEXT)
        if to == sender:
            raise InvalidDestination(N_("A chat message needs another recipient than yourself"))
        self.switch.endpoint_of_user(to)  # NotFound for an unknown colleague
        at = self.switch.clock.now()
        mid = f"sim-chat-{uuid.uuid4().hex}"  # unique across runs: the console keeps them
        kept = self._conversations.setdefault(self._key(sender, to), deque(maxlen=500))
        kept.append(ChatMessage(mid, to, sender, text, at, slip))
        for user, peer in ((sender, to), (to, sender)):
            for listener in list(self._listeners.get(user, ())):
                listener(ChatMessage(mid, peer, sender, text, at, slip))
        first = len(kept) == 1
        if sender == self._operator() and (first or self.rng.random() < ANSWER_CHANCE):
            reply = self.rng.choice(ANSWERS)
            delay = self.rng.uniform(*ANSWER_DELAY_S)
            self.switch.clock.call_later(delay, lambda: self._answer(to, sender, reply))
        return ChatMessage(mid, to, sender, text, at, slip)

    def _answer(self, colleague: UserId, operator: UserId, text: str) -> None:
        self.send(colleague, operator, text)

    def conversation(self, user: UserId, peer: UserId, limit: int) -> list[ChatMessage]:
        """The conversation between ``user`` and ``peer`` as ``user`` sees it, oldest first."""
        kept = self._conversations.get(self._key(user, peer), deque())
        return [replace(m, peer=peer) for m in list(kept)[-limit:]]

    def recent(self, user: UserId, limit: int) -> list[ChatMessage]:
        """``user``'s last messages of every conversation, as ``user`` sees them, oldest first."""
        mine = [
            replace(m, peer=UserId(b if a == user else a))
            for (a, b), kept in self._conversations.items()
            if user in (a, b)
            for m in kept
        ]
        return sorted(mine, key=lambda m: m.at)[-limit:]

    def colleague_writes(self) -> ChatMessage | None:
        """A colleague (drawn from the seed) writes to the operator: the demo's chat traffic."""
        operator = self._operator()
        colleagues = [
            ep
            for ep in self.switch.endpoints.values()
            if ep.internal and ep.user_id is not None and ep.user_id != operator
        ]
        if not colleagues:
            return None
        colleague = self.rng.choice(colleagues)
        assert colleague.user_id is not None
        return self.send(colleague.user_id, operator, self.rng.choice(OPENERS))

    def _operator(self) -> UserId:
        user = self.switch.operator.user_id
        assert user is not None
        return user
