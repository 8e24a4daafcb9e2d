#!/usr/bin/env python3
"""Searching 100 000 local contacts from the Contacts screen: load, keystroke latency, memory.

The parent generates ``--contacts`` (100 000) French-looking contacts (the generator of
``bench/search_index.py``: accents, companies, one to three numbers in any format) and saves
them in a fresh ``contacts.sqlite3`` of a temporary data folder (not timed). Then the console
runs for real (Textual's Linux driver, a pseudo-terminal of ``--size``, 120x40) on the embedded
simulator with its traffic off, against that data folder, and measures:

* **load**: from the start of the console process until the 100 000 contacts are searchable:
  the SQLite file opened, every contact read and the search index built, in a worker thread,
  as the console's warm-up does after its first frame (here asked for at the first frame);
  the start to the first frame is printed too, and when the columns for numbers and e-mail
  addresses, built next in the background (or on a first search by number otherwise), are
  ready;
* **keystroke to frame**: ``--names`` (30) names of generated contacts are typed letter by
  letter into the search field (``App.simulate_key``, as a terminal key after parsing), one
  key every ``--key-every`` seconds (0.12, a fast typist), each name after clearing the field;
  each key is measured from the press until the frame after the result list was refreshed
  for exactly the text typed so far has been painted. Printed: median, p95 and max;
* **memory**: the resident set size of the console process at the end, and its peak.

If ``fzf`` is on the PATH, the same names' prefixes are run through ``fzf --filter`` over the
same 100 000 names, one process per keystroke as a shell pipeline would, as a reference.

Targets (contacts issue): keystroke-to-frame p95 ≤ 16 ms, load ≤ 1 s, resident memory ≤ 150 MB.
Exit code 0 either way (a benchmark, not a test); 1 if the console could not be measured.

    python bench/search.py [--contacts 100000] [--names 30] [--key-every 0.12] [--seed 7]
                           [--size 120x40] [--json] [--profile PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from ptyrun import run_child_in_pty  # noqa: E402
from search_index import generate, percentile  # noqa: E402

# ---- the child: the console, typing -----------------------------------------------------------


def _rss_mb() -> float:
    """The resident set size of this process now, in MiB (``/proc/self/statm``)."""
    import os

    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_child(args: argparse.Namespace, started: float) -> None:
    from textual import events
    from textual.keys import _character_to_key

    from tws_tui.backends.sim import SimBackend
    from tws_tui.console.app import TwsApp
    from tws_tui.console.screens.contacts.contacts import ContactsScreen
    from tws_tui.settings.prefs import PrefsStore
    from tws_tui.settings.schema import Settings, UiSettings

    names: list[str] = json.loads(args.typed)
    keys: list[tuple[str, str]] = []  # (key to press, the field's text once it is typed)
    for name in names:
        keys.append(("ctrl+u", ""))  # clear the field (Input: delete to the start)
        for end in range(1, len(name) + 1):
            keys.append((name[end - 1], name[:end]))
    latencies: list[float] = []
    slow: list[tuple[float, str]] = []  # (latency, text typed) of each answered key
    result: dict[str, Any] = {}
    waiting: dict[str, float] = {}  # the text typed -> when its key was pressed

    original_refresh = ContactsScreen._refresh_list

    def refreshed(screen: ContactsScreen, **options: Any) -> None:
        original_refresh(screen, **options)
        term = screen.query_one("#contact-search-bar").value
        pressed = waiting.pop(term, None)
        if pressed is not None and screen._results is not None:
            screen.app.call_after_refresh(
                lambda: (
                    latencies.append(time.perf_counter() - pressed),
                    slow.append((time.perf_counter() - pressed, term)),
                )
            )

    ContactsScreen._refresh_list = refreshed  # type: ignore[method-assign]

    class Measured(TwsApp):
        CSS_PATH = str(Path(sys.modules[TwsApp.__module__].__file__ or "").with_name("app.tcss"))

        async def on_ready(self) -> None:
            result["first_frame_s"] = time.time() - started
            directories = self.directories()
            assert directories is not None
            await directories.local_index()  # what the console's warm-up does, at once
            result["load_s"] = time.time() - started
            await directories.prepared()  # the number and e-mail columns, in the background
            result["prepared_s"] = time.time() - started
            self.set_timer(args.key_every, self._type_next)

        _index = 0

        def _type_next(self) -> None:
            if self._index >= len(keys):
                self.set_timer(0.5, self._finish)
                return
            key, text = keys[self._index]
            self._index += 1
            now = time.perf_counter()
            # A key still unanswered counts with its time so far (the next one supersedes it).
            for text_waiting, pressed in waiting.items():
                latencies.append(now - pressed)
                slow.append((now - pressed, text_waiting + " (unanswered)"))
            waiting.clear()
            if text:
                waiting[text] = now
            # As the terminal driver does after parsing: the key's name and its character.
            character = key if len(key) == 1 else None
            self.post_message(events.Key(_character_to_key(key) if character else key, character))
            self.set_timer(args.key_every if text else 0.05, self._type_next)

        def _finish(self) -> None:
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            result.update(
                latencies_ms=[1000.0 * x for x in latencies],
                rss_mb=_rss_mb(),
                peak_rss_mb=peak_kb / 1024.0,
                keys=len(keys),
                slowest=[(1000.0 * t, text) for t, text in sorted(slow, reverse=True)[:10]],
            )
            self.exit()

    backend = SimBackend({"seed": 0, "traffic": False})
    app = Measured(
        prefs=PrefsStore(
            Settings(ui=UiSettings(animations=False, desktop_notifications=False, bell=False))
        ),
        backend=backend,
    )
    if args.profile:
        import cProfile

        with cProfile.Profile() as profile:
            app.run()
        profile.dump_stats(args.profile)
    else:
        app.run()
    Path(args.child).write_text(json.dumps(result), encoding="utf-8")


# ---- the parent: the contacts, the console, fzf, the figures --------------------------------


def prepare_data(folder: Path, count: int, seed: int) -> list[str]:
    """``count`` contacts saved in ``folder/contacts.sqlite3``; returns their names."""
    from tws_tui.contacts.store import ContactStore

    contacts = [
        replace(c, source="private" if int(c.id) % 3 else "public") for c in generate(count, seed)
    ]
    store = ContactStore(folder / "contacts.sqlite3")
    for start in range(0, len(contacts), 10_000):
        store.add_many(contacts[start : start + 10_000])
    store.close()
    return [c.name for c in contacts]


def fzf_reference(names: list[str], typed: list[str]) -> list[float] | None:
    """Seconds per ``fzf --filter`` run over ``names`` for every prefix of ``typed``."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    text = "\n".join(names).encode("utf-8")
    times: list[float] = []
    for name in typed:
        for end in range(1, len(name) + 1):
            began = time.perf_counter()
            subprocess.run([fzf, "--filter", name[:end]], input=text, capture_output=True)
            times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--names", type=int, default=30)
    parser.add_argument("--key-every", type=float, default=0.12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", metavar="PATH", help="cProfile the console into PATH")
    parser.add_argument("--slowest", action="store_true", help="list the ten slowest keys")
    parser.add_argument("--typed", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args, args.started)
        return
    with tempfile.TemporaryDirectory(prefix="tws-search-") as data:
        began = time.perf_counter()
        names = prepare_data(Path(data), args.contacts, args.seed)
        prepared = time.perf_counter() - began
        typed = random.Random(args.seed).sample(names, args.names)
        child_args = [
            *sys.argv[1:],
            "--typed",
            json.dumps(typed),
            "--started",
            repr(time.time()),
        ]
        figures = run_child_in_pty(
            __file__,
            child_args,
            size=args.size,
            timeout=60 + len(typed) * 20 * args.key_every * 2,
            env={"TWS_TUI_DATA_DIR": data},
        )
    latencies = sorted(figures.get("latencies_ms", []))
    if not latencies or "load_s" not in figures:
        raise SystemExit(f"bench: the console did not answer the typing: {figures}")
    summary: dict[str, Any] = {
        "contacts": args.contacts,
        "names_typed": args.names,
        "keys_measured": len(latencies),
        "first_frame_s": round(figures["first_frame_s"], 3),
        "load_s": round(figures["load_s"], 3),
        "prepared_s": round(figures["prepared_s"], 3),
        "keystroke_to_frame_ms": {
            "median": round(statistics.median(latencies), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "max": round(latencies[-1], 1),
        },
        "rss_mb": round(figures["rss_mb"], 1),
        "peak_rss_mb": round(figures["peak_rss_mb"], 1),
        "data_prepared_s": round(prepared, 1),
    }
    fzf_times = fzf_reference(names, typed)
    if fzf_times:
        ms = sorted(1000.0 * t for t in fzf_times)
        summary["fzf_filter_ms"] = {
            "median": round(statistics.median(ms), 1),
            "p95": round(percentile(ms, 0.95), 1),
        }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    lat = summary["keystroke_to_frame_ms"]
    print(f"{args.contacts} local contacts, {args.names} names typed ({len(latencies)} keys)")
    print(f"console start to first frame: {summary['first_frame_s']} s")
    print(f"load (start to all contacts searchable): {summary['load_s']} s (target <= 1)")
    print(f"  number and e-mail columns built ahead by: {summary['prepared_s']} s")
    print(
        f"keystroke to painted frame: median {lat['median']} ms, p95 {lat['p95']} ms "
        f"(target <= 16), max {lat['max']} ms"
    )
    print(
        f"resident memory: {summary['rss_mb']} MB at the end, peak {summary['peak_rss_mb']} MB "
        "(target <= 150)"
    )
    if "fzf_filter_ms" in summary:
        fzf = summary["fzf_filter_ms"]
        print(
            f"reference: fzf --filter over the same names, one run per key: "
            f"median {fzf['median']} ms, p95 {fzf['p95']} ms"
        )
    else:
        print("reference: fzf is not installed")
    if args.slowest:
        for latency, text in figures["slowest"]:
            print(f"  {latency:6.1f} ms  {text!r}")


if __name__ == "__main__":
    main()
