"""My ME log (issue 15, TWS-4.1.1): one list of what concerned me — the calls I missed, the
voice messages left for me, the messages written to me (chat, slips), the help requests and
broadcasts — merged oldest first so the view opens on the newest (TWS-4.1.1-2); each entry's
kind as a symbol and a word (readable without colour), its line and its details line
(TWS-4.1.1-3), the unread ones counted (the "Notifications" badge, TWP-4.1.1-1).

Pure policy over values the console reads: no Textual, no I/O. A received text is shown
literally (``domain.text.shown_literally``): markup and escape sequences as typed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from tws_tui.core.values import value_class
from tws_tui.domain.format import day_and_time
from tws_tui.domain.keys_help import HelpGroup
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import N_, _


class MeKind(enum.StrEnum):
    MISSED_CALL = "missed"
    VOICEMAIL = "voicemail"
    MESSAGE = "message"
    SLIP = "slip"
    HELP = "help"
    BROADCAST = "broadcast"


#: Each kind's symbol and word: the word says it without the symbol's shape or any colour.
KIND_LABELS: dict[MeKind, tuple[str, str]] = {
    MeKind.MISSED_CALL: ("☎", N_("Missed call")),
    MeKind.VOICEMAIL: ("✇", N_("Voice message")),
    MeKind.MESSAGE: ("✉", N_("Written message")),
    MeKind.SLIP: ("✎", N_("Slip")),
    MeKind.HELP: ("‼", N_("Help request")),
    MeKind.BROADCAST: ("»", N_("Broadcast")),
}

#: How many characters of a text a line shows ("the first words"); the details show it all.
FIRST_WORDS = 40


@value_class
class MeEntry:
    """One entry: ``key`` is its id in its source (the call's, the voice message's, the chat
    message's), ``peer`` the conversation a message belongs to, ``who`` whom it is from."""

    kind: MeKind
    key: str
    at: datetime
    who: str = ""
    text: str = ""
    unread: bool = False
    peer: str = ""


def merged(entries: Iterable[MeEntry]) -> list[MeEntry]:
    """Every entry, oldest first (newest last, TWS-4.1.1-2); ties in the order given."""
    return sorted(entries, key=lambda entry: entry.at)


def unread_count(entries: Iterable[MeEntry]) -> int:
    return sum(1 for entry in entries if entry.unread)


def kind_label(kind: MeKind) -> str:
    """The symbol and the word: "☎ Missed call"."""
    symbol, word = KIND_LABELS[kind]
    return f"{symbol} {_(word)}"


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    shown = shown_literally(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def entry_line(entry: MeEntry, now: datetime, *, clock_24h: bool = True) -> str:
    """One line of the list: unread mark, when, kind, who, the first words, all literal."""
    mark = "●" if entry.unread else "○"
    parts = [mark, day_and_time(entry.at, now, clock_24h=clock_24h), kind_label(entry.kind)]
    if entry.who:
        parts.append(shown_literally(entry.who))
    line = "  ".join(parts)
    if entry.text:  # a message's first words; a help request's or broadcast's whole line
        texts = entry.kind in (MeKind.MESSAGE, MeKind.SLIP)
        line += "  " + (first_words(entry.text) if texts else shown_literally(entry.text))
    return line


def details(entry: MeEntry, now: datetime, *, clock_24h: bool = True) -> str:
    """The highlighted entry's details (TWS-4.1.1-3): all its text, whether read, and what
    Enter opens."""
    state = _("unread") if entry.unread else _("read")
    opens = {
        MeKind.MISSED_CALL: _("Enter: the call in History"),
        MeKind.VOICEMAIL: _("Enter: Voicemail"),
        MeKind.MESSAGE: _("Enter: the conversation"),
        MeKind.SLIP: _("Enter: the conversation"),
    }.get(entry.kind, "")
    head = f"{kind_label(entry.kind)}, {state} — {day_and_time(entry.at, now, clock_24h=clock_24h)}"
    if entry.who:
        head += " — " + shown_literally(entry.who)
    body = shown_literally(entry.text) if entry.text else ""
    return "\n".join(part for part in (head, body, opens) if part)


def heading(entries: Sequence[MeEntry]) -> str:
    """The title with the unread count (the badge)."""
    count = unread_count(entries)
    title = _("My log (ME)")
    return title if not count else _("{title} — {n} unread").format(title=title, n=count)


def unread_at_a_glance(missed_calls: int, new_voice_messages: int, unread_messages: int) -> int:
    """The badge of the log's key (F1, TWP-4.1.1-1) from the counts the console keeps at
    hand (the status bar's unseen missed calls and new voice messages, the chat's unread),
    without reading the journal."""
    return missed_calls + new_voice_messages + unread_messages


def badged(groups: Sequence[HelpGroup], action_id: str, count: int) -> list[HelpGroup]:
    """The help's ``groups`` with ``action_id``'s description followed by its unread count."""
    if not count:
        return list(groups)
    suffix = " " + _("({n} unread)").format(n=count)
    return [
        replace(
            group,
            rows=tuple(
                replace(row, description=row.description + suffix)
                if row.action_id == action_id
                else row
                for row in group.rows
            ),
        )
        for group in groups
    ]
