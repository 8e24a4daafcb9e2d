"""The architecture, enforced (docs/architecture.md): layers, cycles and the keymap's actions.

* Every module outside ``tws_tui.console`` imports without Textual, found by walking the package
  (``pkgutil.walk_packages``), not from a hand list that a new module escapes. Each group is
  imported in a fresh interpreter, since in this process Textual is long loaded by other tests.
* No import cycle among the project's modules, counting imports under ``TYPE_CHECKING`` and
  inside functions (grimp reads every import statement).
* Every ``ActionSpec`` of the keymap resolves to an action method of a class that binds it, and
  every scope of the keymap is bound by some class: a renamed method or a dead scope fails here,
  not when an operator presses the key.
* ``make lint``'s import-linter contracts hold (the same check, from the test run).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import grimp
import pytest
from test_packaging import probe, run_python

import tws_tui
from tws_tui.domain.keymap import ACTIONS

REPO = Path(__file__).resolve().parent.parent
UI_PACKAGE = "tws_tui.console"
NOT_IMPORTED = {"tws_tui.__main__"}  # runs the CLI when imported


def project_modules() -> list[str]:
    found = ["tws_tui"]
    for info in pkgutil.walk_packages(tws_tui.__path__, "tws_tui."):
        found.append(info.name)
    return sorted(found)


def headless_groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for name in project_modules():
        if name in NOT_IMPORTED or name == UI_PACKAGE or name.startswith(UI_PACKAGE + "."):
            continue
        groups[".".join(name.split(".")[:2])].append(name)
    return dict(groups)


def test_walk_finds_every_layer() -> None:
    """The walk is the source of truth: it must see each room of the house."""
    groups = headless_groups()
    for room in ("core", "platform", "settings", "domain", "wire", "contacts", "journal"):
        assert f"tws_tui.{room}" in groups, sorted(groups)
    for room in ("simulator", "server", "backends", "web"):
        assert f"tws_tui.{room}" in groups, sorted(groups)
    assert any(name.startswith(UI_PACKAGE + ".") for name in project_modules())


@pytest.mark.parametrize("group", sorted(headless_groups()))
def test_headless_layer_imports_without_textual(group: str) -> None:
    modules = headless_groups()[group]
    action = "\n".join(f"importlib.import_module({name!r})" for name in modules)
    result = run_python(probe(action))
    assert result.returncode == 0, f"importing {group} failed:\n{result.stderr}"
    assert result.stdout == "", f"{group}: {result.stdout}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the components of more than one module are cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def import_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("tws_tui", cache_dir=None)
    return {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            # a package's __init__ importing its own submodule is how packages work
            if not imported.startswith(module + ".")
        }
        for module in graph.modules
    }


def test_cycle_finder_sees_a_cycle() -> None:
    """The check below must be able to fail."""
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_project_modules() -> None:
    cycles = strongly_connected(import_graph())
    assert not cycles, "import cycles (TYPE_CHECKING imports count):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles
    )


# ---- the keymap ------------------------------------------------------------------------------


def binding_owners() -> dict[str, list[type]]:
    """For each keymap scope, the console classes whose BINDINGS carry its ids."""
    ids_by_scope: dict[str, set[str]] = defaultdict(set)
    for spec in ACTIONS:
        ids_by_scope[spec.scope].add(spec.id)
    owners: dict[str, list[type]] = defaultdict(list)
    for name in project_modules():
        if not name.startswith(UI_PACKAGE):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name:
                continue
            bound = {getattr(b, "id", None) for b in getattr(cls, "BINDINGS", ())}
            for scope, ids in ids_by_scope.items():
                if bound & ids:
                    owners[scope].append(cls)
    return owners


ACTION_NAME = re.compile(r"^(?:(app|screen)\.)?([a-z_][a-z0-9_]*)(\(.*\))?$")


def test_every_action_spec_resolves_to_an_action_method() -> None:
    owners = binding_owners()
    problems = []
    for spec in ACTIONS:
        classes = owners.get(spec.scope)
        if not classes:
            problems.append(f"{spec.id}: no class binds scope {spec.scope!r}")
            continue
        match = ACTION_NAME.match(spec.action)
        if match is None:
            problems.append(f"{spec.id}: unreadable action {spec.action!r}")
            continue
        method = f"action_{match.group(2)}"
        for cls in classes:
            if not callable(getattr(cls, method, None)):
                problems.append(f"{spec.id}: {cls.__qualname__} has no {method}()")
    assert not problems, "\n".join(problems)


def test_action_check_sees_a_missing_method() -> None:
    """The resolution above must be able to fail: a class without the method is reported."""

    class Bare:
        pass

    assert not callable(getattr(Bare, "action_answer_ringing", None))
    assert ACTION_NAME.match("switch_mode('call')").group(2) == "switch_mode"  # type: ignore[union-attr]


# ---- import-linter ---------------------------------------------------------------------------


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "import-linter is in the dev extra"
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_console_module_is_over_600_lines() -> None:
    """docs/architecture.md §1: no module in ``console/`` is over 600 lines (split by kind)."""
    console = Path(__file__).resolve().parents[1] / "tws_tui" / "console"
    long = {
        str(path.relative_to(console)): lines
        for path in console.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}, f"split these by kind (docs/architecture.md): {long}"
