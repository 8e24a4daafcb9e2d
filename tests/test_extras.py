"""A missing extra is named with the command that installs it from where tws-tui runs
(``tws-tui serve`` without the ``server`` extra: tests/test_cli.py).

From a checkout, ``pip install 'tws-tui[server]'`` would fetch a release from PyPI: the hint
gives the checkout's own commands (``make serve-demo``, pip of its ``.venv`` in editable
mode) instead; from an installed package, pip of the running interpreter with the extra.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from tws_tui.platform.extras import checkout_root, install_hint


def fake_checkout(tmp_path: Path, *, makefile: bool = True) -> Path:
    root = tmp_path / "checkout"
    (root / "tws_tui").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "tws-tui"\n', encoding="utf-8")
    if makefile:
        (root / "Makefile").write_text("serve-demo:\n", encoding="utf-8")
    return root


def test_from_a_checkout_the_hint_is_the_checkouts_own_install(tmp_path: Path) -> None:
    root = fake_checkout(tmp_path)
    assert checkout_root(root / "tws_tui") == root
    hint = install_hint(
        "server",
        make_target="make serve-demo",
        package_dir=root / "tws_tui",
        python=str(root / ".venv" / "bin" / "python"),
        prefix=str(root / ".venv"),
    )
    assert hint == (
        f"in the checkout {root}, run make serve-demo, or install the extra alone:"
        " .venv/bin/pip install -e '.[server]'"
    )
    # Another interpreter than the checkout's .venv: its own pip, still editable.
    other = install_hint(
        "sip", package_dir=root / "tws_tui", python="/opt/py/bin/python3", prefix="/opt/py"
    )
    assert other == f"in the checkout {root}, install it with: /opt/py/bin/python3 -m pip" + (
        " install -e '.[sip]'"
    )


def test_an_installed_package_gets_pip_of_its_own_interpreter(tmp_path: Path) -> None:
    site = tmp_path / "site-packages" / "tws_tui"
    site.mkdir(parents=True)
    (tmp_path / "site-packages" / "pyproject.toml").write_text(
        '[project]\nname = "something-else"\n', encoding="utf-8"
    )
    assert checkout_root(site) is None
    hint = install_hint(
        "server", make_target="make serve-demo", package_dir=site, python="/usr/bin/python3"
    )
    assert hint == "install it with: /usr/bin/python3 -m pip install 'tws-tui[server]'"


def test_the_sip_backend_without_pyvoip_says_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyVoIP", None)
    monkeypatch.delitem(sys.modules, "tws_tui.backends.sip.upstream", raising=False)
    with pytest.raises(ImportError) as raised:
        importlib.import_module("tws_tui.backends.sip.upstream")
    message = str(raised.value)
    assert message.startswith("the sip backend needs pyVoIP==1.6.8")
    assert f"in the checkout {ROOT}, install it with:" in message
    assert "install -e '.[sip]'" in message
    assert "pip install 'tws-tui[sip]'" not in message
