"""Forward to a colleague by name (issue 17): in the forwarding dialog and in a profile rule's
form, part of a colleague's name typed as the destination is matched as it is typed (the
slips' colleague search: first match, a few more, or nobody); Enter takes the first match's
extension, a second Enter saves; I am never offered; a name nobody has is refused as letters."""

from __future__ import annotations

from helpers import build_console, settle
from test_forwarding import forwards, open_dialog, type_in
from test_profiles_page import error_of, fill, open_page, press
from textual.widgets import Input

from tws_tui.console.screens.modals.forwarding import ForwardingScreen
from tws_tui.console.screens.profiles.rule_form import RuleForm
from tws_tui.core.model import Forward, ForwardKind
from tws_tui.settings.profiles_file import load_profiles, profiles_file

SIZE = (120, 36)


def match_line(screen: object, selector: str) -> str:
    return str(screen.query_one(selector).render())  # type: ignore[attr-defined]


async def test_the_forwarding_dialog_takes_a_colleague_by_name() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        dialog = await open_dialog(console, pilot)
        await type_in(pilot, dialog, "#to-busy", "camille")
        shown = match_line(dialog, "#forward-match")
        assert "Enter takes Camille Gauthier (362)" in shown
        assert "also: Camille Henry" in shown
        assert "Camille Martin" not in shown  # me
        await type_in(pilot, dialog, "#to-busy", "zzq")
        assert match_line(dialog, "#forward-match") == "No colleague by that name."
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is dialog  # letters refused, nothing sent
        assert any("contains letters" in str(n.message) for n in console.app._notifications)
        await type_in(pilot, dialog, "#to-busy", "amand dup")
        await pilot.press("enter")  # takes the first match
        await settle(pilot)
        assert dialog.query_one("#to-busy", Input).value == "314"
        assert match_line(dialog, "#forward-match") == "→ Amandine Dupont (314)"
        assert isinstance(console.app.screen, ForwardingScreen)
        await pilot.press("enter")  # saves
        await settle(pilot)
        assert forwards(console)[ForwardKind.BUSY] == Forward(True, "314", None)


async def test_a_profile_rule_takes_a_colleague_by_name() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page = await open_page(console, pilot)
        await press(console, pilot, "#r-add")
        form = console.app.screen
        assert isinstance(form, RuleForm)
        await fill(pilot, form, r_name="Lunch", r_to="leroy")
        assert "Enter takes Antoine Leroy (317)" in match_line(form, "#r-match")
        form.query_one("#r-to", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is form and not error_of(form)
        assert form.query_one("#r-to", Input).value == "317"
        await pilot.press("enter")
        await settle(pilot)
        assert console.app.screen is page
        rules = load_profiles(profiles_file())[0].profiles[0].rules
        assert [(r.name, r.destination) for r in rules] == [("Lunch", "317")]
