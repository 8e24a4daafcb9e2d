"""The switch behind the reference server: the simulator, with several operators and voicemail.

Owns :class:`Pbx` (the switch, its clock and its optional traffic) and :class:`ServerSwitch`,
the simulator extended with what a multi-user server needs:

* :meth:`ServerSwitch.add_operator` turns an account's extension into an operator position
  (several calls at once, never auto-answering, never pushed queue calls, logged in to the
  switchboard queues) under the account's display name, the one its console, colleagues'
  consoles and the directory show; an extension the company does not have is added to it;
* voicemail deposits: a call answered by the voicemail machine after being forwarded from a
  colleague's phone is reported to the switch's ``voicemail_hooks`` (the simulator's own;
  the server keeps the message list).

The ``Pbx`` outlives the HTTP application that serves it, as a real PBX outlives its CTI
server: the tests restart the server over the same switch and check the client resyncs.
"""

from __future__ import annotations

import random

from tws_tui.core.clock import Clock, SystemClock
from tws_tui.core.model import AgentState
from tws_tui.simulator.base import Behaviour
from tws_tui.simulator.company import Person, generate_company
from tws_tui.simulator.entities import Endpoint
from tws_tui.simulator.switch import OPERATOR_QUEUES, Switch
from tws_tui.simulator.traffic import Traffic


class ServerSwitch(Switch):
    """The simulated switch with several operator positions and voicemail deposits."""

    def __init__(self, clock: Clock, seed: int, behaviour: Behaviour | None) -> None:
        rng = random.Random(seed)
        company = generate_company(random.Random(rng.random()))
        super().__init__(clock, rng, company=company, behaviour=behaviour)

    def add_operator(self, extension: str, name: str) -> Endpoint:
        """Make ``extension`` an operator position named ``name`` (the account's display
        name, shown to its user and to colleagues), adding the person when unknown."""
        with self._op():
            ep = self.by_extension.get(extension)
            if ep is None:
                first, _, last = name.partition(" ")
                # Not an operator yet: made one below, with the switchboard queues.
                self._add_person(Person(extension, first or name, last, "Accueil"), operator=False)
                ep = self.by_extension[extension]
            ep.name = name
            if not ep.operator:
                ep.operator = True
                for conn in ep.conns:
                    self._cancel(conn.timers, "answer")
                ep.home_queues = list(self.queues)
                ep.queues = [q for q in OPERATOR_QUEUES if q in self.queues]
                ep.agent = AgentState.READY if ep.queues else AgentState.LOGGED_OFF
            return ep


class Pbx:
    """The switch (and its traffic generator) a server drives."""

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        behaviour: Behaviour | None = None,
        traffic: bool = False,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.switch = ServerSwitch(self.clock, seed, behaviour)
        self.traffic = Traffic(self.switch, seed)
        self.traffic_enabled = traffic

    def start(self) -> None:
        """Start the traffic generator when asked (needs the running loop for a real clock)."""
        if self.traffic_enabled:
            self.traffic.start()

    def stop(self) -> None:
        self.traffic.stop()
        self.switch.shutdown()
