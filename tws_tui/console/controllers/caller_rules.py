"""``CallerRules``: the active profile's rules that depend on the caller (issue 17; TWS
§6.10.6.1-6/-13, TWP §5.1.4), carried out by the console when a call rings at me — the phone
system's plain forwards cannot say "only external callers" or "only 06*".

For each call newly ringing at my line (not a queue's), the engine judges the active profile
for that caller; a winning rule on the caller is done here by deflecting the call: at once
(immediate), at once while I am on another call (when busy), or after its delay if the call
still rings (no answer), with a notice naming the rule. A rule without a caller condition is
the phone system's forward and is left to it; a masked number meets no caller rule.

A rule on one contact or a whole directory, included or excluded (TWS-6.10.6.1-13/-14),
needs to know who calls: the
caller's number is then looked up in the directories first (in the background, bounded like
the ringing banner's lookup), the contact found giving its name and directory; a caller the
lookup does not find is known by the name the phone system gave, in no directory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Action, Call, CallId, ConnectionState, ForwardKind
from tws_tui.core.protocols import CallControl
from tws_tui.domain.caller_id import REVERSE_LOOKUP_S
from tws_tui.domain.forwarding import DEFAULT_RING_TIME_S, destination_word
from tws_tui.domain.profiles import Rule, Verdict
from tws_tui.platform.i18n import _

#: Who calls as a rule on a contact or directory reads it: (directory source, name).
Known = tuple[str, str] | None
Judge = Callable[[str, Known], Verdict]


class CallerRules:
    def __init__(
        self, api: ConsoleApi, judge: Judge, wants_contact: Callable[[], bool] = lambda: False
    ) -> None:
        """``judge(caller, known)``: the active profile judged now for a call from ``caller``
        (``known``: its contact); ``wants_contact()``: whether a rule of the active profile is
        on a contact or a directory (then the caller is looked up first)."""
        self.api = api
        self.judge = judge
        self.wants_contact = wants_contact
        self._seen: set[CallId] = set()

    def calls_changed(self) -> None:
        ringing = self.api.state.ringing_calls()
        self._seen &= {c.call_id for c in self.api.state.calls.values()}
        for call in ringing:
            if call.call_id in self._seen:
                continue
            self._seen.add(call.call_id)
            caller = call.remote.number
            if call.queue is not None or not caller or Action.DEFLECT not in call.allowed:
                continue
            if self.wants_contact():
                self.api.run_background(partial(self._look_up, call), group="caller-rules")
            else:
                self._apply(call, None)

    async def _look_up(self, call: Call) -> None:
        """Who calls, from the directories, then the rules judged for them."""
        number = call.remote.number or ""
        known: Known = ("", call.remote.name) if call.remote.name else None
        directories = self.api.directories()
        if directories is not None:
            try:
                found = await asyncio.wait_for(directories.reverse(number), REVERSE_LOOKUP_S)
            except Exception:  # a slow or failing directory: known by the name given
                found = None
            if found is not None:
                known = (found.source, found.name)
        now = self.api.state.calls.get(call.call_id)
        if now is not None and now.state is ConnectionState.ALERTING:  # still ringing at me
            self._apply(call, known)

    def _apply(self, call: Call, known: Known) -> None:
        """The winners carried out, the immediate one first (whatever the rules' order)."""
        caller = call.remote.number or ""
        winners = self.judge(caller, known).winners
        for kind in ForwardKind:
            rule = winners.get(kind)
            if rule is None or not rule.by_caller:
                continue
            if self._carry_out(kind, rule, call_id=call.call_id, caller=caller):
                break

    def _carry_out(self, kind: ForwardKind, rule: Rule, *, call_id: CallId, caller: str) -> bool:
        """Deflect now or later as ``kind`` says; False when it does not apply (not busy)."""
        busy = self.api.state.active_call() is not None
        if kind is ForwardKind.UNCONDITIONAL or (kind is ForwardKind.BUSY and busy):
            self._deflect(call_id, caller, rule)
            return True
        if kind is ForwardKind.NO_ANSWER:
            delay = float(rule.ring_time_s or DEFAULT_RING_TIME_S)
            self.api.clock.call_later(delay, partial(self._if_ringing, call_id, caller, rule))
            return True
        return False

    def _if_ringing(self, call_id: CallId, caller: str, rule: Rule) -> None:
        call = self.api.state.calls.get(call_id)
        if call is not None and call.state is ConnectionState.ALERTING:
            self._deflect(call_id, caller, rule)

    def _deflect(self, call_id: CallId, caller: str, rule: Rule) -> None:
        destination = rule.destination
        where = destination_word(destination, self.api.calls.voicemail_number)
        said = _("Call from {number} forwarded to {where} by the rule {name!r}.").format(
            number=caller, where=where, name=rule.name
        )

        async def deflect(backend: CallControl) -> None:
            await backend.deflect(call_id, destination)  # a refusal is said by run_command
            self.api.notify(said, markup=False)

        self.api.run_command(deflect)
