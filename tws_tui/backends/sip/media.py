"""RTP media: one UDP stream per call, one clock thread for all streams, one receive thread.

Owns RTP on the wire and the 20 ms audio schedule:

* :class:`RtpStream`: a bound socket (symmetric RTP), the negotiated codec and event payload
  type (kept as pyVoIP's association table: every received packet is parsed by pyVoIP's
  ``RTPMessage``, through :class:`~.rtp.RtpPacket`), direction flags (``send``/``recv`` from
  SDP, local hold), mute, a jitter buffer, an RFC 4733 digit queue, an optional WAV recorder,
  and the set of streams it is conferenced with;
* :class:`MediaEngine`: a clock thread that ticks on an **absolute** 20 ms schedule (pyVoIP's
  relative sleeps sent 49.84 pkt/s and made latency creep, study defect #10) and, per tick,
  reads the microphone once, sends each stream its frame (the microphone, plus the other
  conference legs when mixed locally), and plays the sum of what was received; and a receive
  thread blocked in ``select`` over every stream socket (no 10 ms polling).

pyVoIP's ``RTPClient`` is not used: it starts two polling threads per call, keeps every packet
of the call in memory with no reordering (``RTPPacketManager``), encodes PCMA as PCMU
(defect #9), sends on relative sleeps (defect #10) and decodes to 8 bits (defect #11).

Threads touch a stream through its lock-free flags or its jitter buffer's lock; the SIP side
only adds/removes streams and flips flags.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import selectors
import socket
import threading
import time
import wave
from collections import deque
from collections.abc import Callable
from pathlib import Path

from tws_tui.backends.sip import codec, rtp
from tws_tui.backends.sip.audio import (
    AudioBackend,
    NullAudio,
    ScaledAudio,
    Volumes,
    open_wav_writer,
)
from tws_tui.backends.sip.jitter import JitterBuffer
from tws_tui.backends.sip.upstream import PayloadType, RTPParseError

log = logging.getLogger(__name__)

TICK = 0.020
DTMF_TICKS = 5  # 100 ms tone
DTMF_GAP_TICKS = 3  # 60 ms between digits


class RtpStream:
    """One call's audio stream."""

    def __init__(self, local_ip: str, port_low: int = 0, port_high: int = 0) -> None:
        self.sock = _bind_rtp(local_ip, port_low, port_high)
        self.local_ip = local_ip
        self.local_port = self.sock.getsockname()[1]
        self.remote: tuple[str, int] | None = None
        self.pt = codec.PCMU
        self.event_pt: int | None = None
        self.assoc = rtp.association(codec.AUDIO, None)  # pyVoIP's payload-type table
        self.remote_send = True  # the peer sends to us (its SDP direction)
        self.remote_recv = True  # the peer accepts what we send
        self.held = False  # we put it on hold
        self.muted = False
        self.conference: set[RtpStream] = set()
        self.jitter = JitterBuffer()
        self.ssrc = random.getrandbits(32)
        self.seq = random.getrandbits(16)
        self.ts = random.getrandbits(32)
        self.marker = True
        self.on_digit: Callable[[str], None] | None = None
        self.dtmf: deque[str] = deque()
        self._event: tuple[int, int, int] | None = None  # (code, start ts, ticks sent)
        self._gap = 0
        self._last_event_ts: int | None = None
        self.recorder: wave.Wave_write | None = None
        self.rx_frame = codec.SILENCE  # what was played out this tick (for mixing)
        self.packets_sent = 0
        self.packets_received = 0
        self.closed = False

    # -- set by the SIP side ---------------------------------------------------------------

    def configure(self, address: str, port: int, pt: int, event_pt: int | None) -> None:
        self.remote = (address, port) if port and address not in ("", "0.0.0.0") else self.remote
        self.pt, self.event_pt = pt, event_pt
        self.assoc = rtp.association(codec.AUDIO, event_pt)

    @property
    def sending(self) -> bool:
        return self.remote is not None and self.remote_recv and not self.held

    @property
    def hearing(self) -> bool:
        return self.remote_send and not self.held

    def queue_digits(self, digits: str) -> None:
        self.dtmf.extend(digits)

    def start_recording(self, path: Path) -> None:
        if self.recorder is None:
            self.recorder = open_wav_writer(path)

    def stop_recording(self) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is not None:
            recorder.close()

    def close(self) -> None:
        self.closed = True
        self.stop_recording()
        self.sock.close()

    # -- receive thread ------------------------------------------------------------------

    def on_packet(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            packet = rtp.RtpPacket(data, self.assoc)  # pyVoIP's RTPMessage, patched
        except RTPParseError:
            return  # not RTP, or a payload type we did not negotiate
        self.packets_received += 1
        kind, payload = packet.payload_type, packet.payload
        if kind is PayloadType.EVENT:
            if len(payload) >= 4 and packet.timestamp != self._last_event_ts:
                self._last_event_ts = packet.timestamp
                digit = rtp.EVENT_DIGITS.get(payload[0])
                if digit is not None and self.on_digit is not None:
                    self.on_digit(digit)
        elif kind in (PayloadType.PCMU, PayloadType.PCMA) and payload:
            self.jitter.put(packet.sequence, codec.decode(int(kind), payload))

    # -- clock thread --------------------------------------------------------------------

    def _packet(self, pt: int, payload: bytes, ts: int, marker: bool = False) -> bytes:
        self.seq = (self.seq + 1) & 0xFFFF
        return rtp.pack(pt, self.seq, ts, self.ssrc, payload, marker)

    def transmit(self, frame: bytes) -> None:
        """Send this tick's packet (audio or DTMF event); advance the RTP clock either way."""
        ts = self.ts
        self.ts = (self.ts + codec.SAMPLES) & 0xFFFFFFFF
        if not self.sending:
            self.marker = True
            return
        packets = self._dtmf_packets(ts)
        if packets is None:
            packets = [self._packet(self.pt, codec.encode(self.pt, frame), ts, self.marker)]
            self.marker = False
        for packet in packets:
            try:
                self.sock.sendto(packet, self.remote)  # type: ignore[arg-type]
                self.packets_sent += 1
            except (OSError, OverflowError, TypeError, ValueError) as error:
                # never out of this tick: it serves every call (issue 19, defect 2)
                log.debug("RTP send to %s failed: %s", self.remote, error)

    def _dtmf_packets(self, ts: int) -> list[bytes] | None:
        if self.event_pt is None:
            self.dtmf.clear()
            return None
        if self._event is None:
            if self._gap:
                self._gap -= 1
                return None
            if not self.dtmf:
                return None
            code = rtp.DTMF_EVENTS.get(self.dtmf.popleft().upper())
            if code is None:
                return None
            self._event = (code, ts, 0)
        code, start, sent = self._event
        sent += 1
        duration = sent * codec.SAMPLES
        if sent < DTMF_TICKS:
            self._event = (code, start, sent)
            body = rtp.event_payload(code, False, duration)
            return [self._packet(self.event_pt, body, start, sent == 1)]
        self._event = None
        self._gap = DTMF_GAP_TICKS
        self.marker = True
        body = rtp.event_payload(code, True, duration)
        return [self._packet(self.event_pt, body, start) for _ in range(3)]


def _bind_rtp(local_ip: str, low: int, high: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    if low and high:
        ports = list(range(low - low % 2, high + 1, 2))
        random.shuffle(ports)
        for port in ports:
            try:
                sock.bind((local_ip, port))
                return sock
            except OSError:
                continue
        sock.close()
        raise OSError(f"no free RTP port in {low}-{high}")
    sock.bind((local_ip, 0))
    return sock


class MediaEngine:
    """The 20 ms clock and the receive loop for every stream."""

    def __init__(self, audio: AudioBackend | None = None, volumes: Volumes | None = None) -> None:
        self.audio: AudioBackend = ScaledAudio(audio or NullAudio(), volumes or Volumes())
        self._streams: list[RtpStream] = []
        self._lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.ticks = 0
        self.late_ticks = 0

    def start(self) -> None:
        if self._threads:
            return
        self.audio.start()
        for target, name in ((self._clock, "sip-media-clock"), (self._receive, "sip-media-rx")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        os.write(self._wake_w, b"x")
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads.clear()
        with self._lock:
            streams, self._streams = self._streams, []
        for stream in streams:
            stream.close()
        self._selector.close()
        os.close(self._wake_r)
        os.close(self._wake_w)
        try:
            self.audio.stop()
        except Exception:
            log.warning("audio device did not stop cleanly", exc_info=True)

    def add(self, stream: RtpStream) -> None:
        with self._lock:
            self._streams.append(stream)
            self._selector.register(stream.sock, selectors.EVENT_READ, stream)
        os.write(self._wake_w, b"x")

    def remove(self, stream: RtpStream) -> None:
        with self._lock:
            if stream in self._streams:
                self._streams.remove(stream)
                self._selector.unregister(stream.sock)
            for other in self._streams:
                other.conference.discard(stream)
        os.write(self._wake_w, b"x")
        stream.close()

    @property
    def streams(self) -> list[RtpStream]:
        with self._lock:
            return list(self._streams)

    # -- threads -------------------------------------------------------------------------

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                events = self._selector.select(timeout=0.5)
            except (OSError, ValueError):
                if self._stop.is_set():
                    return
                time.sleep(0.01)
                continue
            for key, _mask in events:
                stream = key.data
                if stream is None:
                    with contextlib.suppress(OSError):
                        os.read(self._wake_r, 512)
                    continue
                for _ in range(64):  # drain what is there (non-blocking socket)
                    try:
                        data, addr = stream.sock.recvfrom(2048)
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        break
                    try:
                        stream.on_packet(data, addr)
                    except Exception:
                        log.debug("bad RTP packet dropped", exc_info=True)

    def _clock(self) -> None:
        start = time.monotonic()
        tick = 0
        while not self._stop.is_set():
            tick += 1
            due = start + tick * TICK
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1.0:  # suspended or starved for a second: restart the schedule
                self.late_ticks += 1
                start, tick = time.monotonic(), 0
            try:
                self._tick()
            except Exception:
                log.exception("media tick failed")
            self.ticks += 1

    def _tick(self) -> None:
        streams = self.streams
        mic = self.audio.read()
        for stream in streams:
            frame = stream.jitter.pop() if not stream.closed else None
            stream.rx_frame = frame if frame is not None and stream.hearing else codec.SILENCE
        heard = []
        for stream in streams:
            if stream.closed:
                continue
            own = codec.SILENCE if stream.muted else mic
            others = [o.rx_frame for o in stream.conference if not o.closed]
            out = codec.mix(own, *others) if others else own
            stream.transmit(out)
            if stream.hearing:
                heard.append(stream.rx_frame)
            if stream.recorder is not None:
                try:
                    stream.recorder.writeframes(codec.mix(out, stream.rx_frame))
                except Exception:
                    log.warning("recording failed; stopped", exc_info=True)
                    stream.stop_recording()
        self.audio.write(codec.mix(*heard) if heard else codec.SILENCE)
