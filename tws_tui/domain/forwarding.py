"""My forwarding in words (issue 17, TWS §6.10, Selfcare §4): the kinds of forward, checking
a destination typed by the receptionist before anything is sent, and the status-bar badge.

Textual-free: the forwarding dialog, the Preferences section and the status bar share it. A
destination is a phone number (digits, an optional leading ``+``, ``*`` and ``#``,
separators allowed) or, left empty, my voicemail; letters, a long paste, a no-answer delay
out of range, my own number or a number that forwards back to me (a loop) are refused with a
sentence saying why, and nothing is sent. The fourth kind, when my phone is not reachable (not
registered), needs its own capability: :func:`offered_kinds` says which kinds a backend takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from tws_tui.core.model import (
    FORWARD_KIND_CAPABILITY,
    Capability,
    Forward,
    ForwardKind,
    MonitoredDevice,
)
from tws_tui.domain.numbers import clean_number, is_dialable
from tws_tui.domain.slips import colleagues_matching
from tws_tui.platform.i18n import N_, _, labelled

#: The longest destination taken (an international number with a feature code fits).
MAX_DESTINATION_CHARS = 32
#: The no-answer delay the switches accept, in seconds.
RING_TIME_RANGE = (1, 300)
DEFAULT_RING_TIME_S = 20
#: Drawn before the badge's word: the badge reads without colour.
FORWARD_SYMBOL = "↪"

#: Said beside the forwards when the softphone carries them out itself (a SIP phone system
#: that does not forward: ``Capability.FORWARDING_BY_PHONE``).
BY_PHONE_NOTE = N_(
    "This softphone forwards your calls itself while the console runs. Your phone system's"
    " own forwarding, where it has one, also works when the console is closed."
)

KIND_WORD: Mapping[ForwardKind, str] = {
    ForwardKind.UNCONDITIONAL: N_("Always"),
    ForwardKind.BUSY: N_("When busy"),
    ForwardKind.NO_ANSWER: N_("When I do not answer"),
    ForwardKind.NOT_REACHABLE: N_("When not reachable"),
    ForwardKind.DND: N_("While do not disturb"),
}
#: The badge's short word per kind (the unconditional forward has none: it is "the" forward).
KIND_SHORT: Mapping[ForwardKind, str] = {
    ForwardKind.UNCONDITIONAL: "",
    ForwardKind.BUSY: N_("busy"),
    ForwardKind.NO_ANSWER: N_("no answer"),
    ForwardKind.NOT_REACHABLE: N_("unreachable"),
    ForwardKind.DND: N_("DND"),
}
KIND_CAPABILITY = FORWARD_KIND_CAPABILITY


def offered_kinds(can: Callable[[Capability], bool]) -> tuple[ForwardKind, ...]:
    """The kinds of forward a backend takes (``can``: whether it has a capability)."""
    return tuple(k for k in ForwardKind if k not in KIND_CAPABILITY or can(KIND_CAPABILITY[k]))


def has_letters(typed: str) -> bool:
    """Whether a destination was typed as (part of) a name rather than a number."""
    return any(c.isalpha() for c in typed)


def colleagues_to_forward_to(
    devices: Iterable[MonitoredDevice], typed: str, own: str
) -> list[MonitoredDevice]:
    """The colleagues a destination typed as part of a name stands for (the slips' search:
    every word typed starts a word of their name, department or extension), those with an
    extension only, not me; [] when ``typed`` has no letter (a number)."""
    if not has_letters(typed):
        return []
    found = colleagues_matching(devices, typed, me=own or None)
    return [d for d in found if d.extension]


def forwarded_numbers(devices: Iterable[MonitoredDevice]) -> dict[str, str]:
    """Where each colleague's number is forwarded now (to find a loop through them)."""
    return {
        d.extension: d.forward_unconditional
        for d in devices
        if d.extension and d.forward_unconditional
    }


def loop_path(destination: str, own: str, forwards_of: Callable[[str], str | None]) -> list[str]:
    """The numbers a forward goes through when it comes back to ``own``, else []."""
    path, number = [destination], destination
    for _step in range(16):
        number_next = forwards_of(number)
        if not number_next or number_next in path:
            return []
        path.append(number_next)
        if number_next == own:
            return path
        number = number_next
    return []


def check_not_me(
    destination: str, own: str, forwards_of: Callable[[str], str | None] = lambda _n: None
) -> None:
    """``ValueError`` when a forward to ``destination`` would ring me again: my own number,
    or a colleague whose forward comes back to me (``forwards_of``: where a number is
    forwarded)."""
    if own and destination == own:
        raise ValueError(
            _("A forward to my own number {number} would ring me again.").format(number=own)
        )
    path = loop_path(destination, own, forwards_of)
    if path:
        raise ValueError(
            _("A forward to {number} would come back to me ({path}): a loop.").format(
                number=destination, path=" → ".join([own, *path])
            )
        )


def check_destination(text: str, voicemail: str) -> str:
    """The number to forward to: ``text`` cleaned, or ``voicemail`` when ``text`` is empty.

    Raises ``ValueError`` with a translated sentence for letters, a paste too long to be a
    number, or an empty destination when no voicemail number is known.
    """
    typed = text.strip()
    if len(typed) > MAX_DESTINATION_CHARS:
        raise ValueError(
            _("That is not a phone number: {n} characters (at most {max}).").format(
                n=len(typed), max=MAX_DESTINATION_CHARS
            )
        )
    if not typed:
        if voicemail:
            return voicemail
        raise ValueError(_("A forward needs a number (no voicemail number is known)."))
    if not is_dialable(typed):
        raise ValueError(
            _("{text!r} is not a phone number: it contains letters.").format(text=typed)
        )
    return clean_number(typed)


def check_ring_time(text: str) -> int:
    """The no-answer delay in seconds from what was typed (empty: the default)."""
    typed = text.strip()
    if not typed:
        return DEFAULT_RING_TIME_S
    low, high = RING_TIME_RANGE
    if not typed.isdigit() or not low <= int(typed) <= high:
        raise ValueError(
            _("The no-answer delay is a number of seconds from {low} to {high}.").format(
                low=low, high=high
            )
        )
    return int(typed)


def active_forwards(forwards: Mapping[ForwardKind, Forward]) -> list[tuple[ForwardKind, str]]:
    """The forwards that are on, in the order of :class:`ForwardKind`, with their destination."""
    return [
        (kind, forwards[kind].destination or "")
        for kind in ForwardKind
        if kind in forwards and forwards[kind].enabled
    ]


def destination_word(destination: str, voicemail: str) -> str:
    """A destination as shown: "voicemail" for my voicemail's number, else the number."""
    return _("my voicemail") if voicemail and destination == voicemail else destination


def badge(forwards: Mapping[ForwardKind, Forward], voicemail: str, *, short: bool = False) -> str:
    """The status-bar badge while a forward is on ("↪ Forwarded → 3990", "↪ busy → my voicemail";
    ``short``: "↪ 3990"), or "" when none is."""
    active = active_forwards(forwards)
    if not active:
        return ""
    kind, destination = active[0]
    where = destination_word(destination, voicemail)
    if short:
        return f"{FORWARD_SYMBOL} {where}"
    word = _(KIND_SHORT[kind]) if KIND_SHORT[kind] else _("Forwarded")
    more = f" +{len(active) - 1}" if len(active) > 1 else ""
    return f"{FORWARD_SYMBOL} {word} → {where}{more}"


def overridden_by(forwards: Mapping[ForwardKind, Forward]) -> str:
    """Where every call goes while the immediate forward is on (it wins over the others,
    Selfcare §4.1-5: they stay set but are not used), else ""."""
    immediate = forwards.get(ForwardKind.UNCONDITIONAL)
    if immediate is None or not immediate.enabled or not immediate.destination:
        return ""
    return immediate.destination


def override_note(forwards: Mapping[ForwardKind, Forward], voicemail: str) -> str:
    """Why the other forwards and simultaneous ring are not used now, or "" when they are."""
    destination = overridden_by(forwards)
    if not destination:
        return ""
    return _(
        "“Always” is on: every call goes to {where}. The other forwards and simultaneous ring"
        " stay set but are not used until it is off."
    ).format(where=destination_word(destination, voicemail))


def summary(
    forwards: Mapping[ForwardKind, Forward],
    voicemail: str,
    kinds: tuple[ForwardKind, ...] = tuple(ForwardKind),
) -> str:
    """One line per kind offered for the Preferences section: on (to where, after how long)
    or off."""
    lines = []
    immediate = bool(overridden_by(forwards))
    for kind in kinds:
        forward = forwards.get(kind)
        if forward is None or not forward.enabled:
            state = _("not forwarded")
        else:
            state = "→ " + destination_word(forward.destination or "", voicemail)
            if kind is ForwardKind.NO_ANSWER:
                delay = forward.ring_time_s or DEFAULT_RING_TIME_S
                state += " " + _("after {n} s").format(n=delay)
            if immediate and kind is not ForwardKind.UNCONDITIONAL:
                state += " " + _("(inactive: “Always” wins)")
        lines.append(labelled(_(KIND_WORD[kind]), state))
    return "\n".join(lines)
