"""Assistance requests (TWS-4.4) and broadcasts (TWP-4.1): the rules every layer shares, and
how they read.

Pure policy, no Textual. The simulated switch and the CTI server apply the same rules:
:func:`checked_text` (a short text, not empty, as :func:`tws_tui.domain.text.bounded_line`
checks it), :func:`taken` (the first receiver to say "I'm on it" has it; a later one is told
who has it) and :func:`cancelled` (only the requester, while nobody has taken it).
:func:`banner_lines` is what the console shows of the requests it knows, in the current
language: the ones asked of me still open first (with the key that takes them), then how my
own and the settled ones stand, for :data:`SETTLED_SHOWN_S` after.
A broadcast goes to the union of its targets (:func:`broadcast_audience`: colleagues, groups,
everyone) with a text of at most :data:`BROADCAST_TEXT_MAX`; :func:`broadcast_notice` is the
notice each receiver gets, and the sender's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from tws_tui.core.errors import N_, AlreadyTaken, InvalidState, PermissionDenied
from tws_tui.core.model import AssistRequest, AssistState, Broadcast, UserId
from tws_tui.domain.text import bounded_line, shown_literally
from tws_tui.platform.i18n import _, ngettext

#: ``to`` of a request put before every colleague (everyone available).
EVERYONE = "*"
#: Longest text of a request: it is a one-line cry for help, not a message.
ASSIST_TEXT_MAX = 200
#: How long a taken or cancelled request stays in the banner.
SETTLED_SHOWN_S = 120
#: Most lines the banner shows (the newest).
BANNER_LINES = 3
#: Longest text of a broadcast.
BROADCAST_TEXT_MAX = 500


def checked_text(text: str) -> str:
    """The text of a request, one line, stripped; :class:`InvalidValue` when empty or long."""
    return bounded_line(
        text,
        ASSIST_TEXT_MAX,
        empty=N_("Say in a few words what you need help with."),
        too_long=N_("A help request has at most {most} characters ({n} typed)."),
    )


def taken(request: AssistRequest, user: str, name: str, at: datetime) -> AssistRequest:
    """``user`` (one of the receivers) takes ``request``: the first wins."""
    if user not in request.audience:
        raise PermissionDenied(N_("This help request was not asked of you."))
    if request.state is AssistState.TAKEN:
        raise AlreadyTaken(
            N_("{name} is already on this help request."),
            name=request.taken_by_name or str(request.taken_by),
        )
    if request.state is AssistState.CANCELLED:
        raise InvalidState(N_("This help request was cancelled."))
    return replace(
        request, state=AssistState.TAKEN, taken_by=UserId(user), taken_by_name=name, settled_at=at
    )


def cancelled(request: AssistRequest, user: str, at: datetime) -> AssistRequest:
    """The requester takes ``request`` back, while nobody has taken it."""
    if user != request.requester:
        raise PermissionDenied(N_("Only who asked for help may cancel the request."))
    if request.state is AssistState.TAKEN:
        raise AlreadyTaken(
            N_("{name} is already on this help request."),
            name=request.taken_by_name or str(request.taken_by),
        )
    if request.state is AssistState.CANCELLED:
        return request
    return replace(request, state=AssistState.CANCELLED, settled_at=at)


def audience(
    to: str, requester: str, everyone: Iterable[str], group: Iterable[str] = ()
) -> tuple[str, ...]:
    """Who a request is put before: everyone but the requester (``to`` is :data:`EVERYONE`),
    a group's other members, or the colleague ``to``."""
    if to == EVERYONE:
        chosen: Iterable[str] = everyone
    else:
        members = tuple(group)
        chosen = members if members else (to,)
    return tuple(dict.fromkeys(u for u in chosen if u and u != requester))


def open_for(requests: Iterable[AssistRequest], me: str) -> list[AssistRequest]:
    """The requests asked of ``me`` that nobody has taken yet, oldest first."""
    return [r for r in requests if r.state is AssistState.OPEN and me in r.audience]


def mine_open(requests: Iterable[AssistRequest], me: str) -> list[AssistRequest]:
    """My own requests nobody has taken yet, oldest first."""
    return [r for r in requests if r.state is AssistState.OPEN and r.requester == me]


def _shown(request: AssistRequest, me: str, now: datetime) -> bool:
    if me != request.requester and me not in request.audience:
        return False
    if request.state is AssistState.OPEN:
        return True
    settled = request.settled_at or request.at
    return now - settled <= timedelta(seconds=SETTLED_SHOWN_S)


def banner_line(request: AssistRequest, me: str, *, take_key: str, cancel_key: str) -> str:
    """One request as the banner says it to ``me``."""
    who = shown_literally(request.requester_name or str(request.requester))
    helper = shown_literally(request.taken_by_name or str(request.taken_by or ""))
    text = shown_literally(request.text)  # a colleague's words never drive the terminal
    mine = request.requester == me
    if request.state is AssistState.OPEN:
        if mine:
            return _("Your help request is waiting: {text}  [{key}] Cancel").format(
                text=text, key=cancel_key
            )
        return _("{who} asks for help: {text}  [{key}] I'm on it").format(
            who=who, text=text, key=take_key
        )
    if request.state is AssistState.TAKEN:
        if mine:
            return _("{helper} is on your help request: {text}").format(helper=helper, text=text)
        if request.taken_by == me:
            return _("You are helping {who}: {text}").format(who=who, text=text)
        return _("{helper} took {who}'s help request").format(helper=helper, who=who)
    if mine:
        return _("You cancelled your help request: {text}").format(text=text)
    return _("{who} cancelled their help request").format(who=who)


def banner_lines(
    requests: Iterable[AssistRequest],
    me: str,
    now: datetime,
    *,
    take_key: str,
    cancel_key: str,
) -> list[tuple[AssistState, bool, str]]:
    """The lines of the banner: (state, whether it is asked of me and open, text); open
    requests asked of me first (the oldest), then the newest of the others, newest last, at
    most :data:`BANNER_LINES` in all."""
    shown = [r for r in requests if _shown(r, me, now)]
    asked = [r for r in shown if r.state is AssistState.OPEN and r.requester != me]
    others = [r for r in shown if r not in asked]
    room = BANNER_LINES - min(len(asked), BANNER_LINES)
    chosen = [*asked[:BANNER_LINES], *(others[-room:] if room else ())]
    return [
        (r.state, r in asked, banner_line(r, me, take_key=take_key, cancel_key=cancel_key))
        for r in chosen
    ]


# ---- broadcasts (TWP-4.1) -------------------------------------------------------------------


def checked_broadcast_text(text: str) -> str:
    """The text of a broadcast, one line, stripped; :class:`InvalidValue` when empty or long."""
    return bounded_line(
        text,
        BROADCAST_TEXT_MAX,
        empty=N_("A broadcast needs a text."),
        too_long=N_("A broadcast has at most {most} characters ({n} typed)."),
    )


def broadcast_audience(
    to: Iterable[str], sender: str, everyone: Iterable[str], groups: Mapping[str, Iterable[str]]
) -> tuple[str, ...]:
    """Who a broadcast reaches: each target's people (everyone, a group's members, the
    colleague), once each, never the sender."""
    chosen: list[str] = []
    everybody = tuple(everyone)
    for target in to:
        if target == EVERYONE:
            chosen += everybody
        elif target in groups:
            chosen += groups[target]
        else:
            chosen.append(target)
    return tuple(dict.fromkeys(u for u in chosen if u and u != sender))


def broadcast_notice(broadcast: Broadcast, me: str) -> str:
    """The notice of a broadcast: what the receiver reads, or the sender's "sent to N"."""
    if broadcast.sender == me:
        n = len(broadcast.audience)
        return ngettext(
            "Broadcast sent to {n} colleague: {text}",
            "Broadcast sent to {n} colleagues: {text}",
            n,
        ).format(n=n, text=shown_literally(broadcast.text))
    who = shown_literally(broadcast.sender_name or str(broadcast.sender))
    return _("Broadcast from {who}: {text}").format(who=who, text=shown_literally(broadcast.text))


# ---- my log of them (TWS-4.1.1) --------------------------------------------------------------


def _log_state(request: AssistRequest, me: str) -> str:
    if request.state is AssistState.OPEN:
        return _("waiting")
    if request.state is AssistState.CANCELLED:
        return _("cancelled")
    if request.taken_by == me:
        return _("you took it")
    helper = shown_literally(request.taken_by_name or str(request.taken_by or ""))
    return _("{helper} took it").format(helper=helper)


def log_events(
    requests: Iterable[AssistRequest], broadcasts: Iterable[Broadcast], me: str
) -> list[tuple[datetime, str]]:
    """My help requests and broadcasts, sent and received, oldest first (TWS-4.1.1-2): (when,
    what and how a request stands) — entries of my ME log (``domain.me_log``)."""
    events: list[tuple[datetime, str]] = []
    for request in requests:
        text = shown_literally(request.text)
        if request.requester == me:
            what = _("You asked for help: {text}").format(text=text)
        else:
            who = shown_literally(request.requester_name or str(request.requester))
            what = _("{who} asked for help: {text}").format(who=who, text=text)
        events.append((request.at, f"‼ {what} — {_log_state(request, me)}"))
    for broadcast in broadcasts:
        events.append((broadcast.at, "✉ " + broadcast_notice(broadcast, me)))
    events.sort(key=lambda pair: pair[0])
    return events
