#!/usr/bin/env python3
"""Bytes per second the console writes to its terminal: what a thin client on a slow link pays.

Each case runs the console for real (Textual's Linux driver) in a pseudo-terminal of each
``--sizes`` (120x40 and 80x24, ``TERM=xterm-256color``), as a child of this script
(``--child``, the plumbing of ``bench/ptyrun.py``), with the default settings and empty config,
data and state folders. After ``--settle`` seconds the child opens a measuring window; the
parent counts every byte it reads from the terminal inside that window (its read times against
the window the child reports), and the child counts its driver's writes and frames meanwhile.

The cases:

* ``call`` — one quiet call on the Calls screen: the simulator seeded with its traffic off, an
  outside caller rings my extension, the call is answered (through the backend, as a key would),
  and nothing else happens. Measured over ``--call-seconds`` (20): the call timer and the status
  bar clock are all that should change;
* ``dialled`` — the same, but the operator calls a colleague from the dial bar (F2, the
  extension, F3; the colleague answers): the dial field keeps the focus, so its cursor blinks
  through the call;
* ``demo`` — what ``tws-tui --demo`` does, idle on its first screen (Contacts), with the demo's
  traffic (colleagues calling, changing presence, queue calls, calls ringing at me), over
  ``--demo-seconds`` (30);
* ``reference`` — a minimal Textual app showing a clock with seconds (``HH:MM:SS``, one
  ``Static`` updated once a second) on an otherwise empty screen, over ``--call-seconds``:
  what Textual itself writes for one visible change a second. The other cases read as a
  ratio of it.

Printed per case and size: bytes/s read from the terminal, the child's own count of bytes
written by its driver (they agree unless the terminal lagged), frames per second (one frame is
one ``App._display``: a synchronised update holding what changed), and bytes per frame. With
``--by-widget``, the frames are also grouped by the widgets that asked for a repaint since the
previous frame (``Widget.refresh`` calls, ``+layout`` when one asked for a layout): that says
which widget writes the bytes.

Targets (issue 14, at 120x40): one quiet call ≤ 1 KB/s; demo traffic idle on Contacts ≤ 4 KB/s.
The demo's traffic is seeded but timed by the real clock, so its figure moves from run to run;
the quiet call's does not. Exit code 0 either way (a benchmark, not a test); 1 if a console
could not be measured.

    python bench/terminal_bytes.py [--cases call,demo,reference] [--sizes 120x40,80x24]
                                   [--settle 4] [--call-seconds 20] [--demo-seconds 30]
                                   [--by-widget] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ptyrun import run_child_in_pty  # noqa: E402  # the same pty plumbing

CASES = ("call", "dialled", "demo", "reference")
TARGETS = {"call": 1000.0, "dialled": 1000.0, "demo": 4000.0}  # bytes/s at 120x40 (issue 14)

# ---- the child: a console (or the reference app) with its writes counted --------------------


class Meter:
    """What one child writes during the window: driver writes, frames, and what they painted."""

    def __init__(self) -> None:
        self.measuring = False
        self.writes = 0
        self.bytes = 0
        self.frames = 0
        self.pending: set[str] = set()  # widgets that asked for a repaint since the last frame
        self.by_painted: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # frames, bytes
        self.by_refresh: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def install(self, app: Any) -> None:
        """Count ``app``'s driver writes and frames, and the ``Widget.refresh`` calls."""
        from textual.widget import Widget

        meter = self
        original_refresh = Widget.refresh

        def refresh(widget: Widget, *regions: Any, **options: Any) -> Any:
            if meter.measuring:
                meter.pending.add(_name(widget) + ("+layout" if options.get("layout") else ""))
            return original_refresh(widget, *regions, **options)

        Widget.refresh = refresh  # type: ignore[method-assign]

        driver = app._driver
        original_write = driver.write

        def write(data: str) -> None:
            if meter.measuring:
                meter.writes += 1
                meter.bytes += len(data.encode("utf-8"))
            original_write(data)

        driver.write = write

        original_display = type(app)._display

        def display(self_app: Any, screen: Any, renderable: Any) -> None:
            before = meter.bytes
            painted = _painted(screen, renderable) if meter.measuring else ""
            original_display(self_app, screen, renderable)
            written = meter.bytes - before
            if meter.measuring and written:
                meter.frames += 1
                for table, key in (
                    (meter.by_painted, painted),
                    (meter.by_refresh, ", ".join(sorted(meter.pending)) or "(none)"),
                ):
                    table[key][0] += 1
                    table[key][1] += written
                meter.pending = set()

        app._display = display.__get__(app)

    def start(self) -> float:
        self.measuring = True
        self.pending = set()
        return time.time()

    def stop(self, started: float) -> dict[str, Any]:
        self.measuring = False
        return {
            "window": [started, time.time()],
            "writes": self.writes,
            "driver_bytes": self.bytes,
            "frames": self.frames,
            "by_painted": dict(self.by_painted),
            "by_refresh": dict(self.by_refresh),
        }


def _name(widget: Any) -> str:
    return type(widget).__name__ + (f"#{widget.id}" if widget.id else "")


def _painted(screen: Any, update: Any) -> str:
    """The widgets under what a compositor update paints: "whole screen" for a full update,
    else the widget at each chop of each line it touches, with its cell count."""
    from textual._compositor import ChopsUpdate
    from textual.errors import NoWidget

    if not isinstance(update, ChopsUpdate):
        return "(whole screen)" if update is not None else "(nothing)"
    cells: Counter[str] = Counter()
    for y, x1, x2 in update.spans:
        for x, end in zip(update.chops[y], update.chop_ends[y], strict=False):
            if end <= x1 or x >= x2:  # spans end before x2
                continue
            try:
                widget, _region = screen._compositor.get_widget_at(max(x, x1), y)
            except NoWidget:
                continue
            cells[_name(widget)] += min(end, x2) - max(x, x1)
    return ", ".join(f"{name}[{count}]" for name, count in sorted(cells.items()))


def _console_child(args: argparse.Namespace, result: dict[str, Any]) -> None:
    from tws_tui.backends.sim import create
    from tws_tui.console.app import BackendSetup, TwsApp
    from tws_tui.core.model import Party
    from tws_tui.settings.backend_choice import backend_choice
    from tws_tui.settings.prefs import PrefsStore
    from tws_tui.settings.schema import Settings

    settings = Settings()  # the defaults a new user has
    meter = Meter()
    quiet = args.case in ("call", "dialled")
    seconds = args.call_seconds if quiet else args.demo_seconds

    class Measured(TwsApp):
        CSS_PATH = str(Path(sys.modules[TwsApp.__module__].__file__ or "").with_name("app.tcss"))

        async def on_ready(self) -> None:
            if quiet:
                await self.switch_mode("call")
                self.set_timer(0.5, self._ring if args.case == "call" else self._dial)
            self.set_timer(args.settle, self._start)

        def _ring(self) -> None:
            switch = self.backend.switch  # type: ignore[attr-defined]
            switch.inject_incoming_call("100", Party("+33123456789", "ACME Industries"))
            self.set_timer(0.5, self._answer)

        async def _answer(self) -> None:
            ringing = [c for c in self.state.calls.values() if c.answered_at is None]
            if not ringing:
                raise SystemExit("bench: the injected call never rang")
            await self.backend.answer(ringing[0].call_id)

        def _dial(self) -> None:
            """F2, a free colleague's extension, F3: as the operator types them."""
            switch = self.backend.switch  # type: ignore[attr-defined]
            self._callee = next(
                ep
                for ep in sorted(switch.endpoints.values(), key=lambda ep: ep.extension)
                if ep.internal
                and not ep.operator
                and ep.registered
                and not (ep.dnd or ep.forwards or ep.conns or ep.home_queues)
                and ep.presence.value == "available"
            )
            self.simulate_key("f2")  # the field is made at the first use: keys a moment later
            self.set_timer(0.3, lambda: [self.simulate_key(k) for k in self._callee.extension])
            self.set_timer(0.6, lambda: self.simulate_key("f3"))
            self.set_timer(1.5, self._callee_answers)

        def _callee_answers(self) -> None:
            switch = self.backend.switch  # type: ignore[attr-defined]
            ringing = [c for c in self._callee.conns if c.state.value == "alerting"]
            if not ringing:
                raise SystemExit(f"bench: nothing rings at {self._callee.extension}")
            switch.answer(ringing[0].id)

        def _start(self) -> None:
            if quiet and not any(c.answered_at for c in self.state.calls.values()):
                raise SystemExit("bench: no call was answered")
            meter.install(self)
            started = meter.start()
            self.set_timer(seconds, lambda: self._finish(started))

        def _finish(self, started: float) -> None:
            result.update(meter.stop(started))
            result["screen"] = type(self.screen).__name__
            result["calls"] = len(self.state.calls)
            result["focused"] = self.focused.id if self.focused is not None else None
            self.exit()

    if quiet:
        backend = create({"seed": 1, "traffic": False})
        app = Measured(prefs=PrefsStore(settings), backend=backend)
    else:
        name, options, _setup = backend_choice(settings, demo=True, backend=None, seed=None)
        app = Measured(prefs=PrefsStore(settings), connect=BackendSetup(name, options))
    app.run()


def _reference_child(args: argparse.Namespace, result: dict[str, Any]) -> None:
    from datetime import datetime

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    meter = Meter()

    class Clock(App[None]):
        """A minimal Textual app: a clock with seconds, updated once a second."""

        def compose(self) -> ComposeResult:
            yield Static(id="clock")

        def on_ready(self) -> None:
            self._tick()
            self.set_interval(1.0, self._tick)
            self.set_timer(args.settle, self._start)

        def _tick(self) -> None:
            self.query_one("#clock", Static).update(datetime.now().strftime("%H:%M:%S"))

        def _start(self) -> None:
            meter.install(self)
            started = meter.start()
            self.set_timer(args.call_seconds, lambda: self._finish(started))

        def _finish(self, started: float) -> None:
            result.update(meter.stop(started))
            result["screen"] = "Clock"
            self.exit()

    Clock().run()


def run_child(args: argparse.Namespace) -> None:
    result: dict[str, Any] = {}
    if args.case == "reference":
        _reference_child(args, result)
    else:
        _console_child(args, result)
    Path(args.child).write_text(json.dumps(result), encoding="utf-8")


# ---- the parent: a terminal per case and size, the bytes read in the window -------------------


def measure(args: argparse.Namespace, case: str, size: str) -> dict[str, Any]:
    reads: list[tuple[float, int]] = []
    seconds = args.demo_seconds if case == "demo" else args.call_seconds
    child_args = [
        "--case",
        case,
        "--settle",
        str(args.settle),
        "--call-seconds",
        str(args.call_seconds),
        "--demo-seconds",
        str(args.demo_seconds),
    ]
    figures = run_child_in_pty(
        __file__,
        child_args,
        size=size,
        timeout=args.settle + seconds + 60,
        on_output=lambda chunk: reads.append((time.time(), len(chunk))),
    )
    start, end = figures["window"]
    wall = end - start
    read = sum(count for at, count in reads if start <= at <= end)
    return {
        "case": case,
        "size": size,
        "seconds": round(wall, 2),
        "bytes_per_s": round(read / wall, 1),
        "driver_bytes_per_s": round(figures["driver_bytes"] / wall, 1),
        "writes": figures["writes"],
        "frames": figures["frames"],
        "frames_per_s": round(figures["frames"] / wall, 2),
        "bytes_per_frame": round(figures["driver_bytes"] / figures["frames"])
        if figures["frames"]
        else 0,
        "screen": figures.get("screen"),
        "by_painted": figures["by_painted"],
        "by_refresh": figures["by_refresh"],
    }


def _print_by_widgets(row: dict[str, Any]) -> None:
    for title, table in (("painted", row["by_painted"]), ("asked by", row["by_refresh"])):
        print(f"    frames by what they {title}:")
        total = Counter({key: value[1] for key, value in table.items()})
        for key, written in total.most_common(10):
            frames = table[key][0]
            print(
                f"      {written / row['seconds']:8.0f} B/s  {frames:4d} frames  "
                f"{written / frames:6.0f} B/frame  {key[:200]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES), help="call,demo,reference")
    parser.add_argument("--sizes", default="120x40,80x24", help="COLSxROWS,…")
    parser.add_argument("--settle", type=float, default=4.0, help="seconds before measuring")
    parser.add_argument("--call-seconds", type=float, default=20.0)
    parser.add_argument("--demo-seconds", type=float, default=30.0)
    parser.add_argument("--by-widget", action="store_true", help="which widgets asked for frames")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    cases = [case for case in args.cases.split(",") if case]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; choose among {', '.join(CASES)}")
    rows = [measure(args, case, size) for size in args.sizes.split(",") for case in cases]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    references = {row["size"]: row["bytes_per_s"] for row in rows if row["case"] == "reference"}
    print(
        f"{'case':10}{'size':>8}{'B/s':>9}{'driver':>9}{'writes':>8}{'frames/s':>10}"
        f"{'B/frame':>9}{'× ref':>7}  target"
    )
    for row in rows:
        reference = references.get(row["size"])
        ratio = f"{row['bytes_per_s'] / reference:7.1f}" if reference else f"{'':7}"
        target = TARGETS.get(row["case"]) if row["size"] == "120x40" else None
        verdict = ""
        if target is not None:
            verdict = f"≤ {target:.0f} {'met' if row['bytes_per_s'] <= target else 'MISSED'}"
        print(
            f"{row['case']:10}{row['size']:>8}{row['bytes_per_s']:>9.0f}"
            f"{row['driver_bytes_per_s']:>9.0f}{row['writes']:>8}{row['frames_per_s']:>10.2f}"
            f"{row['bytes_per_frame']:>9}{ratio}  {verdict}"
        )
        if args.by_widget:
            _print_by_widgets(row)


if __name__ == "__main__":
    main()
