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

Why not ``vobject`` here: it parses about 1 800 cards a second on this machine (measured with
``bench/vcard_parse.py``'s card: 100 000 cards in 55 s), ten times over the 6 s budget for a
100 000-card import; it also drops quoted-printable soft breaks and ``CHARSET``. This reader does
one regular expression per line. ``vobject`` is still what the tests check our output with.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: A line break: iOS writes ``\r\r\n``, counted as one.
_BREAK = re.compile(r"\r*\n|\r")
_CONTENT = re.compile(
    r"(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)"
    r'(?P<params>(?:;(?:[^:";]|"[^"]*")*)*):(?P<value>.*)',
    re.DOTALL,
)
_PARAM = re.compile(r'(?:[^;"]|"[^"]*")+')
_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a kept line cannot hold them
_ESCAPES = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\)((?:\\\\)*);")
_UNESCAPED_COMMA = re.compile(r"(?<!\\)((?:\\\\)*),")


@dataclass(slots=True)
class Line:
    """One content line of a card, unfolded and decoded (the value still escaped)."""

    group: str
    name: str
    params: list[tuple[str, str]]  # (NAME, value) in the file's order; bare 2.1 ones are TYPE
    value: str
    line: int  # where it starts in the file
    decoded: bool = False  # quoted-printable, base64 or a CHARSET was undone
    spelled: str = ""  # the name as the file spells it (``X-ABLabel``), written back so

    def param(self, name: str) -> list[str]:
        """The values of parameter ``name`` (upper case), commas split, in order."""
        return [v for key, value in self.params if key == name for v in _param_values(value)]

    def text(self) -> str:
        """This line as a 3.0/4.0 line: what :mod:`.vcard_files` keeps and writes back."""
        params = [
            (key, value)
            for key, value in self.params
            if not (self.decoded and key in ("ENCODING", "CHARSET"))
        ]
        value = _CONTROL.sub("", self.value.replace("\r\n", "\n").replace("\n", "\\n"))
        return content_line(self.spelled or self.name, value, params, self.group)


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
    match = _CONTENT.fullmatch(text)
    if match is None:
        return None
    params: list[tuple[str, str]] = []
    for param in _PARAM.findall(match["params"]):
        key, equals, value = param.partition("=")
        if equals:
            params.append((key.strip().upper(), value.strip()))
        elif key.strip():
            params.append(("TYPE", key.strip()))
    name = match["name"]
    return Line(match["group"] or "", name.upper(), params, match["value"], number, spelled=name)


def _is_qp(line: Line) -> bool:
    return any(v.upper() == "QUOTED-PRINTABLE" for v in line.param("ENCODING")) or any(
        key == "QUOTED-PRINTABLE" for _k, key in line.params if _k == "TYPE"
    )


def _is_base64(line: Line) -> bool:
    return any(v.upper() in ("BASE64", "B") for v in line.param("ENCODING")) or any(
        value.upper() == "BASE64" for key, value in line.params if key == "TYPE"
    )


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
        charsets = line.param("CHARSET")
        charset = charsets[0] if charsets else None
        if _is_qp(line):
            raw = binascii.a2b_qp(line.value.encode("latin-1" if self.raw_bytes else "utf-8"))
            line.params = [(k, v) for k, v in line.params if v.upper() != "QUOTED-PRINTABLE"]
            line.params.append(("ENCODING", "QUOTED-PRINTABLE"))
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
            if charset is None:
                charset = self.fallback()
                card.unsure_charset = charset
            line.value, bad = _decode(line.value.encode("latin-1"), charset)
            card.undecodable |= bad
            line.decoded = True
        elif charset is not None:
            line.decoded = True  # the text is already read: the parameter says nothing more


def read_cards(text: str, data: bytes | None = None, raw_bytes: bool = False) -> Iterator[Card]:
    """The cards of ``text`` in the order they begin (see the module's rules).

    ``data`` and ``raw_bytes`` come from :func:`decode_bytes` when the text was read from a
    file: the bytes are needed to guess a charset.
    """
    decoder = _Decoder(data, raw_bytes)
    physical = _BREAK.split(text)
    open_cards: list[Card] = []
    done: list[Card] = []
    count = 0
    index = 0
    total = len(physical)
    while index < total:
        number = index + 1
        current = physical[index]
        index += 1
        if not current.strip():
            continue
        # folded continuation lines
        while index < total and physical[index][:1] in (" ", "\t"):
            current += physical[index][1:]
            index += 1
        upper = current.strip().upper()
        if upper.replace(" ", "") == _BEGIN:
            count += 1
            open_cards.append(Card(count, number))
            continue
        if upper.replace(" ", "") == _END:
            if open_cards:
                card = open_cards.pop()
                card.closed = True
                done.append(card)
            continue
        if not open_cards:
            continue
        card = open_cards[-1]
        line = _parse(current, number)
        if line is None:
            if card.lines and ":" not in current:  # the rest of the value before
                card.lines[-1].value += "\n" + current
            continue
        if _is_qp(line):
            while line.value.endswith("=") and index < total:  # soft line break
                line.value = line.value[:-1] + physical[index]
                index += 1
        elif _is_base64(line):
            while index < total and physical[index].strip() and ":" not in physical[index]:
                line.value += physical[index].strip()
                index += 1
            line.value = line.value.replace(" ", "")
            line.params = [  # in its place: the line is written back as it was
                ("ENCODING", "b")
                if key == "ENCODING" or (key == "TYPE" and value.upper() == "BASE64")
                else (key, value)
                for key, value in line.params
            ]
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
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace("\n", "\\n")
    return text.replace(";", "\\;") if structured else text


def _param_text(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ':;"') and '"' not in value[:1] else value


def content_line(
    name: str, value: str, params: list[tuple[str, str]] | None = None, group: str = ""
) -> str:
    """``group.NAME;PARAM=value:value`` (the value given already escaped)."""
    head = f"{group}.{name}" if group else name
    for key, param in params or ():
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
