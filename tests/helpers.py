"""Builders shared by the tests: the console on a seeded, silent simulator and a frozen clock,
and ``tws-tui`` run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tws_tui.backends.sim import SimBackend, create
from tws_tui.console.app import TwsApp
from tws_tui.core.clock import ManualClock
from tws_tui.core.model import Party
from tws_tui.settings.prefs import PrefsStore, PrefsWriter
from tws_tui.settings.schema import (
    AlertSettings,
    ContactSettings,
    GeneralSettings,
    QueueSettings,
    Settings,
    UiSettings,
)

ROOT = Path(__file__).resolve().parents[1]

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


def prefs_of(
    *,
    ui: UiSettings | None = None,
    alerts: AlertSettings | None = None,
    queues: QueueSettings | None = None,
    contacts: ContactSettings | None = None,
    keymap: dict[str, str] | None = None,
    voicemail_number: str = "",
    save_prefs: PrefsWriter | None = None,
) -> PrefsStore:
    """A prefs store for a test console: no animation, and the given sections."""
    settings = Settings(
        general=GeneralSettings(voicemail_number=voicemail_number),
        ui=ui or UiSettings(animations=False),
        alerts=alerts or AlertSettings(),
        queues=queues or QueueSettings(),
        contacts=contacts or ContactSettings(),
        keymap=dict(keymap or {}),
    )
    return PrefsStore(settings, save_prefs)


PREFS_KEYWORDS = ("ui", "queues", "contacts", "keymap", "voicemail_number", "save_prefs")


def build_console(
    *,
    capabilities: Any = None,
    alerts: AlertSettings | None = None,
    **kwargs: Any,
) -> Console:
    """The console on the silent simulator; the alerter pop-up is off unless ``alerts`` says.
    ``ui``, ``queues``, ``contacts``, ``keymap``, ``voicemail_number`` and ``save_prefs`` go
    to its prefs store, the rest to ``TwsApp``."""
    clock = ManualClock()
    options: dict[str, Any] = {"seed": 0, "traffic": False, "clock": clock}
    if capabilities is not None:
        options["capabilities"] = capabilities
    backend = create(options)
    prefs_kwargs = {key: kwargs.pop(key) for key in PREFS_KEYWORDS if key in kwargs}
    prefs = prefs_of(alerts=alerts or AlertSettings(popup=False), **prefs_kwargs)
    app = TwsApp(prefs=prefs, clock=clock, backend=backend, **kwargs)
    return Console(app, backend, clock)


def idle_colleagues(console: Console) -> list[Any]:
    """Colleagues who can take a call now (free, available, no DND or forwarding), by extension."""
    switch = console.backend.switch
    return sorted(
        (
            ep
            for ep in switch.endpoints.values()
            if ep.internal
            and not ep.operator
            and ep.registered
            and not ep.dnd
            and not ep.forwards
            and not ep.conns
            and not ep.home_queues
            and ep.presence.value == "available"
        ),
        key=lambda ep: ep.extension,
    )


def answer_at(console: Console, extension: str) -> str:
    """The colleague at ``extension`` picks up the call ringing at their phone."""
    switch = console.backend.switch
    for conn in switch.endpoint(extension).conns:
        if conn.state.value == "alerting":
            switch.answer(conn.id)
            return str(conn.id)
    raise AssertionError(f"nothing rings at {extension}")


def line_of(console: Console, extension: str) -> str:
    """The BLF line state the console shows for a colleague."""
    device = next(d for d in console.app.state.devices.values() if d.extension == extension)
    return device.line_state.value


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m tws_tui ARGS`` from the checkout, with ``env`` over the environment."""
    return subprocess.run(
        [sys.executable, "-m", "tws_tui", *args],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def count_layouts(app: Any) -> list[int]:
    """Count, from now on, how often the current screen is laid out again: the one-item list
    returned holds the count (a letter typed should repaint, not lay everything out)."""
    counted = [0]
    screen = app.screen
    original = screen._refresh_layout

    def counting(*args: Any, **kwargs: Any) -> None:
        counted[0] += 1
        original(*args, **kwargs)

    screen._refresh_layout = counting
    return counted


def states(console: Console) -> dict[str, Any]:
    """My calls: who → state (a ``ConnectionState``)."""
    return {c.remote.name: c.state for c in console.app.state.calls.values()}


def local_store(console: Console) -> Any:
    """The console's local contact store (opened on first use)."""
    directories = console.app.directories()
    assert directories is not None and directories.store is not None
    return directories.store


def add_colleague_to_list(store: Any, list_id: str, person: Any) -> None:
    """Put a colleague (an endpoint of the simulator or a monitored device) in a contact list,
    as the Contacts screen does: a card of the company directory with their device."""
    from tws_tui.core.model import Contact

    contact_id = getattr(person, "user_id", None) or person.device_id
    card = Contact(
        contact_id,
        "company",
        person.name,
        (("", person.extension or ""),),
        device_id=person.device_id,
    )
    store.add_to_list(list_id, "company", contact_id, card=card)


async def open_business_card(console: Console, pilot: Any, row_key: str) -> Any:
    """Select the row ``row_key`` of the Contacts list and open its business card (Ctrl+K)."""
    from tws_tui.console.widgets.row_list import RowList

    listed = console.app.screen.query_one("#contact-list", RowList)
    listed.focus()
    assert listed.select_key(row_key), f"{row_key} not listed"
    await pilot.press("ctrl+k")
    for _ in range(6):
        await pilot.pause()
    return console.app.screen


async def until(pilot: Any, check: Any, what: str, timeout: float = 5) -> None:
    """Pause the pilot until ``check()`` holds (events crossing a network take a while);
    fail naming ``what`` after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError(f"not within {timeout} s: {what}")


async def store_done(pilot: Any) -> None:
    """Pause the pilot until the contact store's work asked so far is done and the screens
    have redrawn from it (writes run in the store's thread, off the UI loop)."""
    from tws_tui.console.screens.contacts.store_work import STORE_WORK_GROUP

    def busy() -> bool:
        return any(w.group == STORE_WORK_GROUP and not w.is_finished for w in pilot.app.workers)

    await pilot.pause()
    if busy():
        await until(pilot, lambda: not busy(), "the contact store's work done")
    await pilot.pause()


def screen_text(app: Any) -> str:
    """What the terminal shows now, as plain text, one line per row (dialogs over the screen
    below them, as in a snapshot)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, color_system=None
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()
