"""Files sent in the simulated switch's chat (issue 15): their bytes, by attachment id, and
who may fetch them (the members of the conversation they were sent in).

``send`` checks the size (``domain.attachments``), keeps the bytes and sends the message
through :class:`~tws_tui.simulator.chat.SwitchChat` (its text is the file's name, its content
type guessed from the name, as the CTI server does when none is given);
``send_files`` sends a text and several files with their tags as one message (each checked,
then the limits of a message: ``domain.attachment_tags``; nothing kept when one is refused);
``colleague_sends`` is a colleague sending the operator a file (tests, the demo); ``fetch``
gives the bytes to a member and refuses anyone else (``PermissionDenied``).
"""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Sequence

from tws_tui.core.errors import N_, InvalidValue, NotFound, PermissionDenied
from tws_tui.core.model import ChatAttachment, ChatMessage, OutgoingFile, UserId
from tws_tui.domain.attachment_tags import MAX_FILES, MAX_TOTAL_BYTES, MAX_TOTAL_MB, checked_tags
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

    def send_files(
        self, sender: UserId, to: UserId, text: str, files: Sequence[OutgoingFile]
    ) -> ChatMessage:
        """``text`` and ``files`` (with their tags) as one message."""
        if not files or len(files) > MAX_FILES:
            raise InvalidValue(N_("A message carries 1 to {most} files."), most=MAX_FILES)
        if sum(len(file.data) for file in files) > MAX_TOTAL_BYTES:
            raise InvalidValue(
                N_("The files of a message weigh at most {most} MB in all."), most=MAX_TOTAL_MB
            )
        attachments = []
        for file in files:
            check_size(file.data)
            shown = safe_file_name(file.name)
            content_type = (
                mimetypes.guess_type(shown, strict=False)[0] or "application/octet-stream"
            )
            attachments.append(
                ChatAttachment(
                    f"sim-file-{uuid.uuid4().hex}",
                    shown,
                    len(file.data),
                    content_type,
                    checked_tags(file.tags),
                )
            )
        group = self.chat.groups.get(to)
        members = frozenset(group.members) if group is not None else frozenset({sender, to})
        for attachment, file in zip(attachments, files, strict=True):
            self._files[attachment.id] = (file.data, members)
        try:
            return self.chat.send(sender, to, text, files=tuple(attachments))
        except Exception:
            for attachment in attachments:
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
