"""``make serve-demo``: the server mode in one command, run for real for a few seconds.

The target's recipe runs as written (``make -o`` only skips the install stamp, so the test
does not reinstall the checkout); it must print, for each of its two accounts, the password
and the exact command that opens a console on it, while the server it started answers on
loopback. Each printed command's environment is a valid configuration for the cti backend at
that server, and the printed password signs that user in under the printed name. The process
group is ended at the end, whatever happened.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers import ROOT

ACCOUNT = re.compile(
    r"^  (?P<name>.+) \((?P<role>\w+), extension (?P<ext>\d+)\),"
    r" user (?P<user>\S+), password (?P<password>\S+):$"
)
LAST_LINE = "Ctrl+C here stops the server."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Output:
    """The lines a process prints, read in a thread (so waiting for one can time out)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, line: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while line not in self.lines:
            if time.monotonic() > deadline:
                raise AssertionError(f"not printed within {timeout} s: {line!r}\n" + self.text)
            time.sleep(0.05)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def serve_demo(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Output, str, Path]]:
    port = free_port()
    folder = tmp_path / "demo"
    command = f"{shlex.quote(sys.executable)} -m tws_tui"
    process = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "-o",
            ".venv/.installed-dev-server",  # installed already: do not touch the venv
            "serve-demo",
            f"TWS_TUI={command}",
            f"SERVE_DEMO_DIR={folder}",
            f"SERVE_DEMO_PORT={port}",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LANGUAGE": "en"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: ended whole below
    )
    try:
        yield process, Output(process), f"http://127.0.0.1:{port}", folder
    finally:
        with_signal = signal.SIGINT
        for _attempt in range(2):
            try:
                os.killpg(process.pid, with_signal)
                process.wait(timeout=8)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                with_signal = signal.SIGKILL
        process.wait(timeout=5)


def test_make_serve_demo_prints_the_console_commands_and_its_server_answers(
    serve_demo: tuple[subprocess.Popen[str], Output, str, Path],
) -> None:
    process, output, url, folder = serve_demo
    output.wait_for(LAST_LINE, timeout=12)
    lines = output.lines
    accounts = [(m, lines[i + 1]) for i, line in enumerate(lines) if (m := ACCOUNT.match(line))]
    assert [(m["user"], m["role"], m["ext"]) for m, _ in accounts] == [
        ("alice", "supervisor", "100"),
        ("bruno", "operator", "400"),
    ]
    with httpx.Client(base_url=url, timeout=5) as client:
        for _ in range(100):  # uvicorn starts right after the text
            try:
                if client.get("/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        else:
            raise AssertionError("the server does not answer:\n" + output.text)
        for found, command_line in accounts:
            words = shlex.split(command_line)
            env = dict(word.split("=", 1) for word in words if re.match(r"TWS_TUI_\w+=", word))
            command = words[len(env) :]
            assert command == [sys.executable, "-m", "tws_tui"], command_line
            desk = folder / found["user"]
            assert env == {f"TWS_TUI_{d}_DIR": str(desk) for d in ("CONFIG", "DATA", "STATE")}
            config = tomllib.loads((desk / "config.toml").read_text(encoding="utf-8"))
            assert config["backend"] == {
                "name": "cti",
                "cti": {"url": url, "username": found["user"]},
            }
            checked = subprocess.run(
                [*command, "check-config"],
                env={**os.environ, **env, "PYTHONPATH": str(ROOT), "LANGUAGE": "en"},
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert checked.returncode == 0 and "No problems found." in checked.stdout, checked
            signed = client.post(
                "/v1/auth/token",
                json={
                    "grant_type": "password",
                    "username": found["user"],
                    "password": found["password"],
                },
            )
            assert signed.status_code == 200, signed.text
            assert signed.json()["user"]["name"] == found["name"]
    assert process.poll() is None  # still serving until the test ends it


def test_make_serve_demo_installs_the_server_extra_into_a_missing_venv() -> None:
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve-demo", "VENV=/nonexistent/venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert planned.returncode == 0, planned.stderr
    steps = planned.stdout
    assert "-m venv /nonexistent/venv" in steps
    assert "install --quiet -e '.[dev,server]'" in steps
    assert steps.index("-m venv") < steps.index(".[dev,server]") < steps.index("serve_demo.sh")
