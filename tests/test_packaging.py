"""Packaging and layering, checked the way a user, a plugin or the CTI server meets them.

* The probe that imports modules in a fresh interpreter and names who asked for Textual
  (used by tests/test_architecture.py on every module outside the console).
* The ``sim`` backend is registered in the ``tws_tui.backends`` entry-point group, so the app can
  list backends by name without importing them, and loading it needs no Textual either.
* ``python -m tws_tui --help`` and the installed ``tws-tui`` script answer with their usage.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Runs in the child: import what it is told while recording who first asked for Textual, then
# print the offending import chain (our frames only), or nothing at all when Textual stayed out.
_PROBE = textwrap.dedent(
    """
    import importlib, sys, traceback

    class Witness:
        chain = None
        def find_spec(self, name, path=None, target=None):
            if Witness.chain is None and (name == "textual" or name.startswith("textual.")):
                Witness.chain = [
                    f"{frame.filename}:{frame.lineno}: {frame.line}"
                    for frame in traceback.extract_stack()
                    if "tws_tui" in frame.filename
                ]
            return None

    sys.meta_path.insert(0, Witness())
    {action}
    leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    if leaked:
        print("Textual was imported; first asked for by:")
        print("\\n".join(Witness.chain or ["(no frame of tws_tui on the stack)"]))
    """
)


def probe(action: str) -> str:
    """The probe's code, doing `action` (top-level statements)."""
    return _PROBE.replace("{action}", action)


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_probe_notices_a_textual_import() -> None:
    """The probe above must be able to fail: importing Textual itself is reported."""
    result = run_python(probe("import textual.app"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Textual was imported")


def test_sim_backend_is_an_entry_point() -> None:
    backends = entry_points(group="tws_tui.backends")
    assert "sim" in backends.names, (
        f"'sim' not in the tws_tui.backends entry points ({sorted(backends.names)}); "
        "is tws-tui installed (pip install -e .)?"
    )
    assert backends["sim"].value.startswith("tws_tui.backends.sim:")


def test_sim_entry_point_loads_without_textual() -> None:
    load = (
        "from importlib.metadata import entry_points\n"
        "backend = entry_points(group='tws_tui.backends')['sim'].load()\n"
        "assert callable(backend), backend"
    )
    result = run_python(probe(load))
    assert result.returncode == 0, f"loading the sim entry point failed:\n{result.stderr}"
    assert result.stdout == "", result.stdout


def test_python_m_tws_tui_help() -> None:
    result = run_python("", "-m", "tws_tui", "--lang", "en", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower()
    assert "--demo" in result.stdout


def test_installed_console_script_help() -> None:
    script = Path(sys.executable).with_name("tws-tui")
    if not script.exists():  # pragma: no cover - only outside a venv with the project installed
        pytest.fail(f"no {script}: install the project (pip install -e .) so `tws-tui` exists")
    result = subprocess.run(
        [str(script), "--lang", "en", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower()
