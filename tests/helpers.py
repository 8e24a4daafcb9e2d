"""Builders shared by the UI tests: the console on a seeded, silent simulator and a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tws_tui.app import TwsApp, UiOptions
from tws_tui.backends.sim import SimBackend, create
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import Party

ACME = Party("+33123456789", "ACME Industries")
DUPONT = Party("+33612345678", "Jeanne Dupont")


@dataclass
class Console:
    app: TwsApp
    backend: SimBackend
    clock: ManualClock

    def ring(self, caller: Party = ACME, to: str = "100", **kwargs: Any) -> str:
        """An outside caller dials ``to`` (my extension by default)."""
        return self.backend.switch.inject_incoming_call(to, caller, **kwargs)


def build_console(
    *, ui: UiOptions | None = None, capabilities: Any = None, **app_kwargs: Any
) -> Console:
    clock = ManualClock()
    options: dict[str, Any] = {"seed": 0, "traffic": False, "clock": clock}
    if capabilities is not None:
        options["capabilities"] = capabilities
    backend = create(options)
    app = TwsApp(
        ui=ui or UiOptions(animations=False, desktop_notifications=False),
        clock=clock,
        backend=backend,
        **app_kwargs,
    )
    return Console(app, backend, clock)
