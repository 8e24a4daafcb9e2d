"""Simultaneous ring / find-me in words (issue 17, Selfcare §4.4, Sophia U1.2): the numbers
typed by the receptionist checked before anything is sent, the field's text, the status-bar
badge and the line of the Preferences summary.

Textual-free: the forwarding dialog, the Preferences section, the status bar, the simulated
switch and so the CTI server share it. The numbers are typed in one field, separated by
commas (Sophia U1.2-2), each with its ring time after a colon when it is not the default
("0611223344:15, 3002"). Refused with a sentence, nothing sent: no number at all while it is
on, letters, a number too long, my own number or one that forwards back to me, the same number
twice, more than :data:`MAX_NUMBERS`, a ring time out of :data:`RING_TIME_RANGE`. The
refusals are :class:`InvalidValue` (a ``ValueError`` whose English msgid is translated where
shown), so the switch and the CTI server refuse with the same sentence; my own number and a
loop are checked by the caller's ``not_me`` (the console's sees colleagues' forwards, the
switch refuses my own number itself).
"""

from __future__ import annotations

from collections.abc import Callable

from tws_tui.core.errors import InvalidValue
from tws_tui.core.model import FindMe, FindMeMode, FindMeNumber
from tws_tui.domain.forwarding import MAX_DESTINATION_CHARS, destination_word
from tws_tui.domain.numbers import clean_number, is_dialable
from tws_tui.platform.i18n import N_, _, labelled

#: How many numbers may ring with mine.
MAX_NUMBERS = 5
#: A number's turn in sequential mode, in seconds (Selfcare's no-answer delays: 10 s – 90 s,
#: widened a little).
RING_TIME_RANGE = (5, 120)
DEFAULT_RING_TIME_S = 20
#: Drawn before the badge's numbers: the badge reads without colour.
FIND_ME_SYMBOL = "⇶"

MODE_WORD = {
    FindMeMode.SIMULTANEOUS: N_("all at once"),
    FindMeMode.SEQUENTIAL: N_("one after the other"),
}

#: Said where the phone system keeps find-me itself and the console cannot set it (``sip``).
ON_THE_PBX_NOTE = N_(
    "Simultaneous ring is set on your phone system (its web portal or a feature code), not"
    " from this console."
)


NotMe = Callable[[str], None]

EMPTY = N_("Simultaneous ring needs a number: the field is empty.")


def check_number(text: str, not_me: NotMe = lambda _n: None) -> str:
    """One number my calls also ring on, cleaned; :class:`InvalidValue` when it is empty,
    has letters or is too long; ``not_me`` refuses my own number or a loop (``ValueError``)."""
    typed = text.strip()
    if not typed:
        raise InvalidValue(EMPTY)
    if len(typed) > MAX_DESTINATION_CHARS:
        raise InvalidValue(
            N_("That is not a phone number: {n} characters (at most {max})."),
            n=len(typed),
            max=MAX_DESTINATION_CHARS,
        )
    if not is_dialable(typed):
        raise InvalidValue(N_("{text!r} is not a phone number: it contains letters."), text=typed)
    number = clean_number(typed)
    not_me(number)
    return number


def check_ring_time(text: str) -> int:
    """A number's ring time in seconds (empty: the default)."""
    typed = text.strip()
    if not typed:
        return DEFAULT_RING_TIME_S
    low, high = RING_TIME_RANGE
    if not typed.isdigit() or not low <= int(typed) <= high:
        raise InvalidValue(
            N_("A ring time is a number of seconds from {low} to {high}: {text!r}."),
            low=low,
            high=high,
            text=typed,
        )
    return int(typed)


def parse_numbers(text: str, not_me: NotMe = lambda _n: None) -> tuple[FindMeNumber, ...]:
    """The numbers typed in the field ("0611223344:15, 3002"), each checked; ``ValueError``
    for the first that is wrong, for none at all, for a number twice or too many."""
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise InvalidValue(EMPTY)
    if len(items) > MAX_NUMBERS:
        raise InvalidValue(
            N_("At most {max} numbers can ring with yours ({n} typed)."),
            max=MAX_NUMBERS,
            n=len(items),
        )
    found: list[FindMeNumber] = []
    for item in items:
        if not item:
            raise InvalidValue(N_("An empty number between two commas: remove the extra comma."))
        typed, _colon, seconds = item.partition(":")
        number = check_number(typed, not_me)
        if any(n.number == number for n in found):
            raise InvalidValue(N_("{number} is in the list twice."), number=number)
        found.append(FindMeNumber(number, check_ring_time(seconds)))
    return tuple(found)


def check_find_me(find_me: FindMe, not_me: NotMe = lambda _n: None) -> FindMe:
    """``find_me`` with its numbers cleaned, as a phone system takes it; :class:`InvalidValue`
    when one is wrong (the same checks as the field)."""
    if not find_me.enabled and not find_me.numbers:
        return FindMe(False, FindMeMode(find_me.mode))
    text = ", ".join(f"{n.number}:{n.ring_time_s}" for n in find_me.numbers)
    numbers = parse_numbers(text, not_me)
    return FindMe(find_me.enabled, FindMeMode(find_me.mode), numbers)


def numbers_text(find_me: FindMe) -> str:
    """The field's text for ``find_me``'s numbers (a ring time only when not the default)."""
    return ", ".join(
        n.number if n.ring_time_s == DEFAULT_RING_TIME_S else f"{n.number}:{n.ring_time_s}"
        for n in find_me.numbers
    )


def badge(find_me: FindMe, *, short: bool = False) -> str:
    """The status-bar badge while find-me is on ("⇶ Also rings 0611223344 +1"; ``short``:
    "⇶ 0611223344 +1"), or "" when it is off."""
    if not find_me.enabled or not find_me.numbers:
        return ""
    first = find_me.numbers[0].number
    more = f" +{len(find_me.numbers) - 1}" if len(find_me.numbers) > 1 else ""
    if short:
        return f"{FIND_ME_SYMBOL} {first}{more}"
    return f"{FIND_ME_SYMBOL} " + _("Also rings {number}").format(number=first) + more


def summary(find_me: FindMe, voicemail: str = "") -> str:
    """The Preferences line: off, or the numbers and how they ring."""
    if not find_me.enabled or not find_me.numbers:
        state = _("off")
    else:
        numbers = ", ".join(destination_word(n.number, voicemail) for n in find_me.numbers)
        state = f"{numbers} ({_(MODE_WORD[FindMeMode(find_me.mode)])})"
    return labelled(_("Simultaneous ring"), state)
