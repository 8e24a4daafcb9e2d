#!/usr/bin/env python3
"""Personal call statistics over 100 000 journal entries: a year, a month, a week, a day.

Writes ``--entries`` (100 000) calls into a fresh ``journal.sqlite3`` of a temporary folder
(not timed; the same calls as ``bench/history.py``: spread over the last year, every outcome,
a fifth through one of five queues), then computes the statistics
(``tws_tui.journal.statistics.compute``: totals, wait, by queue, top correspondents and the
series, SQL aggregates over the journal's covering indexes of migration 5) ``--runs`` (20)
times for each period that holds today — the year (by month), the month and the week (by
day), the day (by hour) — and the year again with
the incoming-calls and external-correspondents filters, and by weekday. Each run is timed
from the call to the figures in hand, on a journal already open (as in the console).

Prints p50 / p95 / max per period (wall clock) and the median CPU time of the process (which a
machine shared with other work inflates less), the resident memory and its peak. Target
(issue 16): a year in 300 ms or less. Exit code 0 either way (a benchmark, not a test).

    python bench/call_statistics.py [--entries 100000] [--runs 20] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from history import prepare_journal  # noqa: E402
from search_index import percentile  # noqa: E402


def _rss_mb() -> float:
    import os

    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    from tws_tui.journal import CallJournal
    from tws_tui.journal.statistics import (
        Breakdown,
        CallType,
        Correspondents,
        Span,
        StatsQuery,
        compute,
        period_of,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    today = date.today()
    year = StatsQuery(period_of(Span.YEAR, today))
    cases = {
        "year": year,
        "month": StatsQuery(period_of(Span.MONTH, today)),
        "week": StatsQuery(period_of(Span.WEEK, today)),
        "day": StatsQuery(period_of(Span.DAY, today)),
        "year, incoming, external": replace(
            year, call_type=CallType.INCOMING, correspondents=Correspondents.EXTERNAL
        ),
        "year by weekday": replace(year, breakdown=Breakdown.WEEKDAY),
    }
    summary: dict[str, object] = {"entries": args.entries, "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="tws-statistics-") as data:
        prepare_journal(Path(data), args.entries, args.seed)
        journal = CallJournal(Path(data) / "journal.sqlite3")
        compute(journal, year)  # the file opened, its pages read once: as in the console
        counted = {}
        for name, query in cases.items():
            times, cpu = [], []
            for _ in range(args.runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                figures = compute(journal, query)
                times.append(1000.0 * (time.perf_counter() - start))
                cpu.append(1000.0 * (time.process_time() - start_cpu))
            ordered = sorted(times)
            summary[name] = {
                "median": round(statistics.median(ordered), 1),
                "p95": round(percentile(ordered, 0.95), 1),
                "max": round(ordered[-1], 1),
                "cpu_median": round(statistics.median(cpu), 1),
            }
            counted[name] = figures.total.calls
        journal.close()
    summary["calls_counted"] = counted
    summary["rss_mb"] = round(_rss_mb(), 1)
    summary["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    for name in cases:
        figures_ms = summary[name]
        assert isinstance(figures_ms, dict)
        target = "  (target <= 300)" if name == "year" else ""
        print(
            f"statistics, {name}: p50 {figures_ms['median']} ms, p95 {figures_ms['p95']} ms,"
            f" max {figures_ms['max']} ms{target}; CPU p50 {figures_ms['cpu_median']} ms"
            f"  [{counted[name]} calls counted]"
        )
    load = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"{args.entries} journal entries, {args.runs} runs each, load average {load};"
        " resident memory"
        f" {summary['rss_mb']} MB, peak {summary['peak_rss_mb']} MB"
    )


if __name__ == "__main__":
    main()
