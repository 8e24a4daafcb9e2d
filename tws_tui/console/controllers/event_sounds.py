"""The sounds of events other than a ringing call (issue 17, TWS-6.8-2): a chat message or an
SMS from someone else (``[audio] chat_message``, DefaultSoundChat) and a new voicemail message
(``[audio] voicemail``, DefaultNotification), played as the ringtone is
(``ringtone.play_sound``: the softphone's ringer at the ring volume, else the terminal bell).

They are notices: silent while my presence is not one of ``[contacts] show_notices_when``
(TWS-6.6-8) and while ``[audio] mute`` is on. A message heard once is not heard again when it
comes back (the same id after a reconnection), nor is my own, an edit or a deletion."""

from __future__ import annotations

import logging

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.ringtone import play_sound
from tws_tui.core.events import ChatEvent, Event, VoicemailEvent
from tws_tui.domain.notifications import notices_allowed

log = logging.getLogger(__name__)


class EventSounds:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self._heard: set[str] = set()  # the ids of the messages and voicemails sounded

    def sound_for(self, event: Event) -> str | None:
        """The sound ``event`` calls for, by its name in the library, or None."""
        audio = self.api.prefs.audio
        me = self.api.state.me
        match event:
            case ChatEvent(message=message):
                if message.edited or message.deleted or message.id in self._heard:
                    return None
                if me is not None and message.sender == me.user_id:
                    return None
                self._heard.add(message.id)
                return audio.chat_message
            case VoicemailEvent(message=message) if message is not None and message.new:
                if message.id in self._heard:
                    return None
                self._heard.add(message.id)
                return audio.voicemail
        return None

    def observe(self, event: Event) -> None:
        """Told every event the pump applied: its sound, if any, unless held back."""
        name = self.sound_for(event)
        if name is None:
            return
        me = self.api.state.me
        if self.api.prefs.audio.mute:
            log.debug("sound %s muted", name)
            return
        if me is not None and not notices_allowed(
            me.presence, self.api.prefs.contacts.show_notices_when
        ):
            log.debug("sound %s held back while %s", name, me.presence)
            return
        play_sound(self.api, name, group="event-sound")
