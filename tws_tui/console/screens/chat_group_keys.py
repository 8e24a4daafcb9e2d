"""The Chat screen's group management (TWS-4.2, issue 15): Ctrl+G makes a group
(``chat.new_group``), Alt+G shows the open group and changes it (``chat.group``: rename,
members, leave), Ctrl+Delete deletes it (``chat.delete_group``: its administrator only, after a
yes/no question; every member sees it gone). A mixin of
:class:`~tws_tui.console.screens.chat.ChatScreen`. :func:`notice_line` says a group's notice
in words ("Bob joined", "Alice renamed the group to Accueil"), shown in the thread as what
happened, not as someone's message.

Offered where the backend's chat manages groups (``ChatFeature.MANAGE_GROUPS`` and the
``ChatGroupAdmin`` protocol: sim and cti); elsewhere (sip) the key says groups are not
available. The dialog (``modals.chat_group``) says what was chosen; the change goes to the
backend in one command per step (rename, add, remove) and comes back as ``ChatGroupEvent``\\ s,
which the state keeps (the UI renders from them, not from the commands' return).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tws_tui.console.screens.modals.chat_group import ChatGroupScreen, GroupChoice, GroupForm
from tws_tui.console.screens.modals.confirm import ConfirmScreen
from tws_tui.core.model import ChatFeature, ChatGroup, GroupNotice, GroupNoticeKind, UserId
from tws_tui.core.protocols import CallControl, ChatGroupAdmin
from tws_tui.domain.text import shown_literally
from tws_tui.platform.i18n import N_, _

if TYPE_CHECKING:
    from tws_tui.console.screens.base import ModeScreen

    class _ChatScreen(ModeScreen):
        """What the mixin uses of ChatScreen."""

        peer: UserId | None

        @property
        def _groups(self) -> dict[UserId, ChatGroup]: ...
        def _who(self, user: UserId) -> str: ...
        def open_conversation(self, peer: UserId) -> None: ...
else:
    _ChatScreen = object

#: The actions of this mixin, by the name ``check_action`` gets.
GROUP_ACTIONS = frozenset({"new_group", "manage_group", "delete_group"})
#: A group's notice in words, by kind; about me, in the second person.
NOTICES = {
    GroupNoticeKind.JOINED: N_("{who} joined"),
    GroupNoticeKind.LEFT: N_("{who} left"),
    GroupNoticeKind.REMOVED: N_("{who} was removed"),
    GroupNoticeKind.RENAMED: N_("{who} renamed the group to {name}"),
}
MY_NOTICES = {
    GroupNoticeKind.JOINED: N_("You joined"),
    GroupNoticeKind.LEFT: N_("You left"),
    GroupNoticeKind.REMOVED: N_("You were removed"),
    GroupNoticeKind.RENAMED: N_("You renamed the group to {name}"),
}


def notice_line(notice: GroupNotice, who: Callable[[UserId], str], me: str | None = None) -> str:
    """``notice`` in the user's language, names as ``who`` gives them (``me``: my user id,
    told as "you"), shown literally."""
    words = MY_NOTICES if notice.who == me else NOTICES
    return _(words[notice.kind]).format(
        who=shown_literally(who(UserId(notice.who))), name=shown_literally(notice.name)
    )


def group_admin(backend: CallControl | None) -> ChatGroupAdmin | None:
    """The backend's chat as a group manager, when it manages groups."""
    chat = backend.chat if backend is not None else None
    if chat is None or ChatFeature.MANAGE_GROUPS not in chat.features:
        return None
    return chat if isinstance(chat, ChatGroupAdmin) else None


class ChatGroupKeys(_ChatScreen):
    """Ctrl+G and Alt+G on the Chat screen."""

    def groups_allowed(self, action: str) -> bool:
        """Whether an action of this mixin is live now (``ChatScreen.check_action``)."""
        if action == "manage_group":
            return self.peer is not None and self.peer in self._groups
        if action == "delete_group":  # the administrator of the open group, where it can
            group = self._groups.get(self.peer) if self.peer is not None else None
            me = self.tws.state.me
            mine = group is not None and me is not None and group.created_by == me.user_id
            return mine and group_admin(self.tws.backend) is not None
        return True  # new_group: says so where groups are not offered

    def _form(self, group: ChatGroup | None) -> GroupForm | None:
        me = self.tws.state.me
        if me is None or me.user_id is None:
            return None
        devices = self.tws.state.devices.values()
        colleagues = tuple(d for d in devices if d.user_id)
        names = {str(d.user_id): d.name for d in colleagues}
        return GroupForm(group, colleagues, me.user_id, names)

    def action_new_group(self) -> None:
        """Ctrl+G (``chat.new_group``): make a discussion group and open its conversation."""
        form = self._form(None)
        if group_admin(self.tws.backend) is None or form is None:
            self.tws.notify(_("Chat groups cannot be made with this connection."))
            return

        def chosen(choice: GroupChoice | None) -> None:
            if choice is None:
                return
            others = tuple(m for m in choice.members if m != form.me)

            async def create(backend: CallControl) -> None:
                admin = group_admin(backend)
                if admin is not None:
                    group = await admin.create_group(choice.name, others)
                    self.open_conversation(UserId(group.id))

            self.tws.run_command(create)

        self.app.push_screen(ChatGroupScreen(form), chosen)

    def action_manage_group(self) -> None:
        """Alt+G (``chat.group``): the open group's members; its administrator changes it."""
        group = self._groups.get(self.peer) if self.peer is not None else None
        form = self._form(group)
        if group is None or form is None:
            return
        if group_admin(self.tws.backend) is None:
            names = ", ".join(self._who(UserId(m)) for m in group.members)
            self.tws.notify(names + "\n" + _("Chat groups cannot be changed with this connection."))
            return

        def chosen(choice: GroupChoice | None) -> None:
            if choice is None:
                return
            if choice.leave:
                self._confirm_leave(group)
            else:
                self._save_group(group, choice)

        self.app.push_screen(ChatGroupScreen(form), chosen)

    def action_delete_group(self) -> None:
        """Ctrl+Delete (``chat.delete_group``): its administrator deletes the open group and its
        conversation, after a yes/no question."""
        group = self._groups.get(self.peer) if self.peer is not None else None
        if group is None:
            return
        question = _("Delete the chat group {name} and its conversation, for every member?")

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            async def delete(backend: CallControl) -> None:
                admin = group_admin(backend)
                if admin is not None:
                    await admin.delete_group(UserId(group.id))
                    self.tws.notify(_("Chat group {name} deleted.").format(name=group.name))

            self.tws.run_command(delete)

        self.app.push_screen(ConfirmScreen(question.format(name=group.name)), answered)

    def _confirm_leave(self, group: ChatGroup) -> None:
        question = _("Leave the chat group {name}?").format(name=group.name)

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            async def leave(backend: CallControl) -> None:
                admin = group_admin(backend)
                if admin is not None:
                    await admin.leave_group(UserId(group.id))
                    self.tws.notify(_("You left the chat group {name}.").format(name=group.name))

            self.tws.run_command(leave)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _save_group(self, group: ChatGroup, choice: GroupChoice) -> None:
        """The changes, one request each: the name, the members added, those removed."""
        gid = UserId(group.id)
        added = tuple(m for m in choice.members if m not in group.members)
        removed = tuple(UserId(m) for m in group.members if m not in choice.members)

        async def save(backend: CallControl) -> None:
            admin = group_admin(backend)
            if admin is None:
                return
            if choice.name != group.name:
                await admin.rename_group(gid, choice.name)
            if added:
                await admin.add_members(gid, added)
            for member in removed:
                await admin.remove_member(gid, member)

        self.tws.run_command(save)
