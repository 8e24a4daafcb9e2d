"""Comments on calls shared on the simulated switch (TWS-3.13).

Owns :class:`SwitchComments`: the comments of each call, keyed by the call's id on the switch
(``conversation_id``: the same for every phone that rang, answered or had it transferred), each
with its author (a user of the switch), time and text. A device *saw* a call when it is on it
now or its history holds it (answered, missed while it rang in a queue, transferred): only such
a device reads the call's comments or adds one; only the author edits or deletes theirs (the
simulated switch has no supervisors; the server lets a supervisor delete anyone's). Each
addition, change or deletion (``deleted``, text gone) is told to the listeners of every
device that saw the call. What a comment may say is :mod:`tws_tui.domain.comments`'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from tws_tui.core.errors import N_, NotFound, PermissionDenied
from tws_tui.core.model import CallComment, DeviceId, UserId
from tws_tui.domain.comments import check_comment
from tws_tui.domain.text import fold, has_words, words
from tws_tui.simulator.switch import Switch

Listener = Callable[[CallComment], None]


def not_a_call_of_yours(conversation_id: str) -> NotFound:
    return NotFound(
        N_("No call {conversation_id} that you saw: its comments are not yours to read."),
        conversation_id=conversation_id,
    )


def comment_gone(comment_id: str) -> NotFound:
    return NotFound(N_("This comment is gone: {comment_id}"), comment_id=comment_id)


def not_your_comment() -> PermissionDenied:
    return PermissionDenied(N_("Only its author can change a comment."))


def not_yours_to_delete() -> PermissionDenied:
    return PermissionDenied(N_("Only its author or a supervisor can delete a comment."))


class SwitchComments:
    """Every call's shared comments on the simulated switch."""

    def __init__(self, switch: Switch) -> None:
        self.switch = switch
        self._comments: dict[str, list[CallComment]] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._ids = itertools.count(1)

    def listen(self, device: DeviceId, listener: Listener) -> Callable[[], None]:
        self._listeners.setdefault(device, []).append(listener)
        return lambda: self._listeners.get(device, []).remove(listener)

    def saw(self, device: DeviceId, conversation_id: str) -> bool:
        """Whether ``device`` is on the call now or has it in its history."""
        call = self.switch.calls.get(conversation_id)
        if call is not None and any(c.endpoint.device_id == device for c in call.conns):
            return True
        history = self.switch.history.get(device, ())
        return any(entry.conversation_id == conversation_id for entry in history)

    def comments(self, device: DeviceId, conversation_id: str) -> list[CallComment]:
        """Oldest first."""
        if not self.saw(device, conversation_id):
            raise not_a_call_of_yours(conversation_id)
        return list(self._comments.get(conversation_id, ()))

    def add(self, device: DeviceId, conversation_id: str, text: str) -> CallComment:
        if not self.saw(device, conversation_id):
            raise not_a_call_of_yours(conversation_id)
        author = self.switch.endpoint(device)
        comment = CallComment(
            f"cm-{self.switch.id_run}{next(self._ids)}",
            conversation_id,
            author.user_id or UserId(device),
            author.name or author.extension or device,
            self.switch.clock.now(),
            check_comment(text),
        )
        self._comments.setdefault(conversation_id, []).append(comment)
        self._tell(comment)
        return comment

    def edit(self, device: DeviceId, comment_id: str, text: str) -> CallComment:
        comments, index = self._authored(device, comment_id, not_your_comment)
        comments[index] = replace(comments[index], text=check_comment(text), edited=True)
        self._tell(comments[index])
        return comments[index]

    def delete(self, device: DeviceId, comment_id: str) -> None:
        comments, index = self._authored(device, comment_id, not_yours_to_delete)
        old = comments.pop(index)
        self._tell(replace(old, text="", deleted=True))

    def _authored(
        self, device: DeviceId, comment_id: str, refused: Callable[[], PermissionDenied]
    ) -> tuple[list[CallComment], int]:
        """Where comment ``comment_id`` stands (its call's comments, its index there) when
        ``device``'s user wrote it; ``refused()`` raised when someone else did,
        :func:`comment_gone` when there is no such comment."""
        author = self.switch.endpoint(device)
        for comments in self._comments.values():
            for index, old in enumerate(comments):
                if old.id != comment_id:
                    continue
                if old.author != (author.user_id or UserId(device)):
                    raise refused()
                return comments, index
        raise comment_gone(comment_id)

    def recent(self, device: DeviceId, limit: int, text: str = "") -> list[CallComment]:
        """The newest ``limit`` comments on the calls ``device`` saw, oldest first; with
        ``text``, only those that have its words (case and accents ignored)."""
        wanted = words(fold(text))
        seen = [
            comment
            for conversation_id, comments in self._comments.items()
            if self.saw(device, conversation_id)
            for comment in comments
            if not wanted or has_words(comment.text, wanted)
        ]
        return sorted(seen, key=lambda comment: comment.at)[-limit:] if limit > 0 else []

    def _tell(self, comment: CallComment) -> None:
        for device, listeners in self._listeners.items():
            if self.saw(DeviceId(device), comment.conversation_id):
                for listener in list(listeners):
                    listener(comment)
