"""A private PulseAudio server with null sinks, as the SIP audio tests' sound cards.

Started unprivileged-style by the test (no system daemon, no D-Bus, no autospawn): its own
``HOME``/``XDG_RUNTIME_DIR`` under the test's temporary directory, a native-protocol socket
there with anonymous access, ``--exit-idle-time=-1`` and ``-n`` (no default script), one
``module-null-sink`` per name asked for (8 kHz mono). Clients find it through
``PULSE_SERVER``; PortAudio (``sounddevice``) reaches it through ALSA's ``pulse`` plugin
(Debian's ``libasound2-plugins``, pulled in by ``pulseaudio``). As root it warns that it is "not
intended to be run as root" and runs all the same (``--system`` is not needed).

``record(sink, seconds)`` records a sink's monitor with ``parec`` into a WAV file: what was
played to that "loudspeaker".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from needs import missing
from sip_peers import stop_process, wait_until


class PulseServer:
    def __init__(self, workdir: Path, sinks: tuple[str, ...]) -> None:
        self.dir = workdir
        self.runtime = workdir / "runtime"
        self.runtime.mkdir(parents=True, exist_ok=True)
        self.runtime.chmod(0o700)
        self.socket = self.runtime / "native"
        self.sinks = sinks
        script = [
            f"load-module module-null-sink sink_name={sink} rate=8000 channels=1 "
            f"sink_properties=device.description={sink}"
            for sink in sinks
        ]
        script.append(
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}"
        )
        script.append(f"set-default-sink {sinks[0]}")
        script.append(f"set-default-source {sinks[0]}.monitor")
        (workdir / "default.pa").write_text("\n".join(script) + "\n")
        self.log = workdir / "pulseaudio.log"
        self.proc: subprocess.Popen[Any] | None = None

    @property
    def env(self) -> dict[str, str]:
        """What a client needs to find this server (and nothing else)."""
        return {"PULSE_SERVER": f"unix:{self.socket}"}

    def start(self) -> PulseServer:
        for tool in ("pulseaudio", "parec"):
            if not any(os.access(f"{d}/{tool}", os.X_OK) for d in ("/usr/bin", "/bin")):
                missing(
                    f"{tool!r} is not installed: run `make sip-peers` (Debian package pulseaudio)"
                )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.dir),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(self.dir / "config"),
        }
        args = ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n"]
        args += ["-F", str(self.dir / "default.pa"), "--use-pid-file=no", "--disable-shm=yes"]
        args += ["--log-target=stderr"]
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: self.socket.exists() or self.proc.poll() is not None, 10, "pulseaudio")
        if self.proc.poll() is not None:
            raise RuntimeError(f"pulseaudio exited:\n{self.log.read_text()[-2000:]}")
        return self

    def record(self, sink: str, path: Path) -> subprocess.Popen[Any]:
        """Starts recording ``sink``'s monitor (8 kHz mono WAV) until the process is stopped."""
        return subprocess.Popen(
            ["parec", f"--device={sink}.monitor", "--rate=8000", "--channels=1",
             "--format=s16le", "--file-format=wav", str(path)],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)
            self.proc = None
