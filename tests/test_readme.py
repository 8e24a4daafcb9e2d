"""The README cannot drift from the code: what its code names exists.

Every ``make`` target named in its code (fenced blocks and inline code) is a rule of the
Makefile; every ``tws-tui`` (or ``python -m tws_tui``) command names subcommands the real
argument parser has, and each command of a fenced block parses whole, as typed; a ``--backend``
is a registered backend; every relative link and ``#anchor`` leads somewhere; and the test
command CI runs is the README's.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex

from helpers import ROOT

from tws_tui import backends, cli

README = ROOT / "README.md"
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`]+)`")
MAKE = re.compile(r"(?:^|[\s(;&|])make\s+([^`#;|&)]*)")
TWS = re.compile(r"(?:^|[\s(/;&|])(?:tws-tui|python3? -m tws_tui)(?=\s|$)([^`#;|&)]*)")


def code_of(text: str) -> tuple[list[str], list[str]]:
    """(lines of the fenced blocks, inline code spans outside them)."""
    fenced = [line for block in FENCE.findall(text) for line in block.splitlines()]
    prose = FENCE.sub("", text)
    return fenced, [" ".join(span.split()) for span in INLINE.findall(prose)]


def make_targets() -> set[str]:
    rules = re.findall(r"^([A-Za-z0-9_.$() -]+?)\s*:(?!=)", (ROOT / "Makefile").read_text(), re.M)
    return {name for rule in rules for name in rule.split() if not name.startswith(("$", "."))}


def make_calls(fragment: str) -> list[str]:
    named = []
    for rest in MAKE.findall(fragment):
        words = [w for w in shlex.split(rest) if not w.startswith("-") and "=" not in w]
        named += words
    return named


def tws_calls(fragment: str) -> list[list[str]]:
    return [shlex.split(rest) for rest in TWS.findall(fragment)]


def subcommand_problems(parser: argparse.ArgumentParser, words: list[str]) -> list[str]:
    """What in ``words`` is no subcommand of ``parser`` (options and their values skipped)."""
    actions = {o: a for a in parser._actions for o in a.option_strings}
    commands = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    rest = iter(words)
    for word in rest:
        if word.startswith("-"):
            action = actions.get(word.split("=", 1)[0])
            if action is None:
                return [f"unknown option {word!r}"]
            if action.nargs != 0 and "=" not in word:
                next(rest, None)
            continue
        if commands is None:
            return []  # a positional argument of the command itself
        if word not in commands.choices:
            return [f"no subcommand {word!r} (there are {sorted(commands.choices)})"]
        return subcommand_problems(commands.choices[word], list(rest))
    return []


def parses_whole(words: list[str]) -> bool:
    """Whether ``tws-tui WORDS`` parses as typed (``--help`` counts: it exits 0)."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            cli.build_parser().parse_args(words)
    except SystemExit as exit_:
        return exit_.code == 0
    return True


def test_every_make_target_the_readme_names_is_a_rule_of_the_makefile() -> None:
    fenced, inline = code_of(README.read_text(encoding="utf-8"))
    named = {target for fragment in fenced + inline for target in make_calls(fragment)}
    assert {"demo", "serve-demo", "test"} <= named  # the parser finds what the README says
    assert named - make_targets() == set()


def test_every_tws_tui_command_the_readme_names_exists_and_parses() -> None:
    fenced, inline = code_of(README.read_text(encoding="utf-8"))
    parser = cli.build_parser()
    registered = set(backends.names())
    problems: list[str] = []
    seen: set[str] = set()
    for fragment in fenced + inline:
        for words in tws_calls(fragment):
            seen.update(w for w in words if not w.startswith("-"))
            problems += [f"{fragment!r}: {p}" for p in subcommand_problems(parser, words)]
            if fragment in fenced and not parses_whole(words):
                problems.append(f"{fragment!r}: does not parse as typed")
            for index, word in enumerate(words[:-1]):
                if word == "--backend" and words[index + 1] not in registered:
                    problems.append(f"{fragment!r}: no backend {words[index + 1]!r}")
    assert {"serve", "add-user", "check-config", "locate", "wallboard"} <= seen
    assert problems == []


def test_a_name_that_is_no_subcommand_is_caught() -> None:
    parser = cli.build_parser()
    assert subcommand_problems(parser, ["--lang", "fr", "serve", "add-user", "x"]) == []
    assert subcommand_problems(parser, ["serve", "adduser"]) != []
    assert subcommand_problems(parser, ["--demo", "wallbord"]) != []
    assert make_calls("make PYTHON=python3.11 demo") == ["demo"]
    assert make_calls("make test PYTEST_ARGS='-k status'") == ["test"]


def slug(heading: str) -> str:
    """GitHub's anchor of a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_every_relative_link_and_anchor_of_the_readme_leads_somewhere() -> None:
    text = README.read_text(encoding="utf-8")
    anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", FENCE.sub("", text), re.M)}
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            continue
        if link.startswith("#"):
            assert link[1:] in anchors, link
        else:
            assert (ROOT / link.split("#")[0]).exists(), link


def test_the_test_command_ci_runs_is_the_readmes() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    fenced, _inline = code_of(README.read_text(encoding="utf-8"))
    ci_targets = {target for line in ci.splitlines() for target in make_calls(line)}
    assert "test" in ci_targets
    assert any("test" in make_calls(line) for line in fenced)
    assert ci_targets - make_targets() == set()
