"""Running a benchmark's console child under a pseudo-terminal and collecting its figures.

A benchmark script runs itself again as the child (``--child RESULT``) in a pty of a fixed
size, with its own empty config, data and state folders unless given; the child writes its
figures as JSON to RESULT and exits. :func:`run_child_in_pty` reads and discards the terminal
output meanwhile (the console must be able to paint), stops the child if it overruns, and
returns the figures, or exits with the child's last output when there are none. A caller that
wants the output (``bench/terminal_bytes.py`` counts it) passes ``on_output``, called with each
chunk as it is read.

What the children of ``bench/chat.py`` and ``bench/history.py`` share lives here too: the
console they measure (:func:`measured_app_css`, :func:`quiet_prefs`), a key posted as the
terminal driver does (:func:`press`), their memory (:func:`rss_mb`, :func:`memory_figures`),
and, in the parent, a list of timings summed up (:func:`figures`).
"""

from __future__ import annotations

import json
import os
import pty
import resource
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search_index import percentile
from startup import _drain, _set_winsize, _stop


def run_child_in_pty(
    script: str,
    arguments: list[str],
    *,
    size: str,
    timeout: float,
    env: dict[str, str] | None = None,
    on_output: Callable[[bytes], None] | None = None,
) -> dict[str, Any]:
    """Run ``script arguments --child RESULT`` in a pty of ``size`` ("120x40"); its figures."""
    cols, rows = (int(part) for part in size.split("x"))
    with tempfile.TemporaryDirectory(prefix="tws-bench-") as tmp:
        out = Path(tmp) / "result.json"
        child_env = {
            **os.environ,
            "TERM": "xterm-256color",
            "TWS_TUI_CONFIG_DIR": f"{tmp}/c",
            "TWS_TUI_DATA_DIR": f"{tmp}/d",
            "TWS_TUI_STATE_DIR": f"{tmp}/s",
            "TEXTUAL_ANIMATIONS": "none",
            **(env or {}),
        }
        argv = [sys.executable, script, *arguments, "--child", str(out)]
        pid, fd = pty.fork()
        if pid == 0:
            try:
                _set_winsize(pty.STDOUT_FILENO, cols, rows)
                os.execve(sys.executable, argv, child_env)
            finally:
                os._exit(127)
        tail = bytearray()
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                readable, _, _ = select.select([fd], [], [], 0.5)
                if readable:
                    chunk = _drain(fd)
                    if not chunk:
                        break
                    if on_output is not None:
                        on_output(chunk)
                    tail = (tail + chunk)[-4000:]
        finally:
            _stop(pid, fd)
            os.close(fd)
        if not out.exists():
            text = tail.decode("utf-8", errors="replace")
            raise SystemExit(f"bench: the console gave no figures; its last output:\n{text}")
        return dict(json.loads(out.read_text(encoding="utf-8")))


# ---- the child: the console measured, its keys, its memory ---------------------------------


def measured_app_css() -> str:
    """The console's stylesheet, for a subclass of ``TwsApp`` defined in a bench script (a
    relative ``CSS_PATH`` would be looked for beside the script)."""
    from tws_tui.console.app import TwsApp

    return str(Path(sys.modules[TwsApp.__module__].__file__ or "").with_name("app.tcss"))


def quiet_prefs() -> Any:
    """The preferences a measured console runs with: no animation, notification nor bell."""
    from tws_tui.settings.prefs import PrefsStore
    from tws_tui.settings.schema import Settings, UiSettings

    return PrefsStore(
        Settings(ui=UiSettings(animations=False, desktop_notifications=False, bell=False))
    )


def press(app: Any, key: str) -> None:
    """Post ``key`` (a character, or a key name such as ``alt+5``) to ``app`` as Textual's
    terminal driver does."""
    from textual import events
    from textual.keys import _character_to_key

    character = key if len(key) == 1 else None
    app.post_message(events.Key(_character_to_key(key) if character else key, character))


def rss_mb() -> float:
    """The resident set size of this process now, in MiB (``/proc/self/statm``)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_figures() -> dict[str, float]:
    """This process's resident set size now and its peak, in MiB."""
    return {
        "rss_mb": rss_mb(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


# ---- the parent: the figures ----------------------------------------------------------------


def figures(values: list[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum of ``values``, to a tenth."""
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(percentile(ordered, 0.95), 1),
        "max": round(ordered[-1], 1),
    }
