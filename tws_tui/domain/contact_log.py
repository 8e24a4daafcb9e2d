"""A contact's event log (issue 15, TWP-4.1.2): one timeline of everything with one person —
the calls received, placed and missed (with their comments), the voice messages they left, the
chat messages exchanged, my "only me" notes — merged from their sources, newest last, with a
separator between days; the calls and voice messages hidden on demand (TWP-4.1.2-3); and which
entries Del may delete, and why not in words (TWP-4.1.2-6: a received message never).

Pure policy over values the console reads (journal lines, voicemail messages, chat messages,
notes): no Textual, no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from tws_tui.core.values import value_class
from tws_tui.domain.chat_days import local_day
from tws_tui.platform.i18n import _


class EntryKind(enum.StrEnum):
    CALL = "call"
    VOICEMAIL = "voicemail"
    MESSAGE = "message"
    NOTE = "note"
    SMS = "sms"  # an SMS to or from one of their mobile numbers (TWS-3.14.1-2)


#: The kinds the "hide calls" toggle hides (TWP-4.1.2-3: the notifications only).
CALL_KINDS = frozenset({EntryKind.CALL, EntryKind.VOICEMAIL})


class CallSide(enum.StrEnum):
    RECEIVED = "received"
    PLACED = "placed"
    MISSED = "missed"


@value_class
class LogEntry:
    """One entry of the log: ``key`` is its id in its source (the call's, the voice
    message's, the chat message's, the note's)."""

    kind: EntryKind
    key: str
    at: datetime
    text: str = ""  # a message's or a note's text; a call's comments, one per line
    mine: bool = False  # a message I sent, a note (always mine)
    side: CallSide | None = None  # a call: received, placed or missed
    duration_s: int = 0  # a call's or a voice message's length


@value_class
class DaySeparator:
    day: date


Line = LogEntry | DaySeparator


def timeline(
    entries: Iterable[LogEntry],
    *,
    show_calls: bool = True,
    day_of: Callable[[datetime], date] = local_day,
) -> list[Line]:
    """``entries`` oldest first (newest last; ties in the order given), calls and voice
    messages left out unless ``show_calls``, a :class:`DaySeparator` before each day's first
    entry (the local day: ``day_of``)."""
    kept = [e for e in entries if show_calls or e.kind not in CALL_KINDS]
    kept.sort(key=lambda entry: entry.at)
    lines: list[Line] = []
    last: date | None = None
    for entry in kept:
        day = day_of(entry.at)
        if day != last:
            lines.append(DaySeparator(day))
            last = day
        lines.append(entry)
    return lines


def entries_only(lines: Sequence[Line]) -> list[LogEntry]:
    """The entries of a timeline, its separators left out."""
    return [line for line in lines if isinstance(line, LogEntry)]


def refusal(entry: LogEntry, name: str, *, can_delete_messages: bool) -> str | None:
    """Why Del cannot delete ``entry`` of the log with ``name``, in words; None when it can
    (a note of mine, a message I sent where the chat takes messages back, a call)."""
    if entry.kind is EntryKind.MESSAGE:
        if not entry.mine:
            return _("A message received cannot be deleted: only {name} can take it back.").format(
                name=name
            )
        if not can_delete_messages:
            return _("This connection's chat cannot take a message back.")
    if entry.kind is EntryKind.VOICEMAIL:
        return _("A voice message is deleted in Voicemail.")
    if entry.kind is EntryKind.SMS:
        return _("An SMS cannot be taken back: it stays in its SMS conversation.")
    return None
