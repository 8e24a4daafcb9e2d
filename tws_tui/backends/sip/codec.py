"""G.711 on a 16-bit linear path: 20 ms frames of 160 samples, signed 16-bit little-endian.

Owns encode/decode and frame arithmetic (mixing, silence). pyVoIP 1.6.8 decoded to 8-bit
(study defect #11: 13.6 dB SNR at −30 dBFS) and encoded PCMA with the µ-law encoder (defect
#9); here both laws go through ``audioop`` at width 2. ``audioop`` is deprecated in 3.11/3.12
and gone in 3.13, where the ``audioop-lts`` package provides the same module (as for pyVoIP).
Payload type numbers are pyVoIP's ``PayloadType``.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

from tws_tui.backends.sip.upstream import PayloadType

AUDIO = (PayloadType.PCMU, PayloadType.PCMA)  # what we encode and decode
RATE = PayloadType.PCMU.rate  # 8000
SAMPLES = 160  # 20 ms
WIDTH = 2
FRAME_BYTES = SAMPLES * WIDTH
SILENCE = bytes(FRAME_BYTES)
PCMU, PCMA = int(PayloadType.PCMU), int(PayloadType.PCMA)


def encode(pt: int, pcm: bytes) -> bytes:
    if pt == PCMA:
        return audioop.lin2alaw(pcm, WIDTH)
    return audioop.lin2ulaw(pcm, WIDTH)


def decode(pt: int, payload: bytes) -> bytes:
    if pt == PCMA:
        return audioop.alaw2lin(payload, WIDTH)
    return audioop.ulaw2lin(payload, WIDTH)


def scale(frame: bytes, percent: int) -> bytes:
    """``frame`` at ``percent`` % of its level (100: as it is, 0: silence), clipped."""
    if percent >= 100 or frame is SILENCE:
        return frame
    return audioop.mul(frame, WIDTH, max(percent, 0) / 100)


def mix(*frames: bytes) -> bytes:
    """Sum frames with saturation (audioop.add clips)."""
    out = SILENCE
    for frame in frames:
        if frame and frame is not SILENCE:
            out = audioop.add(out, fit(frame), WIDTH)
    return out


def fit(frame: bytes) -> bytes:
    """Pad or cut to exactly one frame."""
    if len(frame) == FRAME_BYTES:
        return frame
    return (frame + SILENCE)[:FRAME_BYTES]


def rms(frame: bytes) -> int:
    return int(audioop.rms(frame, WIDTH))
