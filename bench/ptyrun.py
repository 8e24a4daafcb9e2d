"""Running a benchmark's console child under a pseudo-terminal and collecting its figures.

A benchmark script runs itself again as the child (``--child RESULT``) in a pty of a fixed
size, with its own empty config, data and state folders unless given; the child writes its
figures as JSON to RESULT and exits. :func:`run_child_in_pty` reads and discards the terminal
output meanwhile (the console must be able to paint), stops the child if it overruns, and
returns the figures, or exits with the child's last output when there are none. A caller that
wants the output (``bench/terminal_bytes.py`` counts it) passes ``on_output``, called with each
chunk as it is read.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
