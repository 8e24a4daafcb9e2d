"""SIP message parsing and building (RFC 3261 §7), tolerant of what real peers send.

Owns the wire format only: :class:`SipMessage` (start line, ordered headers, body),
:func:`parse` (raises :class:`SipParseError` for anything unusable, never another exception),
URI / name-addr / Via / parameter helpers. Replaces pyVoIP's ``SIPMessage`` whose parser
dropped messages with an empty header or no space after the colon (study defect #7) and knew
four methods only (defect #6). Accepted here: compact header names, empty values, ``Name:value``,
folded (continuation) lines, comma-joined Via/Route/Record-Route, LF-only line ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
    "o": "event",
    "r": "refer-to",
    "b": "referred-by",
    "u": "allow-events",
    "x": "session-expires",
}
#: Header names whose comma-joined values are separate entries.
LIST_HEADERS = frozenset({"via", "route", "record-route"})
CANONICAL = {
    "call-id": "Call-ID",
    "cseq": "CSeq",
    "www-authenticate": "WWW-Authenticate",
    "proxy-authenticate": "Proxy-Authenticate",
    "record-route": "Record-Route",
    "rseq": "RSeq",
    "mime-version": "MIME-Version",
}
MAX_SIZE = 65535
_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")
_STATUS = re.compile(r"^SIP/2\.0\s+(\d{3})(?:\s+(.*))?$", re.IGNORECASE)
_REQUEST = re.compile(r"^([A-Za-z0-9.!%*_+`'~-]+)\s+(\S+)\s+SIP/2\.0$", re.IGNORECASE)
REQUIRED = ("via", "from", "to", "call-id", "cseq")


class SipParseError(ValueError):
    """The datagram is not a usable SIP message."""


def canonical(name: str) -> str:
    name = name.lower()
    return CANONICAL.get(name) or "-".join(part.capitalize() for part in name.split("-"))


def split_list(value: str) -> list[str]:
    """Split a header value on commas outside quotes and angle brackets."""
    out, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "<":
            depth += 1
        elif char == ">":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            out.append(value[start:index].strip())
            start = index + 1
    out.append(value[start:].strip())
    return [item for item in out if item]


def params(text: str) -> dict[str, str]:
    """``;a=1;b`` → ``{"a": "1", "b": ""}`` (names lower-cased, quotes removed)."""
    out: dict[str, str] = {}
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        name, _, value = part.partition("=")
        out[name.strip().lower()] = value.strip().strip('"')
    return out


@dataclass
class SipUri:
    """``sip:user@host:port;params`` (headers after ``?`` are kept raw)."""

    host: str
    user: str = ""
    port: int | None = None
    params: dict[str, str] = field(default_factory=dict)
    scheme: str = "sip"
    headers: str = ""

    @classmethod
    def parse(cls, text: str) -> SipUri:
        text = text.strip().strip("<>")
        scheme, sep, rest = text.partition(":")
        if not sep or scheme.lower() not in ("sip", "sips", "tel"):
            raise SipParseError(f"not a SIP URI: {text[:80]!r}")
        rest, _, headers = rest.partition("?")
        rest, _, raw_params = rest.partition(";")
        user, at, hostport = rest.rpartition("@")
        if not at:
            user, hostport = "", rest
        host, port = hostport, None
        if hostport.startswith("["):
            host, _, tail = hostport.partition("]")
            host += "]"
            if tail.startswith(":") and tail[1:].isdigit():
                port = int(tail[1:])
        elif ":" in hostport:
            host, _, text_port = hostport.partition(":")
            if not text_port.isdigit():
                raise SipParseError(f"bad port in URI: {text[:80]!r}")
            port = int(text_port)
        if not host and scheme.lower() != "tel":
            raise SipParseError(f"no host in URI: {text[:80]!r}")
        return cls(host, user, port, params(raw_params), scheme.lower(), headers)

    def __str__(self) -> str:
        text = f"{self.scheme}:"
        if self.user:
            text += f"{self.user}@"
        text += self.host
        if self.port:
            text += f":{self.port}"
        for name, value in self.params.items():
            text += f";{name}={value}" if value else f";{name}"
        if self.headers:
            text += f"?{self.headers}"
        return text


@dataclass
class NameAddr:
    """``"Display" <uri>;tag=x`` as in From, To, Contact, Route, Refer-To."""

    uri: SipUri
    display: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> NameAddr:
        text = text.strip()
        if "<" in text:
            display, _, rest = text.partition("<")
            uri, closed, tail = rest.partition(">")
            if not closed:
                raise SipParseError(f"unclosed <> in {text[:80]!r}")
            display = display.strip().strip('"').strip()
            return cls(SipUri.parse(uri), display, params(tail))
        uri, _, tail = text.partition(";")  # addr-spec: params belong to the header
        return cls(SipUri.parse(uri), "", params(tail))

    @property
    def tag(self) -> str:
        return self.params.get("tag", "")

    def __str__(self) -> str:
        text = f'"{self.display}" ' if self.display else ""
        text += f"<{self.uri}>"
        for name, value in self.params.items():
            text += f";{name}={value}" if value else f";{name}"
        return text


@dataclass
class Via:
    transport: str
    host: str
    port: int | None
    params: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> Via:
        proto, _, rest = text.strip().partition(" ")
        parts = proto.split("/")
        if len(parts) != 3 or parts[0].upper() != "SIP":
            raise SipParseError(f"bad Via: {text[:80]!r}")
        sent_by, _, raw = rest.strip().partition(";")
        host, _, port = sent_by.strip().partition(":")
        if port and not port.isdigit():
            raise SipParseError(f"bad Via port: {text[:80]!r}")
        return cls(parts[2].upper(), host, int(port) if port else None, params(raw))

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")

    def reply_address(self) -> tuple[str, int]:
        """Where a response to this Via goes (RFC 3261 §18.2.2 and RFC 3581 rport)."""
        host = self.params.get("received") or self.host
        rport = self.params.get("rport", "")
        port = int(rport) if rport.isdigit() else (self.port or 5060)
        return host, port


@dataclass
class SipMessage:
    """One request (``method`` set) or response (``status`` set)."""

    method: str = ""
    uri: str = ""
    status: int = 0
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def is_request(self) -> bool:
        return bool(self.method)

    def get(self, name: str, default: str = "") -> str:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key == name]

    def add(self, name: str, value: str | int) -> SipMessage:
        self.headers.append((name.lower(), str(value)))
        return self

    def set(self, name: str, value: str | int) -> SipMessage:
        name = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k != name]
        self.headers.append((name, str(value)))
        return self

    def remove(self, name: str) -> None:
        name = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k != name]

    @property
    def call_id(self) -> str:
        return self.get("call-id")

    @property
    def cseq(self) -> tuple[int, str]:
        number, _, method = self.get("cseq").partition(" ")
        return int(number), method.strip().upper()

    @property
    def from_(self) -> NameAddr:
        return NameAddr.parse(self.get("from"))

    @property
    def to(self) -> NameAddr:
        return NameAddr.parse(self.get("to"))

    @property
    def vias(self) -> list[Via]:
        return [Via.parse(v) for v in self.get_all("via")]

    @property
    def top_via(self) -> Via:
        return Via.parse(self.get("via"))

    @property
    def content_type(self) -> str:
        return self.get("content-type").split(";")[0].strip().lower()

    def to_bytes(self) -> bytes:
        if self.method:
            lines = [f"{self.method} {self.uri} SIP/2.0"]
        else:
            lines = [f"SIP/2.0 {self.status} {self.reason}"]
        lines += [f"{canonical(k)}: {v}" for k, v in self.headers if k != "content-length"]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body

    def summary(self) -> str:
        first = f"{self.method} {self.uri}" if self.method else f"{self.status} {self.reason}"
        return f"{first} [{self.get('cseq')}] {self.call_id[:24]}"


def parse(data: bytes) -> SipMessage:
    """Parse one datagram; :class:`SipParseError` for anything that is not usable SIP."""
    try:
        return _parse(data)
    except SipParseError:
        raise
    except Exception as error:  # defensive: a parser bug must not escape as a traceback
        raise SipParseError(f"unparsable message ({type(error).__name__}: {error})") from None


def _parse(data: bytes) -> SipMessage:
    if len(data) > MAX_SIZE:
        raise SipParseError("message too large")
    data = data.lstrip(b"\r\n")
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = data.partition(b"\n\n")
    text = head.decode("utf-8", errors="replace")
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or not lines[0].strip():
        raise SipParseError("empty message")
    message = SipMessage()
    start = lines[0].strip()
    if match := _STATUS.match(start):
        message.status, message.reason = int(match.group(1)), (match.group(2) or "").strip()
        if not 100 <= message.status <= 699:
            raise SipParseError(f"bad status code {message.status}")
    elif match := _REQUEST.match(start):
        message.method, message.uri = match.group(1).upper(), match.group(2)
    else:
        raise SipParseError(f"bad start line {start[:60]!r}")
    unfolded: list[str] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += " " + line.strip()
        elif line.strip():
            unfolded.append(line)
    for line in unfolded:
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if not colon or not _TOKEN.match(name):
            raise SipParseError(f"bad header line {line[:60]!r}")
        name = COMPACT.get(name, name)
        value = value.strip()
        if name in LIST_HEADERS:
            message.headers.extend((name, item) for item in split_list(value))
        else:
            message.headers.append((name, value))
    for name in REQUIRED:
        if not message.get(name):
            raise SipParseError(f"missing {canonical(name)} header")
    number, _, method = message.get("cseq").partition(" ")
    if not number.strip().isdigit() or not method.strip():
        raise SipParseError(f"bad CSeq {message.get('cseq')[:40]!r}")
    if message.method and method.strip().upper() != message.method:
        raise SipParseError("CSeq method does not match the request")
    message.top_via  # noqa: B018 - validates the Via
    message.from_  # noqa: B018
    message.to  # noqa: B018
    length = message.get("content-length")
    if length.isdigit() and int(length) <= len(body):
        body = body[: int(length)]
    message.body = body
    return message
