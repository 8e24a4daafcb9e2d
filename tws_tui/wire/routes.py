"""The route table of the CTI protocol v1, shared by the cti client and the reference server.

Owns every endpoint's method, path template, request body type and the capability it needs
(None: always there). The client builds its URLs from it (:meth:`Route.url`, each path
parameter quoted as one segment); the server mounts its handlers on it
(:class:`tws_tui.server.http.Operation` takes a :class:`Route`), and the OpenAPI document is
written from the same table. A path changes here and nowhere else.
"""

from __future__ import annotations

import enum


class TransferStep(enum.StrEnum):
    """What can be done to an attended transfer once started (the last path segment)."""

    COMPLETE = "complete"
    CANCEL = "cancel"
    ALTERNATE = "alternate"
    CONFERENCE = "conference"
