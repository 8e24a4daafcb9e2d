"""The console's layers, read from the source (``TYPE_CHECKING`` and function-level imports
count): app > controllers > screens > widgets > api. A module imports only its own layer or
lower ones, so nothing below the app names ``TwsApp``: screens, widgets and controllers are
typed against :class:`tws_tui.console.api.ConsoleApi`."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

import tws_tui.console as console

LEVELS = {"api": 0, "widgets": 1, "screens": 2, "controllers": 3, "app": 4}
SUPPORT = 0  # bindings, commands, stylesheet, terminal_keys: beside the api, below widgets
ROOT = Path(console.__file__).parent


def level(module: str) -> int:
    """The layer of a ``tws_tui.console`` module."""
    part = module.removeprefix("tws_tui.console.").split(".")[0]
    return LEVELS.get(part, SUPPORT)


def console_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages([str(ROOT)], "tws_tui.console.")
        if not info.ispkg
    ]


def imported(module: str) -> set[str]:
    """Every ``tws_tui.console`` module that ``module`` imports, wherever the import is."""
    path = ROOT.joinpath(*module.removeprefix("tws_tui.console.").split(".")).with_suffix(".py")
    return imports_in(path.read_text(encoding="utf-8"))


def imports_in(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("tws_tui.console.")}


def test_the_console_has_its_layers() -> None:
    found = {level(module) for module in console_modules()}
    assert found == set(LEVELS.values())


@pytest.mark.parametrize("module", console_modules())
def test_a_console_module_imports_no_higher_layer(module: str) -> None:
    higher = sorted(name for name in imported(module) if level(name) > level(module))
    assert higher == [], f"{module} imports a higher layer: {higher}"


def test_the_check_sees_type_checking_and_function_level_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from tws_tui.console.app import TwsApp\n"
        "def later():\n"
        "    import tws_tui.console.controllers.presence\n"
    )
    assert imports_in(source) == {
        "tws_tui.console.app",
        "tws_tui.console.controllers.presence",
    }
