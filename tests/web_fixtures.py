"""``tws-tui web`` run as a real process on a free loopback port, and the console processes it
starts (found by a marker on their command line), for the browser-mode tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from helpers import ROOT

STARTED_WITHIN_S = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def console_processes(marker: str) -> list[int]:
    """Every process whose command line holds ``marker`` and ``tws_tui`` but is not a
    ``web`` server: the consoles the server started for browser tabs (and their shell)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [arg.decode(errors="replace") for arg in args if arg]
        line = " ".join(words)
        if marker in line and "tws_tui" in line and "web" not in words:
            found.append(int(entry.name))
    return found


@contextmanager
def web_server(
    *args: str, port: int, https: bool = False, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """``python -m tws_tui ARGS`` (a ``web`` command on ``port``), ready to answer; stopped
    with SIGINT (Ctrl+C) at the end, and it must then end by itself within 10 s."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tws_tui", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"{'https' if https else 'http'}://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTED_WITHIN_S
        while True:
            if process.poll() is not None:
                raise AssertionError(f"tws-tui web ended: {process.communicate()}")
            try:
                if httpx.get(url, verify=False, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"tws-tui web not answering within {STARTED_WITHIN_S} s")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError("tws-tui web did not stop on Ctrl+C within 10 s") from None
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
