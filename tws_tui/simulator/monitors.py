"""What each monitored device was shown, and the views all monitors share in one flush.

Owns:

* :class:`View`: one monitored device's callbacks, the versioned objects it was last sent (the
  diff base for its events) and, for each of them, the unversioned view it was made from;
* :class:`SharedViews`: the queue, call flow, parking lot and device views of one *build* (one
  per flush, and one per snapshot), computed once for every monitor instead of once per
  monitor — only a queue's ``member`` flag depends on the device looking — and stamped with
  one time;
* :class:`Latest`: the latest unversioned view of each shared object, whose *identity* is kept
  while it stays equal from one build to the next, and the build in which it last changed.

Why: the flush used to rebuild every view for every monitor and compare each with what that
monitor had been sent, blanking both versions with ``dataclasses.replace`` — about 1.2 ms per
monitor per change, which saturated the reference server with ten operators. Now each shared
view is built and compared once per build; a monitor skips the call flows, lots and devices
that did not change since the last build it compared them all at, recognises an unchanged
queue by identity (``is``), and compares by value only what did change (it may have seen it
change and change back). The events, their order and their versions are those of the full
diff: ``tests/test_simulator_monitors.py`` holds the two side by side.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import field, replace
from datetime import datetime
from typing import Any

from tws_tui.core.events import Event
from tws_tui.core.model import (
    Call,
    CallFlow,
    CallId,
    DeviceId,
    FlowId,
    LotId,
    MonitoredDevice,
    OperatorState,
    ParkingLot,
    Queue,
    QueueId,
    Transfer,
    TransferId,
)
from tws_tui.core.values import record_class

#: What a view's object is: its kind and id, e.g. ``("device", "dev-104")``.
Key = tuple[str, str]
Callback = Callable[[Event], None]
#: The call flows, parking lots and devices a monitor must compare (see ``changed_after``).
Changed = tuple[list[CallFlow], list[ParkingLot], list[MonitoredDevice]]


@record_class
class View:
    """What one monitored device last saw, with versions; the diff base for events."""

    callbacks: list[Callback] = field(default_factory=list)
    calls: dict[CallId, Call] = field(default_factory=dict)
    transfers: dict[TransferId, Transfer] = field(default_factory=dict)
    queues: dict[QueueId, Queue] = field(default_factory=dict)
    flows: dict[FlowId, CallFlow] = field(default_factory=dict)
    lots: dict[LotId, ParkingLot] = field(default_factory=dict)
    devices: dict[DeviceId, MonitoredDevice] = field(default_factory=dict)
    me: OperatorState | None = None
    # The unversioned view each object above was made from (version 0), by key.
    sources: dict[Key, Any] = field(default_factory=dict)
    # The last build whose shared views were all compared (0: none yet).
    synced: int = 0

    def shows(self, key: Key, fresh: Any) -> bool:
        """Whether the device was last shown ``fresh`` (versions aside)."""
        source = self.sources.get(key)
        if source is fresh:
            return True
        if source is not None and source == fresh:
            self.sources[key] = fresh  # the same by identity next time
            return True
        return False


#: A shared view and the build (see :class:`Latest`) in which it last changed.
Stamped = tuple[Any, int]


class Latest:
    """The latest unversioned view of each shared object, the same object while it is equal,
    with the serial of the build (one per flush, or per snapshot) in which it last changed."""

    def __init__(self) -> None:
        self._views: dict[Key, Stamped] = {}
        self._builds = itertools.count(1)

    def intern(self, key: Key, fresh: Any, build: int) -> Stamped:
        old = self._views.get(key)
        if old is not None and old[0] == fresh:
            return old
        stamped = self._views[key] = (fresh, build)
        return stamped

    def share(
        self,
        at: datetime,
        queues: list[Queue],
        flows: list[CallFlow],
        lots: list[ParkingLot],
        devices: list[MonitoredDevice],
    ) -> SharedViews:
        """The views of one build, fresh from :mod:`~tws_tui.simulator.views`, interned."""
        build = next(self._builds)
        return SharedViews(
            at,
            build,
            self,
            queues=[self.intern(("queue", q.id), q, build)[0] for q in queues],
            flows=[self.intern(("flow", f.id), f, build) for f in flows],
            lots=[self.intern(("lot", lot.lot_id), lot, build) for lot in lots],
            devices=[self.intern(("device", d.device_id), d, build) for d in devices],
        )


class SharedViews:
    """The views of one build that every monitor sees alike, in the switch's table order."""

    def __init__(
        self,
        at: datetime,
        build: int,
        latest: Latest,
        queues: list[Queue],
        flows: list[Stamped],
        lots: list[Stamped],
        devices: list[Stamped],
    ) -> None:
        self.at = at
        self.build = build
        self.queues = queues  # as seen by a device that is not a member
        self._latest = latest
        self._tables = (flows, lots, devices)
        self._as_member: dict[QueueId, Queue] = {}
        self._changed: dict[int, Changed] = {}

    def queue_as_member(self, queue: Queue) -> Queue:
        """``queue`` as a member sees it (its ``member`` flag set), once per build."""
        seen = self._as_member.get(queue.id)
        if seen is None:
            fresh = replace(queue, member=True)
            stamped = self._latest.intern(("member", queue.id), fresh, self.build)
            seen = self._as_member[queue.id] = stamped[0]
        return seen

    def changed_after(self, build: int) -> Changed:
        """The call flows, parking lots and devices whose view changed after ``build``.

        A monitor that compared every shared view at ``build`` holds each unchanged one since
        (by identity), so it need look at these only. Queues are not in it: whether the monitor
        is a member changes what it sees of them."""
        changed = self._changed.get(build)
        if changed is None:
            flows, lots, devices = (
                [view for view, since in table if since > build] for table in self._tables
            )
            changed = self._changed[build] = (flows, lots, devices)
        return changed
