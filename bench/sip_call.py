"""SIP softphone figures against real peers on loopback (Kamailio, baresip, SIPp echo).

Prints, for the ``sip`` backend (tws_tui.backends.sip):

* CPU per active call: ours (this process, all threads, call minus idle) and baresip's
  (from /proc), as % of one core;
* transmit rate: RTP packets per second we sent over the measured window (target 50.0 ± 0.1);
* round-trip audio latency through an echo peer (SIPp ``uas -rtp_echo``): a 20 ms 1 kHz
  burst is put in the microphone once per second and timed until it comes back out of the
  loudspeaker, at the start of the call and after ``--seconds`` (target: no creep);
* the cost of parsing one received RTP packet with pyVoIP's ``RTPMessage`` (as patched in
  ``tws_tui.backends.sip.rtp``), and what it is at 50 packets/s, as % of a core (it is part
  of the CPU per call above; printed on its own because pyVoIP parses with bit strings).

Targets: ≤ 2 % of a core per call, 50.0 ± 0.1 packets/s, no latency creep.
Needs kamailio, baresip and sipp (``make sip-peers``). Usage:
``.venv/bin/python bench/sip_call.py [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sip"))

import sip_peers  # noqa: E402  (the same peers as the tests)

from tws_tui.backends.sip import SipBackend, codec, rtp  # noqa: E402
from tws_tui.backends.sip.codec import SILENCE, rms  # noqa: E402
from tws_tui.core.events import CallEvent, CallEventKind, LinkEvent, LinkStatus  # noqa: E402

BURST = struct.pack(
    "<160h", *(int(12000 * math.sin(2 * math.pi * 1000 * i / 8000)) for i in range(160))
)


class EchoProbe:
    """An AudioBackend: one burst a second into the mic; times its return at the speaker."""

    name = "echo-probe"

    def __init__(self) -> None:
        self.tick = 0
        self.sent_at: int | None = None
        self.latencies: list[tuple[float, float]] = []  # (seconds into the call, ms)
        self.started = time.monotonic()
        self._lock = threading.Lock()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def read(self) -> bytes:
        with self._lock:
            self.tick += 1
            if self.tick % 50 == 0:
                self.sent_at = self.tick
                return BURST
            return SILENCE

    def write(self, frame: bytes) -> None:
        with self._lock:
            if self.sent_at is not None and rms(frame) > 2000:
                ms = (self.tick - self.sent_at) * 20.0
                self.latencies.append((time.monotonic() - self.started, ms))
                self.sent_at = None


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait(events: list[Any], predicate: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event in events:
            if predicate(event):
                return event
        await asyncio.sleep(0.05)
    raise TimeoutError(predicate)


async def pump(backend: SipBackend, into: list[Any]) -> None:
    async for event in backend.events():
        into.append(event)


async def main(seconds: float) -> None:
    work = Path(tempfile.mkdtemp(prefix="sip-bench-"))
    kam = sip_peers.Kamailio(work / "kam", 401).start()
    try:
        bare = sip_peers.Baresip(work / "bare", "1002", kam, 440)
    except BaseException:
        kam.stop()
        raise
    try:
        echo = subprocess.Popen(
            [sip_peers.binary("sipp"), "-sn", "uas", "-rtp_echo", "-i", "127.0.0.1"]  # noqa: RUF005
            + ["-p", str(kam.sipp_port), "-mp", str(sip_peers.free_port()), "-nostdin", "-m", "1"],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except BaseException:
        bare.stop()
        kam.stop()
        raise
    probe = EchoProbe()
    low, high = sip_peers.free_port_range(20)
    backend = SipBackend(
        {
            "server": "127.0.0.1",
            "port": kam.port,
            "username": "1001",
            "password": sip_peers.USERS["1001"],
            "local_ip": "127.0.0.1",
            "rtp_ports": f"{low}-{high}",
            "audio": probe,
        }
    )
    events: list[Any] = []
    try:
        await backend.connect()
        task = asyncio.ensure_future(pump(backend, events))
        await wait(events, lambda e: isinstance(e, LinkEvent) and e.status is LinkStatus.ONLINE, 10)
        window = min(20.0, seconds)
        c0 = time.process_time()
        await asyncio.sleep(window)
        idle = (time.process_time() - c0) / window * 100

        # 1. echo call: TX rate and latency (and our CPU)
        call = await backend.make_call("9000")
        await wait(
            events, lambda e: isinstance(e, CallEvent) and e.kind is CallEventKind.ESTABLISHED, 10
        )
        stream = backend.media.streams[0]
        probe.latencies.clear()
        probe.started = time.monotonic()
        n0, t0, c0 = stream.packets_sent, time.monotonic(), time.process_time()
        await asyncio.sleep(seconds)
        n1, t1, c1 = stream.packets_sent, time.monotonic(), time.process_time()
        rate = (n1 - n0) / (t1 - t0)
        ours_echo = (c1 - c0) / (t1 - t0) * 100 - idle
        lat = list(probe.latencies)
        first = [ms for at, ms in lat if at < 6]
        last = [ms for at, ms in lat if at > seconds - 6]
        await backend.hangup(call.call_id)
        await asyncio.sleep(0.5)

        # 2. call with baresip: CPU per call, ours and baresip's
        call = await backend.make_call("1002")
        await asyncio.to_thread(bare.ctl.wait_event, "CALL_INCOMING", 10)
        bare.ctl.cmd("accept")
        await asyncio.to_thread(bare.ctl.wait_event, "CALL_ESTABLISHED", 10)
        await asyncio.sleep(1)
        b0, c0, t0 = proc_cpu(bare.proc.pid), time.process_time(), time.monotonic()
        await asyncio.sleep(window)
        b1, c1, t1 = proc_cpu(bare.proc.pid), time.process_time(), time.monotonic()
        ours = (c1 - c0) / (t1 - t0) * 100 - idle
        theirs = (b1 - b0) / (t1 - t0) * 100
        await backend.hangup(call.call_id)

        print(f"idle (registered)              : {idle:5.2f} % of a core")
        print(f"CPU per active call, ours      : {ours:5.2f} % of a core (baresip peer call)")
        print(f"CPU per active call, ours      : {ours_echo:5.2f} % of a core (echo call)")
        print(f"CPU per active call, baresip   : {theirs:5.2f} % of a core")
        print(
            f"transmit rate over {seconds:.0f} s      : {rate:7.3f} packets/s (target 50.0 ± 0.1)"
        )
        print(f"round trip via echo, start     : {_summary(first)}")
        print(f"round trip via echo, after {seconds:.0f} s: {_summary(last)}")
        print(f"bursts timed                   : {len(lat)} of ~{int(seconds)}")
        print(
            f"late clock ticks / jitter drops: {backend.media.late_ticks} / {stream.jitter.dropped}"
        )
        parse_us = rtp_parse_cost()
        print(
            f"RTP parse (pyVoIP RTPMessage) : {parse_us:5.1f} µs a packet,"
            f" {parse_us * 50 / 1e4:.3f} % of a core at 50 packets/s"
        )
        task.cancel()
    finally:
        with contextlib.suppress(Exception):
            await backend.close()
        sip_peers.stop_process(echo)
        bare.stop()
        kam.stop()


def rtp_parse_cost(count: int = 20000) -> float:
    """Microseconds to parse one 20 ms PCMU packet with pyVoIP's RTPMessage (patched)."""
    assoc = rtp.association(codec.AUDIO, 101)
    packet = rtp.pack(codec.PCMU, 1234, 160_000, 0x1234ABCD, bytes(160), True)
    start = time.perf_counter()
    for _ in range(count):
        rtp.RtpPacket(packet, assoc)
    return (time.perf_counter() - start) / count * 1e6


def _summary(values: list[float]) -> str:
    if not values:
        return "no burst came back"
    mean = sum(values) / len(values)
    return f"{mean:5.1f} ms mean, {min(values):.0f}–{max(values):.0f} ms ({len(values)} bursts)"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    asyncio.run(main(parser.parse_args().seconds))
