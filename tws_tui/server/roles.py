"""Who may do what on the reference server, and the audit log of privileged actions.

Owns the role policy the protocol documents (docs/cti-protocol.md, *Roles*): an operator acts on
their own device, calls, transfers, presence, DND and forwards, takes calls from any queue or
parking lot, adds shared contacts and changes or deletes those they added; a **supervisor** may
also force call flows to day or night, create, change and delete queue forwarding rules, change
other users' DND and forwards, change or delete anyone's shared contact, delete anyone's comment
shared on a call (an operator deletes their own) and read the audit log.
An operation marked ``supervisor`` answers ``403 forbidden`` (a translatable problem) to an
operator.

Forwarding destinations (queue rules and users' forwards) must match one of the server's
``forward_destinations`` patterns (regular expressions on the normalised number; by default
internal extensions and French numbers that are not premium-rate ``+338…``), else ``403``.

Every successful privileged operation (``audited``) is written to the audit log in
``server.sqlite3``: when, who, which operation, its target (the path) and its body.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from tws_tui.core.errors import N_, PermissionDenied
from tws_tui.server.accounts import Account, Role
from tws_tui.server.storage import ServerStorage
from tws_tui.simulator.base import normalize_number
from tws_tui.wire.bodies import AuditEntry

#: Internal extensions, and French numbers except premium-rate ones (+338…).
DEFAULT_FORWARD_DESTINATIONS: tuple[str, ...] = (r"[0-9]{2,8}", r"\+33[1-79][0-9]{8}")
#: How much of a request body the audit log keeps.
AUDIT_DETAIL_CHARS = 500


def require_supervisor(account: Account) -> None:
    if account.role is not Role.SUPERVISOR:
        raise PermissionDenied(N_("This needs a supervisor account"))


def may_delete_comment(account: Account, author: str) -> None:
    """A shared comment is deleted by its author or by a supervisor (for everyone)."""
    if account.username != author and account.role is not Role.SUPERVISOR:
        raise PermissionDenied(N_("Only its author or a supervisor can delete a comment."))


def check_destination(patterns: Sequence[str], destination: str) -> None:
    """``PermissionDenied`` unless ``destination`` (normalised) matches one of ``patterns``."""
    number = normalize_number(destination)
    if not any(re.fullmatch(pattern, number) for pattern in patterns):
        raise PermissionDenied(
            N_("Forwarding to {number} is not allowed on this server"), number=number
        )


def audit(store: ServerStorage, account: Account, action: str, target: str, body: bytes) -> None:
    detail = body.decode("utf-8", "replace")[:AUDIT_DETAIL_CHARS]
    store.add_audit(time.time(), account.username, action, target, detail)


def audit_entries(store: ServerStorage, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    return [
        AuditEntry(datetime.fromtimestamp(at, UTC), username, action, target, detail)
        for at, username, action, target, detail in store.audit(limit)
    ]
