"""``CardDavSync``: when the CardDAV address book (``[carddav]``) is synchronised, and what the
operator is told.

Owns the timing: one sync once the console is connected, then every ``sync_every_min``
minutes (0: only on demand), and one on demand (``contacts.carddav_sync``, Ctrl+S in the
contact manager). Each runs :meth:`~tws_tui.contacts.carddav.CardDavBook.sync` in a worker
thread, never on the loop, one at a time. After each the screens hear ``Topic.DIRECTORY`` (the
manager redraws the book and its last sync; the search index is rebuilt on the next search).

A sync asked for says how it went (a notice: how many contacts changed, or why it failed). A
timed one is quiet, except its first failure in a row: "the server is down" is said once, and
the last copy stays searchable meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from tws_tui.console.api import ConsoleApi
from tws_tui.core.clock import TimerHandle
from tws_tui.core.topics import Topic
from tws_tui.platform.i18n import _

if TYPE_CHECKING:
    from tws_tui.contacts.carddav import CardDavBook

log = logging.getLogger(__name__)

NOT_SET = "No CardDAV address book: set [carddav] url in config.toml."


class CardDavSync:
    def __init__(self, api: ConsoleApi, book: Callable[[], CardDavBook | None]) -> None:
        self.api = api
        self._book = book
        self._timer: TimerHandle | None = None
        self._running = False
        self._failing = False  # the last sync failed (a timed one then stays quiet)

    @property
    def running(self) -> bool:
        return self._running

    def book(self) -> CardDavBook | None:
        try:
            return self._book()
        except Exception as error:  # its SQLite file cannot be opened: said, not raised
            log.warning("CardDAV address book unavailable: %s", error)
            return None

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def arm(self) -> None:
        """A first sync now (quiet), the next ones timed (on connecting)."""
        self.close()
        if self.book() is not None:
            self._start(quiet=True)

    def sync_now(self) -> None:
        """The operator's sync key: now, and say how it went."""
        book = self.book()
        if book is None:
            self.api.notify(_(NOT_SET), severity="warning")
            return
        if self._running:
            self.api.notify(_("The CardDAV address book is being synchronised."))
            return
        self._start(quiet=False)

    def _start(self, *, quiet: bool) -> None:
        book = self.book()
        if book is None or self._running:
            return
        self.close()
        self._running = True

        async def run() -> None:
            await self._run(book, quiet)

        self.api.run_background(run, group="carddav-sync")

    async def _run(self, book: CardDavBook, quiet: bool) -> None:
        from tws_tui.contacts.carddav import describe_sync
        from tws_tui.contacts.carddav_client import CardDavError
        from tws_tui.contacts.carddav_store import CardDavStoreError

        try:
            report = await asyncio.to_thread(book.sync)
        except (CardDavError, CardDavStoreError) as error:
            if not quiet or not self._failing:
                self.api.notify(
                    _("{error} The last copy stays usable.").format(error=error),
                    severity="error",
                    markup=False,
                    timeout=15,
                )
            self._failing = True
        else:
            self._failing = False
            if not quiet:
                self.api.notify(describe_sync(report), markup=False)
        finally:
            self._running = False
            self._schedule()
            self.api.topics_changed({Topic.DIRECTORY})

    def _schedule(self) -> None:
        minutes = self.api.prefs.carddav.sync_every_min
        if minutes > 0:
            self._timer = self.api.clock.call_later(minutes * 60.0, lambda: self._start(quiet=True))
