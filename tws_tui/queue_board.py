"""The Queues screen's rules, Textual-free (shared with ``tws-tui wallboard``).

How long a caller has waited in words and symbols (``wait_tone``: orange ▲ and red ■ at the
``[queues]`` thresholds, TWS-3.1.3-2), the busy-agents gauge (Webpilot WPL-14.2-1) and the
queue order the operator chose (TWS-6.5.2-1).
"""

from __future__ import annotations

from tws_tui.core.model import Queue

WAIT_SYMBOL = {"": "·", "warning": "▲", "error": "■"}
GAUGE_WIDTH = 5


def wait_tone(waited_s: float, warn_after_s: float, alert_after_s: float) -> str:
    """``""``, ``"warning"`` (orange, ▲) or ``"error"`` (red, ■) for a call waiting that long."""
    if waited_s >= max(warn_after_s, alert_after_s):
        return "error"
    if waited_s >= warn_after_s:
        return "warning"
    return ""


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
