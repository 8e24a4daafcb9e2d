#!/usr/bin/env python3
"""Cold start to first painted frame: ``tws-tui --demo`` against a minimal Textual app.

Each run spawns a fresh interpreter under a pseudo-terminal of a fixed size (120x40 by default,
``TERM=xterm-256color``) and times from just before the fork until the child's output, after it
has entered the alternate screen, contains a known text of its first screen: ``hello`` for the
minimal app (one ``Static``), and ``--marker`` for tws-tui (default ``100``, the operator's
extension, always in the status bar). The child is then sent SIGTERM, SIGKILL if it lingers,
and reaped; nothing is left running.

Before measuring, the package's byte-code is compiled into its ``__pycache__`` (as a ``pip install``
does), so that a machine with ``PYTHONDONTWRITEBYTECODE`` set does not measure compiling it each
run; Textual's own byte-code already is compiled by its install.

The two apps are run alternately (the order flips every round) so that machine noise hits both,
and each gets ``--warmup`` discarded runs first (byte-code compilation, disk cache). Every run
gets its own empty config, data and state directories (``TWS_TUI_CONFIG_DIR``,
``TWS_TUI_DATA_DIR``, ``TWS_TUI_STATE_DIR``, and the XDG ones), so it starts as a new user
would, and never touches the real home; ``--reuse-dirs`` keeps one set for all runs instead
(a returning user).

Prints, for each app, the median, min and max over ``--runs`` runs, and the ratio of the
medians tws-tui/minimal: that ratio is what tws-tui costs over Textual itself on this machine.
Exits 1 with a message saying what was seen if a child never paints within ``--timeout``.

    python bench/startup.py [--runs 10] [--warmup 1] [--timeout 30] [--marker 100]
                            [--size 120x40] [--app "python -m tws_tui --demo"] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import json
import os
import pty
import re
import select
import shlex
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

ALT_SCREEN_ON = b"\x1b[?1049h"
# CSI ... final, OSC ... BEL/ST, DCS ... ST, and two-byte escapes.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    rb"|\x1b[PX^_][^\x1b]*\x1b\\"
    rb"|\x1b[ -/]*[0-~]"
)
_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")

MINIMAL_APP = textwrap.dedent(
    """\
    from textual.app import App, ComposeResult
    from textual.widgets import Static


    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")


    if __name__ == "__main__":
        Minimal().run()
    """
)


class NeverPainted(Exception):
    """A child did not show its marker in time (or died first)."""


@dataclass
class Target:
    name: str
    argv: list[str]
    marker: str
    times: list[float] = field(default_factory=list)


def visible_text(output: bytes) -> str:
    """The printable text of terminal output, with escape sequences and controls removed."""
    text = _CONTROL.sub(b"", _ESCAPES.sub(b"", output))
    return text.decode("utf-8", errors="replace")


def _set_winsize(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _exec_child(argv: list[str], env: dict[str, str], cwd: str, cols: int, rows: int) -> None:
    """In the forked child: size the terminal, then exec. Never returns."""
    try:
        _set_winsize(pty.STDOUT_FILENO, cols, rows)
        os.chdir(cwd)
        os.execvpe(argv[0], argv, env)
    except BaseException as exc:  # report through the pty, then leave without cleanup
        with contextlib.suppress(BaseException):
            os.write(pty.STDERR_FILENO, f"bench: cannot start {argv!r}: {exc}\r\n".encode())
    finally:
        os._exit(127)


def _drain(fd: int) -> bytes:
    """What is readable on fd now, b'' at end of file (the child closed the terminal)."""
    try:
        return os.read(fd, 1 << 16)
    except OSError as exc:
        if exc.errno == errno.EIO:  # Linux: the slave side is closed
            return b""
        raise


def _stop(pid: int, fd: int, grace: float = 2.0) -> int | None:
    """SIGTERM the child's process group, SIGKILL it if still there after `grace`, reap it.

    Keeps reading the terminal meanwhile so a child blocked on a full pty can get to its end.
    Returns the wait status, or None if the child was already reaped.
    """
    for sig, wait_for in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)  # the child is a session leader: its group id is its pid
        deadline = time.monotonic() + wait_for
        while time.monotonic() < deadline:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return None
            if done:
                # Anything the child left in its group goes too.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                return status
            readable, _, _ = select.select([fd], [], [], 0.02)
            if readable:
                with contextlib.suppress(OSError):
                    os.read(fd, 1 << 16)
    raise RuntimeError(f"bench: process {pid} survived SIGKILL")


def time_first_frame(
    target: Target, env: dict[str, str], cwd: str, cols: int, rows: int, timeout: float
) -> float:
    """Seconds from spawn until `target.marker` is painted after entering the alternate screen."""
    marker = target.marker
    output = bytearray()
    ended = False  # the child closed its terminal (it exited) before painting
    elapsed: float | None = None
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        _exec_child(target.argv, env, cwd, cols, rows)
    try:
        deadline = start + timeout
        alt_at = -1
        while (remaining := deadline - time.perf_counter()) > 0:
            readable, _, _ = select.select([fd], [], [], min(remaining, 0.5))
            if not readable:
                continue
            chunk = _drain(fd)
            if not chunk:
                ended = True
                break
            output += chunk
            if alt_at < 0:
                alt_at = output.find(ALT_SCREEN_ON)
            # The whole output since the alternate screen is scanned each time: the marker, or
            # an escape sequence inside it, may straddle two reads.
            if alt_at >= 0 and marker in visible_text(bytes(output[alt_at:])):
                elapsed = time.perf_counter() - start
                break
    finally:
        status = _stop(pid, fd)
        os.close(fd)
    if elapsed is not None:
        return elapsed

    alt_at = output.find(ALT_SCREEN_ON)
    text = visible_text(bytes(output[alt_at:] if alt_at >= 0 else output))
    seen = "\n".join(line.rstrip() for line in text.splitlines() if line.strip())
    if ended and status is not None and os.WIFEXITED(status):
        how = f"it exited with code {os.WEXITSTATUS(status)}"
    elif ended:
        how = "it ended"
    else:
        how = f"nothing after {timeout:g} s"
    where = "after entering the alternate screen" if alt_at >= 0 else "(it never entered one)"
    raise NeverPainted(
        f"{target.name} never painted {marker!r} ({shlex.join(target.argv)}): {how}.\n"
        f"Last text {where}:\n{textwrap.indent(seen[-1500:] or '(none)', '  | ')}"
    )


def isolated_dirs(root: Path, name: str) -> dict[str, str]:
    """Fresh config/data/state (and XDG) directories under root, as environment variables."""
    home = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))
    env = {
        "TWS_TUI_CONFIG_DIR": str(home / "config"),
        "TWS_TUI_DATA_DIR": str(home / "data"),
        "TWS_TUI_STATE_DIR": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_STATE_HOME": str(home / "xdg-state"),
        "XDG_CACHE_HOME": str(home / "xdg-cache"),
    }
    for path in env.values():
        Path(path).mkdir(parents=True, exist_ok=True)
    return env


def base_environment() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DEVTOOLS_PORT", "TEXTUAL_SCREENSHOT"):
        env.pop(key, None)
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG=env.get("LANG", "C.UTF-8"))
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env


def summarise(times: list[float]) -> dict[str, float]:
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs": len(times),
    }


def compile_package(python: str, package: str = "tws_tui") -> str:
    """Compile `package`'s byte-code into its __pycache__ with `python`; return its directory.

    Run from a neutral directory, as the children are, so it finds the same package. A real
    install compiles it too; PYTHONDONTWRITEBYTECODE (set on some machines) would otherwise
    make every measured run compile the package's sources again.
    """
    code = (
        "import compileall, os, sys, importlib.util as u\n"
        f"spec = u.find_spec({package!r})\n"
        "where = os.path.dirname(spec.origin)\n"
        "ok = compileall.compile_dir(where, quiet=1)\n"
        "print(where)\n"
        "sys.exit(0 if ok else 1)\n"
    )
    done = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False, cwd=tempfile.gettempdir()
    )
    if done.returncode != 0:
        raise RuntimeError(f"cannot compile {package}: {done.stderr.strip() or done.stdout}")
    return done.stdout.strip()


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError("expected COLSxROWS, e.g. 120x40")
    return int(match[1]), int(match[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Cold start to first painted frame: tws-tui --demo vs a minimal Textual app."
    )
    parser.add_argument("--runs", type=int, default=10, help="measured runs of each (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="discarded runs first (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for one first frame"
    )
    parser.add_argument(
        "--marker", default="100", help="text of tws-tui's first screen (default '100')"
    )
    parser.add_argument(
        "--app",
        default=None,
        help="command for the app under test (default: this interpreter -m tws_tui --demo)",
    )
    parser.add_argument("--size", type=parse_size, default=(120, 40), help="COLSxROWS")
    parser.add_argument("--reuse-dirs", action="store_true", help="one set of dirs for all runs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    cols, rows = args.size

    app_argv = shlex.split(args.app) if args.app else [sys.executable, "-m", "tws_tui", "--demo"]
    where = compile_package(sys.executable)
    print(f"compiled the byte-code of {where}", file=sys.stderr)
    env = base_environment()
    with tempfile.TemporaryDirectory(prefix="tws-bench-") as tmp:
        root = Path(tmp)
        minimal_py = root / "minimal_app.py"
        minimal_py.write_text(MINIMAL_APP, encoding="utf-8")
        app = Target("tws-tui", app_argv, args.marker)
        minimal = Target("minimal", [sys.executable, str(minimal_py)], "hello")
        shared_dirs = isolated_dirs(root, "shared") if args.reuse_dirs else None

        def one_run(target: Target) -> float:
            dirs = shared_dirs or isolated_dirs(root, target.name)
            return time_first_frame(target, {**env, **dirs}, tmp, cols, rows, args.timeout)

        try:
            for round_no in range(args.warmup + args.runs):
                order = (app, minimal) if round_no % 2 == 0 else (minimal, app)
                seconds = {target.name: one_run(target) for target in order}
                warm = round_no < args.warmup
                if not warm:
                    app.times.append(seconds[app.name])
                    minimal.times.append(seconds[minimal.name])
                label = "warm-up" if warm else f"run {round_no - args.warmup + 1}"
                print(
                    f"{label:>8}: tws-tui {seconds[app.name] * 1000:6.0f} ms"
                    f"   minimal {seconds[minimal.name] * 1000:6.0f} ms"
                    f"{'  (discarded)' if warm else ''}",
                    file=sys.stderr,
                )
        except NeverPainted as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1

    app_fig, minimal_fig = summarise(app.times), summarise(minimal.times)
    ratio = app_fig["median_s"] / minimal_fig["median_s"]
    if args.json:
        result = {
            "size": f"{cols}x{rows}",
            "tws_tui": {"argv": app.argv, "marker": app.marker, **app_fig},
            "minimal": minimal_fig,
            "ratio_median": ratio,
        }
        print(json.dumps(result, indent=2))
        return 0
    print(f"cold start to first frame, {cols}x{rows}, {args.runs} runs each (interleaved)")
    print(f"{'':10}{'median':>10}{'min':>10}{'max':>10}")
    for label, fig in (("tws-tui", app_fig), ("minimal", minimal_fig)):
        print(
            f"{label:10}{fig['median_s'] * 1000:>8.0f}ms"
            f"{fig['min_s'] * 1000:>8.0f}ms{fig['max_s'] * 1000:>8.0f}ms"
        )
    print(f"ratio tws-tui/minimal (medians): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
