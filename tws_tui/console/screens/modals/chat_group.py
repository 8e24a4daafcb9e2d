"""``ChatGroupScreen``: make a discussion group, or see and change one (TWS-4.2, issue 15).

A new group: its name, and members picked from the colleagues by typing part of a name (the
matches show as you type; Enter adds the highlighted one, the first by default). An existing
group: its administrator renames it and adds or removes members (Delete on the highlighted
member); any member sees who is in it and may leave (Ctrl+L, a confirmation follows). Ctrl+S
saves, Esc closes. The dialog only says what was chosen (:class:`GroupChoice`); the Chat
screen hands it to the backend, whose rules (``domain.chat_groups``) have the last word.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tws_tui.core.model import ChatGroup, MonitoredDevice, UserId
from tws_tui.core.values import value_class
from tws_tui.domain.chat_groups import NAME_MAX
from tws_tui.domain.slips import colleagues_matching
from tws_tui.platform.i18n import _

#: Matches shown under the search field.
MATCHES_SHOWN = 5


@value_class
class GroupForm:
    """What the dialog opens with: the group (None: a new one), the colleagues to pick from,
    who I am (never offered, always a member) and how to name a user id."""

    group: ChatGroup | None
    colleagues: tuple[MonitoredDevice, ...]
    me: UserId
    names: dict[str, str]  # user id → name, for the members that are not colleagues listed


@value_class
class GroupChoice:
    """What was chosen: the name and members to save, or leaving the group."""

    name: str
    members: tuple[UserId, ...]
    leave: bool = False


class ChatGroupScreen(ModalScreen[GroupChoice | None]):
    DEFAULT_CSS = """
    ChatGroupScreen #group-box { width: 64; max-width: 100%; height: auto; }
    ChatGroupScreen .group-row { height: 1; margin-bottom: 1; }
    ChatGroupScreen .group-row Label { width: 10; }
    ChatGroupScreen .group-row Input { width: 1fr; background: $boost; }
    ChatGroupScreen #group-matches { height: auto; max-height: 5; margin-bottom: 1; }
    ChatGroupScreen #group-members { height: auto; max-height: 8; }
    ChatGroupScreen .group-hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", show=False),
        Binding("ctrl+s", "save", show=False),
        Binding("ctrl+l", "leave", show=False),
        Binding("delete", "remove", show=False),
    ]

    def __init__(self, form: GroupForm) -> None:
        super().__init__()
        self.form = form
        group = form.group
        self.members: list[UserId] = (
            [UserId(m) for m in group.members] if group is not None else [form.me]
        )
        #: Whether I may change it: a new group, or one I administer.
        self.admin = group is None or group.created_by == form.me

    def compose(self) -> ComposeResult:
        group = self.form.group
        title = _("New chat group") if group is None else _("Chat group")
        with Vertical(id="group-box", classes="modal-box"):
            yield Static(title, classes="modal-title", markup=False)
            with Horizontal(classes="group-row"):
                yield Label(_("Name"))
                yield Input(
                    group.name if group is not None else "",
                    id="group-name",
                    max_length=NAME_MAX,
                    disabled=not self.admin,
                    compact=True,
                )
            with Horizontal(classes="group-row", id="group-find-row"):
                yield Label(_("Add"))
                yield Input(id="group-find", placeholder=_("part of a name"), compact=True)
            yield OptionList(id="group-matches", compact=True)
            yield Static(id="group-count", markup=False)
            yield OptionList(id="group-members", compact=True)
            yield Static(self._hint(), classes="group-hint", markup=False)

    def _hint(self) -> str:
        if not self.admin:
            admin = self._member_name(UserId(self.form.group.created_by)) if self.form.group else ""
            return _(
                "Only the administrator ({name}) changes this group. Ctrl+L leaves it, Esc closes."
            ).format(name=admin)
        hint = _(
            "Enter adds the colleague highlighted, Delete removes a member, Ctrl+S saves,"
            " Esc cancels."
        )
        if self.form.group is not None:
            hint += " " + _("Ctrl+L leaves the group.")
        return hint

    def on_mount(self) -> None:
        self.query_one("#group-find-row").display = self.admin
        self.query_one("#group-matches").display = False
        self._show_members()
        start = "#group-name" if self.form.group is None else "#group-find"
        self.query_one(start if self.admin else "#group-members").focus()

    # ---- who is who -------------------------------------------------------------------------

    def _member_name(self, user: UserId) -> str:
        if user == self.form.me:
            return _("Me")
        for device in self.form.colleagues:
            if device.user_id == user:
                return device.name
        return self.form.names.get(user, str(user))

    def _show_members(self) -> None:
        listed = self.query_one("#group-members", OptionList)
        admin = self.form.group.created_by if self.form.group is not None else self.form.me
        options = []
        for member in self.members:
            label = self._member_name(member)
            if member == admin:
                label += " — " + _("administrator")
            options.append(Option(label, id=member))
        highlighted = listed.highlighted
        listed.clear_options()
        listed.add_options(options)
        if options:
            listed.highlighted = min(highlighted or 0, len(options) - 1)
        count = _("Members: {count}").format(count=len(self.members))
        self.query_one("#group-count", Static).update(count)

    # ---- picking colleagues -----------------------------------------------------------------

    def _matches(self) -> list[MonitoredDevice]:
        typed = self.query_one("#group-find", Input).value
        if not typed.strip():
            return []
        found = colleagues_matching(self.form.colleagues, typed, me=self.form.me)
        return [d for d in found if d.user_id and d.user_id not in self.members]

    @on(Input.Changed, "#group-find")
    def _show_matches(self) -> None:
        matches = self._matches()[:MATCHES_SHOWN]
        listed = self.query_one("#group-matches", OptionList)
        listed.clear_options()
        typed = self.query_one("#group-find", Input).value.strip()
        if matches:
            listed.add_options(
                Option(" ".join(filter(None, (d.name, d.extension))), id=d.user_id) for d in matches
            )
            listed.highlighted = 0
        elif typed:
            listed.add_option(Option(_("no colleague by that name"), disabled=True))
        listed.display = bool(typed)

    def _add_member(self, user: str | None) -> None:
        if user is None or UserId(user) in self.members:
            return
        self.members.append(UserId(user))
        find = self.query_one("#group-find", Input)
        find.value = ""
        find.focus()
        self._show_members()

    @on(Input.Submitted, "#group-find")
    def _add_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        listed = self.query_one("#group-matches", OptionList)
        if listed.highlighted is not None and listed.option_count:
            self._add_member(listed.get_option_at_index(listed.highlighted).id)

    @on(OptionList.OptionSelected, "#group-matches")
    def _add_selected(self, event: OptionList.OptionSelected) -> None:
        self._add_member(event.option.id)

    def on_key(self, event: events.Key) -> None:
        """↓/↑ in the search field move in the matches (the field keeps the focus)."""
        if event.key not in ("down", "up"):
            return
        if not self.query_one("#group-find", Input).has_focus:
            return
        listed = self.query_one("#group-matches", OptionList)
        if listed.option_count:
            (listed.action_cursor_down if event.key == "down" else listed.action_cursor_up)()
            event.stop()

    # ---- the keys ---------------------------------------------------------------------------

    def action_remove(self) -> None:
        """Delete on a highlighted member (not me: I leave with Ctrl+L)."""
        listed = self.query_one("#group-members", OptionList)
        if not self.admin or not listed.has_focus or listed.highlighted is None:
            return
        member = UserId(listed.get_option_at_index(listed.highlighted).id or "")
        if member == self.form.me:
            self.app.notify(_("To leave the group, press Ctrl+L."), severity="warning")
            return
        self.members.remove(member)
        self._show_members()

    @on(Input.Submitted, "#group-name")
    def _name_entered(self, event: Input.Submitted) -> None:
        """Enter in the name: on to picking members while there are none, else save."""
        event.stop()
        if len(self.members) < 2:
            self.query_one("#group-find", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        if not self.admin:
            self.dismiss(None)
            return
        name = " ".join(self.query_one("#group-name", Input).value.split())
        if not name:
            self.app.notify(_("Give the group a name."), severity="warning")
            self.query_one("#group-name", Input).focus()
            return
        if len(self.members) < 2:
            self.app.notify(_("Add at least one colleague to the group."), severity="warning")
            self.query_one("#group-find", Input).focus()
            return
        self.dismiss(GroupChoice(name, tuple(self.members)))

    def action_leave(self) -> None:
        group = self.form.group
        if group is not None:
            members = tuple(UserId(m) for m in group.members)
            self.dismiss(GroupChoice(group.name, members, leave=True))
