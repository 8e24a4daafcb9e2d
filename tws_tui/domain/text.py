"""Text folding for search and matching: the one ``fold`` of the project, ``words`` and
``has_words`` (every word searched is in a text);
``shown_literally``, what a received message may put on the terminal; ``quote_of``, what a
reply quotes; ``bounded_text`` and ``bounded_line`` (the same on one line), a text checked
not blank and not too long (a call's comment; a help request, a broadcast), refused in words.

Pure functions, standard library (and the core's ``InvalidValue``) only: contacts, the
simulator's directory, phone keys and the console's lists all fold text this one way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from tws_tui.core.errors import InvalidValue

_WORD = re.compile(r"[^\W_]+")
#: The Combining Diacritical Marks block, less U+034F (a joiner, not a mark): what accents
#: on Latin letters decompose to. Removing them first saves the per-character loop.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def fold(text: str) -> str:
    """Lower case without accents: ``"Comptabilité"`` → ``"comptabilite"``.

    Case is folded with ``str.casefold`` (``"ß"`` → ``"ss"``) and accents are the combining
    marks of the NFKD decomposition; letters without a decomposition (``"ø"``, ``"œ"``) stay.
    """
    if text.isascii():
        return text.lower()
    decomposed = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    if decomposed.isascii():  # the usual case: Latin letters with accents
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(folded: str) -> list[str]:
    """The words of an already folded text: runs of letters and digits (``"jean-pierre"`` →
    ``["jean", "pierre"]``, ``"o'neil"`` → ``["o", "neil"]``)."""
    if folded.replace(" ", "").isalnum():  # the usual case, without the regular expression
        return folded.split()
    return _WORD.findall(folded)


def has_words(text: str, wanted: Sequence[str]) -> bool:
    """Whether ``text`` has every one of ``wanted`` (already folded words) in it, case and
    accents ignored (``"Commande numéro 4471"`` has ``["numero", "447"]``)."""
    folded = fold(text)
    return all(word in folded for word in wanted)


def name_key(name: str, by: str = "first") -> str:
    """How a person's name sorts (TWS-6.6-3): folded, as written (``"first"``: Anne Martin
    under A) or last name first (``"last"``: the last word, then the others; under M)."""
    folded = fold(name)
    if by != "last":
        return folded
    first, _, last = folded.rpartition(" ")
    return f"{last} {first}" if first else last


#: Characters a message may not send to the terminal: C0/C1 controls (ESC starts ANSI and OSC
#: sequences), DEL, and the bidirectional overrides and isolates that reorder what follows.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def shown_literally(text: str) -> str:
    """``text`` with every control character, escape and bidi override written out as its
    escape (``\\x1b``, ``\\u202e``), so a received message shows as what was sent and can
    never drive the terminal; a newline is kept as ``↵``."""
    out = []
    for char in text:
        if char == "\n":
            out.append(" ↵ ")
        elif char in _BIDI or unicodedata.category(char) == "Cc":
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


#: How much of a message a reply quotes.
QUOTE_CHARS = 80


def quote_of(text: str) -> str:
    """The start of a message's text, on one line, as a reply quotes it."""
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…"


def found_spans(text: str, typed: str) -> list[tuple[int, int]]:
    """Where ``typed`` is in ``text``, case and accents aside (as the chat search finds it):
    the (start, end) of each occurrence in ``text``'s own characters, to highlight them."""
    wanted = fold(" ".join(typed.split()))
    if not wanted:
        return []
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in fold(char):  # "ß" folds to two letters, both from the same character
            folded.append(piece)
            origin.append(index)
    haystack = "".join(folded)
    spans, start = [], haystack.find(wanted)
    while start >= 0:
        end = start + len(wanted)
        spans.append((origin[start], origin[end - 1] + 1))
        start = haystack.find(wanted, end)
    return spans


def bounded_text(text: str, most: int, *, empty: str, too_long: str) -> str:
    """``text``, as given, when it has more than blanks and at most ``most`` characters;
    otherwise :class:`InvalidValue` with the msgid ``empty``, or ``too_long`` filled with
    ``{most}`` and ``{n}`` (the characters given)."""
    if not text.strip():
        raise InvalidValue(empty)
    if len(text) > most:
        raise InvalidValue(too_long, most=most, n=len(text))
    return text


def bounded_line(text: str, most: int, *, empty: str, too_long: str) -> str:
    """``text`` on one line (its blanks and line breaks folded to one space, stripped), then
    checked as :func:`bounded_text` does."""
    return bounded_text(" ".join(text.split()), most, empty=empty, too_long=too_long)


#: A link written in a message (TWS-4.3.3-5): what begins with ``http://``, ``https://`` or
#: ``www.``, up to a space or a control character (an escape sequence never reaches the
#: terminal's link, OSC 8, nor the browser); a closing punctuation mark after it is the
#: sentence's.
_URL = re.compile(r"(?<![\w/.])(?:https?://|www\.)[^\s<>\"\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?)]}'"


def url_spans(text: str) -> list[tuple[int, int, str]]:
    """The links written in ``text``: where each starts and ends, and the address to open
    (``www.`` ones with ``https://`` before), in their order."""
    spans = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _URL_TAIL:
            end -= 1
        written = text[start:end]
        if written.lower().startswith("www.") and len(written) > len("www."):
            spans.append((start, end, "https://" + written))
        elif "://" in written and not written.endswith("://"):
            spans.append((start, end, written))
    return spans
