"""linphone as a second, independent SIP user agent for the ``sip`` backend tests.

``linphone-daemon`` (Debian package ``linphone-cli``, liblinphone 5.1) is the scriptable one:
it reads one command a line on stdin and answers ``Status: Ok`` / ``Status: Error`` blocks,
each followed by its ``daemon-linphone>`` prompt (``linphonec`` is interactive and has no
machine-readable answers). It registers with ``+sip.instance`` and ``Supported: gruu``, so with
Kamailio's GRUU on (RFC 5627, the registrar's default) it puts its public GRUU
(``sip:1004@127.0.0.1;gr=urn:uuid:…``) in its dialogs' Contact: every in-dialog request to it
must be routed by the proxy through the location table, not sent to the GRUU's host.

Audio: with no sound card, linphone plays what it receives to the PulseAudio server the test
started (``PULSE_SERVER``, ``PULSE_SINK``: a null sink whose monitor the test records), and
``incall-player-start`` plays a WAV file into the call instead of a microphone.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from sip_peers import USERS, Kamailio, binary, free_port, free_port_range, stop_process

PROMPT = "daemon-linphone>"

LINPHONERC = """[sip]
sip_port={sip}
sip_tcp_port=0
sip_tls_port=0
bind_address=127.0.0.1
guess_hostname=0
inc_timeout=120
[rtp]
audio_rtp_port={rtp_low}-{rtp_high}
video_rtp_port=0
[net]
ipv6=0
[video]
capture=0
display=0
[sound]
echocancellation=0
[misc]
uuid={uuid}
"""


class Linphone:
    """One ``linphone-daemon`` registered at ``kamailio`` as ``user`` (codecs PCMU and PCMA)."""

    def __init__(
        self, workdir: Path, user: str, kamailio: Kamailio, pulse_env: dict[str, str]
    ) -> None:
        self.binary = binary("linphone-daemon")
        self.user = user
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        home = workdir / "home"
        (home / ".local/share/linphone").mkdir(parents=True, exist_ok=True)
        self.sip_port = free_port()
        low, high = free_port_range(20)
        (workdir / "linphonerc").write_text(
            LINPHONERC.format(
                sip=self.sip_port,
                rtp_low=low,
                rtp_high=high,
                uuid=f"9d6a1c3e-5b7f-4e2a-8c1d-00000000{user}",
            )
        )
        self.log = workdir / "linphone.log"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(home),
            **pulse_env,
        }
        self.proc = subprocess.Popen(
            [self.binary, "--config", str(workdir / "linphonerc"), "--log", str(self.log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        self._out = ""
        self.transcript = ""  # everything it printed: answers and events
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self._lock = threading.Lock()
        try:
            self.cmd("audio-codec-disable ALL")
            for codec in ("PCMU/8000/1", "PCMA/8000/1"):
                self.cmd(f"audio-codec-enable {codec}")
            self.cmd(f"register sip:{user}@127.0.0.1 sip:127.0.0.1:{kamailio.port} {USERS[user]}")
            self.wait(lambda: "RegistrationOk" in self.cmd("register-status ALL"), 10, "register")
        except (RuntimeError, TimeoutError) as error:
            stop_process(self.proc)
            raise RuntimeError(f"{error}\n{self.sip_log()[-3000:]}") from None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            chunk = self.proc.stdout.read(1)
            if not chunk:
                return
            with self._cond:
                self._out += chunk
                self.transcript += chunk
                self._cond.notify_all()

    def cmd(self, line: str, timeout: float = 5.0) -> str:
        """Sends one command; returns its answer block (raises on ``Status: Error``)."""
        with self._lock:
            with self._cond:
                # forget the answers before the last prompt (events after it are kept)
                if PROMPT in self._out:
                    self._out = self._out[self._out.rfind(PROMPT) + len(PROMPT) :]
                start = len(self._out)
            assert self.proc.stdin is not None
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            deadline = time.monotonic() + timeout
            with self._cond:
                while True:
                    answer = self._out[start:]
                    if "Status:" in answer and PROMPT in answer[answer.find("Status:") :]:
                        break
                    left = deadline - time.monotonic()
                    if left <= 0 or self.proc.poll() is not None:
                        raise TimeoutError(f"linphone: no answer to {line!r}: {answer!r}")
                    self._cond.wait(left)
        block = answer[answer.find("Status:") :]
        block = block[: block.find(PROMPT)]
        if block.startswith("Status: Error"):
            raise RuntimeError(f"linphone: {line!r} -> {block.strip()}")
        return block

    def wait(self, predicate: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(RuntimeError):
                value = predicate()
                if value:
                    return value
            time.sleep(0.1)
        raise TimeoutError(f"linphone: {what} not within {timeout} s")

    def state(self, call_id: int | None = None) -> str:
        """The call's state (``LinphoneCallStreamsRunning`` …), "" when there is none."""
        try:
            answer = self.cmd("call-status" + (f" {call_id}" if call_id else ""))
        except RuntimeError:
            return ""
        found = re.search(r"State: (\S+)", answer)
        return found.group(1) if found else ""

    def wait_state(self, wanted: str, timeout: float = 10.0, call_id: int | None = None) -> None:
        self.wait(lambda: self.state(call_id).endswith(wanted), timeout, wanted)

    def call(self, target: str) -> int:
        found = re.search(r"Id: (\d+)", self.cmd(f"call {target}"))
        assert found, "linphone gave no call id"
        return int(found.group(1))

    def last_call_id(self) -> int:
        """The id of the call of linphone's latest call-state event (an incoming call's too)."""
        found = re.findall(r"Event: LinphoneCall\w+\nFrom: [^\n]*\nId: (\d+)", self.transcript)
        assert found, "linphone reported no call"
        return int(found[-1])

    def hang_up_all(self) -> None:
        for _ in range(4):
            if not self.state():
                return
            with contextlib.suppress(RuntimeError, TimeoutError):
                self.cmd("terminate")
            time.sleep(0.3)

    def sip_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.cmd("quit", timeout=3)
        stop_process(self.proc)
