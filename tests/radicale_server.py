"""A real Radicale CardDAV server on loopback, for the CardDAV directory's tests.

:func:`radicale` starts ``python -m radicale`` (the ``radicale`` package of the ``dev`` extra)
on a free loopback port with a temporary storage folder and htpasswd authentication (plain
text passwords: the test's own throw-away account), makes one address book, and stops the
server when the test ends. A missing Radicale fails the test under ``CI=true`` and skips it
elsewhere, saying why.

:class:`Server` also changes the address book behind the console's back, as another CardDAV
client (a phone, Nextcloud's web page) would: ``put``, ``delete``, ``get``.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from needs import missing

USER, PASSWORD = "alice", "s3cret-pw"
BOOK = "contacts"
_MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">
  <set><prop>
    <resourcetype><collection/><CR:addressbook/></resourcetype>
    <displayname>{name}</displayname>
  </prop></set>
</mkcol>"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def card(name: str, number: str, *, uid: str | None = None, email: str | None = None) -> str:
    """A vCard 3.0 as another client writes it."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid or uuid.uuid4()}",
        f"FN:{name}",
        f"N:{name.rpartition(' ')[2]};{name.rpartition(' ')[0]};;;",
        f"TEL;TYPE=WORK:{number}",
    ]
    if email:
        lines.append(f"EMAIL:{email}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


@dataclass
class Server:
    """A running Radicale: its base URL, the address book's URL, and a client of its own."""

    base: str
    book_url: str
    folder: Path
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(auth=(USER, PASSWORD), timeout=10.0)

    def put(self, name: str, text: str) -> str:
        """Write ``name`` (``x.vcf``) in the address book; its new ETag."""
        with self.client() as client:
            answer = client.put(
                self.book_url + name, content=text, headers={"Content-Type": "text/vcard"}
            )
        assert answer.status_code in (201, 204), answer.text
        return answer.headers.get("ETag", "")

    def delete(self, name: str) -> None:
        with self.client() as client:
            answer = client.delete(self.book_url + name)
        assert answer.status_code in (200, 204), answer.text

    def get(self, name: str) -> httpx.Response:
        with self.client() as client:
            return client.get(self.book_url + name)

    def names(self) -> set[str]:
        """The files in the address book, as the server lists them."""
        body = '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'
        with self.client() as client:
            answer = client.request("PROPFIND", self.book_url, content=body, headers={"Depth": "1"})
        import xml.etree.ElementTree as ET

        hrefs = [h.text or "" for h in ET.fromstring(answer.content).iter("{DAV:}href")]
        return {h.rsplit("/", 1)[1] for h in hrefs if h.endswith(".vcf")}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@contextmanager
def radicale(folder: Path, *, display_name: str = "Company book") -> Iterator[Server]:
    """A Radicale server on loopback with one address book (see the module docstring)."""
    if importlib.util.find_spec("radicale") is None:
        missing("Radicale is not installed (pip install -e '.[dev]' installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    config = folder / "radicale.conf"
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\n"
        "type = htpasswd\n"
        f"htpasswd_filename = {users}\n"
        "htpasswd_encryption = plain\n"
        "delay = 0\n"
        "[rights]\n"
        "type = owner_only\n"
        "[storage]\n"
        f"filesystem_folder = {folder / 'collections'}\n"
        "[logging]\n"
        "level = warning\n",
        encoding="utf-8",
    )
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    server = Server(base, f"{base}/{USER}/{BOOK}/", folder, process)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError((folder / "radicale.log").read_text(errors="replace"))
            try:
                httpx.get(base + "/.web/", timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("Radicale did not answer within 20 s") from None
                time.sleep(0.05)
        with server.client() as client:
            made = client.request(
                "MKCOL", server.book_url, content=_MKCOL.format(name=display_name)
            )
            assert made.status_code == 201, made.text
        yield server
    finally:
        server.stop()
        log.close()
