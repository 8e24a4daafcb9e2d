#!/usr/bin/env python3
"""History with 100 000 journal entries: opening it (first frame), a filter or search keystroke.

The parent writes ``--entries`` (100 000) calls into a fresh ``journal.sqlite3`` of a temporary
data folder (not timed): callers drawn from the generated contacts of ``bench/search_index.py``
(names with accents, numbers in any format), spread over the last year, every outcome, a fifth
through one of five queues. Then the console runs for real (Textual's Linux driver, a
pseudo-terminal of ``--size``, 120x40) on the embedded simulator with its traffic off, against
that data folder, and measures:

* **History's first frame**: ``--opens`` (20) times, from the ``Alt+5`` key (posted as the
  terminal driver does) until the frame after History's list was filled from the journal has
  been painted; between two opens ``Alt+1`` goes back to Contacts. The first open (the screen
  imported and composed) is printed apart too;
* **filter keystroke**: ``Ctrl+T`` (all → received → placed → missed → all) and ``Ctrl+Y``
  (periods), ``--filters`` (40) keys, each from the press until the frame after the list was
  refreshed for it has been painted;
* **search keystroke**: ``--names`` (20) caller names typed letter by letter (the field cleared
  before each), one key every ``--key-every`` s (0.12), each from the press until the frame
  after the list shows exactly the text typed so far;
* **memory**: the console's resident set size at the end, and its peak.

Beside each wall-clock figure, the event loop's own CPU time over the same span (the main
thread's ``thread_time``): the work a key costs, which other jobs on the machine inflate less
than the wall clock (their share of the cores shows in the wall clock only). The load average
is printed at the end.

Targets (history issue): first frame ≤ 150 ms p95, a filter/search keystroke ≤ 16 ms p95.
Exit code 0 either way (a benchmark, not a test); 1 if the console could not be measured.

    python bench/history.py [--entries 100000] [--opens 20] [--filters 40] [--names 20]
                            [--key-every 0.12] [--seed 7] [--size 120x40] [--json]
                            [--profile PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ptyrun import (  # noqa: E402
    figures,
    measured_app_css,
    memory_figures,
    press,
    quiet_prefs,
    run_child_in_pty,
)
from search_index import generate  # noqa: E402

# ---- the child: the console, opening History, typing -------------------------------------


def run_child(args: argparse.Namespace) -> None:
    from tws_tui.backends.sim import SimBackend
    from tws_tui.console.app import TwsApp
    from tws_tui.console.screens.history import HistoryScreen
    from tws_tui.console.widgets.row_list import RowList

    names: list[str] = json.loads(args.typed)
    result: dict[str, Any] = {}
    opens: list[float] = []
    filters: list[float] = []
    searches: list[float] = []
    pending: dict[str, Any] = {}  # what the next refreshed list answers: kind, text, pressed
    # the event loop's own CPU time from the press to the frame (what the load inflates less)
    cpu: dict[str, list[float]] = {"open": [], "filter": [], "search": []}

    original_show = HistoryScreen._show

    def shown(screen: HistoryScreen, **options: Any) -> None:
        original_show(screen, **options)
        wanted = pending.get("kind")
        if wanted is None or screen.query_one("#history-list", RowList).row_count == 0:
            return
        if wanted == "search" and screen._filter.text != pending["text"]:
            return
        pressed, pressed_cpu = pending.pop("pressed"), pending.pop("pressed_cpu")
        pending.clear()
        into = {"open": opens, "filter": filters, "search": searches}[wanted]

        def painted() -> None:
            into.append(time.perf_counter() - pressed)
            cpu[wanted].append(time.thread_time() - pressed_cpu)

        screen.app.call_after_refresh(painted)

    HistoryScreen._show = shown  # type: ignore[method-assign]

    steps: list[tuple[str, str, str]] = []  # (kind, key, text typed so far)
    for _ in range(args.opens):
        steps += [("none", "alt+1", ""), ("open", "alt+5", "")]
    for n in range(args.filters):
        steps.append(("filter", "ctrl+t" if n % 2 == 0 else "ctrl+y", ""))
    steps += [("none", "ctrl+t", "")] * 4  # back to all calls
    for name in names:
        steps.append(("clear", "", ""))
        for end in range(1, len(name) + 1):
            steps.append(("search", name[end - 1], name[:end]))

    class Measured(TwsApp):
        CSS_PATH = measured_app_css()
        _step = 0
        _cleared = False

        async def on_ready(self) -> None:
            self.set_timer(1.0, self._next)

        def _next(self) -> None:
            if pending:  # unanswered: counted with its time so far
                kind, pressed = pending.pop("kind"), pending.pop("pressed")
                cpu[kind].append(time.thread_time() - pending.pop("pressed_cpu"))
                pending.clear()
                {"open": opens, "filter": filters, "search": searches}[kind].append(
                    time.perf_counter() - pressed
                )
            if self._step >= len(steps):
                self.set_timer(0.5, self._finish)
                return
            kind, key, text = steps[self._step]
            self._step += 1
            if kind == "clear":
                screen = self.screen
                if isinstance(screen, HistoryScreen):
                    screen.query_one("#history-search-bar").input.value = ""
                # the first time, a second for the search texts (made after the first frame)
                self.set_timer(0.2 if self._cleared else 1.0, self._next)
                self._cleared = True
                return
            if kind != "none":
                pending.update(
                    kind=kind,
                    text=text,
                    pressed=time.perf_counter(),
                    pressed_cpu=time.thread_time(),
                )
            press(self, key)
            delay = {"open": 0.4, "none": 0.3, "filter": 0.15}.get(kind, args.key_every)
            self.set_timer(delay, self._next)

        def _finish(self) -> None:
            result.update(
                opens_ms=[1000.0 * x for x in opens],
                filters_ms=[1000.0 * x for x in filters],
                searches_ms=[1000.0 * x for x in searches],
                cpu_ms={kind: [1000.0 * x for x in values] for kind, values in cpu.items()},
                **memory_figures(),
            )
            self.exit()

    app = Measured(prefs=quiet_prefs(), backend=SimBackend({"seed": 0, "traffic": False}))
    if args.profile:
        import cProfile

        with cProfile.Profile() as profile:
            app.run()
        profile.dump_stats(args.profile)
    else:
        app.run()
    Path(args.child).write_text(json.dumps(result), encoding="utf-8")


# ---- the parent: the journal, the console, the figures --------------------------------------


def prepare_journal(folder: Path, count: int, seed: int) -> list[str]:
    """``count`` calls journaled in ``folder/journal.sqlite3``; returns the callers' names."""
    from tws_tui.core.model import Direction, HistoryEntry, Outcome, Party, QueueId, QueueRef
    from tws_tui.journal import CallJournal

    rng = random.Random(seed)
    callers = [c for c in generate(5000, seed) if c.numbers]
    queues = [
        QueueRef(QueueId(f"q{n}"), name)
        for n, name in enumerate(("Accueil", "Support", "Ventes", "Facturation", "Technique"))
    ]
    now = datetime.now(UTC)
    entries = []
    for n in range(count):
        caller = rng.choice(callers)
        outcome = rng.choice(list(Outcome))
        placed = outcome in (Outcome.OUTGOING, Outcome.FAILED)
        start = now - timedelta(seconds=rng.randrange(365 * 86400))
        talk = rng.randrange(5, 900) if outcome is not Outcome.MISSED else None
        entries.append(
            HistoryEntry(
                id=f"bench-{n}",
                start=start,
                direction=Direction.OUTBOUND if placed else Direction.INBOUND,
                outcome=outcome,
                remote=Party(caller.numbers[0][1], caller.name),
                queue=rng.choice(queues) if not placed and rng.random() < 0.2 else None,
                answered_at=start + timedelta(seconds=8) if talk is not None else None,
                end=start + timedelta(seconds=8 + (talk or 20)),
                duration_s=talk,
                seen=True,
            )
        )
    journal = CallJournal(folder / "journal.sqlite3")
    journal.record_many(entries)
    journal.close()
    return [c.name for c in callers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--filters", type=int, default=40)
    parser.add_argument("--names", type=int, default=20)
    parser.add_argument("--key-every", type=float, default=0.12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", metavar="PATH", help="cProfile the console into PATH")
    parser.add_argument("--typed", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    with tempfile.TemporaryDirectory(prefix="tws-history-") as data:
        names = prepare_journal(Path(data), args.entries, args.seed)
        typed = random.Random(args.seed).sample(names, args.names)
        measured = run_child_in_pty(
            __file__,
            [*sys.argv[1:], "--typed", json.dumps(typed)],
            size=args.size,
            timeout=120 + args.opens + len("".join(typed)) * args.key_every * 2,
            env={"TWS_TUI_DATA_DIR": data},
        )
    if not measured.get("opens_ms") or not measured.get("searches_ms"):
        raise SystemExit(f"bench: the console did not answer: {measured}")
    summary = {
        "entries": args.entries,
        "first_open_ms": round(measured["opens_ms"][0], 1),
        "open_to_first_frame_ms": figures(measured["opens_ms"]),
        "filter_key_to_frame_ms": figures(measured["filters_ms"]),
        "search_key_to_frame_ms": figures(measured["searches_ms"]),
        "cpu_ms": {kind: figures(values) for kind, values in measured["cpu_ms"].items()},
        "keys": {
            "opens": len(measured["opens_ms"]),
            "filters": len(measured["filters_ms"]),
            "searches": len(measured["searches_ms"]),
        },
        "rss_mb": round(measured["rss_mb"], 1),
        "peak_rss_mb": round(measured["peak_rss_mb"], 1),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    keys = summary["keys"]
    cpu_ms = summary["cpu_ms"]
    for label, name, kind, count in (
        ("History opened (Alt+5) to first frame", "open_to_first_frame_ms", "open", keys["opens"]),
        (
            "filter key (Ctrl+T/Ctrl+Y) to frame",
            "filter_key_to_frame_ms",
            "filter",
            keys["filters"],
        ),
        ("search key to frame", "search_key_to_frame_ms", "search", keys["searches"]),
    ):
        f, c = summary[name], cpu_ms[kind]
        target = 150 if name.startswith("open") else 16
        print(
            f"{label}: p50 {f['median']} ms, p95 {f['p95']} ms (target <= {target}), "
            f"max {f['max']} ms  [{count}]; event loop's CPU p50 {c['median']} ms,"
            f" p95 {c['p95']} ms"
        )
    print(f"  the first open (screen imported and composed): {summary['first_open_ms']} ms")
    load = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"{args.entries} journal entries; resident memory {summary['rss_mb']} MB, "
        f"peak {summary['peak_rss_mb']} MB; load average {load}"
    )


if __name__ == "__main__":
    main()
