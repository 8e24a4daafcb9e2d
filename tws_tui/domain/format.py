"""Words and symbols for what the console shows: parties, states, durations, errors.

Textual-free so that every screen, the help and the tests share one spelling. Colour is never
the only signal: each state has a word, and a single-width symbol beside it.
"""

from __future__ import annotations

import errno
import socket
import ssl
from datetime import datetime, timedelta

from rich.cells import cell_len

from tws_tui.core.errors import (
    AlreadyTaken,
    BackendTimeout,
    BackendUnavailable,
    CallControlError,
    InvalidDestination,
    InvalidState,
    MessageError,
    NotFound,
    NotSupported,
    PermissionDenied,
)
from tws_tui.core.events import LinkStatus
from tws_tui.core.model import (
    AgentState,
    Call,
    Cause,
    ConnectionState,
    LineState,
    Outcome,
    Party,
    PresenceState,
)
from tws_tui.platform.i18n import N_, _, labelled

PRESENCE_SYMBOL = {
    PresenceState.AVAILABLE: "●",
    PresenceState.AWAY: "◐",
    PresenceState.BUSY: "◉",
    PresenceState.OFFLINE: "○",
}
PRESENCE_WORD = {
    PresenceState.AVAILABLE: N_("Available"),
    PresenceState.AWAY: N_("Away"),
    PresenceState.BUSY: N_("Busy"),
    PresenceState.OFFLINE: N_("Appear offline"),
}
DND_SYMBOL = "⊘"
DND_WORD = N_("Do not disturb")
AGENT_WORD = {
    AgentState.LOGGED_OFF: N_("logged out"),
    AgentState.READY: N_("ready"),
    AgentState.NOT_READY: N_("paused"),
    AgentState.BUSY: N_("on a call"),
    AgentState.WORKING_AFTER_CALL: N_("after-call work"),
}


def agent_word(state: AgentState, reason: str | None = None) -> str:
    """``"paused (Lunch)"``: my agent state in words, with the pause reason when there is one."""
    word = _(AGENT_WORD[state])
    if state is AgentState.NOT_READY:
        return f"‖ {word} ({reason})" if reason else f"‖ {word}"
    return word


LINE_SYMBOL = {
    LineState.IDLE: "○",
    LineState.RINGING: "☎",
    LineState.DIALING: "↗",
    LineState.TALKING: "●",
    LineState.HOLD: "‖",
    LineState.UNAVAILABLE: "✕",
    LineState.UNKNOWN: "?",
}
LINE_WORD = {
    LineState.IDLE: N_("Free"),
    LineState.RINGING: N_("Ringing"),
    LineState.DIALING: N_("Dialling"),
    LineState.TALKING: N_("On a call"),
    LineState.HOLD: N_("On hold"),
    LineState.UNAVAILABLE: N_("Unavailable"),
    LineState.UNKNOWN: N_("Unknown"),
}

LINK_SYMBOL = {
    LinkStatus.CONNECTING: "◌",
    LinkStatus.ONLINE: "●",
    LinkStatus.RECONNECTING: "◌",
    LinkStatus.PBX_DOWN: "✕",
    LinkStatus.OFFLINE: "✕",
}
LINK_WORD = {
    LinkStatus.CONNECTING: N_("Connecting"),
    LinkStatus.ONLINE: N_("Online"),
    LinkStatus.RECONNECTING: N_("Reconnecting"),
    LinkStatus.PBX_DOWN: N_("PBX down"),
    LinkStatus.OFFLINE: N_("Offline"),
}

OUTCOME_WORD = {
    Outcome.ANSWERED: N_("Answered"),
    Outcome.MISSED: N_("Missed"),
    Outcome.OUTGOING: N_("Outgoing"),
    Outcome.FAILED: N_("Failed"),
    Outcome.TRANSFERRED: N_("Transferred"),
}

#: Outcome symbols beside the words (never colour alone): ↙ came in, ↗ went out.
OUTCOME_SYMBOL = {
    Outcome.ANSWERED: "↙",
    Outcome.MISSED: "✕",
    Outcome.OUTGOING: "↗",
    Outcome.FAILED: "↛",
    Outcome.TRANSFERRED: "↪",
}

WEEKDAY_ABBR = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTH_ABBR = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip


CAUSE_WORD = {
    Cause.BUSY: N_("busy"),
    Cause.CALL_NOT_ANSWERED: N_("no answer"),
    Cause.DEST_NOT_OBTAINABLE: N_("unreachable"),
    Cause.DO_NOT_DISTURB: N_("do not disturb"),
    Cause.NETWORK_CONGESTION: N_("network busy"),
    Cause.TIMEOUT: N_("time-out"),
}


def origin_note(call: Call) -> str | None:
    """Where a ringing call comes from: back from a failed transfer (and why), or forwarded."""
    if call.redirected_from is None:
        return None
    who = party_name(call.redirected_from)
    if call.redirected_from.name is None and call.redirected_from.number:
        who = call.redirected_from.number
    why = CAUSE_WORD.get(call.cause)
    if why is not None:
        return _("back from {name}: {why}").format(name=who, why=_(why))
    return _("forwarded by {name}").format(name=who)


def party_name(party: Party | None) -> str:
    """Who it is: the name, else "Unknown" (TWS "Inconnu")."""
    if party is not None and party.name:
        return party.name
    return _("Unknown")


def party_number(party: Party | None) -> str:
    """The number, or "Withheld number" when the caller masked it."""
    if party is None or party.number is None:
        return _("Withheld number")
    return party.number


def party_label(party: Party | None) -> str:
    """One line: "Name (number)", "Unknown (number)" or "Name (Withheld number)"."""
    return f"{party_name(party)} ({party_number(party)})"


_CONNECTED_WORDS = {
    ConnectionState.ALERTING: N_("Ringback"),
    ConnectionState.HOLD: N_("Held by caller"),
    None: N_("Talking"),
}
_STATE_WORDS = {
    ConnectionState.ALERTING: N_("Ringing"),
    ConnectionState.INITIATED: N_("Dialling"),
    ConnectionState.HOLD: N_("On hold"),
    ConnectionState.QUEUED: N_("Waiting"),
    ConnectionState.FAIL: N_("Failed"),
    ConnectionState.NULL: N_("Ended"),
}


def call_state_word(call: Call) -> str:
    """The state of my connection in words (cti-protocol-study §6 labels)."""
    if call.state is ConnectionState.CONNECTED:
        remote = call.remote_state if call.remote_state in _CONNECTED_WORDS else None
        return _(_CONNECTED_WORDS[remote])
    return _(_STATE_WORDS[call.state])


#: The widest the state column of call cards grows, whatever a translation says.
STATE_WIDTH_MAX = 16


def call_state_width() -> int:
    """The cells of the longest call state word in the current language, at most
    :data:`STATE_WIDTH_MAX` (a column of cards lines up whatever the language: "En
    conversation" is longer than "Talking")."""
    words = (*_CONNECTED_WORDS.values(), *_STATE_WORDS.values())
    return min(STATE_WIDTH_MAX, max(cell_len(_(word)) for word in words))


CALL_STATE_SYMBOL = {
    ConnectionState.ALERTING: "☎",
    ConnectionState.INITIATED: "↗",
    ConnectionState.CONNECTED: "●",
    ConnectionState.HOLD: "‖",
    ConnectionState.QUEUED: "…",
    ConnectionState.FAIL: "✕",
    ConnectionState.NULL: " ",
}


def duration(seconds: float) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` above; never negative."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def elapsed(since: datetime, now: datetime) -> str:
    return duration((now - since).total_seconds())


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal cells, ending with "…" when it was longer."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def clock_time(moment: datetime, *, clock_24h: bool = True) -> str:
    """Local wall-clock time of an instant."""
    local = moment.astimezone()
    return local.strftime("%H:%M") if clock_24h else local.strftime("%I:%M %p").lstrip("0")


def day_and_time(moment: datetime, now: datetime, *, clock_24h: bool = True) -> str:
    """When, in the local time zone, for a list of calls: "today 14:05", "yesterday 09:12",
    "Mon 30 Nov 14:05", and the year too when it is not this one."""
    local, today = moment.astimezone(), now.astimezone().date()
    time = clock_time(moment, clock_24h=clock_24h)
    day = local.date()
    if day == today:
        return _("today {time}").format(time=time)
    if day == today - timedelta(days=1):
        return _("yesterday {time}").format(time=time)
    weekday = _(WEEKDAY_ABBR[day.weekday()])
    month = _(MONTH_ABBR[day.month - 1])
    if day.year != today.year:
        return _("{weekday} {day} {month} {year} {time}").format(
            weekday=weekday, day=day.day, month=month, year=day.year, time=time
        )
    return _("{weekday} {day} {month} {time}").format(
        weekday=weekday, day=day.day, month=month, time=time
    )


_ERROR_WORDS: tuple[tuple[type[CallControlError], str], ...] = (
    (NotSupported, N_("Not available with this connection")),
    (AlreadyTaken, N_("Another operator took this call first")),
    (InvalidDestination, N_("Invalid destination")),
    (NotFound, N_("Not found: the call may have ended")),
    (InvalidState, N_("Not possible in the call's current state")),
    (PermissionDenied, N_("Not allowed for your account")),
    (BackendTimeout, N_("The phone system did not answer in time")),
    (BackendUnavailable, N_("The phone system is unreachable")),
)


def describe_error(error: CallControlError) -> str:
    """A sentence for the operator: the kind of problem, then the backend's detail.

    Both are translated here, at display: the detail is the error's English msgid with its
    parameters (:meth:`~tws_tui.core.errors.CallControlError.translated`)."""
    headline = _("The request failed")
    for kind, words in _ERROR_WORDS:
        if isinstance(error, kind):
            headline = _(words)
            break
    detail = error.translated(_).strip()
    return labelled(headline, detail) if detail else headline


#: The kinds of network failure an operator can act on, each in a few words (asyncio, ssl and
#: socket are loaded with the console already). Order matters: a subclass before its base.
_FAILURE_WORDS: tuple[tuple[type[BaseException], str], ...] = (
    (ConnectionRefusedError, N_("connection refused")),
    (socket.gaierror, N_("unknown server name")),
    (ssl.SSLCertVerificationError, N_("the server's certificate is not trusted")),
    (ssl.SSLError, N_("the secure (TLS) connection failed")),
    (TimeoutError, N_("no answer in time")),
    (ConnectionError, N_("the connection was cut")),  # reset, aborted, broken pipe
)
_UNREACHABLE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN})
NETWORK_UNREACHABLE = N_("network unreachable")


def failure_reason(error: BaseException) -> str | None:
    """The msgid of the network failure behind ``error`` (refused, unknown name, TLS, no
    answer, unreachable, cut), found down its chain of causes (an HTTP library's error wraps
    the system's); None when it is none of those."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for kind, words in _FAILURE_WORDS:
            if isinstance(current, kind):
                return words
        if isinstance(current, OSError) and current.errno in _UNREACHABLE:
            return NETWORK_UNREACHABLE
        current = current.__cause__ or current.__context__
    return None


def error_text(error: BaseException) -> str:
    """An error's own sentence, in the current language when it carries a msgid (backend
    options refused, a lost link) or is a known network failure (refused, unknown name…),
    else as Python words it; never empty."""
    if isinstance(error, MessageError):
        text = error.translated(_)
    else:
        reason = failure_reason(error)
        text = _(reason) if reason else str(error)
    return text.strip() or type(error).__name__
