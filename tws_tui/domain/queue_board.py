"""The Queues screen's rules, Textual-free (shared with ``tws-tui wallboard``).

How long a caller has waited in words and symbols (``wait_tone``: orange ▲ and red ■ at the
``[queues]`` thresholds, TWS-3.1.3-2; ``wait_thresholds``: the two as typed in Preferences,
checked, TWS-6.3-4), the busy-agents gauge (Webpilot WPL-14.2-1), the queue
order the operator chose (TWS-6.5.2-1), and a queue's members and settings in one line
(WPL-14.2-2…8, Sophia SOP-A9).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import datetime

from tws_tui.core.model import AgentState, Queue, QueueAgent, RingStrategy
from tws_tui.domain.format import AGENT_WORD, elapsed
from tws_tui.platform.i18n import N_, _
from tws_tui.settings.schema import QueueSettings

WAIT_SYMBOL = {"": "·", "warning": "▲", "error": "■"}
GAUGE_WIDTH = 5
#: TWS-6.3-4: a threshold as typed: seconds, a decimal point or comma, an optional "s".
_SECONDS = re.compile(r"(\d{1,4}(?:[.,]\d{1,2})?)\s*s?", re.IGNORECASE)
#: The bounds ``[queues] warn_after_s`` and ``alert_after_s`` accept.
WAIT_LIMITS = (1.0, 3600.0)


def wait_tone(waited_s: float, warn_after_s: float, alert_after_s: float) -> str:
    """``""``, ``"warning"`` (orange, ▲) or ``"error"`` (red, ■) for a call waiting that long."""
    if waited_s >= max(warn_after_s, alert_after_s):
        return "error"
    if waited_s >= warn_after_s:
        return "warning"
    return ""


def wait_thresholds(orange: str, red: str) -> tuple[float, float]:
    """TWS-6.3-4: the orange and red thresholds as typed ("15", "30 s", "7,5"), checked:
    each 1 to 3600 seconds, red after orange. ``ValueError`` says what is wrong in words."""
    seconds = []
    for text in (orange, red):
        found = _SECONDS.fullmatch(text.strip())
        if found is None:
            raise ValueError(
                _("{text!r} is not a number of seconds.").format(text=text.strip()[:20])
            )
        value = float(found.group(1).replace(",", "."))
        if not WAIT_LIMITS[0] <= value <= WAIT_LIMITS[1]:
            raise ValueError(
                _("{value:g} s: a threshold is from {low:g} to {high:g} seconds.").format(
                    value=value, low=WAIT_LIMITS[0], high=WAIT_LIMITS[1]
                )
            )
        seconds.append(value)
    if seconds[1] <= seconds[0]:
        raise ValueError(
            _("Red ({red:g} s) must come after orange ({orange:g} s).").format(
                orange=seconds[0], red=seconds[1]
            )
        )
    return seconds[0], seconds[1]


def busy_gauge(busy: int, logged_in: int) -> str:
    """``▰▰▱▱▱ 2/5`` — the share of logged-in agents on a call (Webpilot WPL-14.2-1)."""
    if logged_in <= 0:
        return "–"
    filled = round(GAUGE_WIDTH * min(busy, logged_in) / logged_in)
    return "▰" * filled + "▱" * (GAUGE_WIDTH - filled) + f" {busy}/{logged_in}"


def ordered_queues(queues: list[Queue], order: tuple[str, ...]) -> list[Queue]:
    """``queues`` with those named in ``order`` first, in that order; the rest as they came."""
    rank = {queue_id: index for index, queue_id in enumerate(order)}
    return sorted(queues, key=lambda q: rank.get(q.id, len(rank)))


#: How a queue offers its calls, in words (Sophia SOP-A9).
STRATEGY_WORD = {
    RingStrategy.MANUAL: N_("operators pick calls up"),
    RingStrategy.RING_ALL: N_("rings every agent"),
    RingStrategy.LONGEST_IDLE: N_("longest idle agent first"),
    RingStrategy.ROUND_ROBIN: N_("agents in turn"),
    RingStrategy.IN_ORDER: N_("agents in a fixed order"),
}


def member_label(agent: QueueAgent) -> str:
    """``Zoé Petit (222) ☎ on a call``, ``… ‖ paused (Lunch)``, ``… ‖A auto-pause`` (WPL-14.2)."""
    who = f"{agent.name} ({agent.extension})" if agent.extension else agent.name
    if agent.on_call:
        return f"{who} ☎ " + _("on a call")
    if agent.state is AgentState.NOT_READY:
        mark = "‖A " + _("auto-pause") if agent.auto_paused else "‖ " + _("paused")
        return f"{who} {mark}" + (f" ({agent.reason})" if agent.reason else "")
    return f"{who} ● " + _(AGENT_WORD[agent.state])


def queue_details(queue: Queue) -> str:
    """The call-group settings the backend gives, then who is logged in and how."""
    facts = [queue.name]
    if queue.strategy is not None:
        facts.append(_(STRATEGY_WORD[queue.strategy]))
    if queue.max_waiting is not None:
        facts.append(_("at most {n} waiting").format(n=queue.max_waiting))
    if queue.announce_position:
        facts.append(_("position announced"))
    members = " · ".join(member_label(agent) for agent in queue.agents) or _("nobody")
    return " · ".join(facts) + " — " + _("agents: {members}").format(members=members)


def wallboard_line(
    queues: Iterable[Queue],
    now: datetime,
    settings: QueueSettings,
    *,
    only: Collection[str] | None = None,
) -> str:
    """The queues shown (or ``only`` those) on one line, with their agents (``tws-tui
    wallboard``, and the strip of pinned queues under the status bar)."""
    parts: list[str] = []
    ready = paused = busy = 0
    for queue in ordered_queues(list(queues), settings.order):
        if queue.id in settings.hidden if only is None else queue.id not in only:
            continue
        ready, paused, busy = (
            ready + queue.agents_ready,
            paused + queue.agents_paused,
            busy + queue.agents_busy,
        )
        part = f"{queue.name} {len(queue.waiting)}"
        if queue.waiting:
            oldest = queue.waiting[0].queued_at
            waited = max(0.0, (now - oldest).total_seconds())
            tone = wait_tone(waited, settings.warn_after_s, settings.alert_after_s)
            part += f" {WAIT_SYMBOL[tone]}{elapsed(oldest, now)}"
        parts.append(part)
    if not parts:
        return _("no queue")
    agents = _("agents {ready} ready {paused} paused {busy} busy").format(
        ready=ready, paused=paused, busy=busy
    )
    return " · ".join(parts) + " │ " + agents
