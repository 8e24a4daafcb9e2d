"""A profile rule's caller filters as typed lines (issue 17, TWS-6.10.6.1-13/-14): any number
of lines, each a kind — a contact, a contact list, a directory, a number or expression — and
a value; included and excluded callers alike. The rule keeps them as it always has (``Rule``'s
numbers, contact list, contact, directory and pattern, and their ``exclude_`` twins), so a
``profiles.json`` written before reads the same: this module turns one into the other.

A number line holds digits with ``*`` wildcards (``06*``), several separated by spaces; any
other value is a regular expression the whole number matches (``0[67][0-9]{8}``), checked as
before. The rule keeps one contact, one list, one directory and one expression a side: a second
line of these is refused in words naming it, as is a bad value (its line number said).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tws_tui.domain.profiles import Rule, check_pattern, parse_numbers
from tws_tui.domain.text import fold
from tws_tui.platform.i18n import N_, _, labelled

CONTACT, LIST, DIRECTORY, NUMBER = "contact", "list", "directory", "number"
#: The kinds of line, in the form's order.
LINE_KINDS = (CONTACT, LIST, DIRECTORY, NUMBER)
KIND_WORD = {
    CONTACT: N_("Contact"),
    LIST: N_("Contact list"),
    DIRECTORY: N_("Directory"),
    NUMBER: N_("Number or expression"),
}
_NUMBER_CHARS = frozenset("0123456789*+ ,")


@dataclass(frozen=True)
class CallerFilter:
    """One side's filters as the rule keeps them."""

    numbers: tuple[str, ...] = ()
    contact_list: str = ""
    contact: str = ""
    directory: str = ""
    pattern: str = ""


def filter_of(rule: Rule, excluded: bool) -> CallerFilter:
    if excluded:
        return CallerFilter(
            rule.exclude_numbers,
            rule.exclude_list,
            rule.exclude_contact,
            rule.exclude_directory,
            rule.exclude_pattern,
        )
    return CallerFilter(rule.numbers, rule.contact_list, rule.contact, rule.directory, rule.pattern)


def lines_of(kept: CallerFilter, directory_names: Mapping[str, str]) -> list[tuple[str, str]]:
    """The lines showing ``kept``: (kind, value), a number line per number; a directory by
    its name (``directory_names``: key → name)."""
    lines = [(NUMBER, number) for number in kept.numbers]
    if kept.pattern:
        lines.append((NUMBER, kept.pattern))
    if kept.contact:
        lines.append((CONTACT, kept.contact))
    if kept.contact_list:
        lines.append((LIST, kept.contact_list))
    if kept.directory:
        lines.append((DIRECTORY, directory_names.get(kept.directory, kept.directory)))
    return lines


def is_number(value: str) -> bool:
    """Whether a number line's value is caller numbers (digits, ``*``) rather than an
    expression."""
    return bool(value.strip()) and set(value) <= _NUMBER_CHARS


def read_lines(
    lines: Sequence[tuple[str, str]], directory_names: Mapping[str, str], side: str
) -> CallerFilter:
    """The filter the lines typed say; ``ValueError`` naming ``side`` and the line for a bad
    value or a second contact, list, directory or expression. Empty lines are skipped."""
    numbers: list[str] = []
    single: dict[str, str] = {}
    by_name = {fold(name): key for key, name in directory_names.items()}
    for at, (kind, typed) in enumerate(lines, 1):
        value = " ".join(typed.split())
        if not value:
            continue
        try:
            if kind == NUMBER and is_number(value):
                numbers.extend(parse_numbers(value))
                continue
            field = "pattern" if kind == NUMBER else kind
            if field in single:
                raise ValueError(_("the rule keeps one line of this kind on each side."))
            if kind == NUMBER:
                value = check_pattern(value)
            elif kind == DIRECTORY:
                key = by_name.get(fold(value)) or (value if value in directory_names else None)
                if key is None:
                    raise ValueError(_("no directory is named {name!r}.").format(name=value))
                value = key
            single[field] = value
        except ValueError as problem:
            where = _("{side}, line {n}").format(side=side, n=at)
            raise ValueError(labelled(where, str(problem))) from problem
    return CallerFilter(
        tuple(numbers),
        single.get(LIST, ""),
        single.get(CONTACT, ""),
        single.get(DIRECTORY, ""),
        single.get("pattern", ""),
    )
