"""What the Chat screen's filters keep (issue 15): a conversation's messages by who wrote them
and what they carry (TWS-4.3.8: filters that combine, the whole conversation by default), and
the conversations by part of a name (TWS-4.3.11, TWS-4.1.2-2: a colleague's or a group's, case
and accents aside); and the first words of a message as a notice shows them.

Three kinds of filter: *who* (my messages, theirs), *what* (with a file, messages taken for
someone) and *type* (TWS-4.3.8-1: calls, written messages, voice messages — in a 1:1
conversation, the calls with that colleague and the voice messages they left join the thread
only through these, from their event log, ``domain.contact_log``). Filters of one kind add up
(mine and theirs: everyone's), the kinds narrow each other (mine with a file); a type filter
without "written messages" shows no message. A group's notice (someone joined…) is no one's
message: any filter hides it. Textual-free.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

from tws_tui.core.model import ChatMessage
from tws_tui.domain.contact_log import EntryKind
from tws_tui.domain.text import fold, quote_of, shown_literally
from tws_tui.platform.i18n import N_


class ThreadFilter(enum.StrEnum):
    MINE = "mine"
    THEIRS = "theirs"
    FILES = "files"
    SLIPS = "slips"
    CALLS = "calls"
    WRITTEN = "written"
    VOICE = "voice"


WHO = frozenset({ThreadFilter.MINE, ThreadFilter.THEIRS})
WHAT = frozenset({ThreadFilter.FILES, ThreadFilter.SLIPS})
TYPES = frozenset({ThreadFilter.CALLS, ThreadFilter.WRITTEN, ThreadFilter.VOICE})
#: The event log's entries each type filter brings into the thread.
LOGGED = {ThreadFilter.CALLS: EntryKind.CALL, ThreadFilter.VOICE: EntryKind.VOICEMAIL}

#: Each filter in words (English msgids, translated where shown), in the order offered.
FILTER_WORDS: dict[ThreadFilter, str] = {
    ThreadFilter.MINE: N_("my messages"),
    ThreadFilter.THEIRS: N_("their messages"),
    ThreadFilter.FILES: N_("with a file"),
    ThreadFilter.SLIPS: N_("messages taken"),
    ThreadFilter.CALLS: N_("calls"),
    ThreadFilter.WRITTEN: N_("written messages"),
    ThreadFilter.VOICE: N_("voice messages"),
}


def keeps(message: ChatMessage, me: str | None, filters: Collection[ThreadFilter]) -> bool:
    """Whether ``message`` shows under ``filters`` (none: every message) for me (``me``)."""
    if not filters:
        return True
    if message.notice is not None:
        return False
    types = TYPES.intersection(filters)
    if types and ThreadFilter.WRITTEN not in types:
        return False  # calls or voice messages only
    who = WHO.intersection(filters)
    side = ThreadFilter.MINE if me is not None and message.sender == me else ThreadFilter.THEIRS
    if who and side not in who:
        return False
    what = WHAT.intersection(filters)
    return not what or (
        (ThreadFilter.FILES in what and (message.attachment is not None or bool(message.files)))
        or (ThreadFilter.SLIPS in what and message.slip is not None)
    )


def logged_kinds(filters: Collection[ThreadFilter]) -> frozenset[EntryKind]:
    """The entries of the contact's event log ``filters`` bring into the thread (none: the
    thread is messages only)."""
    return frozenset(kind for f, kind in LOGGED.items() if f in filters)


def filtered(
    messages: Sequence[ChatMessage], me: str | None, filters: Collection[ThreadFilter]
) -> list[ChatMessage]:
    """The messages of ``messages`` that ``filters`` keep, in their order."""
    if not filters:
        return list(messages)
    return [m for m in messages if keeps(m, me, filters)]


Peer = TypeVar("Peer", bound=str)


def named(peers: Sequence[Peer], name_of: Callable[[Peer], str], typed: str) -> list[Peer]:
    """The conversations of ``peers`` whose name (``name_of``) holds ``typed``, case and
    accents aside, in their order (nothing typed: every one)."""
    wanted = fold(" ".join(typed.split()))
    if not wanted:
        return list(peers)
    return [peer for peer in peers if wanted in fold(name_of(peer))]


#: How many characters of a message a notice shows.
NOTICE_WORDS = 60


def first_words(text: str) -> str:
    """The start of a received message as a notice shows it: one line, at most
    :data:`NOTICE_WORDS` characters cut at a word ("…"), and never terminal control."""
    flat = quote_of(text)
    if len(flat) > NOTICE_WORDS:
        cut = flat[: NOTICE_WORDS - 1]
        space = cut.rfind(" ")
        if flat[len(cut)] != " " and space > NOTICE_WORDS // 2:  # a word cut: left out
            cut = cut[:space]
        flat = cut.rstrip() + "…"
    return shown_literally(flat)
