"""Managing chat groups (issue 15, TWS-4.2): the rules (one administrator, the next member
after them, the last one out deletes the group); on the simulator, Ctrl+G makes a group from
colleagues picked by part of their name, Alt+G renames it and removes a member, Ctrl+L leaves
it; a member who is not the administrator sees the group but cannot change it. On cti, with
the real server, Alice's console makes a group with Bob: Bob's console gets it (``chat.group``
over SSE), its renaming and his leaving; Bob may not rename it; the last one out deletes it.
On sip the key says groups cannot be made."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from cti_fixtures import ServerThread, cti_console, cti_server, make_backend
from helpers import build_console, screen_text, settle, until
from textual.widgets import Input, OptionList

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.modals.chat_group import ChatGroupScreen
from tws_tui.core.errors import InvalidDestination, PermissionDenied
from tws_tui.core.events import ChatGroupEvent
from tws_tui.core.model import ChatFeature, ChatGroup, UserId
from tws_tui.core.topics import Topic
from tws_tui.domain import chat_groups

__all__ = ["cti_server"]

SIZE = (100, 30)


def test_one_administrator_then_the_next_member() -> None:
    group = chat_groups.new_group("grp-1", "  Accueil   du  matin ", "a", ["b", "c", "a"])
    assert group == ChatGroup("grp-1", "Accueil du matin", ("a", "b", "c"), "a")
    with pytest.raises(PermissionDenied):
        chat_groups.renamed(group, "b", "Autre")
    with pytest.raises(PermissionDenied):
        chat_groups.without_member(group, "b", "c")
    with pytest.raises(InvalidDestination):
        chat_groups.renamed(group, "a", "   ")
    with pytest.raises(InvalidDestination):
        chat_groups.new_group("grp-2", "Seul", "a", ["a"])
    left = chat_groups.without_member(group, "a", "a")  # the administrator leaves
    assert left == ChatGroup("grp-1", "Accueil du matin", ("b", "c"), "b")
    assert chat_groups.without_member(left, "c", "c") == ChatGroup(
        "grp-1", "Accueil du matin", ("b",), "b"
    )
    assert chat_groups.without_member(ChatGroup("g", "G", ("b",), "b"), "b", "b") is None
    assert chat_groups.with_members(group, "a", ["d", "b"]).members == ("a", "b", "c", "d")


def listed(app: Any) -> list[str]:
    options = app.screen.query_one("#chat-peers", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_sim_make_rename_remove_and_leave_a_group() -> None:
    console = build_console()
    switch_chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        state = console.app.state
        me = state.me
        assert me is not None and me.user_id is not None
        colleagues = sorted(
            (d for d in state.devices.values() if d.user_id and d.user_id != me.user_id),
            key=lambda d: d.extension or "",
        )
        first, second = colleagues[0], colleagues[5]
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatGroupScreen)
        await pilot.press(*"Standard", "enter")  # on to the members
        assert dialog.query_one("#group-find", Input).has_focus
        for colleague in (first, second):
            await pilot.press(*colleague.name.split()[-1][:4].lower())
            await settle(pilot)
            matches = dialog.query_one("#group-matches", OptionList)
            shown = [
                str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)
            ]
            assert any(colleague.name in line for line in shown), shown
            while matches.get_option_at_index(matches.highlighted or 0).id != colleague.user_id:
                await pilot.press("down")
            await pilot.press("enter")
            await settle(pilot)
        assert dialog.members == [me.user_id, first.user_id, second.user_id]
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        made = [g for g in switch_chat.groups.values() if g.name == "Standard"]
        assert len(made) == 1 and made[0].created_by == me.user_id
        gid = UserId(made[0].id)
        assert screen.peer == gid and "# Standard" in listed(console.app)
        assert screen.query_one("#chat-input", Input).has_focus

        await pilot.press("alt+g")  # rename and remove the second colleague
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatGroupScreen) and dialog.admin
        name = dialog.query_one("#group-name", Input)
        name.value = "Standard du matin"
        members = dialog.query_one("#group-members", OptionList)
        members.focus()
        members.highlighted = 2
        await pilot.press("delete")
        await pilot.press("ctrl+s")
        await settle(pilot)
        group = switch_chat.groups[gid]
        assert group.name == "Standard du matin"
        assert group.members == (me.user_id, first.user_id)
        await until(pilot, lambda: "# Standard du matin" in listed(console.app), "renamed")
        assert "Members: Me, " + first.name in screen_text(console.app)

        await pilot.press("alt+g", "ctrl+l")  # leave: a confirmation first
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert switch_chat.groups[gid].members == (first.user_id,)
        assert switch_chat.groups[gid].created_by == first.user_id  # the next one
        assert "# Standard du matin" not in listed(console.app)
        assert gid not in state.chat_groups and screen.peer != gid


async def test_sim_a_member_sees_the_group_but_cannot_change_it() -> None:
    console = build_console()
    switch_chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        other = next(
            d.user_id
            for d in console.app.state.devices.values()
            if d.user_id and d.user_id != me.user_id
        )
        group = switch_chat.create_group(UserId(other), "Leur groupe", (me.user_id,))
        await pilot.press("alt+4")
        await until(pilot, lambda: "# Leur groupe" in listed(console.app), "pushed to me")
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(UserId(group.id))
        await settle(pilot)
        await pilot.press("alt+g")
        await settle(pilot)
        dialog = console.app.screen
        assert isinstance(dialog, ChatGroupScreen) and not dialog.admin
        assert dialog.query_one("#group-name", Input).disabled
        assert not dialog.query_one("#group-find-row").display
        assert "Only the administrator" in screen_text(console.app)
        await pilot.press("escape")
        with pytest.raises(PermissionDenied):
            assert console.backend.chat is not None
            await console.backend.chat.rename_group(UserId(group.id), "Le mien")


async def test_sip_says_groups_cannot_be_made() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert console.backend.chat is not None
        console.backend.chat.features = frozenset()  # type: ignore[misc]  # as SipChat's
        await pilot.press("alt+4")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not isinstance(console.app.screen, ChatGroupScreen)
        notices = [n.message for n in console.app._notifications]
        assert notices == ["Chat groups cannot be made with this connection."]


async def test_cti_group_made_renamed_left_across_two_consoles(cti_server: ServerThread) -> None:
    app = cti_console(cti_server)
    bob = make_backend(cti_server.url, username="bob")
    await bob.connect()
    seen: list[ChatGroupEvent] = []

    async def bob_listens() -> None:
        async for event in bob.events():
            if isinstance(event, ChatGroupEvent):
                seen.append(event)

    listening = asyncio.create_task(bob_listens())
    try:
        assert bob.chat is not None and ChatFeature.MANAGE_GROUPS in bob.chat.features
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.state.me is not None, "alice signed in")
            await until(pilot, lambda: len(app.state.devices) >= 2, "colleagues listed")
            await pilot.press("alt+4")
            await settle(pilot)
            await pilot.press("ctrl+g")
            await settle(pilot)
            await pilot.press(*"Accueil", "enter", *"bo", "enter", "ctrl+s")
            await until(pilot, lambda: len(app.state.chat_groups) == 1, "alice's group")
            group = next(iter(app.state.chat_groups.values()))
            assert group.members == ("u100", "u180") and group.created_by == "u100"
            await until(pilot, lambda: len(seen) == 1, "bob told over SSE")
            assert seen[0].group == group and not seen[0].gone
            with pytest.raises(PermissionDenied):
                await bob.chat.rename_group(UserId(group.id), "Chez Bob")
            await pilot.press("alt+g")
            await settle(pilot)
            app.screen.query_one("#group-name", Input).value = "Accueil du soir"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: len(seen) == 2, "bob told of the new name")
            assert seen[1].group.name == "Accueil du soir"
            await until(pilot, lambda: "# Accueil du soir" in listed(app), "renamed on alice's")
            await bob.chat.leave_group(UserId(group.id))
            await until(pilot, lambda: seen[-1].gone, "bob out")
            await until(
                pilot,
                lambda: app.state.chat_groups[UserId(group.id)].members == ("u100",),
                "alice told bob left",
            )
            await pilot.press("alt+g", "ctrl+l")
            await settle(pilot)
            await pilot.press("y")
            await until(pilot, lambda: not app.state.chat_groups, "deleted: nobody left")
            assert await bob.chat.groups() == []
    finally:
        listening.cancel()
        await bob.close()


async def test_a_quiet_group_highlighted_stays_where_it_is_listed() -> None:
    console = build_console()
    async with console.app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        me = console.app.state.me
        assert me is not None and me.user_id is not None
        peer = next(
            UserId(d.user_id)
            for d in console.app.state.devices.values()
            if d.user_id and d.user_id != me.user_id
        )
        console.backend.switch_chat.send(peer, me.user_id, "Bonjour")
        await pilot.press("alt+4")
        await settle(pilot)
        before = listed(console.app)
        assert before[1:] == ["# Accueil", "# Direction"]
        console.app.screen.query_one("#chat-peers", OptionList).focus()
        await pilot.press("down")  # onto the group without a message yet
        await settle(pilot)
        assert console.app.screen.peer == UserId("grp-accueil")
        console.app.topics_changed({Topic.CHAT})  # the list drawn again, as any news does
        await settle(pilot)
        assert listed(console.app) == before  # it jumped to the top: ↓/↑ went round
        await pilot.press("up")
        await settle(pilot)
        assert console.app.screen.peer == peer
