"""The number of a ``tws-tui dial`` request: a typed number, a ``tel:`` URI or a ``sip:`` URI
made into the number the console dials, as its dial field would, or refused in words.

``"+33 1 23 45 67 89"``, ``"tel:+33-1-23-45-67-89"``, ``"tel:%2B33123456789;phone-context=x"``
and ``"sip:+33123456789@pbx.example.com;user=phone"`` all give ``"+33123456789"``;
``"sip:201@pbx"`` gives ``"201"``. The number part is read by the dial field's own
:func:`~tws_tui.domain.numbers.parse_typed_number` (separators removed, ``00`` → ``+``,
``*`` and ``#`` kept); a name, letters in a number, an empty number, another URI scheme or a
paste too long to be a number is refused with a :class:`ValueError` whose text says why.
"""

from __future__ import annotations

from urllib.parse import unquote

from tws_tui.domain.forwarding import MAX_DESTINATION_CHARS
from tws_tui.domain.numbers import parse_typed_number
from tws_tui.platform.i18n import _

#: The longest text read as a URI (a ``sip:`` URI with its host and parameters fits).
MAX_URI_CHARS = 256
SCHEMES = ("tel", "sip", "sips")


def number_part(text: str) -> str:
    """The number part of a ``tel:``/``sip:``/``sips:`` URI, percent-decoded; ``text``
    itself when it has no scheme. :class:`ValueError` for another scheme."""
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in SCHEMES:
        if colon and scheme.isalpha() and len(scheme) > 1:
            raise ValueError(
                _("{scheme!r} links cannot be dialled: use a number, tel: or sip:.").format(
                    scheme=scheme[:20]
                )
            )
        return text
    rest = rest.lstrip("/")
    if scheme.lower() == "tel":
        return unquote(rest.partition(";")[0])
    user = rest.partition("?")[0]
    if "@" in user:
        user = user.rpartition("@")[0]
    user = user.partition(";")[0].partition(":")[0]  # ;isub=… and user:password
    return unquote(user)


def dial_number(text: str) -> str:
    """The number to dial for ``text`` (see the module docstring); :class:`ValueError` with
    the sentence to show when it is not a phone number."""
    typed = text.strip()
    if len(typed) > MAX_URI_CHARS:
        raise ValueError(
            _("That is not a phone number: {n} characters (at most {max}).").format(
                n=len(typed), max=MAX_URI_CHARS
            )
        )
    part = number_part(typed).strip()
    if not part:
        raise ValueError(_("No number to dial."))
    number = parse_typed_number(part)  # letters in a number: its own sentence
    if number is None:
        raise ValueError(_("{text!r} is not a phone number.").format(text=part[:40]))
    if len(number) > MAX_DESTINATION_CHARS:
        raise ValueError(
            _("That is not a phone number: {n} characters (at most {max}).").format(
                n=len(number), max=MAX_DESTINATION_CHARS
            )
        )
    return number
