"""What the chat's compose field may send, and whom a new conversation is with.

Pure policy, no Textual. :func:`message_problem` refuses a message over
:data:`MESSAGE_MAX_CHARS` in words (the limit and how long the text is), so the text stays in
the field to be trimmed: nothing typed or pasted is cut. :func:`conversations_matching` is
Ctrl+N's search: colleagues whose name, department or extension holds every word typed at the
start of one of theirs (the slips' search, ``domain.slips.colleagues_matching``) and the
groups whose name does: those matched by their name first (colleagues, then groups), then the
colleagues matched by their department or extension only ("acc" is the group *Accueil*
before the colleagues of the reception desk).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tws_tui.core.model import MonitoredDevice, UserId
from tws_tui.domain.slips import colleagues_matching, slip_peer
from tws_tui.domain.text import fold, words
from tws_tui.platform.i18n import _

#: Longest chat message sent (the CTI server and the simulator take 4000).
MESSAGE_MAX_CHARS = 2000


def message_problem(text: str) -> str | None:
    """Why ``text`` cannot be sent as it is, in words, or None."""
    if len(text) > MESSAGE_MAX_CHARS:
        return _("A message has at most {most} characters ({n} typed).").format(
            most=MESSAGE_MAX_CHARS, n=len(text)
        )
    return None


def conversations_matching(
    devices: Iterable[MonitoredDevice],
    groups: Mapping[UserId, str],
    typed: str,
    *,
    me: str | None = None,
) -> list[tuple[UserId, str]]:
    """The conversations ``typed`` (part of a name) may mean, as (peer, name), best first
    ("# " before a group's name); nothing for blank text."""
    wanted = words(fold(typed))
    if not wanted:
        return []

    def by_name(name: str) -> bool:
        own = words(fold(name))
        return all(any(word.startswith(w) for word in own) for w in wanted)

    named: list[tuple[UserId, str]] = []
    others: list[tuple[UserId, str]] = []
    for device in colleagues_matching(devices, typed, me=me):
        peer = slip_peer(device)
        if peer is not None:
            (named if by_name(device.name) else others).append((peer, device.name))
    for group, name in sorted(groups.items(), key=lambda item: fold(item[1])):
        if by_name(name):
            named.append((group, f"# {name}"))
    return named + others
