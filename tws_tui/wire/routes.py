"""The route table of the CTI protocol v1, shared by the cti client and the reference server.

Owns every endpoint's method, path template, request body type and the capability it needs
(None: not gated). The client builds its URLs from it (:meth:`Route.url`, each path parameter
quoted as one segment) and gates a command on its route's capability
(:func:`tws_tui.backends.gating.check`); the server mounts its handlers on it
(:class:`tws_tui.server.http.Operation` takes a :class:`Route`), and the OpenAPI document is
written from that same table. A path changes here and nowhere else.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from tws_tui.core.model import Capability, FindMe, Forward
from tws_tui.wire import bodies

_PARAM = re.compile(r"{([a-z_]+)}")


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: ``method`` and ``path`` (a template with ``{name}`` parameters)."""

    method: str
    path: str
    body: type | None = None
    capability: Capability | None = None

    @property
    def params(self) -> tuple[str, ...]:
        """The names of the path parameters, in order."""
        return tuple(_PARAM.findall(self.path))

    def url(self, **params: str) -> str:
        """The path with ``params`` filled in, each quoted as one segment (no ``/`` escapes)."""
        if set(params) != set(self.params):
            raise TypeError(f"{self.method} {self.path} takes {self.params}, got {sorted(params)}")
        return self.path.format(**{name: quote(str(v), safe="") for name, v in params.items()})


class TransferStep(enum.StrEnum):
    """What can be done to an attended transfer once started (the last path segment)."""

    COMPLETE = "complete"
    CANCEL = "cancel"
    ALTERNATE = "alternate"
    CONFERENCE = "conference"


# ---- session, users, directory, history, chat ---------------------------------------------------

CREATE_TOKEN = Route("POST", "/v1/auth/token", body=bodies.TokenRequest)
REVOKE_TOKEN = Route("DELETE", "/v1/auth/token")
HEALTH = Route("GET", "/v1/health")
CAPABILITIES = Route("GET", "/v1/capabilities")
SNAPSHOT = Route("GET", "/v1/snapshot")
ME = Route("GET", "/v1/me")
SET_PRESENCE = Route(
    "PUT", "/v1/me/presence", body=bodies.PresenceBody, capability=Capability.PRESENCE_SET
)
SET_PRESENTED_NUMBER = Route(
    "PUT",
    "/v1/me/presented-number",
    body=bodies.PresentedNumberBody,
    capability=Capability.PRESENTED_NUMBER,
)
SET_DND = Route(
    "PUT", "/v1/users/{user_id}/dnd", body=bodies.EnabledBody, capability=Capability.DND
)
GET_FORWARDS = Route("GET", "/v1/users/{user_id}/forwards")
GET_PROFILES = Route("GET", "/v1/me/profiles", capability=Capability.PROFILES)
PUT_PROFILES = Route(
    "PUT", "/v1/me/profiles", body=bodies.ProfilesBody, capability=Capability.PROFILES
)
SET_FORWARD = Route(
    "PUT", "/v1/users/{user_id}/forwards/{kind}", body=Forward, capability=Capability.FORWARDING
)
SET_FIND_ME = Route(
    "PUT", "/v1/users/{user_id}/find-me", body=FindMe, capability=Capability.FIND_ME
)
LIST_DEVICES = Route("GET", "/v1/devices")
SEARCH_DIRECTORY = Route("GET", "/v1/directory/search", capability=Capability.DIRECTORY)
REVERSE_LOOKUP = Route("GET", "/v1/directory/reverse", capability=Capability.DIRECTORY)
SHARED_CONTACTS = Route("GET", "/v1/directory/contacts", capability=Capability.SHARED_CONTACTS)
ADD_CONTACT = Route(
    "POST",
    "/v1/directory/contacts",
    body=bodies.NewContactBody,
    capability=Capability.SHARED_CONTACTS,
)
UPDATE_CONTACT = Route(
    "PUT",
    "/v1/directory/contacts/{contact_id}",
    body=bodies.NewContactBody,
    capability=Capability.SHARED_CONTACTS,
)
DELETE_CONTACT = Route(
    "DELETE", "/v1/directory/contacts/{contact_id}", capability=Capability.SHARED_CONTACTS
)
HISTORY = Route("GET", "/v1/history", capability=Capability.HISTORY)
HISTORY_SEEN = Route("POST", "/v1/history/seen", capability=Capability.HISTORY)
HISTORY_CLEAR = Route("DELETE", "/v1/history", capability=Capability.HISTORY)
HISTORY_COMMENT = Route("PUT", "/v1/history/{entry_id}/comment", body=bodies.CommentBody)
HISTORY_STEPS = Route("GET", "/v1/history/{conversation_id}/steps", capability=Capability.HISTORY)
CHAT_SEND = Route("POST", "/v1/chat/messages", body=bodies.ChatSendBody, capability=Capability.CHAT)
CHAT_RECENT = Route("GET", "/v1/chat/messages", capability=Capability.CHAT)
CHAT_CONVERSATION = Route("GET", "/v1/chat/conversations/{peer}", capability=Capability.CHAT)
CHAT_GROUPS = Route("GET", "/v1/chat/groups")
CHAT_CREATE_GROUP = Route("POST", "/v1/chat/groups", body=bodies.ChatGroupBody)
CHAT_RENAME_GROUP = Route("PUT", "/v1/chat/groups/{group_id}/name", body=bodies.ChatGroupNameBody)
CHAT_ADD_MEMBERS = Route("POST", "/v1/chat/groups/{group_id}/members", body=bodies.ChatMembersBody)
CHAT_REMOVE_MEMBER = Route("DELETE", "/v1/chat/groups/{group_id}/members/{user_id}")
CHAT_LEAVE_GROUP = Route("POST", "/v1/chat/groups/{group_id}/leave")
CHAT_DELETE_GROUP = Route("DELETE", "/v1/chat/groups/{group_id}")
CHAT_MARK_READ = Route(
    "POST",
    "/v1/chat/conversations/{peer}/read",
    body=bodies.ChatReadBody,
    capability=Capability.CHAT,
)
CHAT_READS = Route("GET", "/v1/chat/conversations/{peer}/reads", capability=Capability.CHAT)
CHAT_EDIT = Route(
    "PUT", "/v1/chat/messages/{message_id}", body=bodies.ChatEditBody, capability=Capability.CHAT
)
CHAT_DELETE = Route("DELETE", "/v1/chat/messages/{message_id}", capability=Capability.CHAT)
CHAT_SEND_FILE = Route(
    "POST", "/v1/chat/files", body=bodies.ChatFileBody, capability=Capability.CHAT
)
CHAT_FILE = Route("GET", "/v1/chat/files/{file_id}", capability=Capability.CHAT)
CHAT_SEND_FILES = Route(
    "POST", "/v1/chat/file-messages", body=bodies.ChatFilesBody, capability=Capability.CHAT
)
SMS_SEND = Route("POST", "/v1/sms/messages", body=bodies.SmsSendBody, capability=Capability.CHAT)
SMS_RECENT = Route("GET", "/v1/sms/messages", capability=Capability.CHAT)
ASSIST_ASK = Route(
    "POST", "/v1/assist/requests", body=bodies.AssistAskBody, capability=Capability.CHAT
)
ASSIST_LIST = Route("GET", "/v1/assist/requests", capability=Capability.CHAT)
ASSIST_TAKE = Route("POST", "/v1/assist/requests/{request_id}/take", capability=Capability.CHAT)
ASSIST_CANCEL = Route("POST", "/v1/assist/requests/{request_id}/cancel", capability=Capability.CHAT)
BROADCAST_SEND = Route(
    "POST", "/v1/broadcasts", body=bodies.BroadcastBody, capability=Capability.CHAT
)
BROADCASTS = Route("GET", "/v1/broadcasts", capability=Capability.CHAT)
VOICEMAIL = Route("GET", "/v1/me/voicemail", capability=Capability.VOICEMAIL)
VOICEMAIL_MARK = Route(
    "PUT",
    "/v1/me/voicemail/{message_id}/heard",
    body=bodies.HeardBody,
    capability=Capability.VOICEMAIL_MANAGE,
)
VOICEMAIL_DELETE = Route(
    "DELETE", "/v1/me/voicemail/{message_id}", capability=Capability.VOICEMAIL_MANAGE
)
VOICEMAIL_AUDIO = Route(
    "GET", "/v1/me/voicemail/{message_id}/audio", capability=Capability.VOICEMAIL_AUDIO
)
VOICEMAIL_SETTINGS = Route(
    "GET", "/v1/me/voicemail/settings", capability=Capability.VOICEMAIL_SETTINGS
)
ADD_GREETING = Route(
    "POST",
    "/v1/me/voicemail/greetings",
    body=bodies.GreetingBody,
    capability=Capability.VOICEMAIL_SETTINGS,
)
ACTIVATE_GREETING = Route(
    "PUT",
    "/v1/me/voicemail/greetings/{greeting_id}/active",
    capability=Capability.VOICEMAIL_SETTINGS,
)
DELETE_GREETING = Route(
    "DELETE",
    "/v1/me/voicemail/greetings/{greeting_id}",
    capability=Capability.VOICEMAIL_SETTINGS,
)
GREETING_AUDIO = Route(
    "GET",
    "/v1/me/voicemail/greetings/{greeting_id}/audio",
    capability=Capability.VOICEMAIL_SETTINGS,
)
VOICEMAIL_PIN = Route(
    "PUT", "/v1/me/voicemail/pin", body=bodies.PinBody, capability=Capability.VOICEMAIL_SETTINGS
)
VOICEMAIL_EMAIL = Route(
    "PUT",
    "/v1/me/voicemail/email",
    body=bodies.EmailCopyBody,
    capability=Capability.VOICEMAIL_SETTINGS,
)
CALL_COMMENTS = Route(
    "GET",
    "/v1/conversations/{conversation_id}/comments",
    capability=Capability.SHARED_COMMENTS,
)
ADD_CALL_COMMENT = Route(
    "POST",
    "/v1/conversations/{conversation_id}/comments",
    body=bodies.CommentBody,
    capability=Capability.SHARED_COMMENTS,
)
EDIT_CALL_COMMENT = Route(
    "PUT",
    "/v1/comments/{comment_id}",
    body=bodies.CommentBody,
    capability=Capability.SHARED_COMMENTS,
)
DELETE_CALL_COMMENT = Route(
    "DELETE", "/v1/comments/{comment_id}", capability=Capability.SHARED_COMMENTS
)
RECENT_CALL_COMMENTS = Route("GET", "/v1/me/comments", capability=Capability.SHARED_COMMENTS)
AUDIT = Route("GET", "/v1/audit")

# ---- public contact lists -----------------------------------------------------------------------

SHARED_LISTS = Route("GET", "/v1/directory/lists", capability=Capability.SHARED_LISTS)
PUBLISH_SHARED_LIST = Route(
    "PUT",
    "/v1/directory/lists/{list_id}",
    body=bodies.SharedListBody,
    capability=Capability.SHARED_LISTS,
)
WITHDRAW_SHARED_LIST = Route(
    "DELETE", "/v1/directory/lists/{list_id}", capability=Capability.SHARED_LISTS
)

# ---- event stream -------------------------------------------------------------------------------

EVENTS = Route("GET", "/v1/events")

# ---- calls, transfers, switchboard --------------------------------------------------------------

LIST_CALLS = Route("GET", "/v1/calls")
MAKE_CALL = Route("POST", "/v1/calls", body=bodies.MakeCallBody, capability=Capability.MAKE_CALL)
GET_CALL = Route("GET", "/v1/calls/{call_id}")
HANGUP = Route("DELETE", "/v1/calls/{call_id}", capability=Capability.HANGUP)
ANSWER = Route("POST", "/v1/calls/{call_id}/answer", capability=Capability.ANSWER)
CLEAR_CALL = Route("POST", "/v1/calls/{call_id}/clear", capability=Capability.CLEAR_CALL)
DROP_PARTICIPANT = Route(
    "POST",
    "/v1/calls/{call_id}/drop-participant",
    body=bodies.PartyBody,
    capability=Capability.DROP_PARTICIPANT,
)
HOLD = Route("PUT", "/v1/calls/{call_id}/hold", capability=Capability.HOLD)
RETRIEVE = Route("DELETE", "/v1/calls/{call_id}/hold", capability=Capability.HOLD)
MUTE_ON = Route("PUT", "/v1/calls/{call_id}/mute", capability=Capability.MUTE)
MUTE_OFF = Route("DELETE", "/v1/calls/{call_id}/mute", capability=Capability.MUTE)
RECORDING_ON = Route("PUT", "/v1/calls/{call_id}/recording", capability=Capability.RECORD)
RECORDING_OFF = Route("DELETE", "/v1/calls/{call_id}/recording", capability=Capability.RECORD)
SEND_DTMF = Route(
    "POST", "/v1/calls/{call_id}/dtmf", body=bodies.DigitsBody, capability=Capability.DTMF
)
DEFLECT = Route(
    "POST",
    "/v1/calls/{call_id}/deflect",
    body=bodies.DestinationBody,
    capability=Capability.DEFLECT,
)
BLIND_TRANSFER = Route(
    "POST",
    "/v1/calls/{call_id}/blind-transfer",
    body=bodies.DestinationBody,
    capability=Capability.BLIND_TRANSFER,
)
PARK = Route("POST", "/v1/calls/{call_id}/park", body=bodies.ParkBody, capability=Capability.PARK)
PICKUP = Route("POST", "/v1/pickup", body=bodies.PickupBody, capability=Capability.PICKUP)
HANDS_FREE_ON = Route("PUT", "/v1/me/hands-free", capability=Capability.HANDS_FREE)
HANDS_FREE_OFF = Route("DELETE", "/v1/me/hands-free", capability=Capability.HANDS_FREE)
LIST_TRANSFERS = Route("GET", "/v1/transfers")
START_TRANSFER = Route(
    "POST", "/v1/transfers", body=bodies.TransferBody, capability=Capability.ATTENDED_TRANSFER
)
COMPLETE_TRANSFER = Route(
    "POST", "/v1/transfers/{transfer_id}/complete", capability=Capability.ATTENDED_TRANSFER
)
CANCEL_TRANSFER = Route(
    "POST", "/v1/transfers/{transfer_id}/cancel", capability=Capability.ATTENDED_TRANSFER
)
ALTERNATE = Route("POST", "/v1/transfers/{transfer_id}/alternate", capability=Capability.ALTERNATE)
CONFERENCE = Route(
    "POST", "/v1/transfers/{transfer_id}/conference", capability=Capability.CONFERENCE
)
LIST_QUEUES = Route("GET", "/v1/queues")
ANSWER_QUEUED = Route(
    "POST", "/v1/queues/{queue_id}/calls/{call_id}/answer", capability=Capability.QUEUES
)
SET_AGENT_STATE = Route("PUT", "/v1/me/agent", body=bodies.AgentBody, capability=Capability.AGENT)
LIST_CALL_FLOWS = Route("GET", "/v1/call-flows")
SET_CALL_FLOW = Route(
    "PUT", "/v1/call-flows/{flow_id}", body=bodies.CallFlowBody, capability=Capability.CALL_FLOWS
)
CREATE_QUEUE_RULE = Route(
    "POST",
    "/v1/queues/{queue_id}/rules",
    body=bodies.QueueRuleBody,
    capability=Capability.QUEUE_RULES,
)
UPDATE_QUEUE_RULE = Route(
    "PUT",
    "/v1/queues/{queue_id}/rules/{rule_id}",
    body=bodies.QueueRuleBody,
    capability=Capability.QUEUE_RULES,
)
DELETE_QUEUE_RULE = Route(
    "DELETE", "/v1/queues/{queue_id}/rules/{rule_id}", capability=Capability.QUEUE_RULES
)
LIST_PARKING = Route("GET", "/v1/parking")
RETRIEVE_PARKED = Route(
    "POST", "/v1/parking/{lot_id}/calls/{call_id}/retrieve", capability=Capability.PARK
)


#: The route of each step of an attended transfer.
TRANSFER_STEPS: Mapping[TransferStep, Route] = {
    TransferStep.COMPLETE: COMPLETE_TRANSFER,
    TransferStep.CANCEL: CANCEL_TRANSFER,
    TransferStep.ALTERNATE: ALTERNATE,
    TransferStep.CONFERENCE: CONFERENCE,
}
#: Every route, for checks (each method and path once).
ALL: tuple[Route, ...] = tuple(v for v in tuple(globals().values()) if isinstance(v, Route))
