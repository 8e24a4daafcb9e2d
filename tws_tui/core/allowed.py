"""Which actions a call allows in each connection state (the ``Call.allowed`` default rules).

A backend starts from :func:`default_allowed` and removes what its capabilities or the device
cannot do (:func:`restrict`). The UI greys keys from ``Call.allowed`` alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from tws_tui.core.model import (
    ACTION_CAPABILITY,
    Action,
    Capability,
    ConnectionState,
)

_BY_STATE: Mapping[ConnectionState, frozenset[Action]] = {
    ConnectionState.ALERTING: frozenset({Action.ANSWER, Action.DEFLECT, Action.HANGUP}),
    ConnectionState.INITIATED: frozenset({Action.HANGUP}),
    ConnectionState.CONNECTED: frozenset(
        {
            Action.HOLD,
            Action.BLIND_TRANSFER,
            Action.ATTENDED_TRANSFER,
            Action.PARK,
            Action.DTMF,
            Action.MUTE,
            Action.RECORD,
            Action.HANGUP,
        }
    ),
    ConnectionState.HOLD: frozenset(
        {Action.RETRIEVE, Action.HANGUP, Action.BLIND_TRANSFER, Action.PARK}
    ),
    ConnectionState.FAIL: frozenset({Action.HANGUP}),
    ConnectionState.QUEUED: frozenset({Action.ANSWER}),
    ConnectionState.NULL: frozenset(),
}


def default_allowed(state: ConnectionState) -> frozenset[Action]:
    return _BY_STATE[state]


def restrict(allowed: frozenset[Action], capabilities: frozenset[Capability]) -> frozenset[Action]:
    """Drop the actions whose capability the backend lacks."""
    return frozenset(a for a in allowed if ACTION_CAPABILITY[a] in capabilities)
