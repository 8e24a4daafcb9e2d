"""The extension numbers a profile's *current extension* is chosen from (issue 17,
TWS-6.10.1-3): the drop-down's list, kept with the profiles — numbers typed once (a meeting
room's 2004) and offered again, added and removed by the user.

My own extension is not in the list: the profile form offers it first, as "my own" (a profile
whose current extension is empty). A number is added with the same checks as a current
extension (digits only, not my own) and once; a number that a profile has as its current
extension cannot be removed, and the refusal names the profile. A profiles.json written before
the list existed gives it every profile's current extension, so nothing in use is missing.

Textual-free and I/O-free; ``ValueError`` carries the sentence said to the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tws_tui.domain.numbers import clean_number
from tws_tui.domain.profiles import Profile, check_extension, profile_name
from tws_tui.platform.i18n import _

#: How many numbers the list keeps at most (a drop-down, not a directory).
MAX_EXTENSIONS = 50


def remembered(kept: Iterable[str], profiles: Iterable[Profile]) -> tuple[str, ...]:
    """The list: the numbers kept, in their order, then every profile's current extension not
    in it yet (a file or a book from before the list); each number once, none empty."""
    out: list[str] = []
    for number in (*kept, *(p.extension for p in profiles)):
        if number and number not in out:
            out.append(number)
    return tuple(out)


def read_extensions(raw: Iterable[object]) -> tuple[str, ...]:
    """The list as a profiles document holds it: each a number of digits (``ValueError``
    otherwise, so a document with a bad one is refused whole, as a bad rule is)."""
    numbers = tuple(check_extension(str(n), "") for n in raw)
    if "" in numbers:
        raise ValueError(_("An extension number of the list is empty."))
    return remembered(numbers, ())


def add_extension(extensions: Sequence[str], typed: str, own: str) -> tuple[str, ...]:
    """``extensions`` with ``typed`` added at the end, checked as a current extension is
    (digits only, not my own); nothing typed, a number already listed or a list already full
    is refused in words."""
    if not typed.strip():
        raise ValueError(_("Type the extension number to add."))
    if own and clean_number(typed).lstrip("+") == clean_number(own).lstrip("+"):
        raise ValueError(
            _("{number} is my own extension: the list always offers it as “my own”.").format(
                number=clean_number(own).lstrip("+")
            )
        )
    number = check_extension(typed, own)
    if number in extensions:
        raise ValueError(_("{number} is in the list already.").format(number=number))
    if len(extensions) >= MAX_EXTENSIONS:
        raise ValueError(
            _("The list holds {count} numbers at most: remove an old one first.").format(
                count=MAX_EXTENSIONS
            )
        )
    return (*extensions, number)


def remove_extension(
    extensions: Sequence[str], number: str, profiles: Iterable[Profile]
) -> tuple[str, ...]:
    """``extensions`` without ``number``; refused while a profile of ``profiles`` has it as
    its current extension (the sentence names that profile)."""
    if not number:
        raise ValueError(_("My own extension is always offered: it cannot be removed."))
    user = next((p for p in profiles if p.extension == number), None)
    if user is not None:
        raise ValueError(
            _(
                "{number} is the current extension of the profile {name}: choose another one "
                "for it first."
            ).format(number=number, name=profile_name(user))
        )
    return tuple(n for n in extensions if n != number)
