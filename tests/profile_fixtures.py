"""Builders the tests of a profile rule's callers share (included: ``test_profiles_callers``,
excluded: ``test_profiles_excluded``): a call from a caller at a fixed Monday noon
(:func:`call_from`) and whether one rule wins it (:func:`wins`); on the simulator by keyboard,
the Profiles page with a new rule's form open (:func:`new_rule_form`), saved once refused
(:func:`refused_then_saved`), a caller the company's
external directory knows (:func:`known_caller`) and the wait for a rule's deflection notice
(:func:`deflected_by`). The page's own keys (``open_page``, ``press``, ``fill``…) are
``test_profiles_page``'s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from helpers import Console, settle, until
from test_profiles_page import error_of, fill, open_page, press

from tws_tui.console.screens.profiles.page import ProfilesScreen
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.core.model import ForwardKind, PresenceState
from tws_tui.domain.profiles import Profile, Rule, Situation, evaluate
from tws_tui.settings.profiles_file import load_profiles, profiles_file

MONDAY_NOON = datetime(2026, 12, 7, 12, 30)


def call_from(caller: str, known: tuple[str, str] | None = None) -> Situation:
    """A call from ``caller`` at :data:`MONDAY_NOON` while I am available, the caller found
    in the directories as ``known`` ((directory, name)) or in none."""
    return Situation(MONDAY_NOON, PresenceState.AVAILABLE, caller, caller_contact=known)


def wins(rule: Rule, caller: str, known: tuple[str, str] | None = None) -> bool:
    """Whether ``rule``, alone in a profile, forwards :func:`call_from` ``caller``."""
    profile = Profile("p", PresenceState.AVAILABLE, rules=(rule,))
    return ForwardKind.UNCONDITIONAL in evaluate(profile, call_from(caller, known)).winners


def known_caller(console: Console) -> Any:
    """The first contact of the simulated company's external directory ("Known callers")
    with a number and a name."""
    return next(c for c in console.backend.switch.company.externals if c.number and c.name)


async def new_rule_form(console: Console, pilot: Any) -> tuple[ProfilesScreen, RuleForm]:
    """The Profiles page opened from Preferences and its "add a rule" form, open on it."""
    await settle(pilot)
    page = await open_page(console, pilot)
    await press(console, pilot, "#r-add")
    form = console.app.screen
    assert isinstance(form, RuleForm)
    return page, form


async def refused_then_saved(
    console: Console,
    pilot: Any,
    page: ProfilesScreen,
    form: RuleForm,
    refusal: str,
    fix: Callable[[], Awaitable[None]] | None = None,
    **fixed: str,
) -> Rule:
    """Save ``form`` as typed: refused, ``refusal`` said in it, nothing kept and everything
    typed still there; then with the ``fixed`` fields typed (as ``fill`` takes them) and
    ``fix`` done (e.g. a caller filter line changed): saved,
    back on ``page``, and the new rule switched on there. The rule as profiles.json keeps it."""
    await press(console, pilot, "#form-save")
    assert refusal in error_of(form)
    assert console.app.screen is form
    await fill(pilot, form, **fixed)
    if fix is not None:
        await fix()
    await press(console, pilot, "#form-save")
    assert console.app.screen is page
    await press(console, pilot, "#r-toggle")
    rule: Rule = load_profiles(profiles_file())[0].current().rules[0]
    assert rule.enabled
    return rule


async def deflected_by(console: Console, pilot: Any, rule: str, what: str) -> None:
    """Wait until the console told that a call was deflected by the rule named ``rule``."""
    said = f"by the rule '{rule}'"
    await until(pilot, lambda: any(said in n.message for n in console.app._notifications), what)
