"""``tws-tui web`` run as a real process on a free loopback port, and the console processes it
starts (found by a marker on their command line), for the browser-mode tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from helpers import ROOT

STARTED_WITHIN_S = 15.0
PRINTED_URL = re.compile(r"(https?://\S+/\?key=[\w-]+)")


@dataclass
class WebServer:
    """A running ``tws-tui web``: its process, the address with the key it printed, and its
    address without the key."""

    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.url.split("?")[0]


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
def web_server(*args: str, env: dict[str, str] | None = None) -> Iterator[WebServer]:
    """``python -m tws_tui ARGS`` (a ``web`` command), once it has printed its address and
    answers there; stopped with SIGINT (Ctrl+C) at the end, and it must then end by itself
    within 10 s."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tws_tui", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = WebServer(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            server.lines.append(line.rstrip("\n"))
            found = PRINTED_URL.search(line)
            if found and not server.url:
                server.url = found[1]

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + STARTED_WITHIN_S
        while True:
            if process.poll() is not None:
                raise AssertionError("tws-tui web ended:\n" + "\n".join(server.lines))
            if server.url:
                try:
                    if httpx.get(server.url, verify=False, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
            if time.monotonic() > deadline:
                raise AssertionError(f"tws-tui web not answering within {STARTED_WITHIN_S} s")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError("tws-tui web did not stop on Ctrl+C within 10 s") from None
