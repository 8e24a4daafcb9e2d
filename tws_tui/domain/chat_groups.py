"""The rules of discussion groups (TWS-4.2), the same on the simulator and the CTI server.

A group has one administrator (``ChatGroup.created_by``): its creator, then, when they leave or
are removed, the next member of the list (TWS-4.2.3-4, 4.2.7-4). Only the administrator renames
the group, adds or removes members and deletes it; anyone leaves; the last member leaving
deletes it (TWS-4.2.8). What changed is told in the group's thread as notices (:func:`notices`:
joined, left, removed, renamed), the same on every backend. Each function returns the group as
it is after the change, or raises a typed error whose message says why in words. Pure: no I/O,
no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tws_tui.core.errors import N_, InvalidDestination, PermissionDenied
from tws_tui.core.model import ChatGroup, GroupNotice, GroupNoticeKind

#: Longest group name.
NAME_MAX = 60


def group_name(name: str) -> str:
    """``name`` stripped, or why it cannot be a group's name."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidDestination(N_("A chat group needs a name"))
    if len(cleaned) > NAME_MAX:
        raise InvalidDestination(
            N_("A chat group name has at most {most} characters"), most=NAME_MAX
        )
    return cleaned


def new_group(group_id: str, name: str, creator: str, members: Iterable[str]) -> ChatGroup:
    """A group made by ``creator`` (its first member and administrator) with ``members``."""
    everyone = tuple(dict.fromkeys([creator, *members]))
    if len(everyone) < 2:
        raise InvalidDestination(N_("A chat group needs at least one member besides you"))
    return ChatGroup(group_id, group_name(name), everyone, creator)


def _admin_only(group: ChatGroup, user: str) -> None:
    if user != group.created_by:
        raise PermissionDenied(
            N_("Only the administrator of the chat group {group} can change it"),
            group=group.name,
        )


def renamed(group: ChatGroup, user: str, name: str) -> ChatGroup:
    _admin_only(group, user)
    return replace(group, name=group_name(name))


def with_members(group: ChatGroup, user: str, members: Iterable[str]) -> ChatGroup:
    """``members`` added at the end (those already in are left where they are)."""
    _admin_only(group, user)
    return replace(group, members=tuple(dict.fromkeys([*group.members, *members])))


def without_member(group: ChatGroup, user: str, member: str) -> ChatGroup | None:
    """``member`` out of the group: removed by the administrator, or leaving when ``member``
    is ``user``. None: nobody is left, the group is deleted."""
    if member != user:
        _admin_only(group, user)
    if member not in group.members:
        raise InvalidDestination(
            N_("{member} is not a member of the chat group {group}"),
            member=member,
            group=group.name,
        )
    left = tuple(m for m in group.members if m != member)
    if not left:
        return None
    admin = group.created_by if group.created_by in left else left[0]
    return replace(group, members=left, created_by=admin)


def deletable(group: ChatGroup, user: str) -> None:
    """Only the administrator deletes a group (with its conversation)."""
    _admin_only(group, user)


def notices(before: ChatGroup, after: ChatGroup | None, actor: str) -> list[GroupNotice]:
    """What the change from ``before`` to ``after`` (None: deleted, nothing to tell) made by
    ``actor`` tells the group: who joined, who left or was removed, its new name."""
    if after is None:
        return []
    told = [
        GroupNotice(GroupNoticeKind.JOINED, member)
        for member in after.members
        if member not in before.members
    ]
    for member in before.members:
        if member not in after.members:
            kind = GroupNoticeKind.LEFT if member == actor else GroupNoticeKind.REMOVED
            told.append(GroupNotice(kind, member))
    if after.name != before.name:
        told.append(GroupNotice(GroupNoticeKind.RENAMED, actor, after.name))
    return told
