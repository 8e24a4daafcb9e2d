"""My profiles on the server (issue 17): ``GET``/``PUT /v1/me/profiles``, one document per
user (the console's profiles.json), kept in the server's SQLite store so it survives a restart
and follows the user to any console. A document that is not a profile book (JSON that
:func:`tws_tui.settings.profiles_file.from_json` refuses) or is too long is refused with the
reason; a kept one is sent to every console of the user as a ``profiles.updated`` event."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tws_tui.core.events import ProfilesEvent
from tws_tui.server.http import Ctx, Operation
from tws_tui.settings.profiles_file import from_json
from tws_tui.wire import bodies, routes
from tws_tui.wire.codec import WireError

#: The longest document kept (dozens of profiles of dozens of rules fit).
MAX_DOCUMENT_CHARS = 256_000


async def get_profiles(ctx: Ctx) -> bodies.ProfilesBody:
    return bodies.ProfilesBody(ctx.state.store.profiles(ctx.me.username))


async def put_profiles(ctx: Ctx) -> bodies.ProfilesBody:
    body: bodies.ProfilesBody = ctx.body
    if len(body.document) > MAX_DOCUMENT_CHARS:
        raise WireError("/document", f"at most {MAX_DOCUMENT_CHARS} characters")
    try:
        from_json(json.loads(body.document))
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise WireError("/document", f"not a profiles document: {e}") from e
    ctx.state.store.save_profiles(ctx.me.username, body.document)
    ctx.state.hub.publish(
        ctx.me.username, ProfilesEvent(at=datetime.now(UTC), document=body.document)
    )
    return body


ME = "Features"
OPERATIONS: tuple[Operation, ...] = (
    Operation(
        routes.GET_PROFILES,
        get_profiles,
        'My profiles and forwarding rules (the console\'s document; "" if none)',
        ME,
        response=bodies.ProfilesBody,
    ),
    Operation(
        routes.PUT_PROFILES,
        put_profiles,
        "Keep my profiles; every console of mine gets profiles.updated",
        ME,
        command=True,
        response=bodies.ProfilesBody,
    ),
)
