#!/usr/bin/env python3
"""The Queues screen under load: CPU of the UI process and key-press latency.

A synthetic backend (``BoardBackend``, here and only here) gives the console ``--queues`` queues
(50) of ``--waiting`` calls each (200), so 10 000 waiting-time timers tick on screen, and sends
``--rate`` queue events per second (100): each replaces one queue in which the oldest caller
left and a new one arrived. The console runs for real (Textual's Linux driver, a pseudo-terminal
of ``--size``, 120x40, whose output this script reads and throws away) on its Queues screen,
with the waiting list focused.

After ``--warmup`` seconds (3) it measures for ``--seconds`` (10):

* **CPU**: user + system time of the console process over wall time, in % of one core
  (``resource.getrusage``, so every thread of the process counts);
* **key-press latency**: every ``--key-every`` seconds (0.2) a ``down`` key goes through the
  app's own key dispatch (``App.simulate_key``, as a terminal key would after parsing), moving
  the cursor of the waiting list; measured from the press until the frame after the cursor
  moved has been painted (``call_after_refresh`` from the list's ``Highlighted`` message; a
  press still unanswered at the next one counts with its time so far). Printed: median, p95
  and max.

Targets of the queues issue: CPU ≤ 25 % of one core, p95 latency ≤ 50 ms. Exit code 0 either
way (a benchmark, not a test); 1 if the console could not be measured.

    python bench/queues.py [--queues 50] [--waiting 200] [--rate 100] [--seconds 10]
                           [--warmup 3] [--key-every 0.2] [--size 120x40] [--json]
                           [--profile PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from ptyrun import run_child_in_pty  # noqa: E402  # the same pty plumbing

# ---- the child: the console on a synthetic switch -------------------------------------------


def _board_backend(queues: int, waiting: int, rate: float) -> Any:
    from tws_tui.core.clock import SystemClock
    from tws_tui.core.events import Event, QueueEvent
    from tws_tui.core.model import (
        CallId,
        Capability,
        OperatorState,
        Party,
        Queue,
        QueuedCall,
        QueueId,
        QueueRef,
        Snapshot,
        UserId,
    )

    clock = SystemClock()
    rng = random.Random(7)
    counter = iter(range(10**9))

    def caller() -> Party:
        number = "+336" + "".join(rng.choice("0123456789") for _ in range(8))
        return Party(number, rng.choice([None, f"Client {rng.randrange(10000)}"]))

    def new_call(ref: QueueRef, at: datetime) -> QueuedCall:
        return QueuedCall(CallId(f"q-{next(counter)}"), ref, caller(), at, Party("3900"))

    now = clock.now()
    board: list[Queue] = []
    for index in range(queues):
        ref = QueueRef(QueueId(f"q{index:02d}"), f"File {index:02d}")
        calls = tuple(
            new_call(ref, now - timedelta(seconds=rng.uniform(0, 120))) for _ in range(waiting)
        )
        calls = tuple(sorted(calls, key=lambda c: c.queued_at))
        board.append(Queue(ref.id, ref.name, f"39{index:02d}", calls, 6, 3, 1, 2, member=index < 3))

    class BoardBackend:
        """Only what the console needs to show queues; nothing else is offered."""

        capabilities = frozenset({Capability.MAKE_CALL})
        directory = history = chat = None

        async def connect(self) -> Snapshot:
            me = OperatorState(UserId("u100"), "Camille Martin", "100", ())
            return Snapshot(me=me, queues=tuple(board))

        async def snapshot(self) -> Snapshot:
            return await self.connect()

        async def close(self) -> None:
            return None

        async def events(self) -> AsyncIterator[Event]:
            pause = 1.0 / rate
            version = 1
            while True:
                await asyncio.sleep(pause)
                index = rng.randrange(len(board))
                queue = board[index]
                version += 1
                waiting_now = (*queue.waiting[1:], new_call(queue.ref, clock.now()))
                queue = Queue(
                    queue.id,
                    queue.name,
                    queue.number,
                    waiting_now,
                    queue.agents_logged_in,
                    queue.agents_ready,
                    queue.agents_paused,
                    queue.agents_busy,
                    member=queue.member,
                    version=version,
                )
                board[index] = queue
                yield QueueEvent(at=clock.now(), queue=queue)

    return BoardBackend()


def run_child(args: argparse.Namespace) -> None:
    from tws_tui.console.app import TwsApp
    from tws_tui.console.widgets.row_list import RowList
    from tws_tui.settings.prefs import PrefsStore
    from tws_tui.settings.schema import Settings, UiSettings

    backend = _board_backend(args.queues, args.waiting, args.rate)
    latencies: list[float] = []
    result: dict[str, Any] = {}

    class Measured(TwsApp):
        CSS_PATH = str(Path(sys.modules[TwsApp.__module__].__file__ or "").with_name("app.tcss"))

        async def on_ready(self) -> None:
            await self.switch_mode("queues")
            self.set_timer(args.warmup, self._start)

        def _start(self) -> None:
            self._usage = resource.getrusage(resource.RUSAGE_SELF)
            self._wall = time.perf_counter()
            self.set_interval(args.key_every, self._press)
            self.set_timer(args.seconds, self._finish)

        _pressed_at: float | None = None

        def _press(self) -> None:
            waiting = self.screen.query_one("#waiting", RowList)
            if self.focused is not waiting:
                waiting.focus()
            if self._pressed_at is not None:  # the previous press never moved the cursor
                latencies.append(time.perf_counter() - self._pressed_at)
            self._pressed_at = time.perf_counter()
            self.simulate_key("up" if waiting.cursor >= waiting.row_count - 1 else "down")

        def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
            """The cursor moved: the press's latency ends when that is painted."""
            pressed = self._pressed_at
            if pressed is None:
                return
            self._pressed_at = None
            self.call_after_refresh(lambda: latencies.append(time.perf_counter() - pressed))

        def _finish(self) -> None:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            wall = time.perf_counter() - self._wall
            cpu = (usage.ru_utime - self._usage.ru_utime) + (usage.ru_stime - self._usage.ru_stime)
            waiting = self.screen.query_one("#waiting", RowList)
            result.update(
                cpu_percent=100.0 * cpu / wall,
                latencies_ms=[1000.0 * x for x in latencies],
                rows=waiting.row_count,
                seconds=wall,
            )
            self.exit()

    app = Measured(
        prefs=PrefsStore(
            Settings(ui=UiSettings(animations=False, desktop_notifications=False, bell=False))
        ),
        backend=backend,
        journal=None,
    )
    app.local_journal.journal = None
    app.local_journal.recorder = None
    if args.profile:
        import cProfile

        with cProfile.Profile() as profile:
            app.run()
        profile.dump_stats(args.profile)
    else:
        app.run()
    Path(args.child).write_text(json.dumps(result), encoding="utf-8")


# ---- the parent: a terminal for the child, and the figures ---------------------------------


def measure(args: argparse.Namespace) -> dict[str, Any]:
    return run_child_in_pty(
        __file__, sys.argv[1:], size=args.size, timeout=args.warmup + args.seconds + 60
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queues", type=int, default=50)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100.0, help="queue events per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--key-every", type=float, default=0.2)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", metavar="PATH", help="cProfile the console into PATH")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    figures = measure(args)
    latencies = sorted(figures["latencies_ms"])
    if not latencies:
        raise SystemExit("bench: no key press was measured")
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    summary = {
        "queues": args.queues,
        "waiting_per_queue": args.waiting,
        "events_per_s": args.rate,
        "rows_on_screen_list": figures["rows"],
        "cpu_percent_of_one_core": round(figures["cpu_percent"], 1),
        "key_latency_ms": {
            "presses": len(latencies),
            "median": round(statistics.median(latencies), 1),
            "p95": round(p95, 1),
            "max": round(latencies[-1], 1),
        },
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"queues board: {args.queues} queues x {args.waiting} waiting "
        f"({figures['rows']} rows), {args.rate:g} queue events/s, {args.seconds:g} s measured"
    )
    print(f"UI process CPU: {summary['cpu_percent_of_one_core']} % of one core (target <= 25)")
    lat = summary["key_latency_ms"]
    print(
        f"key-press to painted frame: median {lat['median']} ms, p95 {lat['p95']} ms "
        f"(target <= 50), max {lat['max']} ms over {lat['presses']} presses"
    )


if __name__ == "__main__":
    main()
