"""``Directories``: the backend's directory and the local contacts as one ``Directory``.

Owns how the sources are merged for the console's search (TWS-2.3.1.1: one search box over
every directory the user can reach) and the order reverse lookup asks them in.

* **search** asks the backend's directory (the synchronised/company directory, TWS-2.1.1) and
  the local :class:`~tws_tui.contacts.store.ContactStore` (private and public directories) at
  once. Local contacts are searched in a :class:`~tws_tui.contacts.search.SearchIndex`, rebuilt
  (in a worker thread) when the store has changed since the last search. The backend's answers
  are ranked by the same rules (word starts first, then "contains"; what the backend matched
  by rules of its own comes after), then everything by name. Each contact keeps its
  ``source``. Duplicates are dropped: the same ``(source, id)``, or the same name with the
  same numbers in two directories; the first in that order is kept (the backend's at equal
  rank: it may carry a ``device_id`` for presence and BLF).
* **kept** directories are copies kept on this machine of a directory elsewhere (the CardDAV
  address book, :class:`~tws_tui.contacts.carddav.CardDavBook`): each is searched in a
  :class:`~tws_tui.contacts.search.SearchIndex` of its own, rebuilt in a worker thread when
  its copy changed, and ranked with the local contacts.
* **excluded** (TWS-2.3.1.2-2, the directory selection of the advanced search): directories
  left out of the search — ``"private"``, ``"public"``, a kept directory's ``source``
  (``"carddav"``), and :data:`BACKEND` for the backend's directory; reverse lookup always
  asks every one.
* **reverse** asks the local store first (an indexed query on
  :func:`~tws_tui.domain.numbers.match_key`), then the kept directories, then the backend.
* **public directory** (:meth:`Directories.public_directory`): where public contacts are
  written — the phone system's when the backend keeps one (``shared``), else the local store's
  (:mod:`tws_tui.contacts.public_directory`). Its contacts on the phone system are found by
  the backend's search and reverse lookup.
* The backend may be absent (``None``), fail or be slow: after ``timeout`` seconds or on any
  error its part is left out and a warning is logged; the local part still answers. A local
  store that cannot be opened (``ContactStoreError``) is left out the same way.
* **search_now** answers at once, without awaiting anything, for search-as-you-type: the local
  index as last built, and the backend's last answer narrowed to the new term when that term
  extends the one it answered (typing forward; otherwise the answer says it is partial). The
  screen shows it in the same frame as the letter typed, then the full ``search`` replaces it
  when it arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from tws_tui.contacts.public_directory import PublicDirectory
from tws_tui.contacts.search import SearchIndex
from tws_tui.contacts.store import ContactStore, ContactStoreError
from tws_tui.core.model import Contact
from tws_tui.core.protocols import Directory, SharedContacts
from tws_tui.domain.numbers import match_key
from tws_tui.domain.text import fold

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_UNRANKED = 2  # a backend answer our rules do not explain: after the ones they do
BACKEND = "backend"  # the backend's directory, in ``Directories.excluded``
LOCAL_SOURCES = ("private", "public")


class KeptDirectory(Protocol):
    """A copy kept on this machine of a directory elsewhere (see the module docstring); its
    methods read the copy (SQLite) and are called in worker threads."""

    source: str

    def revision(self) -> object: ...
    def contacts(self) -> list[Contact]: ...
    def find_by_number(self, number: str) -> list[Contact]: ...


class Directories:
    """Every directory the operator can search, as one (``Directory`` protocol)."""

    def __init__(
        self,
        store: ContactStore | None,
        backend: Directory | None = None,
        *,
        timeout: float = 3.0,
        country: str = "FR",
        on_index_built: Callable[[], None] | None = None,
        kept: Sequence[KeptDirectory] = (),
    ) -> None:
        """``on_index_built`` is called (on the event loop) after each new local index: the
        console freezes the garbage collector's view there (see ``TwsApp.directories``)."""
        self.store = store
        self.backend = backend
        self.timeout = timeout
        self.country = country
        self.on_index_built = on_index_built
        self._index: SearchIndex | None = None
        self._revision: tuple[int, int] | None = None
        self._rebuilding: asyncio.Lock | None = None
        self._preparing: asyncio.Task[None] | None = None  # see local_index
        # The backend's last answer: the term (folded), and its contacts indexed for narrowing.
        self._last_backend: tuple[str, SearchIndex] | None = None
        self.excluded: frozenset[str] = frozenset()  # directories left out of the search
        self.kept = tuple(kept)
        #: The phone system's public directory, when it keeps one (else public is local).
        self.shared: SharedContacts | None = None
        #: Each kept directory's index and the revision of its copy it was built from.
        self._kept_indexes: dict[str, tuple[object, SearchIndex]] = {}

    def public_directory(self) -> PublicDirectory | None:
        """Where public contacts are written; None without a local store. Called on the
        event loop, whose loop then runs the phone system's requests."""
        if self.store is None:
            return None
        loop = asyncio.get_running_loop() if self.shared is not None else None
        return PublicDirectory(self.store, self.shared, loop)

    # ---- local part ---------------------------------------------------------------------

    async def local_index(self) -> SearchIndex | None:
        """The index of the local contacts, rebuilt if the store changed; None without one.

        It answers every query as soon as it is returned; the columns for numbers and e-mail
        addresses (built on first use otherwise) are then built in a worker thread."""
        if self.store is None:
            return None
        if self._rebuilding is None:
            self._rebuilding = asyncio.Lock()
        async with self._rebuilding:
            try:
                revision = await asyncio.to_thread(self.store.revision)
                if self._index is None or revision != self._revision:
                    self._index = await asyncio.to_thread(self._build, self.store)
                    self._revision = revision
                    self._preparing = asyncio.create_task(self._prepare(self._index))
            except ContactStoreError as error:
                log.warning("local contacts left out: %s", error)
                return self._index  # the last good one, if any
        return self._index

    def _build(self, store: ContactStore) -> SearchIndex:
        return SearchIndex(store.table(), country=self.country)

    async def prepared(self) -> None:
        """Wait until the last index built has all its columns (and ``on_index_built`` ran)."""
        if self._preparing is not None:
            await asyncio.shield(self._preparing)

    async def _prepare(self, index: SearchIndex) -> None:
        """Build ``index``'s remaining columns in a thread, before the operator's first digit
        (see :meth:`SearchIndex.prepare`); then tell ``on_index_built``."""
        await asyncio.to_thread(index.prepare)
        if self.on_index_built is not None and index is self._index:
            self.on_index_built()

    # ---- backend part -------------------------------------------------------------------

    async def _ask(self, what: str, call: Callable[[], Awaitable[_T]]) -> _T | None:
        """The backend's answer, or None (logged) when it fails or is too slow."""
        try:
            return await asyncio.wait_for(call(), self.timeout)
        except TimeoutError:
            log.warning("backend directory %s: no answer within %.1f s", what, self.timeout)
        except Exception as error:  # a broken backend must not break the search
            log.warning("backend directory %s failed: %s", what, error)
        return None

    # ---- Directory protocol -------------------------------------------------------------

    async def search(self, term: str, *, limit: int = 20) -> list[Contact]:
        local, remote = await asyncio.gather(
            self._search_local(term, limit), self._search_backend(term, limit)
        )
        return self._merged(local, remote, limit)

    def _merged(
        self,
        local: list[tuple[int, str, int, Contact]],
        remote: list[tuple[int, str, int, Contact]],
        limit: int,
    ) -> list[Contact]:
        ranked = sorted(local + remote, key=lambda item: item[:3])
        return self._unique([contact for *_, contact in ranked])[:limit]

    def search_now(self, term: str, *, limit: int = 20) -> tuple[list[Contact], bool] | None:
        """What can be answered without waiting (see the module docstring), and whether that
        is the whole answer (False: the backend's part is missing, as its last answer was for
        another term); None when nothing can be, the local index not being built yet."""
        local: list[tuple[int, str, int, Contact]] = []
        if self.store is not None and not set(LOCAL_SOURCES) <= self.excluded:
            if self._index is None:
                return None
            local = [
                (tier, fold(c.name), 1, c)
                for tier, c in self._index.search_ranked(
                    term, limit=limit, sources=self._local_sources()
                )
            ]
        for kept in self.kept:
            held = self._kept_indexes.get(kept.source)
            if held is not None and kept.source not in self.excluded:
                local += [
                    (tier, fold(c.name), 1, c)
                    for tier, c in held[1].search_ranked(term, limit=limit)
                ]
        remote: list[tuple[int, str, int, Contact]] = []
        complete = True
        if self.backend is not None and BACKEND not in self.excluded:
            last = self._last_backend
            if last is None or not fold(term).startswith(last[0]):
                complete = False
            else:
                remote = [
                    (tier, fold(c.name), 0, c)
                    for tier, c in last[1].search_ranked(term, limit=len(last[1]))
                ]
        return self._merged(local, remote, limit), complete

    async def _search_local(self, term: str, limit: int) -> list[tuple[int, str, int, Contact]]:
        """``(tier, folded name, 1, contact)`` of the local and kept contacts matching
        ``term``."""
        index = await self.local_index()
        found: list[tuple[int, str, int, Contact]] = []
        if index is not None and not set(LOCAL_SOURCES) <= self.excluded:
            ranked = index.search_ranked(term, limit=limit, sources=self._local_sources())
            found = [(tier, fold(c.name), 1, c) for tier, c in ranked]
        for kept in self.kept:
            kept_index = await self.kept_index(kept)
            if kept_index is not None and kept.source not in self.excluded:
                ranked = kept_index.search_ranked(term, limit=limit)
                found += [(tier, fold(c.name), 1, c) for tier, c in ranked]
        return found

    async def kept_index(self, kept: KeptDirectory) -> SearchIndex | None:
        """The index of a kept directory's copy, rebuilt in a thread when the copy changed;
        the last one built when the copy cannot be read (logged)."""
        held = self._kept_indexes.get(kept.source)
        try:
            revision = await asyncio.to_thread(kept.revision)
            if held is None or held[0] != revision:
                contacts = await asyncio.to_thread(kept.contacts)
                index = SearchIndex(contacts, country=self.country)
                held = (revision, index)
                self._kept_indexes[kept.source] = held
        except Exception as error:  # its SQLite file: unreadable, locked, damaged
            log.warning("%s contacts left out: %s", kept.source, error)
        return held[1] if held is not None else None

    def _local_sources(self) -> tuple[str, ...] | None:
        """The local directories searched; None for both."""
        if not self.excluded & set(LOCAL_SOURCES):
            return None
        return tuple(s for s in LOCAL_SOURCES if s not in self.excluded)

    async def _search_backend(self, term: str, limit: int) -> list[tuple[int, str, int, Contact]]:
        """``(tier, folded name, 0, contact)`` of the backend's answer, ranked by our rules."""
        if self.backend is None or BACKEND in self.excluded:
            return []
        backend = self.backend
        found = await self._ask("search", lambda: backend.search(term, limit=limit))
        if not found:
            return []
        answered = SearchIndex(found, country=self.country)
        self._last_backend = (fold(term), answered)
        explained = answered.search_ranked(term, limit=len(found))
        tiers = {id(contact): tier for tier, contact in explained}
        return [(tiers.get(id(c), _UNRANKED), fold(c.name), 0, c) for c in found]

    async def reverse(self, number: str) -> Contact | None:
        if self.store is not None and match_key(number, self.country) is not None:
            try:
                found = await asyncio.to_thread(self.store.find_by_number, number)
            except ContactStoreError as error:
                log.warning("local contacts left out of reverse lookup: %s", error)
                found = []
            if found:
                return found[0]
        for kept in self.kept:
            try:
                found = await asyncio.to_thread(kept.find_by_number, number)
            except Exception as error:  # its SQLite file: unreadable, locked, damaged
                log.warning("%s contacts left out of reverse lookup: %s", kept.source, error)
                found = []
            if found:
                return found[0]
        if self.backend is None:
            return None
        backend = self.backend
        return await self._ask("reverse lookup", lambda: backend.reverse(number))

    def _unique(self, contacts: list[Contact]) -> list[Contact]:
        """``contacts`` without repeats (same source and id, or same name and numbers)."""
        seen: set[object] = set()
        kept: list[Contact] = []
        for contact in contacts:
            keys = frozenset(match_key(n, self.country) or n for _, n in contact.numbers)
            same = (fold(contact.name), keys) if keys else None
            if (contact.source, contact.id) in seen or (same is not None and same in seen):
                continue
            seen.add((contact.source, contact.id))
            if same is not None:
                seen.add(same)
            kept.append(contact)
        return kept
