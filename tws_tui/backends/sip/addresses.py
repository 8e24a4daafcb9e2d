"""SIP addresses (RFC 3261 §19.1, §20.10, §25.1): URIs, name-addrs, header parameters and lists.

Owns the text forms pyVoIP has no parser for (its ``SIPMessage`` splits From/To on ``sip:``
and keeps Contact, Route, Record-Route and Refer-To as raw strings): :class:`SipUri`
(``sip:``/``sips:``/``tel:``, user, host, port, parameters, ``?headers`` kept raw),
:class:`NameAddr` (display name, URI, header parameters such as the tag), :func:`params` and
:func:`split_list` (commas outside quotes and angle brackets). :class:`SipParseError` is the
one error of the message layer, a ``pyVoIP.SIP.SIPParseError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tws_tui.backends.sip.upstream import SIPParseError


class SipParseError(SIPParseError, ValueError):
    """The datagram (or a header in it) is not usable SIP."""


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
