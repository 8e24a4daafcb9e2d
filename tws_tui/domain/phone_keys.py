"""The keys of the console's virtual phone (Webpilot §13, "Configuration des touches").

One ordered local list, ``[contacts] keys``, shared by every backend (WPL-13.1-1): each key
supervises a colleague's line (``supervision``), dials a number (``shortcut``) or watches a
queue (``queue``). This module owns the list — reading it from the settings (the older
``[contacts] supervised`` device ids still count, as supervision keys after the others),
checking one entry from a settings file, writing it back — and turns it into the tiles of the
supervision grid (:func:`tiles`), in the order of WPL-13.1-5: queues first (in key order),
then the supervised colleagues by name (``[contacts] name_sort``; the colleagues of supervised
contact lists join them), then the shortcuts in key order. A supervision or queue tile shows
the name the phone system gives (WPL-13.1-4: the key's label is not used); a shortcut shows
its label, else its number.

A target is matched leniently, for hand-written settings: a colleague by device id or by
extension, a queue by id, number or name (case ignored). What the phone system does not know
(yet) gets no tile; the key configuration screen says so. No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tws_tui.core.model import DeviceId, MonitoredDevice, Queue, QueueId
from tws_tui.core.values import value_class
from tws_tui.domain.text import name_key
from tws_tui.platform.i18n import N_

SUPERVISION = "supervision"
SHORTCUT = "shortcut"
QUEUE = "queue"
KINDS = (SUPERVISION, SHORTCUT, QUEUE)
KIND_WORD = {
    SUPERVISION: N_("Supervision"),
    SHORTCUT: N_("Shortcut"),
    QUEUE: N_("Queue"),
}
FIELDS = ("kind", "target", "label")
LABEL_MAX = 40  # a label longer than this is cut


@value_class
class PhoneKey:
    """One key: its kind, what it points at (device id or extension, number, queue id) and a
    label (used by shortcuts only: the others show the phone system's name, WPL-13.1-4)."""

    kind: str
    target: str
    label: str = ""

    def to_toml(self) -> dict[str, str]:
        table = {"kind": self.kind, "target": self.target}
        if self.label:
            table["label"] = self.label
        return table


def keys_of(settings: Any) -> tuple[PhoneKey, ...]:
    """The key list of ``[contacts]`` settings: ``keys``, then each device of the older
    ``supervised`` that no supervision key holds yet (nothing of an older config is lost)."""
    keys: tuple[PhoneKey, ...] = tuple(settings.keys)
    held = {key.target for key in keys if key.kind == SUPERVISION}
    extra = tuple(PhoneKey(SUPERVISION, d) for d in settings.supervised if d not in held)
    return keys + extra


def find_device(target: str, devices: Mapping[DeviceId, MonitoredDevice]) -> MonitoredDevice | None:
    """The colleague a supervision key points at: by device id, else by extension."""
    device = devices.get(DeviceId(target))
    if device is not None:
        return device
    return next((d for d in devices.values() if d.extension == target), None)


def find_queue(target: str, queues: Mapping[QueueId, Queue]) -> Queue | None:
    """The queue a queue key points at: by id, else by number, else by name."""
    queue = queues.get(QueueId(target))
    if queue is not None:
        return queue
    folded = target.casefold()
    return next(
        (q for q in queues.values() if q.number == target or q.name.casefold() == folded), None
    )


def supervises(keys: Iterable[PhoneKey], device: MonitoredDevice) -> bool:
    """Whether a supervision key points at ``device`` (by id or extension)."""
    return any(
        key.kind == SUPERVISION and key.target in (device.device_id, device.extension)
        for key in keys
    )


def without_device(keys: Iterable[PhoneKey], device: MonitoredDevice) -> tuple[PhoneKey, ...]:
    return tuple(
        key
        for key in keys
        if not (key.kind == SUPERVISION and key.target in (device.device_id, device.extension))
    )


@value_class
class Tile:
    """One tile of the supervision grid: a colleague (``device``), a queue (``queue``) or a
    shortcut (``label`` and ``number``)."""

    kind: str
    device: MonitoredDevice | None = None
    queue: Queue | None = None
    label: str = ""
    number: str = ""

    @property
    def name(self) -> str:
        if self.device is not None:
            return self.device.name
        if self.queue is not None:
            return self.queue.name
        return self.label or self.number

    @property
    def dial(self) -> str:
        """What calling the tile dials ("" when nothing)."""
        if self.device is not None:
            return self.device.extension or ""
        if self.queue is not None:
            return self.queue.number or ""
        return self.number


def tiles(
    keys: Sequence[PhoneKey],
    devices: Mapping[DeviceId, MonitoredDevice],
    queues: Mapping[QueueId, Queue],
    *,
    also_supervised: Iterable[str] = (),
    name_sort: str = "first",
) -> list[Tile]:
    """The grid: queues in key order, colleagues by name, shortcuts in key order (WPL-13.1-5).

    ``also_supervised``: device ids of the colleagues of supervised contact lists."""
    queue_tiles: dict[QueueId, Tile] = {}
    colleagues: dict[DeviceId, MonitoredDevice] = {}
    shortcuts: list[Tile] = []
    for key in keys:
        if key.kind == QUEUE:
            queue = find_queue(key.target, queues)
            if queue is not None and queue.id not in queue_tiles:
                queue_tiles[queue.id] = Tile(QUEUE, queue=queue)
        elif key.kind == SUPERVISION:
            device = find_device(key.target, devices)
            if device is not None:
                colleagues[device.device_id] = device
        elif key.kind == SHORTCUT:
            shortcuts.append(Tile(SHORTCUT, label=key.label, number=key.target))
    for device_id in also_supervised:
        device = devices.get(DeviceId(device_id))
        if device is not None:
            colleagues[device.device_id] = device
    by_name = sorted(colleagues.values(), key=lambda d: name_key(d.name, name_sort))
    return [
        *queue_tiles.values(),
        *(Tile(SUPERVISION, device=device) for device in by_name),
        *shortcuts,
    ]
