"""History's search on the phone system's shared comments (TWS-3.13, issue 16).

The journal keeps a copy of the comments shared on my calls — the newest ones when the console
connects, then each ``comment.updated`` — and History's search reads that copy as one types.
Older comments are only on the phone system: once typing pauses on a text of a few letters,
:class:`SharedCommentSearch` asks it for the comments that have the words typed
(``CallComments.recent(text=...)``, ``GET /v1/me/comments?q=`` on ``cti``), copies those it did
not have into the journal, and History reads the journal again: the calls they are on are
found like the others. Each text is asked once (later changes come as ``comment.updated``).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

from tws_tui.console.api import JournalKeys

#: The pause in typing after which the phone system is asked.
ASK_AFTER_S = 0.4
#: Shorter texts are not asked for (a letter or two would bring every comment).
MIN_CHARS = 3


class SharedCommentSearch:
    """Asks the phone system for the comments a search text finds, after a pause in typing;
    ``found`` is called when some were new to the journal's copy."""

    def __init__(
        self,
        owner: Widget,
        journal: Callable[[], JournalKeys],
        found: Callable[[], object],
    ) -> None:
        self._owner = owner
        self._journal = journal
        self._found = found
        self._timer: Timer | None = None
        self._asked: set[str] = set()

    def typed(self, text: str) -> None:
        """The search text changed: ask for it once typing pauses (a new letter waits again)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        wanted = " ".join(text.split())
        if len(wanted) < MIN_CHARS or wanted in self._asked:
            return
        self._timer = self._owner.set_timer(ASK_AFTER_S, lambda: self._start(wanted))

    def _start(self, text: str) -> None:
        self._timer = None
        self._asked.add(text)
        self._owner.run_worker(self._ask(text), group="history-shared-search")

    async def _ask(self, text: str) -> None:
        if await self._journal().find_shared_comments(text):
            self._found()
