"""Files sent in the simulated switch's chat (issue 15): their bytes, by attachment id, and
who may fetch them (the members of the conversation they were sent in).

``send`` checks the size (``domain.attachments``), keeps the bytes and sends the message
through :class:`~tws_tui.simulator.chat.SwitchChat` (its text is the file's name, its content
type guessed from the name, as the CTI server does when none is given);
``colleague_sends`` is a colleague sending the operator a file (tests, the demo); ``fetch``
gives the bytes to a member and refuses anyone else (``PermissionDenied``).
"""

from __future__ import annotations

import mimetypes
import uuid

from tws_tui.core.errors import N_, NotFound, PermissionDenied
from tws_tui.core.model import ChatAttachment, ChatMessage, UserId
from tws_tui.domain.attachments import check_size, safe_file_name
from tws_tui.simulator.chat import SwitchChat


class SwitchFiles:
    """The bytes of every file sent, and the users each one was sent between."""

    def __init__(self, chat: SwitchChat) -> None:
        self.chat = chat
        self._files: dict[str, tuple[bytes, frozenset[str]]] = {}

    def send(self, sender: UserId, to: UserId, name: str, data: bytes) -> ChatMessage:
        check_size(data)
        shown = safe_file_name(name)
        content_type = mimetypes.guess_type(shown, strict=False)[0] or "application/octet-stream"
        attachment = ChatAttachment(f"sim-file-{uuid.uuid4().hex}", shown, len(data), content_type)
        group = self.chat.groups.get(to)
        members = frozenset(group.members) if group is not None else frozenset({sender, to})
        self._files[attachment.id] = (data, members)
        try:
            return self.chat.send(sender, to, shown, attachment=attachment)
        except Exception:
            del self._files[attachment.id]
            raise

    def fetch(self, user: UserId, attachment_id: str) -> bytes:
        found = self._files.get(attachment_id)
        if found is None:
            raise NotFound(N_("No such file: {file}"), file=attachment_id)
        data, members = found
        if user not in members:
            raise PermissionDenied(N_("This file was not sent to you."))
        return data
