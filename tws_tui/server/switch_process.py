"""The switch process of the scaled mode (``tws-tui serve --role switch``), leader or standby.

Owns :class:`SwitchProcess`: the one process that runs the phone system side (today the
simulator, :class:`~.pbx.Pbx`) with its switchboard (positions, ownership, persistence), and
talks to the API instances only through Redis — each user's events and snapshot published by
its :class:`~.stream_redis.StreamPublisher`, the commands run by its
:class:`~.switch_link.CommandRunner`. It serves no HTTP.

**One active, the others standing by.** :meth:`SwitchProcess.run_forever` first takes the
switch lock ``<prefix>:leader`` (redis-py's :class:`redis.asyncio.lock.Lock`: ``SET key token
NX PX ttl``, renewed by a script that checks the token): a process that does not get it stands
by and tries again every sixth of the lock's life; the leader renews it every third. A leader
killed (even ``kill -9``) stops renewing, the lock expires after ``leader_ttl_s`` and a standby
takes over. A leader that cannot renew (Redis out of reach longer than the lock's life, or the
lock taken) steps down at once and ends (:class:`SteppedDown`): its supervisor starts it again,
as a standby.

At start it takes a term (:func:`~.stream_redis.next_term`: its event ids are above every
earlier switch's), attaches every account's position and publishes every user's snapshot, so
that an API instance can open any user's stream at once. Taking over from an earlier switch,
it also puts a ``snapshot`` entry in every user's stream: the calls the streams showed are
resynchronised with what this switch has (a PBX connector reads the PBX's calls back; the
simulator of a killed switch took its calls with it), for live streams and for clients
resuming after an older id alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import time
from typing import Any

from tws_tui.core.model import Snapshot
from tws_tui.server.app import OPERATIONS
from tws_tui.server.pbx import Pbx
from tws_tui.server.state import ServerConfig, ServerState
from tws_tui.server.stream_redis import (
    Keys,
    StreamPublisher,
    end_reader,
    next_term,
    redis_client,
)
from tws_tui.server.switch_link import CommandRunner

log = logging.getLogger(__name__)
#: How often the leader checks that Redis still holds its term (a restart without persistence).
WATCH_S = 0.5


class SteppedDown(Exception):
    """This switch lost its lock: another may be active, so this one stopped."""


class SwitchProcess:
    def __init__(self, config: ServerConfig, pbx: Pbx | None = None) -> None:
        if not config.redis_url:
            raise ValueError("the switch process needs the Redis URL of the scaled mode")
        self.config = config
        self.pbx = pbx or Pbx(seed=config.seed, traffic=config.traffic)
        self.keys = Keys(config.redis_prefix)
        self.name = f"switch-{os.getpid()}-{secrets.token_hex(4)}"
        self.state: ServerState | None = None
        self.publisher: StreamPublisher | None = None
        self._task: asyncio.Task[None] | None = None
        self._runner: CommandRunner | None = None
        self._watch: asyncio.Task[None] | None = None
        # Set by request_stop (SIGTERM, Ctrl+C) and stop(): every loop of this process checks
        # it, since redis-py can lose a task's cancellation (redis/redis-py#2028, #2551).
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        """Take a term, start the switch, publish every user's state, take commands."""
        redis = redis_client(self.config.redis_url)
        earlier = await redis.exists(self.keys.term)
        term = await next_term(redis, self.keys)
        publisher = StreamPublisher(redis, self.keys, term, ring_size=self.config.ring_size)
        state = ServerState(self.config, self.pbx, hub=publisher)
        self.state, self.publisher = state, publisher
        publisher.snapshot_of = self._snapshot_of
        state.start()
        self.pbx.start()
        now = self.pbx.clock.now()
        for account in state.accounts.all():
            if earlier:  # after another switch: every stream resynchronised, in order
                publisher.resync(account.username, now)
            else:
                publisher.changed(account.username)
        await publisher.flushed(snapshots=True)
        operations = {op.operation_id: op for op in OPERATIONS}
        runner = CommandRunner(state, publisher, operations, consumer=self.name)
        await runner.prepare()
        self._runner = runner
        self._task = asyncio.get_running_loop().create_task(runner.run())
        self._watch = asyncio.get_running_loop().create_task(self._watch_redis(runner))

    async def _watch_redis(self, runner: CommandRunner) -> None:
        """Every ``WATCH_S``: whether Redis still holds this switch's term. A Redis restarted
        without persistence has lost every stream, snapshot and the command group: the
        switch goes on under a new term and puts every user's snapshot first in it (so a
        client's id, from the lost streams, gets that snapshot), and makes the group again."""
        from redis.exceptions import RedisError

        assert self.publisher is not None and self.state is not None
        publisher, state = self.publisher, self.state
        while not self._stopping.is_set():
            await asyncio.sleep(WATCH_S)
            try:
                if await publisher.redis.exists(self.keys.term):
                    continue
                term = await next_term(publisher.redis, self.keys)
                publisher.new_term(term)
                now = self.pbx.clock.now()
                for account in state.accounts.all():
                    publisher.resync(account.username, now)
                await publisher.flushed(snapshots=True)
                await runner.prepare()
            except (RedisError, OSError) as error:
                log.debug("Redis out of reach while checking the term: %s", error)
                continue
            log.warning(
                "Redis lost the scaled mode's streams (restarted without persistence?): "
                "every user's state republished under the new term %s",
                term,
            )

    def _snapshot_of(self, username: str) -> Snapshot | None:
        state = self.state
        if state is None:
            return None
        account = state.accounts.get(username)
        return None if account is None else state.switchboard.snapshot(account)

    def request_stop(self) -> None:
        """End :meth:`run_forever` at its next turn (a signal handler calls it)."""
        self._stopping.set()

    async def _stop_requested_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
        return self._stopping.is_set()

    async def stop(self) -> None:
        self._stopping.set()
        if self._watch is not None:
            await end_reader(self._watch, WATCH_S + 1)
            self._watch = None
        if self._task is not None and self._runner is not None:
            self._runner.stopping = True
            await end_reader(self._task, self._runner.block_ms / 1000 + 1)
            self._task = None
        if self.publisher is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.publisher.flushed(snapshots=True), 2)
            self.publisher.stop()
        if self.state is not None:
            self.state.stop()
        self.pbx.stop()
        if self.publisher is not None:
            with contextlib.suppress(Exception):
                await self.publisher.redis.aclose()

    async def run_forever(self) -> None:
        """Stand by until this process holds the switch lock, then lead until
        :meth:`request_stop` or cancelled; :class:`SteppedDown` when the lock is lost."""
        from redis.asyncio.lock import Lock
        from redis.exceptions import LockError, RedisError

        ttl = self.config.leader_ttl_s
        redis = redis_client(self.config.redis_url)
        lock = Lock(redis, self.keys.leader, timeout=ttl, blocking=False, thread_local=False)
        try:
            await redis.ping()  # out of reach at start: said at once (later: retried)
            if not await self._try(lock):
                log.info("%s stands by: another switch leads", self.name)
                while not await self._try(lock):
                    if await self._stop_requested_within(ttl / 6):
                        return
            log.info("%s leads the switch", self.name)
            renewed = time.monotonic()
            await self.start()
            while not await self._stop_requested_within(ttl / 3):
                try:
                    await lock.reacquire()
                    renewed = time.monotonic()
                except LockError:
                    raise SteppedDown(f"{self.name} lost the switch lock") from None
                except (RedisError, OSError) as error:
                    if time.monotonic() - renewed >= ttl:
                        raise SteppedDown(f"{self.name} cannot renew its lock: {error}") from None
        finally:
            await self.stop()
            with contextlib.suppress(Exception):
                await lock.release()
            with contextlib.suppress(Exception):
                await redis.aclose()

    async def _try(self, lock: Any) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(await lock.acquire(blocking=False, token=self.name))
        except (RedisError, OSError) as error:
            log.warning("cannot reach Redis for the switch lock (%s): retrying", error)
            return False
