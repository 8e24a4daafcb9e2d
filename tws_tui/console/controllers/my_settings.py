"""The check before a dialog that changes one of my own settings (forwarding, presence note).

Owns :func:`me_if_allowed`: the backend must offer the capability (else a notice saying what
the phone system does not let the console do) and I must be signed in (else "Not connected.");
then my current state, which the dialog opens on.
"""

from __future__ import annotations

from tws_tui.console.api import ConsoleApi
from tws_tui.core.model import Capability, OperatorState
from tws_tui.platform.i18n import _


def me_if_allowed(api: ConsoleApi, capability: Capability, refusal: str) -> OperatorState | None:
    """My state when ``capability`` is offered and I am signed in; else None, after a notice
    (``refusal``, already translated, when the capability is missing)."""
    if not api.can(capability):
        api.notify(refusal, severity="warning")
        return None
    me = api.state.me
    if me is None:
        api.notify(_("Not connected."), severity="warning")
    return me
