"""SMS: which numbers take one, how many parts a text costs, and an SMS conversation's peer.

Textual-free and I/O-free; every layer (sim gateway, CTI server, console) checks with the
same functions. An SMS goes to a mobile number only: ``phonenumbers`` says the number's type
(``MOBILE`` or ``FIXED_LINE_OR_MOBILE``, French numbering by default); anything else is
refused with :class:`~tws_tui.core.errors.InvalidDestination`.

Segments (3GPP TS 23.038 and TS 23.040): a text every character of which is in the GSM 7-bit
default alphabet (and its extension table) is sent in GSM-7: 160 septets in one SMS, 153 per
part once concatenated; the extension characters ``€ [ ] { } ^ ~ \\ |`` (and form feed) take
an escape septet each, so count double. Any other character (``ç``, ``ê``, an emoji…) makes the
whole text UCS-2: 70 characters in one SMS, 67 per part (counted in UTF-16 code units: an
emoji counts two). The alphabet itself is the maintained ``gsm0338`` codec's, not a table here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

from tws_tui.core.errors import N_, InvalidDestination

#: Longest SMS text taken (10 concatenated GSM-7 parts; gateways cap around there).
MAX_SMS_CHARS = 1530
#: The peer of an SMS conversation: this prefix and the number in E.164 (never a user id).
SMS_PEER_PREFIX = "sms:"

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True, slots=True)
class Segments:
    """What a text costs as an SMS: its encoding, the units used and how many parts."""

    gsm7: bool
    units: int  # septets (GSM-7, escapes included) or UTF-16 code units (UCS-2)
    parts: int
    left: int  # units left in the last part before one more part is needed

    @property
    def encoding(self) -> str:
        return "GSM-7" if self.gsm7 else "UCS-2"


def gsm7_septets(text: str) -> int | None:
    """The septets ``text`` takes in the GSM 7-bit alphabet, None if it cannot be written so."""
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def segments(text: str) -> Segments:
    """How many SMS parts ``text`` takes (0 for an empty text)."""
    septets = gsm7_septets(text)
    if septets is not None:
        units, single, part = septets, GSM7_SINGLE, GSM7_PART
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, UCS2_SINGLE, UCS2_PART
    if units == 0:
        return Segments(septets is not None, 0, 0, single)
    if units <= single:
        return Segments(septets is not None, units, 1, single - units)
    parts = math.ceil(units / part)
    return Segments(septets is not None, units, parts, parts * part - units)


def mobile_number(number: str, country: str = "FR") -> str:
    """``number`` in E.164 if it is a mobile number; else :class:`InvalidDestination` saying
    why (malformed, or not a mobile)."""
    import phonenumbers

    typed = number.strip()
    if typed.startswith(SMS_PEER_PREFIX):
        typed = typed[len(SMS_PEER_PREFIX) :]
    try:
        parsed = phonenumbers.parse(typed, country)
    except phonenumbers.NumberParseException:
        raise InvalidDestination(N_("Not a phone number: {number}"), number=typed) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidDestination(N_("Not a phone number: {number}"), number=typed)
    kind = phonenumbers.number_type(parsed)
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidDestination(
            N_("An SMS goes to a mobile number only: {number} is not one"), number=typed
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_sms_text(text: str) -> None:
    """:class:`InvalidDestination` unless ``text`` has 1 to :data:`MAX_SMS_CHARS` characters."""
    if not text.strip() or len(text) > MAX_SMS_CHARS:
        raise InvalidDestination(N_("An SMS has 1 to {most} characters"), most=MAX_SMS_CHARS)


def sms_peer(e164: str) -> str:
    """The peer id of the SMS conversation with ``e164``."""
    return f"{SMS_PEER_PREFIX}{e164}"


def is_sms_peer(peer: str) -> bool:
    return peer.startswith(SMS_PEER_PREFIX)


def sms_number(peer: str) -> str:
    """The number of an SMS conversation's peer (``"sms:+336…"`` → ``"+336…"``)."""
    return peer[len(SMS_PEER_PREFIX) :] if is_sms_peer(peer) else peer


def shown_sms_number(e164: str, country: str = "FR") -> str:
    """``e164`` as people write it: national with spaces at home (``06 12 34 56 78``),
    international otherwise (``+44 7400 123456``); as given if it does not parse."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, country)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(parsed) == country
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(parsed, style.NATIONAL if home else style.INTERNATIONAL)
