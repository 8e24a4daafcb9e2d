#!/usr/bin/env python3
"""Chat with 100 000 stored messages: opening a 10 000-message conversation, a keystroke in the
compose field, a keystroke in the message search.

The parent writes ``--messages`` (100 000) chat messages into a fresh ``journal.sqlite3`` of a
temporary data folder (not timed), as the console keeps them for the simulator's operator
(u100): ``--conversation`` (10 000) of them with one colleague (the most recent ones, so the
conversation is the first listed), the rest with the other colleagues and the two groups,
French sentences drawn from a seeded vocabulary. It times the journal's search alone
(``journal.chat_search``, every prefix of ``--words`` words), then runs the console for real
(Textual's Linux driver, a pseudo-terminal of ``--size``, 120x40) on the embedded simulator
with its traffic off against that folder, and measures:

* **conversation opened**: ``--opens`` (20) times, from the ``↑`` key that brings the
  10 000-message conversation back in the conversation list (``↓`` first goes to another) until
  the frame after its thread was drawn has been painted;
* **compose keystroke**: ``--typed`` (60) letters typed into the message field, each from the
  press until the frame after the field holds it has been painted;
* **search keystroke**: ``Ctrl+F``, then ``--words`` (12) words typed letter by letter (the field
  emptied before each), each from the press until the frame after the results for exactly the
  text typed so far have been painted;
* **memory**: the console's resident set size at the end, and its peak.

Beside each wall-clock figure, the event loop's own CPU time over the same span (the console's
main thread, ``time.thread_time``): what a busy machine inflates far less than the wall clock.

Targets (issue 15): first frame ≤ 50 ms p95, a compose keystroke ≤ 16 ms p95, search over
100 000 stored messages ≤ 50 ms p95. The machine's load average is printed with the figures.
Exit code 0 either way (a benchmark, not a test); 1 if the console could not be measured.

    python bench/chat.py [--messages 100000] [--conversation 10000] [--opens 20] [--typed 60]
                         [--words 12] [--key-every 0.12] [--seed 7] [--size 120x40] [--json]
                         [--profile PATH]
"""

from __future__ import annotations

import argparse
import json
import os
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

ME = "u100"  # the simulator's operator (seed 0)
BIG = "u104"  # the colleague of the 10 000-message conversation
OTHERS = ("u112", "u122", "u127", "grp-accueil", "grp-direction")
VOCABULARY = (  # noqa: SIM905 (a sentence of words reads better than a list)
    "appel client rappeler demain matin après-midi réunion dossier facture livraison "
    "colis accueil standard urgent merci bonjour message numéro poste transfert congé "
    "absent présentation commande devis signature contrat rendez-vous téléphone "
    "secrétariat réception fournisseur comptabilité échéance relance planning équipe "
    "salle visiteur badge parking courrier coursier document imprimante réseau "
    "messagerie agenda déjeuner"
).split()


# ---- the child: the console, opening the conversation, typing, searching ---------------------


def run_child(args: argparse.Namespace) -> None:
    from textual.widgets import Input

    from tws_tui.backends.sim import SimBackend
    from tws_tui.console.app import TwsApp
    from tws_tui.console.screens.chat import ChatScreen
    from tws_tui.console.screens.modals.chat_search import ChatSearchScreen

    words: list[str] = json.loads(args.words_json)
    result: dict[str, Any] = {}
    timings: dict[str, list[float]] = {"open": [], "compose": [], "search": []}
    pending: dict[str, Any] = {}  # what the next frame answers: kind, text, pressed
    # the event loop's own CPU time from the press to the frame (what the load inflates less)
    cpu: dict[str, list[float]] = {"open": [], "compose": [], "search": []}

    def answered(app: Any) -> None:
        kind, pressed = pending.pop("kind"), pending.pop("pressed")
        pressed_cpu = pending.pop("pressed_cpu")
        pending.clear()

        def painted() -> None:
            timings[kind].append(time.perf_counter() - pressed)
            cpu[kind].append(time.thread_time() - pressed_cpu)

        app.call_after_refresh(painted)

    original_thread = ChatScreen._show_thread

    def thread_shown(screen: ChatScreen) -> None:
        original_thread(screen)
        if pending.get("kind") == "open" and screen.peer == BIG:
            answered(screen.app)

    ChatScreen._show_thread = thread_shown  # type: ignore[method-assign]

    original_changed = ChatScreen.on_input_changed

    def input_changed(screen: ChatScreen, event: Input.Changed) -> None:
        original_changed(screen, event)
        if pending.get("kind") == "compose" and event.value == pending["text"]:
            answered(screen.app)

    ChatScreen.on_input_changed = input_changed  # type: ignore[method-assign]

    original_results = ChatSearchScreen._show

    def results_shown(screen: ChatSearchScreen, typed: str, found: list[Any]) -> None:
        original_results(screen, typed, found)
        if pending.get("kind") == "search" and typed == pending["text"]:
            answered(screen.app)

    ChatSearchScreen._show = results_shown  # type: ignore[method-assign]

    steps: list[tuple[str, str, str]] = [("none", "alt+4", ""), ("peers", "", "")]
    for _ in range(args.opens):
        steps += [("none", "down", ""), ("open", "up", "")]
    steps.append(("field", "", ""))
    sentence = " ".join(random.Random(args.seed).choices(VOCABULARY, k=40))[: args.typed]
    for end in range(1, len(sentence) + 1):
        steps.append(("compose", sentence[end - 1], sentence[:end]))
    steps.append(("none", "ctrl+f", ""))
    for word in words:
        steps.append(("clear", "", ""))
        for end in range(1, len(word) + 1):
            steps.append(("search", word[end - 1], word[:end]))

    class Measured(TwsApp):
        CSS_PATH = measured_app_css()
        _step = 0

        async def on_ready(self) -> None:
            self.set_timer(2.0, self._next)  # the kept messages loaded

        def _next(self) -> None:
            if pending:  # unanswered: counted with its time so far
                kind, pressed = pending.pop("kind"), pending.pop("pressed")
                cpu[kind].append(time.thread_time() - pending.pop("pressed_cpu"))
                pending.clear()
                timings[kind].append(time.perf_counter() - pressed)
            if self._step >= len(steps):
                self.set_timer(0.5, self._finish)
                return
            kind, key, text = steps[self._step]
            self._step += 1
            screen = self.screen
            if kind in ("peers", "field", "clear"):
                if kind == "peers" and isinstance(screen, ChatScreen):
                    screen.query_one("#chat-peers").focus()
                elif kind == "field" and isinstance(screen, ChatScreen):
                    screen.query_one("#chat-input", Input).focus()
                elif kind == "clear" and isinstance(screen, ChatSearchScreen):
                    screen.query_one("#chat-search-input", Input).value = ""
                self.set_timer(0.3, self._next)
                return
            if kind != "none":
                pending.update(
                    kind=kind,
                    text=text,
                    pressed=time.perf_counter(),
                    pressed_cpu=time.thread_time(),
                )
            press(self, key)
            delay = {"open": 0.3, "none": 0.5}.get(kind, args.key_every)
            self.set_timer(delay, self._next)

        def _finish(self) -> None:
            result.update(
                {f"{kind}_ms": [1000.0 * x for x in values] for kind, values in timings.items()},
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


def prepare_journal(folder: Path, count: int, conversation: int, seed: int) -> None:
    """``count`` messages of u100's in ``folder/journal.sqlite3``, ``conversation`` of them
    with u104: among the newest, one in 51 with u112 (listed second), the older ones with the
    other colleagues and groups."""
    from tws_tui.core.model import ChatMessage, UserId
    from tws_tui.journal import CallJournal

    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / count
    journal = CallJournal(folder / "journal.sqlite3")
    batch = []
    others = conversation // 50  # the newest messages: now and then another colleague
    recent = count - conversation - others
    for n in range(count):
        big = n >= recent and (n - recent) % 51 != 25
        peer = BIG if big else "u112" if n >= recent else rng.choice(OTHERS)
        sender = rng.choice((ME, BIG if big else peer if peer.startswith("u") else "u112"))
        text = " ".join(rng.choices(VOCABULARY, k=rng.randrange(3, 16))).capitalize()
        batch.append(
            ChatMessage(f"bench-{n}", UserId(peer), UserId(sender), text, start + n * step)
        )
        if len(batch) == 5000:
            journal.record_chats(ME, batch)
            batch = []
    if batch:
        journal.record_chats(ME, batch)
    journal.close()


def time_journal_search(folder: Path, words: list[str]) -> list[float]:
    """The journal's search alone, every prefix of each word, in ms."""
    from tws_tui.journal import CallJournal
    from tws_tui.journal.chat_search import search_chat

    journal = CallJournal(folder / "journal.sqlite3")
    search_chat(journal, ME, "warm")  # the file opened, the pages read once
    out = []
    for word in words:
        for end in range(1, len(word) + 1):
            begin = time.perf_counter()
            search_chat(journal, ME, word[:end])
            out.append(1000.0 * (time.perf_counter() - begin))
    journal.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--conversation", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--typed", type=int, default=60)
    parser.add_argument("--words", type=int, default=12)
    parser.add_argument("--key-every", type=float, default=0.12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", metavar="PATH", help="cProfile the console into PATH")
    parser.add_argument("--words-json", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    load_before = os.getloadavg()
    words = random.Random(args.seed).sample([w for w in VOCABULARY if len(w) >= 5], args.words)
    with tempfile.TemporaryDirectory(prefix="tws-chat-") as data:
        prepare_journal(Path(data), args.messages, args.conversation, args.seed)
        journal_ms = time_journal_search(Path(data), words)
        typed = sum(len(w) for w in words) + args.typed
        measured = run_child_in_pty(
            __file__,
            [*sys.argv[1:], "--words-json", json.dumps(words)],
            size=args.size,
            timeout=120 + args.opens + typed * args.key_every * 3,
            env={"TWS_TUI_DATA_DIR": data},
        )
    if not measured.get("open_ms") or not measured.get("search_ms"):
        raise SystemExit(f"bench: the console did not answer: {measured}")
    summary = {
        "messages": args.messages,
        "conversation": args.conversation,
        "open_to_first_frame_ms": figures(measured["open_ms"]),
        "compose_key_to_frame_ms": figures(measured["compose_ms"]),
        "search_key_to_frame_ms": figures(measured["search_ms"]),
        "journal_search_ms": figures(journal_ms),
        "keys": {kind: len(measured[f"{kind}_ms"]) for kind in ("open", "compose", "search")},
        "cpu_ms": {kind: figures(values) for kind, values in measured["cpu_ms"].items()},
        "rss_mb": round(measured["rss_mb"], 1),
        "peak_rss_mb": round(measured["peak_rss_mb"], 1),
        "load_average": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    keys = summary["keys"]
    cpu_ms = summary["cpu_ms"]
    for label, name, target, count, kind in (
        (
            "conversation opened (↑) to first frame",
            "open_to_first_frame_ms",
            50,
            keys["open"],
            "open",
        ),
        ("compose key to frame", "compose_key_to_frame_ms", 16, keys["compose"], "compose"),
        ("search key to frame", "search_key_to_frame_ms", 50, keys["search"], "search"),
        ("  the journal's search alone", "journal_search_ms", 50, len(journal_ms), ""),
    ):
        f = summary[name]
        line = (
            f"{label}: p50 {f['median']} ms, p95 {f['p95']} ms (target <= {target}), "
            f"max {f['max']} ms  [{count}]"
        )
        if kind:
            c = cpu_ms[kind]
            line += f"; event loop's CPU p50 {c['median']} ms, p95 {c['p95']} ms"
        print(line)
    print(
        f"{args.messages} stored messages, {args.conversation} in the conversation; resident "
        f"memory {summary['rss_mb']} MB, peak {summary['peak_rss_mb']} MB"
    )
    print(
        f"load average {summary['load_average']} before, {summary['load_average_after']} after"
        f" ({summary['cpus']} CPUs)"
    )


if __name__ == "__main__":
    main()
