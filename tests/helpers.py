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
from tws_tui.core.model import ConnectionState, Party
from tws_tui.settings.prefs import PrefsStore, PrefsWriter
from tws_tui.settings.schema import (
    AlertSettings,
    CardDavSettings,
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
    carddav: CardDavSettings | None = None,
) -> PrefsStore:
    """A prefs store for a test console: no animation, and the given sections."""
    settings = Settings(
        general=GeneralSettings(voicemail_number=voicemail_number),
        ui=ui or UiSettings(animations=False),
        alerts=alerts or AlertSettings(),
        queues=queues or QueueSettings(),
        contacts=contacts or ContactSettings(),
        keymap=dict(keymap or {}),
        carddav=carddav or CardDavSettings(),
    )
    return PrefsStore(settings, save_prefs)


PREFS_KEYWORDS = (
    "ui",
    "queues",
    "contacts",
    "keymap",
    "voicemail_number",
    "save_prefs",
    "carddav",
)


def build_console(
    *,
    capabilities: Any = None,
    alerts: AlertSettings | None = None,
    traffic: bool = False,
    **kwargs: Any,
) -> Console:
    """The console on the silent simulator (``traffic``: the demo's, driven by the manual
    clock); the alerter pop-up is off unless ``alerts`` says.
    ``ui``, ``queues``, ``contacts``, ``keymap``, ``voicemail_number`` and ``save_prefs`` go
    to its prefs store, the rest to ``TwsApp``."""
    clock = ManualClock()
    options: dict[str, Any] = {"seed": 0, "traffic": traffic, "clock": clock}
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


async def settle(pilot: Any, rounds: int = 4) -> None:
    """Let the console handle what is pending (a few rounds of its message loop)."""
    for _ in range(rounds):
        await pilot.pause()


async def answer_a_call(console: Console, pilot: Any, caller: Party = ACME) -> None:
    """Once the console has settled, ``caller`` rings my extension and I answer with Enter."""
    await settle(pilot)
    console.ring(caller)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def talking_on_the_calls_screen(console: Console, pilot: Any, rounds: int = 4) -> None:
    """ACME rings, I answer, and look at the Calls screen (the card selected is ACME's)."""
    await settle(pilot, rounds)
    console.ring(ACME)
    await settle(pilot, rounds)
    await pilot.press("enter", "alt+2")
    await settle(pilot, rounds)
    assert states(console) == {ACME.name: ConnectionState.CONNECTED}


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


# ---- what the console repaints (issue 14: bytes over SSH) -----------------------------------

#: What one frame paints: the (y, x1, x2) spans of a partial update (x2 excluded), or None for
#: the whole screen.
Paint = list[tuple[int, int, int]] | None


def record_paints(app: Any) -> list[Paint]:
    """From now on, what each frame of ``app`` paints (headless, nothing reaches a terminal,
    but the compositor's update is made the same)."""
    from textual._compositor import ChopsUpdate

    frames: list[Paint] = []
    original = app._display

    def display(screen: Any, update: Any) -> None:
        if isinstance(update, ChopsUpdate):
            frames.append([(y, x1, x2) for y, x1, x2 in update.spans])
        elif update is not None:
            frames.append(None)
        original(screen, update)

    app._display = display
    return frames


def painted_widgets(app: Any, frames: list[Paint]) -> set[str]:
    """The widgets (class name and id) under every cell ``frames`` painted; "whole screen"."""
    names: set[str] = set()
    for frame in frames:
        if frame is None:
            names.add("whole screen")
            continue
        for y, x1, x2 in frame:
            for x in range(x1, x2):
                widget, _region = app.screen.get_widget_at(x, y)
                names.add(f"{type(widget).__name__}#{widget.id}")
    return names


class Refreshes:
    """Every ``Widget.refresh`` from now on: (widget, regions asked, layout asked)."""

    def __init__(self, monkeypatch: Any) -> None:
        from textual.widget import Widget

        self.calls: list[tuple[Any, tuple[Any, ...], bool]] = []
        original = Widget.refresh

        def refresh(widget: Any, *regions: Any, **options: Any) -> Any:
            self.calls.append((widget, regions, bool(options.get("layout"))))
            return original(widget, *regions, **options)

        monkeypatch.setattr(Widget, "refresh", refresh)

    def clear(self) -> None:
        self.calls.clear()

    def widgets(self, kind: type) -> list[tuple[Any, tuple[Any, ...], bool]]:
        return [call for call in self.calls if isinstance(call[0], kind)]


class SecondTimers:
    """The console's once-a-second timers (``set_interval(1.0, …)``), recorded as they are
    made: a test moves its ``ManualClock`` one second and fires each of them once, as a real
    second would, without waiting for one."""

    def __init__(self, monkeypatch: Any) -> None:
        from textual.message_pump import MessagePump

        self.made: list[tuple[Any, Any]] = []
        original = MessagePump.set_interval

        def set_interval(pump: Any, interval: float, callback: Any = None, **kwargs: Any) -> Any:
            if interval == 1.0 and callback is not None:
                self.made.append((pump, callback))
            return original(pump, interval, callback, **kwargs)

        monkeypatch.setattr(MessagePump, "set_interval", set_interval)

    async def fire(self) -> int:
        """Fire each timer of a widget or screen still in the app; how many fired."""
        import inspect

        fired = 0
        for pump, callback in self.made:
            if getattr(pump, "is_attached", False):
                result = callback()
                if inspect.isawaitable(result):
                    await result
                fired += 1
        return fired


class VirtualTerminal:
    """The screen a terminal shows, made only of what the console sent it: every frame of
    ``app`` (a full update, or the cells of a partial one) applied to a grid of cells, as a
    real terminal would. Start it before the app runs, so its first frame is in it.

    ``stale_lines()`` compares it with a full repaint of the screen now: a change that was
    repainted too narrowly (cells left out) shows there as a line that differs."""

    def __init__(self, app: Any) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        self.app = app
        self.cells: list[list[tuple[str, Any]]] = []
        original = app._display

        def display(screen: Any, update: Any) -> None:
            if isinstance(update, LayoutUpdate):
                width, height = update.region.size
                self.cells = [[(" ", None)] * width for _ in range(height)]
                for y, strips in enumerate(update.strips, update.region.y):
                    x = update.region.x
                    for strip in strips:
                        x = self._put(strip, x, y)
            elif isinstance(update, ChopsUpdate):
                for y, x1, x2 in update.spans:  # as ChopsUpdate.render_segments writes them
                    ends = update.chop_ends[y]
                    for end, (x, strip) in zip(ends, update.chops[y].items(), strict=False):
                        if strip is None or x > x2 or end <= x1:
                            continue
                        if not (x2 > x >= x1 and end <= x2):
                            strip = strip.crop(0, min(end, x2) - x)
                        self._put(strip, x, y)
            original(screen, update)

        app._display = display

    def _put(self, strip: Any, x: int, y: int) -> int:
        from rich.cells import cell_len

        row = self.cells[y]
        for text, style, _control in strip:
            for char in text:
                if x < len(row):
                    row[x] = (char, style)
                x += max(1, cell_len(char))
        return x

    def stale_lines(self) -> list[str]:
        """The lines where the terminal shows something else than a full repaint would."""
        from textual._context import visible_screen_stack

        screen = self.app.screen
        for widget in (screen, *screen.walk_children()):
            widget.refresh()  # every widget drawn again from what it holds now
        for below in self.app._background_screens:
            for widget in (below, *below.walk_children()):
                widget.refresh()
        visible_screen_stack.set(self.app._background_screens)
        fresh = VirtualTerminal.__new__(VirtualTerminal)
        fresh.cells = [[(" ", None)] * screen.size.width for _ in range(screen.size.height)]
        for y, strip in enumerate(screen._compositor.render_strips()):
            fresh._put(strip, 0, y)
        stale = []
        for y, (shown, wanted) in enumerate(zip(self.cells, fresh.cells, strict=False)):
            if shown != wanted:
                stale.append(
                    f"line {y}: shows {''.join(c for c, _s in shown)!r}"
                    f" instead of {''.join(c for c, _s in wanted)!r}"
                )
        return stale
