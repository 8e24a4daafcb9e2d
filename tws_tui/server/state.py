"""The reference server's settings and the objects one running application holds.

Owns :class:`ServerConfig` (every tunable, with the production defaults; tests shorten the
timers; the scaled mode's Redis URL and role) and :class:`ServerState` (store, accounts,
tokens, hub, idempotency keys, switchboard, built from a config over a :class:`~.pbx.Pbx` —
none on an API instance of the scaled mode, whose hub reads Redis; the store is the data
directory's SQLite file, or PostgreSQL when ``database`` is set, and then idempotency keys and
sign-in failures live in the database too, shared by the instances), and keeping the accounts
in step with the store: the ``tws-tui serve`` account commands (or another instance) write it
from another process, so before each authenticated request, and every ``accounts_poll_s`` in
the background, :meth:`ServerState.sync_accounts` looks whether someone else changed accounts
or sessions (the store's ``data_version``: SQLite's pragma, PostgreSQL's revision counter, one
cheap read); if so it reloads the accounts and the live sessions and ends the event streams of
the sessions that were closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from tws_tui.core.clock import Clock, SystemClock
from tws_tui.core.errors import CallControlError
from tws_tui.core.values import value_class
from tws_tui.domain.attachments import MAX_ATTACHMENT_BYTES
from tws_tui.server.accounts import SCRYPT_N, Accounts
from tws_tui.server.heap import DEFAULT_SWEEP_S, HeapFreezer
from tws_tui.server.hub import EventHub
from tws_tui.server.idempotency import IdempotencyStore
from tws_tui.server.pbx import Pbx
from tws_tui.server.pg_shared import PgIdempotencyKeys, PgSignInThrottle
from tws_tui.server.pg_store import PgStore
from tws_tui.server.roles import DEFAULT_FORWARD_DESTINATIONS
from tws_tui.server.storage import IdempotencyKeys, SignInCounter, open_storage
from tws_tui.server.switchboard import DEFAULT_CONTACTS_QUOTA, Switchboard
from tws_tui.server.throttle import SignInThrottle
from tws_tui.server.tokens import TokenService

log = logging.getLogger(__name__)


@value_class
class ServerConfig:
    data_dir: Path
    database: str = ""  # a postgresql:// URL: the scaled mode's store; "" = SQLite in data_dir
    pool_size: int = 4  # PostgreSQL connections per instance
    seed: int = 0
    traffic: bool = False
    access_ttl_s: float = 900.0
    refresh_ttl_s: float = 30 * 86400.0
    ring_size: int = 2000
    stream_queue_max: int = 10000
    heartbeat_s: float = 15.0
    retry_ms: int = 2000
    max_body_bytes: int = 64 * 1024
    chat_file_max_bytes: int = MAX_ATTACHMENT_BYTES  # a file sent in chat (server.toml [chat])
    idempotency_ttl_s: float = 600.0
    accounts_poll_s: float = 0.5  # open streams of closed sessions end within this
    forward_destinations: tuple[str, ...] = DEFAULT_FORWARD_DESTINATIONS
    signin_account_limit: int = 5  # failed passwords per account per window, then 429
    signin_address_limit: int = 30  # failed passwords per client address per window
    signin_window_s: float = 300.0
    max_sessions: int = 20  # per user; signing in past it closes the oldest
    scrypt_n: int = SCRYPT_N  # password hashing cost (tests lower it)
    hashing_at_once: int = 2  # password hashes computed at the same time (128 MiB each)
    contacts_quota: int = DEFAULT_CONTACTS_QUOTA  # shared contacts per user
    # Scaled mode (docs/scaled-mode.md): with a Redis URL, the events go through Redis Streams
    # and ``role`` says which side this process is: "switch" (the phone system, publishing
    # events and running commands), "api" (HTTP and SSE, no switch state) or "all" (one
    # process, today's embedded server: Redis is not used).
    redis_url: str = ""
    redis_prefix: str = "tws"
    role: str = "all"
    command_timeout_s: float = 10.0  # an API instance's wait for the switch's answer
    leader_ttl_s: float = 3.0  # the switch lock's life: a standby takes over after it
    # Garbage collection (server/heap.py): full collections see every object at least this
    # often (s); in between, the survivors of the last one are frozen. 0 = Python's default.
    heap_sweep_s: float = DEFAULT_SWEEP_S


class ServerState:
    """One process's server objects. ``pbx`` is None on an API instance of the scaled mode,
    which holds no switch state (its commands and events go through Redis); ``hub`` replaces
    the in-memory :class:`EventHub` there and on the switch (:mod:`.stream_redis`)."""

    def __init__(self, config: ServerConfig, pbx: Pbx | None, hub: EventHub | None = None) -> None:
        self.config = config
        self._pbx = pbx
        self.clock: Clock = pbx.clock if pbx is not None else SystemClock()
        self.store = open_storage(config.data_dir, config.database, config.pool_size)
        if pbx is not None:
            # Call and history ids of this start differ from every earlier start's (r3-c1).
            pbx.switch.id_run = f"r{self.store.next_run()}-"
        self.accounts = Accounts(self.store, scrypt_n=config.scrypt_n)
        self.hashing = asyncio.Semaphore(config.hashing_at_once)
        self.tokens = TokenService(
            self.store,
            access_ttl_s=config.access_ttl_s,
            refresh_ttl_s=config.refresh_ttl_s,
            max_sessions=config.max_sessions,
        )
        self.throttle: SignInCounter
        self.idempotency: IdempotencyKeys
        if isinstance(self.store, PgStore):  # shared by the instances: in the database
            self.throttle = PgSignInThrottle(
                self.store,
                account_limit=config.signin_account_limit,
                address_limit=config.signin_address_limit,
                window_s=config.signin_window_s,
                now=self.tokens.now,
            )
            self.idempotency = PgIdempotencyKeys(self.store, config.idempotency_ttl_s)
        else:
            self.throttle = SignInThrottle(
                account_limit=config.signin_account_limit,
                address_limit=config.signin_address_limit,
                window_s=config.signin_window_s,
                now=self.tokens.now,
            )
            self.idempotency = IdempotencyStore(config.idempotency_ttl_s)
        self.hub = hub or EventHub(ring_size=config.ring_size, queue_max=config.stream_queue_max)
        self._switchboard: Switchboard | None = None
        if pbx is not None:
            self._switchboard = Switchboard(pbx, self.store, self.accounts, self.hub)
            self._switchboard.contacts_quota = config.contacts_quota
        #: Scaled mode, an API instance: how a signing-in account's position is attached on the
        #: switch process (:meth:`tws_tui.server.switch_link.SwitchLink.attach`).
        self.attach_remote: Callable[[str, str], Awaitable[None]] | None = None
        self._data_version = self.store.data_version()
        self._poll: asyncio.Task[None] | None = None
        self._heap: HeapFreezer | None = None

    @property
    def has_switch(self) -> bool:
        return self._switchboard is not None

    @property
    def pbx(self) -> Pbx:
        if self._pbx is None:
            raise RuntimeError("an API instance has no switch: its commands go through Redis")
        return self._pbx

    @property
    def switchboard(self) -> Switchboard:
        if self._switchboard is None:
            raise RuntimeError("an API instance has no switch: its commands go through Redis")
        return self._switchboard

    def sync_accounts(self) -> None:
        """Take account and session changes made by another process into account now."""
        version = self.store.data_version()
        if version == self._data_version:
            return
        self._data_version = version
        self.accounts.reload()
        self.close_sessions(self.tokens.resync())

    def close_sessions(self, session_ids: set[str]) -> None:
        """Forget these sessions and end their event streams."""
        for session_id in session_ids:
            self.tokens.revoke(session_id)
        self.hub.end_sessions(session_ids)

    async def _poll_accounts(self) -> None:
        while True:
            await asyncio.sleep(self.config.accounts_poll_s)
            try:
                self.sync_accounts()
            except CallControlError as error:  # the database is unusable: say so, keep trying
                log.warning("cannot check the accounts: %s", error)

    def start(self) -> None:
        if self._switchboard is not None:
            self._switchboard.start()
        with contextlib.suppress(RuntimeError):  # no running loop: nothing polls
            self._poll = asyncio.get_running_loop().create_task(self._poll_accounts())
            if self.config.heap_sweep_s > 0:
                self._heap = HeapFreezer(self.config.heap_sweep_s)
                self._heap.start()

    def stop(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None
        if self._heap is not None:
            self._heap.stop()
            self._heap = None
        self.hub.end_all()
        if self._switchboard is not None:
            self._switchboard.stop()
        self.store.close()
