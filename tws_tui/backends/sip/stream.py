"""SIP over a stream (TCP or TLS, RFC 3261 §18): framing, the TLS context, the connection.

Owns what a connection-oriented transport needs and UDP does not:

* :class:`StreamFramer`: a stream carries messages back to back, each delimited by its
  ``Content-Length`` (mandatory on streams, §18.3; ``l:`` is its compact form); CRLFs between
  messages are RFC 5626 keep-alive pings (``CRLFCRLF``) or pongs (``CRLF``) and are counted,
  not parsed. A header block over 64 KB, a missing or bad ``Content-Length`` or a body over
  1 MB cannot be framed: the connection is then closed (and opened again by the endpoint)
  rather than read out of step;
* :func:`tls_context`: the server's certificate is checked against ``ca_bundle`` (a PEM
  file) or the system's CAs, and its name against ``server`` (TLS 1.2 at least);
* :class:`StreamProtocol`: the asyncio protocol of the one connection to the SIP server (an
  outbound flow: the server sends its requests back on it).
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

MAX_HEADERS = 65536
MAX_BODY = 1 << 20
_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)[ \t]*$", re.I | re.M)


class FramingError(ValueError):
    """The stream cannot be split into messages any more."""


class StreamFramer:
    """Splits a byte stream into SIP messages; ``pongs`` counts the CRLF keep-alives seen."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.pongs = 0

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        out: list[bytes] = []
        while True:
            stripped = self._buffer.lstrip(b"\r\n")
            if len(stripped) != len(self._buffer):
                self.pongs += 1
                self._buffer = bytearray(stripped)
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEADERS:
                    raise FramingError("header block too long")
                return out
            head = bytes(self._buffer[:end])
            found = _LENGTH.findall(head)
            if len(found) != 1 or int(found[0]) > MAX_BODY:
                raise FramingError("no usable Content-Length on a stream")
            total = end + 4 + int(found[0])
            if len(self._buffer) < total:
                return out
            out.append(bytes(self._buffer[:total]))
            del self._buffer[:total]


def tls_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """A client context that checks the server's certificate and name (``ca_bundle``: the
    CAs to trust, else the system's)."""
    context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class StreamProtocol(asyncio.Protocol):
    """The connection to the SIP server: each framed message goes to ``deliver``."""

    def __init__(
        self,
        deliver: Callable[[bytes, tuple[str, int]], None],
        lost: Callable[[StreamProtocol, Exception | None], None],
    ) -> None:
        self.deliver = deliver
        self.on_lost = lost
        self.framer = StreamFramer()
        self.transport: asyncio.Transport | None = None
        self.peer: tuple[str, int] = ("", 0)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = (str(peer[0]), int(peer[1]))

    def data_received(self, data: bytes) -> None:
        try:
            messages = self.framer.feed(data)
        except FramingError as error:
            log.warning("SIP stream from %s:%s out of step (%s): closing it", *self.peer, error)
            if self.transport is not None:
                self.transport.close()
            return
        for message in messages:
            self.deliver(message, self.peer)

    def connection_lost(self, exc: Exception | None) -> None:
        self.on_lost(self, exc)

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)
