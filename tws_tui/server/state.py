"""The reference server's settings and the objects one running application holds.

Owns :class:`ServerConfig` (every tunable, with the production defaults; tests shorten the
timers) and :class:`ServerState` (store, accounts, tokens, hub, idempotency keys, switchboard,
built from a config over a :class:`~.pbx.Pbx`).
"""

from __future__ import annotations

from pathlib import Path

from tws_tui.core.values import value_class
from tws_tui.server.accounts import Accounts
from tws_tui.server.hub import EventHub
from tws_tui.server.idempotency import IdempotencyStore
from tws_tui.server.pbx import Pbx
from tws_tui.server.store import ServerStore
from tws_tui.server.switchboard import Switchboard
from tws_tui.server.tokens import TokenService


@value_class
class ServerConfig:
    data_dir: Path
    seed: int = 0
    traffic: bool = False
    access_ttl_s: float = 900.0
    refresh_ttl_s: float = 30 * 86400.0
    ring_size: int = 2000
    stream_queue_max: int = 10000
    heartbeat_s: float = 15.0
    retry_ms: int = 2000
    max_body_bytes: int = 64 * 1024
    idempotency_ttl_s: float = 600.0


class ServerState:
    def __init__(self, config: ServerConfig, pbx: Pbx) -> None:
        self.config = config
        self.pbx = pbx
        self.store = ServerStore(config.data_dir)
        self.store.open()
        self.accounts = Accounts(self.store)
        self.tokens = TokenService(
            self.store, access_ttl_s=config.access_ttl_s, refresh_ttl_s=config.refresh_ttl_s
        )
        self.hub = EventHub(ring_size=config.ring_size, queue_max=config.stream_queue_max)
        self.idempotency = IdempotencyStore(config.idempotency_ttl_s)
        self.switchboard = Switchboard(pbx, self.store, self.accounts, self.hub)

    def start(self) -> None:
        self.switchboard.start()

    def stop(self) -> None:
        self.hub.end_all()
        self.switchboard.stop()
        self.store.close()
