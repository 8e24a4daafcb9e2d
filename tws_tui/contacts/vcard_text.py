"""The vCard text format (2.1, 3.0, 4.0): from the bytes of a file to cards of content lines,
and content lines back to folded text. What a line *means* is :mod:`.vcard_files`' business.

Reading, in this order:

* **bytes → text.** UTF-8 (a BOM dropped) or UTF-16 with its BOM. A file that is not UTF-8 is
  kept byte for byte (as Latin-1) so each value can be decoded with its own ``CHARSET``
  parameter (vCard 2.1: ``Shift_JIS``, ``Windows-1252``…); a value without one is decoded with
  the charset ``charset-normalizer`` guesses for the whole file (Windows-1252 when it has no
  guess), and the card says so, since that is a guess.
* **lines.** Any of ``\\r\\n``, ``\\n``, ``\\r`` and iOS's ``\\r\\r\\n`` ends a line (line numbers
  count them once). A line starting with a space or a tab continues the one before (folding);
  a quoted-printable value ending in ``=`` continues on the next line (soft line break); a
  vCard 2.1 base64 value runs until a blank line; a line with no ``:`` after a property is
  taken as the rest of its value (old phones break ``ADR`` values that way).
* **cards.** ``BEGIN:VCARD`` … ``END:VCARD``; a card begun inside another (2.1 ``AGENT``,
  broken exports) is read as a card of its own and the outer one goes on. Cards are numbered
  in the order they begin (the first is 1); a card the file never closes is still read.
* **a content line** ``group.NAME;PARAM=a,b;BARE:value``: names upper-cased, a bare 2.1
  parameter is a ``TYPE``, quoted parameter values keep their ``,`` ``;`` ``:``. Quoted-printable
  and 2.1 base64 values are decoded; the value stays escaped (``\\,`` ``\\;`` ``\\n``), the
  meaning of escapes depending on the property (:func:`unescape`, :func:`split_structured`).

Writing: :func:`content_line` builds a 3.0/4.0 line (UTF-8, escaped, no encoding parameter)
and :func:`fold` cuts it at 75 octets, never inside a character.

Why not ``vobject`` here (measured, ``bench/vcard_parse.py``'s cards on the project machine):
it reads about 1 800 cards a second, so 100 000 cards take some 55 s against a budget of 6 s
(issue 22); it also loses quoted-printable soft line breaks and ignores ``CHARSET``. This
reader splits the text once, looks at each line with ``str`` methods (a regular expression
only for a quoted parameter) and caches what a line's head (``TEL;TYPE=CELL``) says, since an
address book writes the same few heads again and again: 100 000 cards import in 6.7 to 8 s of
CPU on this shared 2-core machine (7.1 s wall at its least loaded; reading about 2 s, the
mapping about 3 s, the contact rules about 1 s), short of the 6 s target. The tests check what
we write with ``vobject``.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

Params = tuple[tuple[str, str], ...]
_CONTENT = re.compile(
    r"(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)"
    r'(?P<params>(?:;(?:[^:";]|"[^"]*")*)*):(?P<value>.*)',
    re.DOTALL,
)
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_PARAM = re.compile(r'(?:[^;"]|"[^"]*")+')
_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a kept line cannot hold them
#: A backslash before a real line break escapes nothing: it is written doubled.
_LONE_BACKSLASH = re.compile(r"(?<!\\)((?:\\\\)*)\\\n")
_ESCAPES = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\)((?:\\\\)*);")
_UNESCAPED_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")


@dataclass(slots=True)
class Line:
    """One content line of a card, unfolded and decoded (the value still escaped)."""

    group: str
    name: str
    params: Params  # (NAME, value) in the file's order; bare 2.1 ones are TYPE
    value: str
    line: int  # where it starts in the file
    spelled: str = ""  # the name as the file spells it (``X-ABLabel``), written back so
    encoding: str = ""  # "QP" (quoted-printable) or "B64" (base64), as the parameters say
    charset: str | None = None  # the CHARSET parameter
    #: the line as read, written back as it is while nothing was decoded or changed in it
    raw: str | None = None
    decoded: bool = False  # quoted-printable, base64 or a CHARSET was undone
    _text: str | None = None

    def param(self, name: str) -> list[str]:
        """The values of parameter ``name`` (upper case), commas split, in order."""
        return [v for key, value in self.params if key == name for v in _param_values(value)]

    def text(self) -> str:
        """This line as a 3.0/4.0 line: what :mod:`.vcard_files` keeps and writes back."""
        if self._text is None:
            raw = self.raw
            if raw is not None and (raw.isprintable() or not _CONTROL.search(raw)):
                self._text = raw
            else:
                params = [
                    (key, value)
                    for key, value in self.params
                    if not (self.decoded and key in ("ENCODING", "CHARSET"))
                ]
                value = _LONE_BACKSLASH.sub(r"\1\\\\\n", self.value.replace("\r\n", "\n"))
                value = _CONTROL.sub(" ", value.replace("\n", "\\n"))
                self._text = content_line(self.spelled or self.name, value, params, self.group)
        return self._text


@dataclass(slots=True)
class Card:
    """The lines of one card; ``unsure_charset`` names the charset guessed for its text."""

    number: int
    line: int
    lines: list[Line] = field(default_factory=list)
    closed: bool = False
    unsure_charset: str | None = None
    undecodable: bool = False  # bytes its charset could not read were replaced


def _param_values(value: str) -> list[str]:
    return [part.strip() for part in value.replace('"', "").split(",") if part.strip()]


def decode_bytes(data: bytes) -> tuple[str, bool]:
    """The file's text, and whether it is kept byte for byte (not UTF-8: Latin-1 stand-in)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), False
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


#: What address books write when they do not say (Windows' code pages, the East Asian ones):
#: on a short card, an unrestricted guess picks rare ones (``hp_roman8`` for German).
_LIKELY_CHARSETS = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "koi8_r", "iso8859_15",
]  # fmt: skip


def guess_charset(data: bytes) -> str:
    """The charset ``charset-normalizer`` finds most likely for ``data`` (cp1252 by default)."""
    from charset_normalizer import from_bytes  # lazy: only for files that are not UTF-8

    best = from_bytes(data, cp_isolation=_LIKELY_CHARSETS).best()
    return best.encoding if best is not None else "cp1252"


def _decode(raw: bytes, charset: str) -> tuple[str, bool]:
    """``raw`` read as ``charset``; the flag says bytes had to be replaced."""
    try:
        return raw.decode(charset), False
    except LookupError:
        return raw.decode("utf-8", errors="replace"), True
    except UnicodeDecodeError:
        return raw.decode(charset, errors="replace"), True


def _parse(text: str, number: int) -> Line | None:
    """The content line ``text`` (unfolded), or None when it is not one."""
    colon = text.find(":")
    if colon <= 0:
        return None
    head = _head(text[:colon])
    if head is None:  # a quoted parameter value may hold a ":": the long way
        return _parse_quoted(text, number)
    group, name, spelled, params, encoding, charset = head
    if not name:
        return None
    return Line(group, name, params, text[colon + 1 :], number, spelled, encoding, charset, text)


@lru_cache(maxsize=4096)  # an address book writes the same few heads again and again
def _head(head: str) -> tuple[str, str, str, Params, str, str | None] | None:
    """What the part of a line before its ``:`` says: group, NAME, name as spelled,
    parameters, encoding, charset; a NAME of "" when it is not a line's head; None when a
    parameter is quoted (the ``:`` found may be inside it)."""
    if '"' in head:
        return None
    name_part, *param_texts = head.split(";")
    group, _dot, name = name_part.rpartition(".")
    if not _NAME.fullmatch(name) or (group and not _NAME.fullmatch(group)):
        return "", "", "", (), "", None
    return (group, name.upper(), name, *_read_params(param_texts))


def _parse_quoted(text: str, number: int) -> Line | None:
    match = _CONTENT.fullmatch(text)
    if match is None:
        return None
    group, name, param_text, value = match.groups()
    params, encoding, charset = _read_params(_PARAM.findall(param_text))
    return Line(group or "", name.upper(), params, value, number, name, encoding, charset, text)


def _read_params(param_texts: list[str]) -> tuple[Params, str, str | None]:
    """The parameters, the encoding ("QP", "B64" or "") and the charset they say."""
    params: list[tuple[str, str]] = []
    encoding, charset = "", None
    for param in param_texts:
        key, equals, found = param.partition("=")
        if equals:
            key = key.strip().upper()
            found = found.strip()
            params.append((key, found))
            if key == "ENCODING":
                upper = found.upper()
                if upper == "QUOTED-PRINTABLE":
                    encoding = "QP"
                elif upper in ("BASE64", "B"):
                    encoding = "B64"
            elif key == "CHARSET":
                charset = found.strip('"')
        elif key.strip():
            bare = key.strip()
            params.append(("TYPE", bare))
            if bare.upper() == "QUOTED-PRINTABLE":
                encoding = "QP"
            elif bare.upper() == "BASE64":
                encoding = "B64"
    return tuple(params), encoding, charset


class _Decoder:
    """Decodes the values of one file: quoted-printable, base64 2.1, charsets."""

    def __init__(self, data: bytes | None, raw_bytes: bool) -> None:
        self.data = data
        self.raw_bytes = raw_bytes
        self.guessed: str | None = None

    def fallback(self) -> str:
        if self.guessed is None:
            self.guessed = guess_charset(self.data) if self.data is not None else "cp1252"
        return self.guessed

    def finish(self, line: Line, card: Card) -> None:
        charset = line.charset
        if line.encoding == "QP":
            line.raw = None
            raw = binascii.a2b_qp(line.value.encode("latin-1" if self.raw_bytes else "utf-8"))
            line.params = (
                *((k, v) for k, v in line.params if v.upper() != "QUOTED-PRINTABLE"),
                ("ENCODING", "QUOTED-PRINTABLE"),
            )
            line.decoded = True
            if charset is None and not raw.isascii():
                try:
                    line.value = raw.decode("utf-8")
                    return
                except UnicodeDecodeError:
                    charset = self.fallback()
                    card.unsure_charset = charset
            line.value, bad = _decode(raw, charset or "ascii")
            card.undecodable |= bad
            line.value = line.value.replace("\r\n", "\n")
        elif self.raw_bytes and not line.value.isascii():
            line.raw = None
            if charset is None:
                charset = self.fallback()
                card.unsure_charset = charset
            line.value, bad = _decode(line.value.encode("latin-1"), charset)
            card.undecodable |= bad
            line.decoded = True
        elif charset is not None:
            line.decoded = True  # the text is already read: the parameter says nothing more
            line.raw = None


def _lines(text: str) -> list[str]:
    """The physical lines of ``text``: any of ``\\r\\n``, ``\\n``, ``\\r`` ends one, and so
    does iOS's ``\\r\\r\\n`` (``str`` methods: a regular expression is slower)."""
    if "\r" in text:
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def read_cards(text: str, data: bytes | None = None, raw_bytes: bool = False) -> Iterator[Card]:
    """The cards of ``text`` in the order they begin (see the module's rules).

    ``data`` and ``raw_bytes`` come from :func:`decode_bytes` when the text was read from a
    file: the bytes are needed to guess a charset.
    """
    decoder = _Decoder(data, raw_bytes)
    physical = _lines(text)
    open_cards: list[Card] = []
    done: list[Card] = []
    count = 0
    index = 0
    total = len(physical)
    while index < total:
        number = index + 1
        current = physical[index]
        index += 1
        if not current or current.isspace():
            continue
        # folded continuation lines
        while index < total and (following := physical[index]) and following[0] in " \t":
            current += following[1:]
            index += 1
        if len(current) < 40 and current[:3].upper() in ("BEG", "END"):
            upper = current.upper().replace(" ", "").replace("\t", "")
            if upper == _BEGIN:
                count += 1
                open_cards.append(Card(count, number))
                continue
            if upper == _END:
                if open_cards:
                    card = open_cards.pop()
                    card.closed = True
                    done.append(card)
                    if not open_cards:  # nested ones wait for their outer card: file order
                        if len(done) > 1:
                            done.sort(key=lambda card: card.number)
                        yield from done
                        done = []
                continue
        if not open_cards:
            continue
        card = open_cards[-1]
        line = _parse(current, number)
        if line is None:
            if card.lines and ":" not in current:  # the rest of the value before
                last = card.lines[-1]
                last.value += "\n" + current
                last.raw = last._text = None
            continue
        if line.encoding == "QP":
            while line.value.endswith("=") and index < total:  # soft line break
                line.value = line.value[:-1] + physical[index]
                index += 1
        elif line.encoding == "B64":
            while index < total and physical[index].strip() and ":" not in physical[index]:
                line.value += physical[index].strip()
                index += 1
            line.value = line.value.replace(" ", "")
            line.params = tuple(  # in its place: the line is written back as it was
                ("ENCODING", "b")
                if key == "ENCODING" or (key == "TYPE" and value.upper() == "BASE64")
                else (key, value)
                for key, value in line.params
            )
            line.raw = None
        if line.encoding or line.charset or raw_bytes:
            decoder.finish(line, card)
        card.lines.append(line)
    while open_cards:
        done.append(open_cards.pop())
    done.sort(key=lambda card: card.number)
    yield from done


def unescape(value: str) -> str:
    """A text value as it reads: ``\\n`` a line break, ``\\,`` ``\\;`` ``\\:`` ``\\\\`` the sign."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m[1], "\\" + m[1]), value)


def split_structured(value: str) -> list[str]:
    """The components of a structured value (``N``, ``ADR``, ``ORG``) on unescaped ``;``,
    still escaped."""
    if "\\" not in value:
        return value.split(";")
    return _UNESCAPED_SEMICOLON.sub("\\1\x00", value).split("\x00")


def split_list(value: str) -> list[str]:
    """The items of a component on unescaped ``,``, unescaped."""
    if "\\" not in value:
        return value.split(",")
    return [unescape(item) for item in _UNESCAPED_COMMA.sub("\\1\x00", value).split("\x00")]


def escape(text: str, *, structured: bool = False) -> str:
    """``text`` as a value: ``\\`` ``,`` ``;`` and line breaks escaped (``;`` only when the
    value is one component of a structured one, where it separates components)."""
    if "\\" in text or "," in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace(",", "\\,").replace("\n", "\\n")
    return text.replace(";", "\\;") if structured and ";" in text else text


def _param_text(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ':;"') and '"' not in value[:1] else value


def content_line(
    name: str, value: str, params: Iterable[tuple[str, str]] = (), group: str = ""
) -> str:
    """``group.NAME;PARAM=value:value`` (the value given already escaped)."""
    head = f"{group}.{name}" if group else name
    for key, param in params:
        head += f";{key}={_param_text(param)}"
    return f"{head}:{value}"


def fold(line: str) -> str:
    """``line`` cut into lines of at most 75 octets (UTF-8), each continuation starting with a
    space, with its CRLF."""
    if len(line) <= 18 or len(line.encode("utf-8")) <= 75:  # 18: 4 octets a character at most
        return line + "\r\n"
    out: list[str] = []
    chunk, size, limit = [], 0, 75  # type: list[str], int, int
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(chunk))
            chunk, size, limit = [], 0, 74  # continuation lines start with a space
        chunk.append(char)
        size += width
    out.append("".join(chunk))
    return "\r\n ".join(out) + "\r\n"
