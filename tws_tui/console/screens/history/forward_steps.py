"""The lines History's detail adds for what my forward did to a call after it left me
(issue 17; TWS-6.10.6.1-7): the announcement the caller heard, for how long, then the number
the call went on to, or the answering machine hanging up (TWS-6.10.6.1-4) — read from the
phone system where it says (``core.protocols.CallSteps``: ``sim``, and ``cti`` whose server
keeps them with my history), none elsewhere."""

from __future__ import annotations

from tws_tui.core.model import DEFAULT_ANNOUNCEMENT, ForwardStep
from tws_tui.domain.format import clock_time
from tws_tui.platform.i18n import _


def tenths(seconds: float) -> str:
    """ "2.4" in English, "2,4" in French: seconds to the tenth, the language's decimal mark."""
    whole, tenth = divmod(round(seconds * 10), 10)
    # TRANSLATORS: a number with one decimal, e.g. 2.4 (French: 2,4).
    return _("{whole}.{tenth}").format(whole=whole, tenth=tenth)


def step_lines(steps: list[ForwardStep], *, clock_24h: bool) -> list[str]:
    """One line per step, in the order they happened."""
    lines = []
    for step in steps:
        at = clock_time(step.at, clock_24h=clock_24h)
        if step.what == "announcement":
            name = (
                _("the default announcement")
                if step.detail == DEFAULT_ANNOUNCEMENT
                else step.detail
            )
            lines.append(
                _("Announcement {name} played to the caller at {time} ({seconds} s)").format(
                    name=name, time=at, seconds=tenths(step.length_s)
                )
            )
        elif step.what == "forwarded":
            lines.append(_("Forwarded to {number} at {time}").format(number=step.detail, time=at))
        elif step.what == "hung up":  # the simple answering machine (TWS-6.10.6.1-4)
            lines.append(_("The answering machine hung up at {time}").format(time=at))
    return lines
