"""Public contact lists endpoints (TWS-2.4.5/-6): every user's public lists, kept per owner.

Owns the three operations under ``/v1/directory/lists`` and the checks a published list must
pass. A list belongs to the account that published it: its id on the server is
``<owner user name>/<own id>``, and the path's ``{list_id}`` is always the caller's own id, so
nobody can replace or withdraw another user's list. The lists are in ``server.sqlite3``
(:meth:`~tws_tui.server.store.ServerStore.save_shared_list`), so they survive a restart; the
limits are the simulator's (:mod:`tws_tui.simulator.shared_lists`), so both backends refuse
the same lists. A refused list is a 400 ``invalid_request`` whose ``errors`` name the JSON
pointer of the culprit; nothing is stored then. Withdrawing a list that is not public is a
404 (the client takes it as done: the contract's ``withdraw`` does not fail then).
"""

from __future__ import annotations

from tws_tui.core.errors import N_, InvalidState, NotFound
from tws_tui.core.model import Contact, SharedList
from tws_tui.server.http import Ctx, Operation
from tws_tui.simulator.shared_lists import (
    FIELD_MAX_CHARS,
    MAX_CONTACTS,
    MAX_LISTS,
    NAME_MAX_CHARS,
)
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import WireError, decode, encode

#: Numbers and details of one contact card, at most.
MAX_NUMBERS = 20
MAX_DETAILS = 50
NUMBER_MAX_CHARS = 40
DETAIL_MAX_CHARS = 1000


def _check_contact(contact: Contact, pointer: str) -> None:
    if not contact.name.strip():
        raise WireError(f"{pointer}/name", "a contact needs a name")
    fields = {
        "id": contact.id,
        "source": contact.source,
        "name": contact.name,
        "company": contact.company,
        "department": contact.department,
        "email": contact.email,
        "device_id": contact.device_id,
    }
    for member, text in fields.items():
        if text is not None and len(text) > FIELD_MAX_CHARS:
            raise WireError(f"{pointer}/{member}", f"at most {FIELD_MAX_CHARS} characters")
    if len(contact.numbers) > MAX_NUMBERS:
        raise WireError(f"{pointer}/numbers", f"at most {MAX_NUMBERS} numbers")
    for index, (label, number) in enumerate(contact.numbers):
        if not number.strip():
            raise WireError(f"{pointer}/numbers/{index}/1", "a number cannot be empty")
        if len(label) > NUMBER_MAX_CHARS or len(number) > NUMBER_MAX_CHARS:
            raise WireError(
                f"{pointer}/numbers/{index}", f"label and number of {NUMBER_MAX_CHARS} at most"
            )
    if len(contact.details) > MAX_DETAILS:
        raise WireError(f"{pointer}/details", f"at most {MAX_DETAILS} details")
    for index, (kind, value) in enumerate(contact.details):
        if len(kind) > FIELD_MAX_CHARS or len(value) > DETAIL_MAX_CHARS:
            raise WireError(f"{pointer}/details/{index}", "this detail is too long")


def check_list(body: bodies.SharedListBody) -> str:
    """The list's name (trimmed) if it can be published; else a WireError (a 400 problem)."""
    name = body.name.strip()
    if not name or len(name) > NAME_MAX_CHARS:
        raise WireError("/name", f"a public list needs a name of 1 to {NAME_MAX_CHARS} characters")
    if len(body.contacts) > MAX_CONTACTS:
        raise WireError(
            "/contacts", f"at most {MAX_CONTACTS} contacts in a list, got {len(body.contacts)}"
        )
    for index, contact in enumerate(body.contacts):
        _check_contact(contact, f"/contacts/{index}")
    return name


async def shared_lists(ctx: Ctx) -> bodies.SharedListList:
    me = ctx.me.username
    return bodies.SharedListList(
        tuple(
            SharedList(
                f"{owner}/{list_id}",
                name,
                owner,
                tuple(decode(Contact, card) for card in cards),
                mine=owner == me,
            )
            for owner, list_id, name, cards in ctx.state.store.shared_lists()
        )
    )


async def publish_shared_list(ctx: Ctx) -> SharedList:
    body: bodies.SharedListBody = ctx.body
    name = check_list(body)
    me, list_id = ctx.me.username, ctx.params["list_id"]
    store = ctx.state.store
    mine = store.shared_list_ids(me)
    if list_id not in mine and len(mine) >= MAX_LISTS:
        raise InvalidState(
            N_("You already have {most} public lists: withdraw one first"), most=MAX_LISTS
        )
    store.save_shared_list(me, list_id, name, [encode(contact) for contact in body.contacts])
    return SharedList(f"{me}/{list_id}", name, me, body.contacts, mine=True)


async def withdraw_shared_list(ctx: Ctx) -> None:
    list_id = ctx.params["list_id"]
    if not ctx.state.store.delete_shared_list(ctx.me.username, list_id):
        raise NotFound(N_("You have no public list {list_id}"), list_id=list_id)


DATA = "Data"
OPERATIONS: tuple[Operation, ...] = (
    Operation(routes.SHARED_LISTS, shared_lists,
              "Every user's public contact lists (mine flagged), by owner", DATA,
              response=bodies.SharedListList),
    Operation(routes.PUBLISH_SHARED_LIST, publish_shared_list,
              "Publish or replace my public list {list_id} (my own id for it)", DATA,
              response=SharedList),
    Operation(routes.WITHDRAW_SHARED_LIST, withdraw_shared_list,
              "Withdraw my public list {list_id} (404 if it was not public)", DATA),
)  # fmt: skip
