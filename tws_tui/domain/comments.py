"""A call's comment (TWS-3.13): what one may say, checked alike wherever one is written — the
console before keeping it, the local journal, the simulated switch and so the CTI server.

:func:`check_comment`: not blank, at most :data:`COMMENT_MAX_CHARS` characters, kept as typed
(line breaks too); refused with :class:`~tws_tui.core.errors.InvalidValue` (a ``ValueError``)
in words.
"""

from __future__ import annotations

from tws_tui.core.errors import N_
from tws_tui.domain.text import bounded_text

#: A comment's length at most, on the phone system and in the local journal.
COMMENT_MAX_CHARS = 2000


def check_comment(text: str) -> str:
    """``text`` when a comment may say it; ``InvalidValue`` (empty, too long) otherwise."""
    return bounded_text(
        text,
        COMMENT_MAX_CHARS,
        empty=N_("A comment cannot be empty."),
        too_long=N_("A comment is limited to {most} characters (this one has {n})."),
    )
