"""Why the CTI server could not be reached, in a few words the operator can act on.

httpx words a failure in its own English ("All connection attempts failed"); the console shows
one of a few phrases instead, English msgids translated where they are shown: the kinds httpx
names itself (no answer in time, not an http(s) address), then the system's failure under it
(:func:`tws_tui.domain.format.failure_reason`: refused, unknown name, certificate, unreachable,
cut). :func:`link_reason` says the same of a broken event stream, for the status bar.
"""

from __future__ import annotations

import httpx

from tws_tui.core.errors import N_, BackendTimeout, MessageError
from tws_tui.domain.format import failure_reason
from tws_tui.wire.codec import WireError
from tws_tui.wire.problems import Unauthenticated

NO_ANSWER = N_("no answer in time")


class StreamEnded(Exception):
    """The server closed the stream (shutdown, or we lagged too far behind)."""


def connection_failure(error: BaseException) -> str:
    """The msgid of what went wrong reaching the server (``error`` is httpx's or the system's)."""
    if isinstance(error, httpx.TimeoutException):
        return NO_ANSWER
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return N_("not an http(s) address")
    return failure_reason(error) or N_("the connection failed")


def link_reason(error: BaseException) -> str:
    """Why the event stream broke or stopped, as a msgid (the status bar translates it)."""
    if isinstance(error, StreamEnded):
        return N_("the CTI server closed the event stream")
    if isinstance(error, WireError):
        return N_("the CTI server sent something unreadable")
    if isinstance(error, Unauthenticated):
        return N_("the CTI server signed this console out")
    if isinstance(error, BackendTimeout):
        return NO_ANSWER
    if isinstance(error, MessageError):
        why = error.params.get("why")
        if isinstance(why, str) and why:
            return why
        if not error.params:
            return error.msgid
    return connection_failure(error)
