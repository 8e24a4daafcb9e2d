"""``SearchIndex``: search-as-you-type over many contacts, in memory, in under 2 ms.

Owns the query language and the ranking; knows nothing of where the contacts come from.

Query
-----
* Words: each word must match the name, company or department of a contact (AND). A contact
  where every word starts a word of those fields comes first; then contacts where a word is
  only inside one (``"ier"`` finds *Olivier*) — TWS-2.3.1.1-2 asks for "contains" matching,
  and prefixes first is what a typist expects. Case and accents are ignored (:func:`fold`);
  words are runs of letters and digits, so ``"jean-p"`` is ``jean`` and ``p``.
* A number: a term of digits (``+``, ``*``, ``#`` and separators allowed) looks through the
  numbers by :func:`~tws_tui.domain.numbers.match_key`: keys starting with it first (``"01 23"``
  finds ``+33123…``; ``"20"`` finds extension ``201``), then keys containing it.
* Advanced form ``field:value`` for ``name:``, ``company:``, ``department:``, ``email:`` and
  ``number:`` (``value`` in double quotes may hold spaces); terms are ANDed. ``email:`` matches
  the start of the address, then anywhere in it.
* A blank term lists every contact.

Within each group contacts come by name (folded, then as written), then in the order given
(the store gives its contacts by id: the oldest first).

How it is fast
--------------
Everything is folded once when the index is built. Per searchable column:

* one string with every contact's tokens, in name order (``" jean dupont\\t acme\\t ventes"``):
  a prefix matched by many contacts is found with ``str.find(" " + prefix)`` from the top,
  which meets the first ``limit`` of them after a few kilobytes, already in name order;
* words (name, company, department): the distinct words, sorted, each with its postings
  (contact ranks in name order) in one flat array — a prefix is two ``bisect`` calls and, when
  few contacts have it, they are read directly; "contains" scans the string of distinct words
  with ``str.find`` and merges their postings in name order (``heapq.merge``), cut at
  ``limit``;
* number keys and e-mail addresses (mostly one per contact): indexed by their first
  characters only (``"+33612"``), a longer prefix checking each contact of its bucket;
  "contains" scans the contacts' string in name order and stops at ``limit``.

The name column is built by the constructor; the number and e-mail columns and the table of
distinct words are built on first use, or by :meth:`SearchIndex.prepare` in a worker thread
(:class:`~tws_tui.contacts.directories.Directories` does). Nothing is scanned per contact in
Python on the common path; ``bench/search_index.py`` measures it on 100 000 contacts.
"""

from __future__ import annotations

import gc
import heapq
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from itertools import accumulate, chain, islice

from tws_tui.contacts.rules import EMAIL as EMAIL_DETAIL
from tws_tui.contacts.table import ContactTable
from tws_tui.core.model import Contact
from tws_tui.core.values import value_class
from tws_tui.domain.numbers import is_dialable, match_keys, number_query
from tws_tui.domain.text import fold, words

ANY = "any"  # name, company or department
NAME, COMPANY, DEPARTMENT, EMAIL, NUMBER = "name", "company", "department", "email", "number"
#: ``field:`` names of the advanced form (a few French and short spellings too).
FIELD_NAMES = {
    "name": NAME,
    "nom": NAME,
    "company": COMPANY,
    "societe": COMPANY,
    "department": DEPARTMENT,
    "dept": DEPARTMENT,
    "service": DEPARTMENT,
    "email": EMAIL,
    "mail": EMAIL,
    "courriel": EMAIL,
    "number": NUMBER,
    "tel": NUMBER,
    "phone": NUMBER,
}
_TEXT_PARTS = {NAME: 0, COMPANY: 1, DEPARTMENT: 2}  # where each is in an ANY segment
_COLUMN_OF = {ANY: ANY, NAME: ANY, COMPANY: ANY, DEPARTMENT: ANY, EMAIL: EMAIL, NUMBER: NUMBER}

#: Up to this many postings, a prefix's contacts are read from the sorted arrays; above it the
#: prefix is common enough that scanning the contacts in name order finds ``limit`` quickly.
_FEW_POSTINGS = 1500
_TOP = chr(0x10FFFF)
_NUMBER_INDEX_WIDTH = 6  # "+33612": a French mobile's first 4 digits; extensions whole
_EMAIL_INDEX_WIDTH = 4
_QUERY_TOKEN = re.compile(r'(?:([^\W\d_]+):)?(?:"([^"]*)"?|(\S+))')


@value_class
class Clause:
    """One condition of a query: ``field`` has a token starting with ``prefix`` (best) or
    containing ``inner`` (``""``: prefix only)."""

    field: str
    prefix: str
    inner: str


def _looks_like_number(text: str) -> bool:
    """Digits (with ``+``, ``*``, ``#`` and separators), or a lone ``+`` starting one."""
    return text.strip() == "+" or (any(ch.isdigit() for ch in text) and is_dialable(text))


def parse_query(term: str, country: str = "FR") -> list[Clause]:
    """The clauses of a search term (see the module docstring)."""
    parts: list[tuple[str | None, str]] = []
    for match in _QUERY_TOKEN.finditer(term):
        name, quoted, bare = match.groups()
        field = FIELD_NAMES.get(fold(name)) if name else None
        if name and field is None:  # "foo:bar" is plain text
            parts.append((None, match.group(0)))
            continue
        value = quoted if quoted is not None else bare or ""
        previous = parts[-1] if parts else None
        if (
            field is None
            and previous is not None
            and previous[0] is None
            and _looks_like_number(previous[1])
            and _looks_like_number(value)
        ):  # "01 23 45": one number typed with spaces
            parts[-1] = (None, previous[1] + value)
        else:
            parts.append((field, value))
    clauses: list[Clause] = []
    for field, value in parts:
        if field == NUMBER or (field is None and _looks_like_number(value)):
            query = number_query(value, country)
            if query:
                clauses.append(Clause(NUMBER, query, query.lstrip("+")))
        elif field == EMAIL:
            folded = fold(value.strip())
            if folded:
                clauses.append(Clause(EMAIL, folded, folded))
        else:
            clauses.extend(Clause(field or ANY, word, word) for word in words(fold(value)))
    return clauses


class _Column:
    """One searchable column over the contacts in rank (name) order; see the module docstring.

    ``text`` holds every contact's segment (its tokens, each after a space) in rank order, one
    per line; ``starts[rank]`` is where the segment of ``rank`` begins. Subclasses add a sorted
    token array for prefixes and say how they find "contains" matches.
    """

    def __init__(self, segments: list[str]) -> None:
        self.text = "\n".join(segments)
        self.starts = array("q", accumulate((len(s) + 1 for s in segments), initial=0))

    def segment(self, rank: int) -> str:
        return self.text[self.starts[rank] : self.starts[rank + 1] - 1]

    def prepare(self) -> None:
        """Build what this column builds on first use."""

    def _scan(self, needle: str) -> Iterator[int]:
        """Ranks whose segment holds ``needle``, in rank order, each once."""
        text, starts = self.text, self.starts
        position = text.find(needle)
        while position != -1:
            rank = bisect_right(starts, position) - 1
            yield rank
            position = text.find(needle, starts[rank + 1])

    def prefix_count(self, prefix: str) -> int:
        """How many (contact, token) pairs have a token starting with ``prefix``."""
        raise NotImplementedError

    def _prefix_ranks(self, prefix: str) -> list[int]:
        """The ranks with a token starting with ``prefix``, sorted, each once."""
        raise NotImplementedError

    def with_prefix(self, prefix: str, *, lazy: bool) -> Iterator[int]:
        """Ranks of the contacts with a token starting with ``prefix``, in rank order.

        ``lazy``: the caller may stop early, so a common prefix is found by scanning the text
        from the top rather than by collecting and sorting all its contacts.
        """
        if lazy and self.prefix_count(prefix) > _FEW_POSTINGS:
            return self._scan(" " + prefix)
        return iter(self._prefix_ranks(prefix))

    def containing(self, inner: str, skip: set[int]) -> Iterator[int]:
        """Ranks of the contacts with a token containing ``inner``, less ``skip`` (the ones with
        a token starting with it), in rank order."""
        return (rank for rank in self._scan(inner) if rank not in skip)


class _WordColumn(_Column):
    """Tokens shared by many contacts (words): each distinct token once, sorted, with its
    postings; "contains" scans the distinct tokens, not the contacts."""

    def __init__(self, segments: list[str], postings: dict[str, list[int]]) -> None:
        super().__init__(segments)
        self.tokens = sorted(postings)
        ordered = [postings[token] for token in self.tokens]
        self.ranks = array("l", chain.from_iterable(ordered))
        self.offsets = array("q", accumulate(map(len, ordered), initial=0))
        self._tokens_text: tuple[str, array[int]] | None = None  # built on first use

    def _range(self, prefix: str) -> tuple[int, int]:
        low, high = bisect_left(self.tokens, prefix), bisect_left(self.tokens, prefix + _TOP)
        return self.offsets[low], self.offsets[high]

    def prefix_count(self, prefix: str) -> int:
        low, high = self._range(prefix)
        return high - low

    def _prefix_ranks(self, prefix: str) -> list[int]:
        low, high = self._range(prefix)
        return sorted(set(self.ranks[low:high]))

    def prepare(self) -> None:
        if self._tokens_text is None:
            self._tokens_text = (
                "\n".join(self.tokens),
                array("q", accumulate((len(t) + 1 for t in self.tokens), initial=0)),
            )

    def containing(self, inner: str, skip: set[int]) -> Iterator[int]:
        self.prepare()
        assert self._tokens_text is not None
        text, starts = self._tokens_text
        lists: list[Iterator[int]] = []
        position = text.find(inner)
        while position != -1:
            index = bisect_right(starts, position) - 1
            if position != starts[index]:  # a token starting with it is a prefix match
                lists.append(iter(self.ranks[self.offsets[index] : self.offsets[index + 1]]))
            position = text.find(inner, starts[index + 1])
        last = -1
        for rank in heapq.merge(*lists):
            if rank != last and rank not in skip:
                yield rank
            last = rank


class _KeyColumn(_WordColumn):
    """Tokens mostly unique to one contact (number keys, e-mail addresses), indexed by their
    first ``width`` characters only: sorting 200 000 whole keys would cost more than the index
    saves. A longer prefix reads its bucket and checks each contact's segment; "contains" scans
    the contacts in rank order (the tokens are no fewer than the contacts)."""

    def __init__(self, segments: list[str], tokens: Iterable[Iterable[str]], width: int) -> None:
        """``segments`` and ``tokens`` (each contact's tokens) in rank order."""
        self.width = width
        super().__init__(segments, _postings([t[:width] for t in ts] for ts in tokens))

    def _prefix_ranks(self, prefix: str) -> list[int]:
        ranks = super()._prefix_ranks(prefix[: self.width])
        if len(prefix) <= self.width:
            return ranks
        needle = " " + prefix
        return [rank for rank in ranks if needle in self.segment(rank)]

    def prefix_count(self, prefix: str) -> int:
        """Exact up to ``width`` characters, an upper bound beyond."""
        return super().prefix_count(prefix[: self.width])

    def prepare(self) -> None:
        """Nothing to build: "contains" scans the contacts."""

    def containing(self, inner: str, skip: set[int]) -> Iterator[int]:
        return _Column.containing(self, inner, skip)


@contextmanager
def _no_collector() -> Iterator[None]:
    """The cyclic garbage collector off: building makes a million objects and no cycles, and
    the collector would walk them all again and again (a third of the build time)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _postings(tokens_by_rank: Iterable[Iterable[str]]) -> dict[str, list[int]]:
    """Token → the ranks that have it, in increasing order; empty tokens are left out."""
    postings: dict[str, list[int]] = {}
    get = postings.get
    for rank, tokens in enumerate(tokens_by_rank):
        for token in tokens:
            found = get(token)
            if found is None:
                postings[token] = [rank]
            elif found[-1] != rank:
                found.append(rank)
    postings.pop("", None)
    return postings


class SearchIndex:
    """An immutable index of contacts; build a new one when they change (see
    :class:`~tws_tui.contacts.directories.Directories`)."""

    def __init__(self, contacts: Iterable[Contact] | ContactTable, *, country: str = "FR") -> None:
        """``contacts``: ``Contact`` objects (given back as they are), or a table of them."""
        self.country = country
        self._columns: dict[str, _Column] = {}
        self._building = threading.Lock()
        self._all_sources: frozenset[str] | None = None  # the directories held, on first use
        with _no_collector():
            given = contacts if isinstance(contacts, ContactTable) else ContactTable.of(contacts)
            self.table = given
            #: ``order[rank]``: where the contact of that rank (in name order) is in ``table``.
            self.order = self._build(given)

    def _build(self, given: ContactTable) -> array[int]:
        """Sort ``given`` by name and build the name column; return the name order."""
        # Each contact is read once, in the order given (memory order: reading them in name
        # order costs cache misses), and the columns are put in name order afterwards.
        names = [fold(name) for name in given.names]
        order = sorted(range(len(given)), key=given.names.__getitem__)
        order.sort(key=names.__getitem__)  # stable: by folded name, then as written, then given
        parts: dict[str | None, tuple[str, list[str]]] = {None: (" ", [])}

        def part(value: str | None) -> tuple[str, list[str]]:
            found = parts.get(value)
            if found is None:
                tokens = words(fold(value or ""))
                found = parts[value] = (" " + " ".join(tokens), tokens)
            return found

        companies, departments = given.companies, given.departments
        segments: list[str] = []

        def tokens_in_name_order() -> Iterator[tuple[str, ...]]:
            """Each contact's tokens, in name order, one at a time (never a list of them
            all); its segment of the column's text is made on the way."""
            add_segment = segments.append
            for i in order:
                name = words(names[i])
                company_text, company = part(companies[i])
                department_text, department = part(departments[i])
                add_segment(f" {' '.join(name)}\t{company_text}\t{department_text}")
                yield (*name, *company, *department)

        postings = _postings(tokens_in_name_order())
        self._columns[ANY] = _WordColumn(segments, postings)
        return array("l", order)

    def _number_column(self) -> _KeyColumn:
        table, order = self.table, self.order
        if table.number_keys is not None:  # computed by the store already
            given, table.number_keys = table.number_keys, None  # the column keeps them
            segments = [given[i] for i in order]
            return _KeyColumn(
                segments, (segment.split() for segment in segments), _NUMBER_INDEX_WIDTH
            )
        pairs = [table.number_pairs(i) for i in order]
        flat_keys = iter(match_keys([number for ps in pairs for _, number in ps], self.country))
        keys = [[key or "" for key in islice(flat_keys, len(ps))] for ps in pairs]
        segments = [" " + " ".join(key_list) for key_list in keys]
        return _KeyColumn(segments, keys, _NUMBER_INDEX_WIDTH)

    def _email_column(self) -> _KeyColumn:
        """Every address of each contact: its main one, then those among its details."""
        table = self.table
        emails: list[list[str]] = []
        for i in self.order:
            email = table.emails[i]
            found = [fold(email.strip())] if email else []
            if table.details[i] or table.objects is not None:
                found += [fold(v) for kind, v in table.detail_pairs(i) if kind == EMAIL_DETAIL]
            emails.append(found)
        segments = [" " + " ".join(found) for found in emails]
        return _KeyColumn(segments, emails, _EMAIL_INDEX_WIDTH)

    def _column(self, name: str) -> _Column:
        """A column by name. The number and e-mail columns are built on first use (or by
        :meth:`prepare`): a search by name, the common case, never waits for them."""
        column = self._columns.get(name)
        if column is None:
            with self._building, _no_collector():  # the worker of prepare() may be at it
                column = self._columns.get(name)
                if column is None:
                    column = self._number_column() if name == NUMBER else self._email_column()
                    self._columns[name] = column
        return column

    def prepare(self) -> None:
        """Build now what the first search by number, e-mail or "contains" would build (a few
        hundred milliseconds for 100 000 contacts); call it from a worker after building."""
        for name in (ANY, NUMBER, EMAIL):
            self._column(name).prepare()

    def __len__(self) -> int:
        return len(self.table)

    def contact(self, rank: int) -> Contact:
        """The contact of this rank (in name order)."""
        return self.table.contact(self.order[rank])

    # ---- matching one contact -----------------------------------------------------------

    def _segment(self, field: str, rank: int) -> str:
        segment = self._column(_COLUMN_OF[field]).segment(rank)
        if field in _TEXT_PARTS:
            return segment.split("\t")[_TEXT_PARTS[field]]
        return segment

    def _tier(self, clause: Clause, rank: int) -> int | None:
        """0: a token of the field starts with the clause; 1: one contains it; None: no."""
        segment = self._segment(clause.field, rank)
        if " " + clause.prefix in segment:
            return 0
        if clause.inner and clause.inner in segment:
            return 1
        return None

    def _tiers(self, clauses: list[Clause], rank: int, start: int) -> int | None:
        worst = start
        for clause in clauses:
            tier = self._tier(clause, rank)
            if tier is None:
                return None
            worst = max(worst, tier)
        return worst

    # ---- searching ----------------------------------------------------------------------

    def search(
        self, term: str, *, limit: int = 50, sources: Collection[str] | None = None
    ) -> list[Contact]:
        """The contacts matching ``term``, best first (see the module docstring); only those
        of ``sources`` (their ``Contact.source``) when given."""
        return [c for _, c in self.search_ranked(term, limit=limit, sources=sources)]

    def search_ranked(
        self, term: str, *, limit: int = 50, sources: Collection[str] | None = None
    ) -> list[tuple[int, Contact]]:
        """As :meth:`search`, each with its tier: 0 matched by word starts, 1 by "contains"."""
        if limit <= 0:
            return []
        kept = self._source_filter(sources)
        if not term.strip():
            ranks = (rank for rank in range(len(self.table)) if kept is None or kept(rank))
            return [(0, self.contact(rank)) for rank in islice(ranks, limit)]
        clauses = parse_query(term, self.country)
        if not clauses:
            return []
        return [(tier, self.contact(rank)) for tier, rank in self._ranked(clauses, limit, kept)]

    def _source_filter(self, sources: Collection[str] | None) -> Callable[[int], bool] | None:
        """Whether the contact of a rank is in ``sources``; None when every one is."""
        if self._all_sources is None:
            self._all_sources = frozenset(self.table.sources)
        if sources is None or self._all_sources <= set(sources):
            return None
        wanted, given, order = frozenset(sources), self.table.sources, self.order
        return lambda rank: given[order[rank]] in wanted

    def _ranked(
        self, clauses: list[Clause], limit: int, kept: Callable[[int], bool] | None = None
    ) -> list[tuple[int, int]]:
        def cost(clause: Clause) -> tuple[int, int]:
            column = self._column(_COLUMN_OF[clause.field])
            return column.prefix_count(clause.prefix), -len(clause.prefix)

        driver = min(clauses, key=cost)
        others = [clause for clause in clauses if clause is not driver]
        column = self._column(_COLUMN_OF[driver.field])
        exact = not others and driver.field == _COLUMN_OF[driver.field]
        best: list[int] = []
        good: list[int] = []
        seen: set[int] = set()
        for rank in column.with_prefix(driver.prefix, lazy=exact):
            seen.add(rank)
            if kept is not None and not kept(rank):
                continue
            tier = 0 if exact else self._tiers([driver, *others], rank, 0)
            if tier == 0:
                best.append(rank)
                if len(best) >= limit:
                    return [(0, rank) for rank in best]
            elif tier == 1:
                good.append(rank)
        wanted = limit - len(best)
        more: list[int] = []
        if driver.inner and wanted > 0:
            for rank in column.containing(driver.inner, seen):
                if kept is not None and not kept(rank):
                    continue
                if exact or self._tiers([driver, *others], rank, 1) is not None:
                    more.append(rank)
                    if len(more) >= wanted:
                        break
        rest = sorted(good + more)[:wanted]
        return [(0, rank) for rank in best] + [(1, rank) for rank in rest]
