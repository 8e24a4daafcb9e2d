"""Message-waiting indication (RFC 3842): reading ``application/simple-message-summary``.

Owns :func:`summary_of`, the reader of a message-summary NOTIFY body: ``Messages-Waiting:
yes|no`` (required) and the ``Voice-Message: new/old (urgent new/urgent old)`` counts, when
given. Other message classes (fax, text…) are left out: the console counts voicemail. A body
without ``Messages-Waiting`` or with counts that are not numbers raises ``ValueError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTENT_TYPE = "application/simple-message-summary"
EVENT = "message-summary"
_COUNTS = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*(?:\(\s*\d{1,6}\s*/\s*\d{1,6}\s*\))?\s*$")


@dataclass(frozen=True)
class MessageSummary:
    waiting: bool
    new: int  # voice messages not heard (Messages-Waiting alone: 1 when yes, 0 when no)
    old: int


def summary_of(body: bytes) -> MessageSummary:
    waiting: bool | None = None
    counts: tuple[int, int] | None = None
    for line in body.decode("utf-8", "replace").splitlines():
        name, colon, value = line.partition(":")
        if not colon:
            continue
        name, value = name.strip().lower(), value.strip()
        if name == "messages-waiting":
            if value.lower() not in ("yes", "no"):
                raise ValueError(f"Messages-Waiting must be yes or no, got {value[:20]!r}")
            waiting = value.lower() == "yes"
        elif name == "voice-message":
            found = _COUNTS.match(value)
            if found is None:
                raise ValueError(f"Voice-Message must be new/old counts, got {value[:40]!r}")
            counts = (int(found[1]), int(found[2]))
    if waiting is None:
        raise ValueError("a message summary without Messages-Waiting")
    if counts is None:
        counts = (1 if waiting else 0, 0)
    return MessageSummary(waiting, *counts)
