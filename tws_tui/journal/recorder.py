"""``JournalRecorder``: follows the operator's calls through the event stream, journals each end.

Owns the rules that turn events into journal lines (one :class:`HistoryEntry` per connection of
the operator, written when the connection is cleared):

* **first sight**: a ``CallEvent`` (or a ``SnapshotEvent`` entry) of an unknown connection starts
  following it. It is *originated by me* when its direction is ``outbound``, it is a
  consultation (``consult_of``), it is first seen ``initiated`` / ``fail`` / with ringback, or
  the event is ``service_initiated`` / ``originated`` / ``network_reached``. An internal call I
  dial keeps direction ``internal``: originating is a separate fact.
* **answered**: ``Call.answered_at`` when the backend sets it; otherwise the first time the
  connection is live (connected/held) for an incoming call, or live with the far end live too
  (not ringback, not queued) for a call I originated.
* **end** (state ``null``): outcome TRANSFERRED when the connection left through a transfer I
  did (event ``transferred``, or a ``completed`` ``TransferEvent`` for it not followed by a live
  event, as a conference is) or through my deflection (``diverted`` with cause ``redirected``);
  a consultation call is always journaled as outgoing (OUTGOING, or FAILED if it was dropped
  before the far end answered and not handed over); otherwise OUTGOING/FAILED for calls I
  originated, ANSWERED/MISSED for the others. ``ended_at`` is the event's time, the duration
  runs from answer to end.
* a ``SnapshotEvent`` is authoritative: a followed connection missing from it ended while the
  link was down and is journaled with the snapshot's time.
* late or duplicated events are dropped by version, as :class:`~tws_tui.core.state.ConsoleState`
  does (a cleared connection leaves a tombstone with its last version).
* the journal id is ``conversation_id or call_id`` (:func:`journal_id`), so a comment typed during
  the call (:meth:`JournalRecorder.comment`) is found with the entry afterwards.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from datetime import datetime

from tws_tui.core.clock import Clock
from tws_tui.core.events import CallEvent, CallEventKind, Event, SnapshotEvent, TransferEvent
from tws_tui.core.model import (
    Call,
    CallId,
    Cause,
    ConnectionState,
    Direction,
    HistoryEntry,
    Outcome,
    Party,
    Snapshot,
    Transfer,
    TransferId,
    TransferStatus,
)
from tws_tui.core.values import record_class
from tws_tui.journal.store import CallJournal

_LIVE = frozenset({ConnectionState.CONNECTED, ConnectionState.HOLD})
_ORIGINATING = frozenset(
    {
        CallEventKind.SERVICE_INITIATED,
        CallEventKind.ORIGINATED,
        CallEventKind.NETWORK_REACHED,
    }
)
_FINAL_TRANSFER = frozenset(
    {TransferStatus.COMPLETED, TransferStatus.CANCELLED, TransferStatus.FAILED}
)
_TOMBSTONES = 2000  # cleared connections remembered (to drop their late events)
_RECENT_ENDED = 200  # journaled connections a late "transfer completed" may still rewrite


def journal_id(call: Call) -> str:
    """The id under which ``call`` is journaled and its comments are kept."""
    return call.conversation_id or call.call_id


@record_class
class _Track:
    """What the recorder knows of one followed connection."""

    key: str
    first: Call
    last: Call
    originated: bool
    remote: Party
    answered_at: datetime | None = None
    transferred_to: str | None = None  # set by a transfer I did (or my deflection)
    transfer_completed: bool = False  # a "completed" TransferEvent, no live event since
    handed_over: bool = False  # a consultation joined to the held party


def _known(party: Party | None) -> bool:
    return party is not None and (party.number is not None or party.name is not None)


def _originated(call: Call, kind: CallEventKind | None) -> bool:
    return (
        call.direction is Direction.OUTBOUND
        or call.consult_of is not None
        or call.state in (ConnectionState.INITIATED, ConnectionState.FAIL)
        or kind in _ORIGINATING
        or (
            call.state is ConnectionState.CONNECTED
            and call.remote_state in (ConnectionState.ALERTING, ConnectionState.QUEUED)
        )
    )


class JournalRecorder:
    """Feed it every event the console receives; it writes one journal line per ended call."""

    def __init__(self, journal: CallJournal, clock: Clock) -> None:
        self.journal = journal
        self.clock = clock
        self._tracks: dict[CallId, _Track] = {}
        self._cleared: OrderedDict[CallId, int] = OrderedDict()
        self._transfers: dict[TransferId, Transfer] = {}
        self._transfer_versions: OrderedDict[TransferId, int] = OrderedDict()
        self._ended: OrderedDict[CallId, HistoryEntry] = OrderedDict()

    journal_id = staticmethod(journal_id)

    # ---- what the UI uses ---------------------------------------------------------------

    def comment(self, call: Call | str, text: str) -> str:
        """Store a comment typed now for ``call`` (a live ``Call`` or a journal id); its id."""
        key = call if isinstance(call, str) else journal_id(call)
        self.journal.add_comment(key, text, self.clock.now())
        return key

    def following(self) -> list[Call]:
        """The connections followed right now (their latest state)."""
        return [track.last for track in self._tracks.values()]

    def observe(self, event: Event) -> HistoryEntry | None:
        """Take one event; return the journal entry it completed (the last one), or None."""
        written = self.observe_all(event)
        return written[-1] if written else None

    def observe_all(self, event: Event) -> list[HistoryEntry]:
        """Take one event; return every journal entry it completed (a snapshot may end several).

        Raises :class:`~tws_tui.journal.store.JournalUnavailable` when the file cannot be written.
        """
        match event:
            case CallEvent():
                entry = self._on_call(event)
                return [entry] if entry is not None else []
            case TransferEvent(transfer=transfer):
                entry = self._on_transfer(transfer)
                return [entry] if entry is not None else []
            case SnapshotEvent(snapshot=snapshot):
                return self._on_snapshot(snapshot, event.at)
        return []

    # ---- calls --------------------------------------------------------------------------

    def _newest(self, call_id: CallId) -> int:
        track = self._tracks.get(call_id)
        if track is not None:
            return track.last.version
        return self._cleared.get(call_id, -1)

    def _on_call(self, event: CallEvent) -> HistoryEntry | None:
        call = event.call
        if call.version <= self._newest(call.call_id):
            return None
        track = self._tracks.get(call.call_id)
        if track is None:
            track = self._tracks[call.call_id] = _Track(
                key=journal_id(call),
                first=call,
                last=call,
                originated=_originated(call, event.kind),
                remote=call.remote,
            )
        self._update(track, call, event.at)
        if call.state is not ConnectionState.NULL:
            return None
        if event.kind is CallEventKind.TRANSFERRED:
            if track.first.consult_of is not None or call.consult_of is not None:
                track.handed_over = True
            else:
                track.transferred_to = self._destination(track, event.new_destination)
        elif event.kind is CallEventKind.CONFERENCED and call.consult_of is not None:
            track.handed_over = True
        elif event.kind is CallEventKind.DIVERTED and event.cause is Cause.REDIRECTED:
            track.transferred_to = self._destination(track, event.new_destination)
        return self._finish(track, event.at)

    def _update(self, track: _Track, call: Call, at: datetime) -> None:
        track.last = call
        if _known(call.remote):
            track.remote = call.remote
        if track.transfer_completed and call.state is not ConnectionState.NULL:
            # still on the call after a "completed" transfer: it was a conference
            track.transfer_completed = False
            track.transferred_to = None
        if track.answered_at is not None:
            return
        if call.answered_at is not None:
            track.answered_at = call.answered_at
        elif call.state in _LIVE and (not track.originated or call.remote_state in _LIVE):
            track.answered_at = at

    def _destination(self, track: _Track, party: Party | None) -> str | None:
        if track.transferred_to is not None:
            return track.transferred_to
        for transfer in self._transfers.values():
            if transfer.transferred_call_id == track.last.call_id:
                return transfer.destination
        if party is not None:
            return party.number or party.name
        return None

    def _outcome(self, track: _Track) -> Outcome:
        consultation = track.first.consult_of is not None or track.last.consult_of is not None
        answered = track.answered_at is not None
        if consultation:
            return Outcome.OUTGOING if answered or track.handed_over else Outcome.FAILED
        if track.transferred_to is not None:
            return Outcome.TRANSFERRED
        if track.originated:
            return Outcome.OUTGOING if answered else Outcome.FAILED
        return Outcome.ANSWERED if answered else Outcome.MISSED

    def _finish(self, track: _Track, at: datetime) -> HistoryEntry:
        call_id = track.last.call_id
        self._tracks.pop(call_id, None)
        self._cleared[call_id] = track.last.version
        self._cleared.move_to_end(call_id)
        while len(self._cleared) > _TOMBSTONES:
            self._cleared.popitem(last=False)
        last = track.last
        direction = last.direction
        if direction is Direction.UNKNOWN:
            direction = track.first.direction
        duration = None
        if track.answered_at is not None:
            duration = max(0, int((at - track.answered_at).total_seconds()))
        outcome = self._outcome(track)
        entry = HistoryEntry(
            id=track.key,
            start=track.first.created_at,
            direction=direction,
            outcome=outcome,
            remote=track.remote,
            called=last.called or track.first.called,
            queue=last.queue or track.first.queue,
            answered_at=track.answered_at,
            end=at,
            duration_s=duration,
            transferred_to=track.transferred_to if outcome is Outcome.TRANSFERRED else None,
        )
        return self._write(call_id, entry)

    def _write(self, call_id: CallId, entry: HistoryEntry) -> HistoryEntry:
        self.journal.record(entry)
        self._ended[call_id] = entry
        self._ended.move_to_end(call_id)
        while len(self._ended) > _RECENT_ENDED:
            self._ended.popitem(last=False)
        notes = [text for _, text in self.journal.comments(entry.id)]
        return replace(entry, comment="\n".join(notes)) if notes else entry

    # ---- transfers ----------------------------------------------------------------------

    def _on_transfer(self, transfer: Transfer) -> HistoryEntry | None:
        newest = self._transfer_versions.get(transfer.transfer_id, -1)
        if transfer.version <= newest:
            return None
        self._transfer_versions[transfer.transfer_id] = transfer.version
        self._transfer_versions.move_to_end(transfer.transfer_id)
        while len(self._transfer_versions) > _TOMBSTONES:
            self._transfer_versions.popitem(last=False)
        if transfer.status not in _FINAL_TRANSFER:
            self._transfers[transfer.transfer_id] = transfer
            return None
        self._transfers.pop(transfer.transfer_id, None)
        if transfer.status is not TransferStatus.COMPLETED:
            return None
        primary = transfer.transferred_call_id
        consult = transfer.consult_call_id
        if consult is not None and consult in self._tracks:
            self._tracks[consult].handed_over = True
        track = self._tracks.get(primary)
        if track is not None:
            track.transferred_to = transfer.destination
            track.transfer_completed = True
            return None
        ended = self._ended.get(primary)
        if ended is None or ended.outcome is Outcome.TRANSFERRED:
            return None
        # the connection was cleared before the backend said the transfer completed
        return self._write(
            primary,
            replace(ended, outcome=Outcome.TRANSFERRED, transferred_to=transfer.destination),
        )

    # ---- snapshot -----------------------------------------------------------------------

    def _on_snapshot(self, snapshot: Snapshot, at: datetime) -> list[HistoryEntry]:
        written: list[HistoryEntry] = []
        self._transfers = {
            t.transfer_id: t for t in snapshot.transfers if t.status not in _FINAL_TRANSFER
        }
        null = ConnectionState.NULL
        present = {call.call_id for call in snapshot.calls if call.state is not null}
        for call_id in [cid for cid in self._tracks if cid not in present]:
            written.append(self._finish(self._tracks[call_id], at))
        for call in snapshot.calls:
            track = self._tracks.get(call.call_id)
            if track is None and call.call_id in self._cleared:
                continue  # already journaled
            if track is None:
                if call.state is ConnectionState.NULL:
                    continue
                track = self._tracks[call.call_id] = _Track(
                    key=journal_id(call),
                    first=call,
                    last=call,
                    originated=_originated(call, None),
                    remote=call.remote,
                )
            if call.version >= track.last.version:
                self._update(track, call, at)
            if call.state is ConnectionState.NULL:
                written.append(self._finish(track, at))
        return written
