"""Do not disturb in one key (Selfcare §4.5-2, Webpilot §9-7): Alt+Shift+D (``presence.dnd``)
turns DND on from any screen — the status bar says so, a call to me is refused, or follows my
DND forward, and the notice says which — and off again; a phone system without DND says so and
nothing changes."""

from __future__ import annotations

from typing import Any

from helpers import build_console, settle
from test_find_me import legs, quiet
from test_forwarding import bar

from tws_tui.core.model import Capability, Forward, ForwardKind
from tws_tui.domain.dnd import dnd_notice
from tws_tui.domain.keymap import ACTIONS_BY_ID
from tws_tui.platform.i18n import set_language

SIZE = (120, 36)


def notices(console: Any) -> list[str]:
    return [str(n.message) for n in console.app._notifications]


async def test_the_key_turns_dnd_on_then_off_and_says_where_calls_go() -> None:
    spec = ACTIONS_BY_ID["presence.dnd"]
    assert (spec.keys, spec.action) == ("alt+shift+d", "toggle_dnd")
    console = build_console(voicemail_number="888")
    quiet(console)
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+3")  # from any screen (Queues here)
        await pilot.press("alt+shift+d")
        await settle(pilot)
        assert console.app.state.me.dnd
        assert console.backend.switch.by_extension["100"].dnd
        assert "Do not disturb" in bar(console)
        assert "Do not disturb on: callers are told you do not take calls." in notices(console)
        refused = console.ring()
        await settle(pilot)
        assert ("100", "alerting") not in legs(console, refused)  # my phone does not ring

        await pilot.press("alt+shift+d")
        await settle(pilot)
        assert not console.app.state.me.dnd
        assert "Do not disturb off: your phone rings again." in notices(console)

        await console.backend.set_forward(ForwardKind.DND, Forward(True, "888"))
        await settle(pilot)
        await pilot.press("alt+shift+d")
        await settle(pilot)
        assert "Do not disturb on: calls go to my voicemail." in notices(console)


async def test_without_dnd_the_key_says_so_and_changes_nothing() -> None:
    console = build_console(capabilities=frozenset(Capability) - {Capability.DND})
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("alt+shift+d")
        await settle(pilot)
        assert not console.app.state.me.dnd
        assert "This phone system does not let the console set do not disturb." in notices(console)


def test_the_notice_follows_the_forwards_in_the_phone_systems_order() -> None:
    """Always wins, then the DND forward, then the busy one (as the switch routes a call)."""
    busy = {ForwardKind.BUSY: Forward(True, "191")}
    assert dnd_notice(True, busy, "888") == "Do not disturb on: calls go to 191."
    both = {**busy, ForwardKind.DND: Forward(True, "104")}
    assert dnd_notice(True, both, "888") == "Do not disturb on: calls go to 104."
    always = {**both, ForwardKind.UNCONDITIONAL: Forward(True, "0611223344")}
    assert dnd_notice(True, always, "888") == "Do not disturb on: calls go to 0611223344."
    off = {ForwardKind.DND: Forward(False, "104")}
    assert "callers are told" in dnd_notice(True, off, "888")
    set_language("fr")
    try:
        assert dnd_notice(True, both, "888") == "Ne pas déranger activé : appels renvoyés vers 104."
        assert (
            dnd_notice(False, {}, "") == "Ne pas déranger désactivé : votre poste sonne de nouveau."
        )
    finally:
        set_language("en")
