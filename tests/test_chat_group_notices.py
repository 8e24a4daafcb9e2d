"""A group's notices and its deletion (issue 15, TWS-4.2): who joined, who left or was
removed, and a new name show in the group's thread as what happened ("Bob joined"), not as a
message of anyone's, and count as nothing unread; the administrator deletes the group with
Ctrl+Delete (``chat.delete_group``) after a yes/no question, and every member sees it gone; a
member who is not the administrator is not offered the key, and the phone system refuses
them. On the simulator, and on the real CTI server with two consoles (SQLite and
PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from cti_fixtures import ServerThread, chat_screens, cti_console, cti_server, make_backend, user_id
from helpers import build_console, screen_text, settle, until
from textual.widgets import OptionList

from tws_tui.console.screens.chat import ChatScreen
from tws_tui.console.screens.chat_group_keys import notice_line
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.errors import PermissionDenied
from tws_tui.core.model import ChatGroup, GroupNotice, GroupNoticeKind, UserId
from tws_tui.core.protocols import ChatGroupAdmin
from tws_tui.domain import chat_groups
from tws_tui.platform.i18n import set_language

__all__ = ["cti_server"]

SIZE = (110, 30)


def test_what_a_change_tells_the_group() -> None:
    before = ChatGroup("g", "Accueil", ("a", "b", "c"), "a")
    after = ChatGroup("g", "Équipe", ("a", "c", "d"), "a")
    assert chat_groups.notices(before, after, "a") == [
        GroupNotice(GroupNoticeKind.JOINED, "d"),
        GroupNotice(GroupNoticeKind.REMOVED, "b"),
        GroupNotice(GroupNoticeKind.RENAMED, "a", "Équipe"),
    ]
    left = ChatGroup("g", "Accueil", ("a", "c"), "a")
    assert chat_groups.notices(before, left, "b") == [GroupNotice(GroupNoticeKind.LEFT, "b")]
    assert chat_groups.notices(before, None, "a") == []
    chat_groups.deletable(before, "a")
    with pytest.raises(PermissionDenied):
        chat_groups.deletable(before, "b")


def test_notices_in_words_in_english_and_in_french() -> None:
    names = {"u1": "Alice Martin", "u2": "[bold]Bob\x1b[2J"}

    def who(user: UserId) -> str:
        return names[user]

    told = [
        GroupNotice(GroupNoticeKind.JOINED, "u2"),
        GroupNotice(GroupNoticeKind.LEFT, "u1"),
        GroupNotice(GroupNoticeKind.REMOVED, "u1"),
        GroupNotice(GroupNoticeKind.RENAMED, "u1", "Équipe"),
    ]
    english = [notice_line(n, who) for n in told]
    assert english[1:] == [
        "Alice Martin left",
        "Alice Martin was removed",
        "Alice Martin renamed the group to Équipe",
    ]
    assert "\x1b" not in english[0] and english[0].endswith(" joined")  # shown literally
    assert notice_line(told[3], who, "u1") == "You renamed the group to Équipe"
    assert notice_line(told[0], who, "u2") == "You joined"
    set_language("fr")
    try:
        assert [notice_line(n, who) for n in told][1:] == [
            "Alice Martin a quitté le groupe",
            "Alice Martin a été retiré du groupe",
            "Alice Martin a renommé le groupe en Équipe",
        ]
        assert notice_line(told[0], who).endswith(" a rejoint le groupe")
        mine = [notice_line(n, who, "u1") for n in told[1:]]
        assert mine == [
            "Vous avez quitté le groupe",
            "Vous avez été retiré du groupe",
            "Vous avez renommé le groupe en Équipe",
        ]
    finally:
        set_language("en")


def listed(app: Any) -> list[str]:
    options = app.screen.query_one("#chat-peers", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_sim_notices_in_the_thread_and_the_group_deleted() -> None:
    console = build_console()
    switch_chat = console.backend.switch_chat
    async with console.app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        state = console.app.state
        me = state.me
        assert me is not None and me.user_id is not None
        colleagues = sorted(
            (d for d in state.devices.values() if d.user_id and d.user_id != me.user_id),
            key=lambda d: d.extension or "",
        )
        first, second, third = colleagues[0], colleagues[3], colleagues[5]
        admin = console.backend.chat
        assert isinstance(admin, ChatGroupAdmin)
        group = await admin.create_group("Standard", (UserId(first.user_id),))
        gid = UserId(group.id)
        await pilot.press("alt+4")
        await settle(pilot)
        screen = console.app.screen
        assert isinstance(screen, ChatScreen)
        screen.open_conversation(gid)
        await settle(pilot)
        await admin.add_members(gid, (UserId(second.user_id), UserId(third.user_id)))
        await admin.remove_member(gid, UserId(third.user_id))
        switch_chat.remove_member(UserId(first.user_id), gid, UserId(first.user_id))  # leaves
        await admin.rename_group(gid, "Standard du matin")
        await settle(pilot)
        text = screen_text(console.app)
        for line in (
            f"{second.name} joined",
            f"{third.name} joined",
            f"{third.name} was removed",
            f"{first.name} left",
            "You renamed the group to Standard du matin",
        ):
            assert line in text, (line, text)
        assert f"{first.name}: " not in text  # a notice is no one's message
        assert state.chat_unread.get(gid, 0) == 0
        assert not [m for m in state.chat if m.peer == gid and m.notice is None]
        assert screen._mine_last() is None  # ↑ does not edit a notice

        await pilot.press("ctrl+delete")  # the administrator: asked first; "n" keeps it
        await settle(pilot)
        assert isinstance(console.app.screen, ConfirmScreen)
        assert "Delete the chat group Standard du matin" in screen_text(console.app)
        await pilot.press("n")
        await settle(pilot)
        assert gid in switch_chat.groups
        await pilot.press("ctrl+delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert gid not in switch_chat.groups
        assert gid not in state.chat_groups and screen.peer != gid
        assert "# Standard du matin" not in listed(console.app)
        notes = [n.message for n in console.app._notifications]
        assert "Chat group Standard du matin deleted." in notes

        # a group someone else administers: no Ctrl+Delete, and the switch refuses me
        theirs = switch_chat.create_group(UserId(second.user_id), "Leur groupe", (me.user_id,))
        await until(pilot, lambda: "# Leur groupe" in listed(console.app), "pushed to me")
        screen.open_conversation(UserId(theirs.id))
        await settle(pilot)
        assert screen.check_action("delete_group", ()) is False
        with pytest.raises(PermissionDenied):
            await admin.delete_group(UserId(theirs.id))


async def test_cti_notices_and_deletion_across_two_consoles(cti_server: ServerThread) -> None:
    alice, bob = cti_console(cti_server), cti_console(cti_server, "bob")
    sam = make_backend(cti_server.url, username="sam")
    await sam.connect()
    try:
        async with (
            alice.run_test(size=SIZE, notifications=True) as a,
            bob.run_test(size=SIZE) as b,
        ):
            await until(a, lambda: alice.state.me is not None, "alice signed in")
            await until(b, lambda: bob.state.me is not None, "bob signed in")
            _, bob_screen = await chat_screens((alice, a), (bob, b))
            admin = alice.backend.chat if alice.backend is not None else None
            assert isinstance(admin, ChatGroupAdmin)
            group = await admin.create_group("Accueil", (user_id(cti_server, "bob"),))
            gid = UserId(group.id)
            await until(b, lambda: "# Accueil" in screen_text(bob), "bob's console lists it")
            bob_screen.open_conversation(gid)
            await settle(b)
            await admin.add_members(gid, (user_id(cti_server, "sam"),))
            assert isinstance(sam.chat, ChatGroupAdmin)
            await sam.chat.leave_group(gid)
            await admin.rename_group(gid, "Équipe")
            wanted = ("sam joined", "sam left", "alice renamed the group to Équipe")
            await until(
                b, lambda: all(w in screen_text(bob) for w in wanted), "bob sees the notices", 10
            )
            assert "sam: " not in screen_text(bob)
            assert bob.state.chat_unread.get(gid, 0) == 0
            # the notices are kept by the server: a conversation read again has them
            kept = await admin.conversation(gid)  # type: ignore[attr-defined]
            assert [m.notice.kind for m in kept if m.notice is not None] == [
                GroupNoticeKind.JOINED,
                GroupNoticeKind.LEFT,
                GroupNoticeKind.RENAMED,
            ]
            assert bob_screen.check_action("delete_group", ()) is False  # not his
            with pytest.raises(PermissionDenied):
                assert isinstance(bob.backend.chat, ChatGroupAdmin)  # type: ignore[union-attr]
                await bob.backend.chat.delete_group(gid)  # type: ignore[union-attr]

            alice_screen = alice.screen
            assert isinstance(alice_screen, ChatScreen)
            alice_screen.open_conversation(gid)
            await settle(a)
            await a.press("ctrl+delete")
            await settle(a)
            assert isinstance(alice.screen, ConfirmScreen)
            await a.press("y")
            await until(b, lambda: gid not in bob.state.chat_groups, "bob sees it gone", 10)
            await until(b, lambda: "# Équipe" not in screen_text(bob), "gone from his list")
            assert bob_screen.peer != gid
            assert gid not in alice.state.chat_groups
    finally:
        await sam.close()
