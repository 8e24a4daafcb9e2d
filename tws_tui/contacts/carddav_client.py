"""``CardDavClient``: the few WebDAV requests a CardDAV address book needs, over httpx.

Owns the wire: which request asks what (RFC 4918 WebDAV, RFC 6352 CardDAV, RFC 6578
sync-collection), reading the multistatus answers, and turning every failure into a
:class:`CardDavError` whose sentence a user can act on (server unreachable, user or password
refused, not an address book, an answer that is not WebDAV XML); no httpx, socket or XML
message reaches the user. It knows nothing of the local copy (:mod:`.carddav`).

Requests, all on the address book's URL or a card's ``href`` under it:

* ``PROPFIND`` depth 0: the book's display name, ``CS:getctag``, ``DAV:sync-token`` and
  whether it offers the ``sync-collection`` report;
* ``REPORT sync-collection`` (the token from the last sync): the cards changed or removed
  since; ``PROPFIND`` depth 1: every card's ``href`` and ``ETag`` (when the server has no
  sync-collection or forgot the token);
* ``REPORT addressbook-multiget``: the vCards of the cards asked for, by hundreds;
* ``PUT`` with ``If-Match: <etag>`` (a change) or ``If-None-Match: *`` (a new card),
  ``DELETE`` with ``If-Match``: a card changed on the server meanwhile answers 412, raised as
  :class:`CardDavConflict`.

**Why httpx and not a CardDAV library.** The project asked for a maintained library. Looked
at (December 2026, PyPI): ``caldav`` 3.6.0 has no address-book class (CardDAV appears only in
its RFC 6764 service discovery) and would bring icalendar, niquests, dnspython, lxml and
pyyaml; ``vdirsyncer`` 0.21.0 has a ``CardDAVStorage`` but it is an application's internal,
aiohttp-based storage layer (aiohttp, aiostream, click, requests, tenacity) that lists by
``PROPFIND`` only, without sync-collection, so every sync would re-list the whole book;
``webdav4`` and ``webdavclient3`` are file-transfer clients without ``REPORT``; ``pycarddav``
(2014) is Python 2; the ``carddav`` client announced in November 2026 is not on the registry
this project installs from. The requests above are six small XML bodies over httpx, which
the project already uses for the cti backend; the vCards themselves are read and written by
:mod:`tws_tui.contacts.exchange` (vobject). XML is read with the standard library's
ElementTree (expat): it never fetches external entities, and expat ≥ 2.4.1 (Python 3.11's)
refuses the "billion laughs" entity expansion.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from tws_tui.contacts.rules import _Sentence
from tws_tui.core.values import value_class
from tws_tui.platform.i18n import N_

if TYPE_CHECKING:
    import httpx

DAV = "{DAV:}"
CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
CALSERVER = "{http://calendarserver.org/ns/}"
MULTIGET_BATCH = 100

UNREACHABLE = N_("The CardDAV server at {url} cannot be reached ({reason}).")
UNAUTHORIZED = N_(
    "The CardDAV server refused the user {user!r} or its password (tws-tui carddav password)."
)
FORBIDDEN = N_("The CardDAV server does not let {user!r} {what} ({status}).")
NOT_FOUND = N_("There is no address book at {url} (the server answered {status}).")
NOT_A_BOOK = N_("{url} is not a CardDAV address book.")
BAD_STATUS = N_("The CardDAV server answered {status} when asked to {what}.")
BAD_XML = N_("The CardDAV server did not answer in WebDAV XML when asked to {what}.")
CONFLICT = N_(
    "{name} was changed on the server meanwhile: the server's version is kept and yours was "
    "not sent."
)
#: What a request was for, in the sentences above.
READING = N_("read the address book")
WRITING = N_("change a card")


class CardDavError(_Sentence, Exception):
    """A CardDAV request failed; ``str()`` is the sentence to show, in the user's language."""

    def english(self) -> str:
        """The sentence in English (for the log)."""
        return self.sentence.format(**self.details)


class CardDavConflict(CardDavError):
    """The card changed on the server since it was read (412 Precondition Failed)."""


@value_class
class BookInfo:
    """What ``PROPFIND`` depth 0 says of the address book."""

    display_name: str
    ctag: str | None
    sync_token: str | None
    can_sync_collection: bool


@value_class
class Changes:
    """What ``sync-collection`` answered: cards changed (``href``, ``etag``), cards removed,
    and the token for next time."""

    changed: tuple[tuple[str, str], ...]
    removed: tuple[str, ...]
    token: str | None


class SyncTokenRejected(CardDavError):
    """The server no longer knows the sync token (RFC 6578 ``valid-sync-token``)."""


def _explained(error: Exception) -> str:
    """A transport error in a few words (its type when it says nothing)."""
    text = str(error).strip()
    return text if text else type(error).__name__


class CardDavClient:
    """Requests to one address book (``url``, ending with ``/``) with HTTP basic auth."""

    def __init__(
        self, url: str, username: str = "", password: str | None = None, *, timeout: float = 10.0
    ) -> None:
        import httpx  # here: the console starts without it

        self.url = url if url.endswith("/") else url + "/"
        self.username = username
        auth = httpx.BasicAuth(username, password or "") if username else None
        self._http = httpx.Client(auth=auth, timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CardDavClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- one request --------------------------------------------------------------------

    def _target(self, href: str) -> str:
        import httpx

        return str(httpx.URL(self.url).join(href))

    def _send(
        self,
        method: str,
        href: str,
        what: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        accept: Iterable[int] = (200, 201, 204, 207),
    ) -> httpx.Response:
        import httpx

        sent = dict(headers or {})
        if body is not None and "Content-Type" not in sent:
            sent["Content-Type"] = 'application/xml; charset="utf-8"'
        try:
            answer = self._http.request(
                method, self._target(href), content=body.encode() if body else None, headers=sent
            )
        except httpx.HTTPError as error:
            raise CardDavError(UNREACHABLE, url=self.url, reason=_explained(error)) from None
        status = answer.status_code
        if status in accept:
            return answer
        if status == 401:
            raise CardDavError(UNAUTHORIZED, user=self.username)
        if status == 412:
            raise CardDavConflict(CONFLICT, name=href)
        if status == 403:
            raise CardDavError(FORBIDDEN, user=self.username, what=what, status=status)
        if status == 404 and href == self.url:
            raise CardDavError(NOT_FOUND, url=self.url, status=status)
        raise CardDavError(BAD_STATUS, status=f"{status} {answer.reason_phrase}", what=what)

    def _xml(self, answer: httpx.Response, what: str) -> ET.Element:
        try:
            return ET.fromstring(answer.content)
        except ET.ParseError:
            raise CardDavError(BAD_XML, what=what) from None

    # ---- reading ------------------------------------------------------------------------

    def info(self) -> BookInfo:
        """The address book's name, ctag, sync token and reports (``PROPFIND`` depth 0)."""
        body = (
            '<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop>'
            "<resourcetype/><displayname/><CS:getctag/><sync-token/><supported-report-set/>"
            "</prop></propfind>"
        )
        answer = self._send("PROPFIND", self.url, READING, body=body, headers={"Depth": "0"})
        root = self._xml(answer, READING)
        props = [p for r in root.iter(f"{DAV}response") for p in r.iter(f"{DAV}prop")]
        if not any(p.find(f"{DAV}resourcetype/{CARDDAV}addressbook") is not None for p in props):
            raise CardDavError(NOT_A_BOOK, url=self.url)

        def text(tag: str) -> str | None:
            for prop in props:
                found = prop.find(tag)
                if found is not None and (found.text or "").strip():
                    return (found.text or "").strip()
            return None

        reports = {
            child.tag for prop in props for report in prop.iter(f"{DAV}report") for child in report
        }
        return BookInfo(
            display_name=text(f"{DAV}displayname") or "",
            ctag=text(f"{CALSERVER}getctag"),
            sync_token=text(f"{DAV}sync-token"),
            can_sync_collection=f"{DAV}sync-collection" in reports,
        )

    def etags(self) -> dict[str, str]:
        """Every card of the book: ``href`` → ``ETag`` (``PROPFIND`` depth 1)."""
        body = '<propfind xmlns="DAV:"><prop><getetag/><resourcetype/></prop></propfind>'
        answer = self._send("PROPFIND", self.url, READING, body=body, headers={"Depth": "1"})
        found: dict[str, str] = {}
        for href, prop, ok in self._responses(self._xml(answer, READING)):
            if (
                not ok
                or prop is None
                or prop.find(f"{DAV}resourcetype/{DAV}collection") is not None
            ):
                continue
            etag = prop.findtext(f"{DAV}getetag")
            if etag:
                found[href] = etag.strip()
        return found

    def changes(self, token: str) -> Changes:
        """What changed since ``token`` (``sync-collection``); :class:`SyncTokenRejected` when
        the server no longer knows it."""
        body = (
            '<sync-collection xmlns="DAV:">'
            f"<sync-token>{_escaped(token)}</sync-token><sync-level>1</sync-level>"
            "<prop><getetag/></prop></sync-collection>"
        )
        try:
            answer = self._send(
                "REPORT",
                self.url,
                READING,
                body=body,
                headers={"Depth": "1"},
                accept=(207,),
            )
        except CardDavError as error:
            if any(f" {code} " in f" {error.details.get('status', '')} " for code in (403, 409)):
                raise SyncTokenRejected(error.sentence, **error.details) from None
            raise
        root = self._xml(answer, READING)
        changed: list[tuple[str, str]] = []
        removed: list[str] = []
        for href, prop, ok in self._responses(root):
            etag = prop.findtext(f"{DAV}getetag") if prop is not None and ok else None
            if etag:
                changed.append((href, etag.strip()))
            elif not ok:
                removed.append(href)
        token_found = root.findtext(f"{DAV}sync-token")
        return Changes(tuple(changed), tuple(removed), token_found.strip() if token_found else None)

    def cards(self, hrefs: Iterable[str]) -> Iterator[tuple[str, str, str]]:
        """``(href, etag, vCard text)`` of each card asked for that the server still has
        (``addressbook-multiget``, by :data:`MULTIGET_BATCH`)."""
        wanted = list(hrefs)
        for start in range(0, len(wanted), MULTIGET_BATCH):
            batch = wanted[start : start + MULTIGET_BATCH]
            body = (
                '<C:addressbook-multiget xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
                "<prop><getetag/><C:address-data/></prop>"
                + "".join(f"<href>{_escaped(href)}</href>" for href in batch)
                + "</C:addressbook-multiget>"
            )
            answer = self._send(
                "REPORT", self.url, READING, body=body, headers={"Depth": "1"}, accept=(207,)
            )
            for href, prop, ok in self._responses(self._xml(answer, READING)):
                if not ok or prop is None:
                    continue
                data = prop.findtext(f"{CARDDAV}address-data")
                if data:
                    yield href, (prop.findtext(f"{DAV}getetag") or "").strip(), data

    @staticmethod
    def _responses(root: ET.Element) -> Iterator[tuple[str, ET.Element | None, bool]]:
        """``(href, prop, whether its status is 2xx)`` of each response of a multistatus."""
        import urllib.parse

        for response in root.iter(f"{DAV}response"):
            href = urllib.parse.unquote((response.findtext(f"{DAV}href") or "").strip())
            if not href:
                continue
            propstat = response.find(f"{DAV}propstat")
            prop = propstat.find(f"{DAV}prop") if propstat is not None else None
            status = (
                propstat.findtext(f"{DAV}status")
                if propstat is not None
                else response.findtext(f"{DAV}status")
            ) or ""
            yield href, prop, _is_success(status)

    # ---- writing ------------------------------------------------------------------------

    def put(self, href: str, vcard: str, etag: str | None) -> str | None:
        """Write a card: a change when ``etag`` is given (``If-Match``), else a new card
        (``If-None-Match: *``). Its new ETag, when the server says it."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        answer = self._send("PUT", href, WRITING, body=vcard, headers=headers)
        etag_sent: str | None = answer.headers.get("ETag")
        return etag_sent

    def delete(self, href: str, etag: str | None) -> None:
        """Delete a card (``If-Match`` its ETag); already gone is not an error."""
        headers = {"If-Match": etag} if etag else {}
        self._send("DELETE", href, WRITING, headers=headers, accept=(200, 204, 404))


def _is_success(status: str) -> bool:
    """Whether a ``DAV:status`` line (``HTTP/1.1 200 OK``) says 2xx; none said is success."""
    parts = status.split()
    if len(parts) < 2:
        return True
    return parts[1].startswith("2")


def _escaped(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)
