"""How to install an optional extra (``server``, ``sip``): the command that works from here.

Owns :func:`checkout_root` and :func:`install_hint`. tws-tui runs either from a source checkout
(the package sits beside the project's ``pyproject.toml``, installed in editable mode, as
``make demo`` does) or from an installed package. ``pip install 'tws-tui[server]'`` is right
for the second only: from a checkout it would fetch a release from PyPI instead of installing
the extra for the code at hand. So the hint names the checkout's own commands there (pip of
the checkout's ``.venv`` in editable mode, and the ``make`` target that does it when there is
one), and pip of the interpreter running tws-tui with the extra otherwise.
"""

from __future__ import annotations

import shlex
import sys
import tomllib
from pathlib import Path

from tws_tui.platform.i18n import _

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PROJECT_NAME = "tws-tui"


def checkout_root(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The source checkout ``package_dir`` lives in, or None for an installed package."""
    root = package_dir.parent
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = project.get("project", {}).get("name")
    return root if name == PROJECT_NAME else None


def install_hint(
    extra: str,
    *,
    make_target: str = "",
    package_dir: Path = PACKAGE_DIR,
    python: str = sys.executable,
    prefix: str = sys.prefix,
) -> str:
    """One sentence: how to install ``extra`` where tws-tui runs. ``make_target`` (a target
    of the checkout's Makefile that installs the extra, with what else it does) is offered
    first from a checkout that has a Makefile."""
    root = checkout_root(package_dir)
    if root is None:
        command = f"{shlex.quote(python)} -m pip install '{PROJECT_NAME}[{extra}]'"
        return _("install it with: {command}").format(command=command)
    venv = root / ".venv"
    if Path(prefix).resolve() == venv.resolve():
        pip = f".venv/bin/pip install -e '.[{extra}]'"
    else:
        pip = f"{shlex.quote(python)} -m pip install -e '.[{extra}]'"
    if make_target and (root / "Makefile").is_file():
        return _("in the checkout {root}, run {make}, or install the extra alone: {pip}").format(
            root=root, make=make_target, pip=pip
        )
    return _("in the checkout {root}, install it with: {pip}").format(root=root, pip=pip)
