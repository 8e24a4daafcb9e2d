"""``CardDavBook``: a directory synchronised from a CardDAV address book, read-only or two-way.

Owns the sync and the write-through. The wire is :mod:`.carddav_client` (httpx), the local
copy :mod:`.carddav_store` (SQLite), the vCards are read by
:func:`tws_tui.contacts.exchange.import_vcard` and written by
:func:`~tws_tui.contacts.exchange.export_vcard` (no parser of our own). Everything here
blocks: the console runs it in a worker thread, never on its loop.

**Sync** (:meth:`CardDavBook.sync`): ``PROPFIND`` the book (name, ctag, sync token, reports).

* With a sync token from the last sync and a server that offers ``sync-collection``, only the
  cards changed or removed since are asked for (a token the server forgot falls back to the
  next way);
* else an unchanged ctag means nothing changed; else every card's ETag is listed and only the
  cards whose ETag differs from the copy's are downloaded (``addressbook-multiget``); those
  gone from the server leave the copy.

Each card downloaded is read by ``import_vcard``; a card it refuses is left out and counted
(its reason logged). The changes are written in one transaction with the new token: a sync
that fails leaves the last copy whole, and the console keeps searching it. How each sync went
(when, what changed or why it failed) is kept with the copy: :meth:`CardDavBook.status`.

**Two-way** (``mode = "two-way"``): :meth:`add` ``PUT``\\ s a new card (``If-None-Match: *``,
a new UID and ``href``), :meth:`update` ``PUT``\\ s the contact with ``If-Match`` its ETag,
keeping the card's UID and every property the console does not show (photo, birthday, IMPP…),
:meth:`delete` sends ``DELETE`` with ``If-Match``. A card changed on the server since the last
sync answers 412: **the server wins** — its version is fetched into the copy and
:class:`~.carddav_client.CardDavConflict` says so. **Read-only**: the three refuse with
:class:`CardDavReadOnly` before any request.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from tws_tui.contacts.carddav_client import CardDavClient, CardDavConflict, CardDavError
from tws_tui.contacts.carddav_store import SOURCE, CardDavStore
from tws_tui.contacts.rules import _Sentence, check_contact
from tws_tui.core.model import Contact
from tws_tui.core.values import value_class
from tws_tui.platform.i18n import N_, _, ngettext
from tws_tui.settings.schema import CardDavSettings

log = logging.getLogger(__name__)

SECRET_SERVICE = "carddav"  # the keyring entry: ("carddav", user name)
TWO_WAY = "two-way"
#: The vCard properties the console shows and edits: an edited card is written with the
#: console's, the card's other properties are kept as they were.
EDITED = frozenset(
    {
        "VERSION",
        "PRODID",
        "REV",
        "FN",
        "N",
        "ORG",
        "EMAIL",
        "TEL",
        "ADR",
        "URL",
        "TITLE",
        "BDAY",
        "NOTE",
        "X-ASSISTANT",
        "X-EVOLUTION-ASSISTANT",
        "X-MS-ASSISTANT",
        "X-CUSTOMER-NUMBER",
        "X-ABLABEL",
        "UID",
    }
)

READ_ONLY = N_("{name}: {book} is a read-only CardDAV book. Change it on the server.")
NO_PASSWORD_FILE = N_("The CardDAV password file {path} cannot be read ({reason}).")
NO_CARD = N_("{name} is no longer in the CardDAV address book.")
CARD_REFUSED = N_("The card of {name} saved on the CardDAV server cannot be read back.")
SYNCED_CHANGES = N_("{changed} changed, {removed} removed")
SYNCED_NOTHING = N_("up to date")
SYNC_FAILED = N_("failed: {error} The last copy stays usable.")


class CardDavReadOnly(_Sentence, PermissionError):
    """A change to a read-only CardDAV book's contact, refused before any request."""


@value_class
class SyncReport:
    """One sync: ``how`` ("changes": sync-collection, "full": every ETag listed,
    "unchanged": same ctag), how many cards were downloaded, changed (added or updated),
    removed, and those ``import_vcard`` refused."""

    how: str
    fetched: int = 0
    changed: int = 0
    removed: int = 0
    refused: int = 0


@value_class
class SyncStatus:
    """What the console shows of the book: its name, how many contacts the copy has, and the
    last sync (when, epoch seconds; its result in the user's language; whether it failed)."""

    name: str
    count: int
    when: float | None = None
    result: str = ""
    failed: bool = False


def read_password(settings: CardDavSettings) -> str | None:
    """The password: ``password_file``'s first line, else the keyring's for the user name."""
    if settings.password_file:
        path = Path(settings.password_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise CardDavError(NO_PASSWORD_FILE, path=str(path), reason=reason) from None
        return lines[0].strip() if lines else ""
    if not settings.username:
        return None
    from tws_tui.platform.secrets import get_secret

    return get_secret(SECRET_SERVICE, settings.username)


class CardDavBook:
    """The synchronised address book of ``settings`` (see the module docstring)."""

    source = SOURCE

    def __init__(
        self,
        settings: CardDavSettings,
        store: CardDavStore | None = None,
        *,
        password: Callable[[], str | None] | None = None,
        now: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        self.settings = settings
        self.store = store if store is not None else CardDavStore()
        self._password = password if password is not None else lambda: read_password(settings)
        self._now = now
        self._timeout = timeout
        self._lock = threading.Lock()  # one sync or write at a time

    @property
    def two_way(self) -> bool:
        return self.settings.mode == TWO_WAY

    def name(self) -> str:
        """The book's display name as the server gives it, else "CardDAV"."""
        return self.store.facts().get("name") or "CardDAV"

    def _client(self) -> CardDavClient:
        return CardDavClient(
            self.settings.url, self.settings.username, self._password(), timeout=self._timeout
        )

    # ---- reading the copy ---------------------------------------------------------------

    def contacts(self) -> list[Contact]:
        return self.store.contacts()

    def revision(self) -> object:
        return self.store.revision()

    def find_by_number(self, number: str) -> list[Contact]:
        return self.store.find_by_number(number)

    def status(self) -> SyncStatus:
        facts = self.store.facts()
        when = facts.get("synced_at")
        return SyncStatus(
            name=facts.get("name") or "CardDAV",
            count=self.store.count(),
            when=float(when) if when else None,
            result=_result_text(facts.get("result", "")),
            failed=facts.get("failed") == "1",
        )

    # ---- sync ---------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Bring the copy up to date; :class:`CardDavError` (kept as the last result) when
        the server cannot be asked: the copy then stays as it was."""
        with self._lock:
            try:
                report = self._sync()
            except CardDavError as error:
                self._remember(SYNC_FAILED, failed=True, error=error)
                raise
            if report.changed or report.removed:
                self._remember(SYNCED_CHANGES, changed=report.changed, removed=report.removed)
            else:
                self._remember(SYNCED_NOTHING)
            log.info("CardDAV sync: %s, %d cards downloaded", report.how, report.fetched)
            return report

    def _remember(
        self,
        sentence: str,
        *,
        failed: bool = False,
        error: CardDavError | None = None,
        **params: object,
    ) -> None:
        """The last result, logged in English and kept as its msgid and parameters (the
        error's too), so that it is shown in the language of the moment."""
        kept: dict[str, object] = {"msgid": sentence, "params": params}
        if error is not None:
            kept["error"] = {"msgid": error.sentence, "params": error.details}
        english = sentence.format(error=error.english() if error else "", **params)
        log.info("CardDAV sync of %s: %s", self.settings.url, english)
        self.store.note(
            synced_at=repr(self._now()),
            result=json.dumps(kept, ensure_ascii=False, default=str),
            failed="1" if failed else "0",
        )

    def _sync(self) -> SyncReport:
        facts = self.store.facts()
        same_book = facts.get("url") == self.settings.url
        with self._client() as client:
            info = client.info()
            token = facts.get("token") if same_book else None
            if token and info.can_sync_collection:
                from tws_tui.contacts.carddav_client import SyncTokenRejected

                try:
                    changes = client.changes(token)
                except SyncTokenRejected:
                    log.info("CardDAV server forgot the sync token: listing the whole book")
                else:  # what this console wrote itself since is already in the copy
                    local = self.store.etags()
                    wanted = [href for href, etag in changes.changed if local.get(href) != etag]
                    removed = [href for href in changes.removed if href in local]
                    return self._apply(
                        client,
                        "changes",
                        wanted,
                        removed,
                        changes.token,
                        info.ctag,
                        info.display_name,
                        same_book,
                    )
            if same_book and info.ctag and info.ctag == facts.get("ctag"):
                return SyncReport("unchanged")
            on_server = client.etags()
            local = self.store.etags() if same_book else {}
            wanted = [href for href, etag in on_server.items() if local.get(href) != etag]
            removed = [href for href in local if href not in on_server]
            return self._apply(
                client,
                "full",
                wanted,
                removed,
                info.sync_token,
                info.ctag,
                info.display_name,
                same_book,
            )

    def _apply(
        self,
        client: CardDavClient,
        how: str,
        wanted: Iterable[str],
        removed: Iterable[str],
        token: str | None,
        ctag: str | None,
        name: str,
        same_book: bool,
    ) -> SyncReport:
        read = [(href, etag, self._read(href, text)) for href, etag, text in client.cards(wanted)]
        kept = [(href, etag, text, c) for href, etag, (text, c) in read if c is not None]
        gone = list(removed)
        with self.store.transaction() as db:
            if not same_book:
                self.store.clear(db)
            for href, etag, text, contact in kept:
                self.store.save(db, href, etag, text, contact)
            self.store.remove(db, gone + [href for href, _etag, (_t, c) in read if c is None])
            self.store.set_facts(
                db, url=self.settings.url, token=token, ctag=ctag, name=name or None
            )
        return SyncReport(how, len(read), len(kept), len(gone), len(read) - len(kept))

    @staticmethod
    def _read(href: str, text: str) -> tuple[str, Contact | None]:
        """The card's text and its contact, or None (logged) when ``import_vcard`` refuses it."""
        from tws_tui.contacts.exchange import import_vcard

        report = import_vcard(text if "\n" in text else text + "\r\n")
        if not report.contacts:
            log.warning(
                "CardDAV card %s left out: %s", href, "; ".join(m for _n, m in report.problems)
            )
            return text, None
        contact = report.contacts[0]
        return text, Contact(
            id=href,
            source=SOURCE,
            name=contact.name,
            numbers=contact.numbers,
            company=contact.company,
            department=contact.department,
            email=contact.email,
            details=contact.details,
        )

    # ---- two-way ------------------------------------------------------------------------

    def _refuse_unless_two_way(self, contact: Contact) -> None:
        if not self.two_way:
            raise CardDavReadOnly(READ_ONLY, name=contact.name, book=self.name())

    def add(self, contact: Contact) -> Contact:
        """A new card on the server (``If-None-Match: *``), then in the copy; returned with
        its ``href`` as id."""
        self._refuse_unless_two_way(contact)
        checked = check_contact(contact)
        uid = str(uuid.uuid4())
        from urllib.parse import urlsplit

        href = urlsplit(self.settings.url).path.rstrip("/") + f"/{uid}.vcf"
        text = vcard_of(checked, uid)
        with self._lock, self._client() as client:
            etag = client.put(href, text, None)
            return self._keep(client, href, etag, text)

    def update(self, contact: Contact) -> Contact:
        """The contact's card changed on the server (``If-Match`` its ETag), then in the copy.
        A card changed there meanwhile is not overwritten: :class:`CardDavConflict`, and the
        server's version is in the copy."""
        held = self.store.card(contact.id)
        if held is None:
            raise CardDavError(NO_CARD, name=contact.name)
        self._refuse_unless_two_way(contact)
        checked = check_contact(contact)
        etag, original, _old = held
        text = vcard_of(checked, None, original)
        with self._lock, self._client() as client:
            try:
                new_etag = client.put(contact.id, text, etag or None)
            except CardDavConflict:
                self._server_wins(client, contact)
                raise CardDavConflict(
                    N_(
                        "{name} was changed on the server meanwhile: the server's version is "
                        "kept and yours was not sent."
                    ),
                    name=contact.name,
                ) from None
            return self._keep(client, contact.id, new_etag, text)

    def delete(self, contact_id: str) -> None:
        """The card deleted on the server (``If-Match`` its ETag), then from the copy."""
        held = self.store.card(contact_id)
        if held is None:
            return
        etag, _text, contact = held
        self._refuse_unless_two_way(contact)
        with self._lock, self._client() as client:
            try:
                client.delete(contact_id, etag or None)
            except CardDavConflict:
                self._server_wins(client, contact)
                raise CardDavConflict(
                    N_(
                        "{name} was changed on the server meanwhile: it was not deleted, and "
                        "the server's version is kept."
                    ),
                    name=contact.name,
                ) from None
            with self.store.transaction() as db:
                self.store.remove(db, [contact_id])

    def _keep(self, client: CardDavClient, href: str, etag: str | None, text: str) -> Contact:
        """A card just written, into the copy. The server may have changed what it stored
        (then it sends no ETag): its own version is read back."""
        if not etag:
            fetched = list(client.cards([href]))
            if fetched:
                _href, etag, text = fetched[0]
        read_text, contact = self._read(href, text)
        if contact is None:
            raise CardDavError(CARD_REFUSED, name=href)
        with self.store.transaction() as db:
            self.store.save(db, href, etag or "", read_text, contact)
        return contact

    def _server_wins(self, client: CardDavClient, contact: Contact) -> None:
        """After a 412: the server's card into the copy (or out of it when it is gone)."""
        fetched = list(client.cards([contact.id]))
        with self.store.transaction() as db:
            if not fetched:
                self.store.remove(db, [contact.id])
                return
            href, etag, text = fetched[0]
            read_text, read = self._read(href, text)
            if read is None:
                self.store.remove(db, [contact.id])
            else:
                self.store.save(db, href, etag, read_text, read)


def _result_text(kept: str) -> str:
    """A sync's result as :meth:`CardDavBook._remember` kept it, in the current language."""
    if not kept:
        return ""
    try:
        data = json.loads(kept)
        params = dict(data.get("params", {}))
        if "error" in data:
            error = data["error"]
            params["error"] = _(error["msgid"]).format(**error["params"])
        return _(data["msgid"]).format(**params)
    except (ValueError, KeyError, TypeError, IndexError):  # written by another version
        return ""


def vcard_of(contact: Contact, uid: str | None, original: str | None = None) -> str:
    """The card to send for ``contact``: written by ``export_vcard``, with the UID (the new
    one, or the original card's) and every property of the original the console does not
    edit kept as it was."""
    import vobject  # type: ignore[import-untyped]

    from tws_tui.contacts.exchange import export_vcard

    card = vobject.readOne(export_vcard([contact]))
    if original is not None:
        try:
            old = vobject.readOne(original)
        except Exception:  # vobject raises ParseError and others: nothing to keep then
            old = None
        if old is not None:
            for line in old.getChildren():
                if line.name.upper() not in EDITED:
                    card.add(line)
            if uid is None and hasattr(old, "uid"):
                uid = str(old.uid.value)
    if uid and not hasattr(card, "uid"):
        card.add("uid").value = uid
    return str(card.serialize())


def describe_sync(report: SyncReport) -> str:
    """A sync's outcome in words, for a notice."""
    if not (report.changed or report.removed):
        return _("CardDAV address book up to date.")
    return ngettext(
        "CardDAV address book synchronised: {count} contact changed.",
        "CardDAV address book synchronised: {count} contacts changed.",
        report.changed + report.removed,
    ).format(count=report.changed + report.removed)
