"""Forwarding done by the softphone itself (issue 17): what an incoming INVITE is answered.

Owns the operator's forwards as the user agent applies them (:class:`ForwardPlan`, an
immutable value the backend replaces whole when a forward or DND changes, so the SIP thread
reads a consistent one) and the pure decision for one INVITE (:func:`decide`), the same as
the simulated switch's routing:

* an unconditional forward: 302 Moved Temporarily now, Contact the destination;
* do-not-disturb: 302 to the DND forward when there is one, else to the busy forward, else
  486 Busy Here;
* busy (I am on a call or dialling) with a busy forward: 302 now; without: it rings (call
  waiting);
* a no-answer forward: it rings, and 302 after the ring time if it still rings.

A PBX that forwards does it better (also while the console is closed); this is for one that
does not. The destination is a number (``sip:<number>@<registrar domain>``) or a SIP address.
"""

from __future__ import annotations

from dataclasses import dataclass

#: What the no-answer forward waits when it was given no ring time.
DEFAULT_RING_TIME_S = 20.0


@dataclass(frozen=True)
class ForwardPlan:
    """The forwards that are on, and DND."""

    dnd: bool = False
    unconditional: str = ""
    busy: str = ""
    no_answer: str = ""
    dnd_to: str = ""  # the forward while do-not-disturb (ForwardKind.DND), before ``busy``
    ring_time_s: float = DEFAULT_RING_TIME_S


@dataclass(frozen=True)
class Verdict:
    """What to do with one incoming INVITE: ``code`` 0 rings it (then redirect to
    ``destination`` after ``after_s`` when that is set), 302 redirects it to ``destination``
    now, 486 refuses it. ``reason`` names the forward for the log and the call's cause."""

    code: int
    destination: str = ""
    after_s: float | None = None
    reason: str = ""


RING = Verdict(0)


def decide(plan: ForwardPlan, *, busy: bool) -> Verdict:
    """The answer to an INVITE arriving now, ``busy`` when I am on a call or dialling."""
    if plan.unconditional:
        return Verdict(302, plan.unconditional, reason="unconditional")
    if plan.dnd:
        if plan.dnd_to or plan.busy:
            return Verdict(302, plan.dnd_to or plan.busy, reason="dnd")
        return Verdict(486, reason="dnd")
    if busy and plan.busy:
        return Verdict(302, plan.busy, reason="busy")
    if plan.no_answer:
        return Verdict(0, plan.no_answer, after_s=plan.ring_time_s, reason="no_answer")
    return RING
