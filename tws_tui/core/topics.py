"""``Topic``: what part of the console state an event changed.

``ConsoleState.apply`` returns a set of topics; the app publishes them and each screen or widget
redraws only for the topics it shows. A plain :class:`enum.Enum` (not a ``str`` enum): a
misspelt or bare-string topic is an error for mypy (``strict_equality``) and at run time,
instead of a screen that silently never refreshes.
"""

from __future__ import annotations

import enum


class Topic(enum.Enum):
    ME = "me"  # my own device: presence, agent state, forwarding, DND
    CALLS = "calls"
    TRANSFERS = "transfers"  # consultations under way
    QUEUES = "queues"
    FLOWS = "flows"  # call flows (day/night modes)
    PARKING = "parking"
    DEVICES = "devices"  # colleagues: line state, presence (BLF)
    HISTORY = "history"
    CHAT = "chat"
    VOICEMAIL = "voicemail"  # my voicemail box: its new count, its messages
    VOICEMAIL_SETTINGS = "voicemail_settings"  # my greetings, PIN, e-mail copy
    COMMENTS = "comments"  # a shared comment on a call I saw (TWS-3.13)
    LINK = "link"  # the link to the phone system
    DIRECTORY = "directory"  # a kept directory's copy (the CardDAV address book) changed
    PROFILES = "profiles"  # my profiles as the phone system keeps them (issue 17)
    ASSIST = "assist"  # assistance requests I asked or was asked (TWS-4.4), broadcasts


Topics = frozenset[Topic]
NOTHING: Topics = frozenset()
ALL_TOPICS: Topics = frozenset(Topic)
#: What a snapshot changes: everything but the link status, chat and the kept directories.
SNAPSHOT_TOPICS: Topics = ALL_TOPICS - {
    Topic.LINK,
    Topic.CHAT,
    Topic.DIRECTORY,
    Topic.PROFILES,
    Topic.VOICEMAIL_SETTINGS,
    Topic.COMMENTS,
}
