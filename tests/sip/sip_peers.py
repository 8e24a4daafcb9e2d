"""Real SIP peers for the ``sip`` backend tests: Kamailio, baresip (ctrl_tcp), SIPp.

Everything runs on 127.0.0.1 with ports the kernel says are free, in temporary directories;
every wait is bounded and every process is killed at teardown.

Pitfalls kept from the study (pyvoip-study §9):
* the R-URI may lack the port, so the Kamailio config tests ``$rd == "127.0.0.1"`` rather
  than ``uri==myself`` alone;
* Kamailio's ``t_precheck_trans()`` needs ``tmx.so``; a config error makes kamailio exit at
  once, so the fixture checks it is still alive before waiting for it;
* baresip needs ``net_interface 127.0.0.1`` (else it puts eth0 in its SDP), the ``aubridge``
  null player (``alsa,null`` spins at 100 % CPU) and takes 1–2 s to exit on SIGTERM;
* a long-lived ``BaresipCtl`` keeps old events: tests drain it first.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import queue
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
import uuid
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from needs import missing

#: 8500 is the voicemail service of the voicemail-by-phone tests (a baresip that answers).
USERS = {
    "1001": "pw1001",
    "1002": "pw1002",
    "1003": "pw1003",
    "1004": "pw1004",
    "8500": "pw8500",
}
SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")
MODULES = Path("/usr/lib/x86_64-linux-gnu/kamailio/modules")
#: db_text table files of the kamailio package (presence and pua tables).
DBTEXT = Path("/usr/share/kamailio/dbtext/kamailio")


def binary(name: str) -> str:
    """Path of a peer binary (see :func:`needs.missing` when there is none)."""
    found = shutil.which(name) or next(
        (f"{d}/{name}" for d in SBIN if os.access(f"{d}/{name}", os.X_OK)), None
    )
    if found is None:
        missing(
            f"SIP test peer {name!r} is not installed: run `make sip-peers` "
            "(Debian packages kamailio, baresip-core, sip-tester, linphone-cli, pulseaudio)"
        )
    return found


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A port free for UDP and TCP on 127.0.0.1."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        other = socket.SOCK_STREAM if kind == socket.SOCK_DGRAM else socket.SOCK_DGRAM
        with socket.socket(socket.AF_INET, other) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def free_port_and_next() -> int:
    """A port free for UDP and TCP whose next one is free for TCP too."""
    for _ in range(50):
        port = free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no free pair of ports")


def free_port_range(size: int = 40) -> tuple[int, int]:
    """A run of ``size`` ports (even start) free for UDP right now."""
    for _ in range(100):
        base = free_port() & ~1
        socks = []
        try:
            for port in range(base, base + size):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
        return base, base + size - 1
    raise RuntimeError("no free port range")


def stop_process(proc: subprocess.Popen[Any], timeout: float = 5.0) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)


def wait_until(predicate: Callable[[], Any], timeout: float, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what or predicate}")


def sip_ping(port: int, timeout: float = 10.0) -> None:
    """Wait until a SIP server answers OPTIONS on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        s.bind(("127.0.0.1", 0))
        lp = s.getsockname()[1]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s.sendto(
                (
                    f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n"
                    f"Via: SIP/2.0/UDP 127.0.0.1:{lp};branch=z9hG4bK{uuid.uuid4().hex}\r\n"
                    f"From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
                    f"Call-ID: {uuid.uuid4().hex}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                    "Content-Length: 0\r\n\r\n"
                ).encode(),
                ("127.0.0.1", port),
            )
            try:
                if s.recv(4096).startswith(b"SIP/2.0 200"):
                    return
            except OSError:
                pass
    raise TimeoutError(f"no SIP answer on port {port}")


# ---- Kamailio ------------------------------------------------------------------------------

KAMAILIO_CFG = """#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=2
auto_aliases=no
listen=udp:127.0.0.1:@PORT@
#!ifdef WITH_TLS
# SIP over TCP on the same port and over TLS (RFC 3261 §18), with the test CA's certificate
enable_tls=yes
listen=tcp:127.0.0.1:@PORT@
listen=tls:127.0.0.1:@TLSPORT@
tcp_connection_lifetime=3605
#!else
disable_tcp=yes
#!endif
alias="127.0.0.1:@PORT@"
mpath="@MODULES@/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
#!ifdef WITH_TLS
loadmodule "tls.so"
modparam("tls", "config", "@DIR@/tls.cfg")
#!endif
#!ifdef WITH_PRESENCE
loadmodule "db_text.so"
loadmodule "dialog.so"
loadmodule "presence.so"
loadmodule "presence_dialoginfo.so"
loadmodule "presence_xml.so"
loadmodule "pua.so"
loadmodule "pua_dialoginfo.so"
modparam("presence", "db_url", "text://@DB@")
modparam("presence", "server_address", "sip:127.0.0.1:@PORT@")
modparam("presence", "subs_db_mode", 0)
modparam("presence", "max_expires", 3600)
# an idle colleague is an empty dialog-info document, not a NOTIFY without a body (which a
# watcher can only read as "unknown")
modparam("presence_dialoginfo", "force_dummy_dialog", 1)
# Event: presence (PIDF); every watcher is allowed (no XCAP authorization rules here)
modparam("presence_xml", "db_url", "text://@DB@")
modparam("presence_xml", "force_active", 1)
modparam("pua", "db_url", "text://@DB@")
modparam("pua", "outbound_proxy", "sip:127.0.0.1:@PORT@")
modparam("pua_dialoginfo", "include_callid", 1)
modparam("pua_dialoginfo", "include_tags", 1)
modparam("pua_dialoginfo", "include_localremote", 1)
modparam("pua_dialoginfo", "caller_confirmed", 1)
#!endif
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 1)
modparam("rr", "enable_full_lr", 1)
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 60000)

request_route {
    xlog("L_INFO", "REQ $rm $ru from $si:$sp\\n");
    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
    if (!sanity_check("17895", "7")) { xlog("L_WARN", "sanity check failed for $rm\\n"); exit; }
    if (is_method("OPTIONS") && ($rd == "127.0.0.1" || uri==myself) && $rU==$null) {
        sl_send_reply("200", "Keepalive"); exit;
    }
#!ifdef WITH_PRESENCE
    # BLF and presence: this Kamailio is the presence server (RFC 3265/4235/3856)
    if (is_method("PUBLISH|SUBSCRIBE") && ($rd == "127.0.0.1" || uri==myself)) {
        route(PRESENCE); exit;
    }
#!endif
    if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
    if (!is_method("ACK")) {
        if (t_precheck_trans()) { t_check_trans(); exit; }
        t_check_trans();
    }
    if (has_totag()) {
        if (loose_route()) {
            # GRUU (RFC 5627): a UA that registered with +sip.instance and Supported: gruu
            # (linphone, most desk phones) names its GRUU, e.g. sip:1004@127.0.0.1;gr=urn:…,
            # as its dialogs' Contact, so in-dialog requests (ACK, re-INVITE, BYE) target it.
            # A GRUU of ours is a key to the location table, not a host to send to (its host
            # has no port: 5060); without this the ACK is lost and the UA ends the call at 32 s.
            if ($ru =~ ";gr(=|;|$)" && ($rd == "127.0.0.1" || uri==myself)) { route(GRUU); }
            route(RELAY); exit;
        }
        if (is_method("ACK") && t_check_trans()) { t_relay(); exit; }
        if ($rd == "127.0.0.1" && $rU != $null) {
            if (!lookup("location")) {
                if (is_method("ACK")) exit;
                sl_send_reply("404", "Not here"); exit;
            }
        }
        route(RELAY); exit;
    }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    remove_hf("Route");
    if (is_method("INVITE|SUBSCRIBE|REFER")) record_route();
    if (is_method("REGISTER")) {
        route(GETPW);
#!ifdef AUTH_407
        if (!pv_proxy_authenticate("$td", "$var(pw)", "0")) { proxy_challenge("$td", "1"); exit; }
#!else
        if (!pv_www_authenticate("$td", "$var(pw)", "0")) { www_challenge("$td", "1"); exit; }
#!endif
        if ($au != $tU) { sl_send_reply("403", "Auth user mismatch"); exit; }
        consume_credentials();
        if (!save("location")) { sl_reply_error(); }
        exit;
    }
    if (is_method("INVITE|MESSAGE") && $fU =~ "^10[0-9][0-9]$" && $si == "127.0.0.1") {
        route(GETPW);
#!ifdef AUTH_407
        if (!pv_proxy_authenticate("$fd", "$var(pw)", "0")) { proxy_challenge("$fd", "1"); exit; }
#!else
        if (!pv_www_authenticate("$fd", "$var(pw)", "0")) { www_challenge("$fd", "1"); exit; }
#!endif
        consume_credentials();
    }
#!ifdef WITH_PRESENCE
    if (is_method("INVITE")) { dlg_manage(); }  # pua_dialoginfo publishes both parties' dialogs
#!endif
    # *8xxxx (directed pickup code) -> SIPp, standing for the PBX's pickup service
    if ($rU =~ "^\\*8[0-9]+$") { $du = "sip:127.0.0.1:@SIPP@"; route(RELAY); }
    # 9xxx -> SIPp (static route)
    if ($rU =~ "^9[0-9][0-9][0-9]$") { $du = "sip:127.0.0.1:@SIPP@"; route(RELAY); }
    # another UA's Contact (its own port on this host, e.g. a caller's target in a pickup by
    # Replaces, RFC 3891): relayed to it as a proxy would, not looked up as one of our users
    if ($ru =~ "@127\\.0\\.0\\.1:[0-9]+" && $rp != 5060 && !(uri==myself)) { route(RELAY); }
    if ($rd == "127.0.0.1" || uri==myself) {
        if ($rU==$null) { sl_send_reply("484", "Address Incomplete"); exit; }
        if (!lookup("location")) { send_reply("404", "Not Found"); exit; }
    }
    route(RELAY);
}
route[RELAY] { if (!t_relay()) { sl_reply_error(); } exit; }
# the registered contact behind one of our GRUUs (public sip:user@domain;gr=urn:uuid:… or
# temporary …;gr): registrar's lookup() resolves the gr parameter to that one instance's
# contact; gone (unregistered): 480, as RFC 5627 §8.2 says
route[GRUU] {
    if (!lookup("location")) {
        if (is_method("ACK")) exit;
        sl_send_reply("480", "Temporarily Unavailable"); exit;
    }
}
#!ifdef WITH_PRESENCE
route[PRESENCE] {
    if (!t_newtran()) { sl_reply_error(); exit; }
    if (is_method("PUBLISH")) { handle_publish(); } else { handle_subscribe(); }
    t_release();
    exit;
}
#!endif
route[GETPW] {
    $var(u) = $au;
    if ($var(u) == $null || $var(u) == "") { $var(u) = $fU; }
    switch ($var(u)) {
        case "1001": $var(pw) = "pw1001"; break;
        case "1002": $var(pw) = "pw1002"; break;
        case "1003": $var(pw) = "pw1003"; break;
        case "1004": $var(pw) = "pw1004"; break;
        case "8500": $var(pw) = "pw8500"; break;
        default: $var(pw) = "-nopass-";
    }
}
"""


class Kamailio:
    """A Kamailio registrar/proxy with digest auth: ``mode`` 401 (www) or 407 (proxy)."""

    def __init__(
        self,
        workdir: Path,
        mode: int = 401,
        sipp_port: int = 0,
        presence: bool = False,
        tls: TestCa | None = None,
    ) -> None:
        self.binary = binary("kamailio")
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.mode = mode
        self.presence = presence
        if presence and not (MODULES / "presence.so").exists():
            missing(
                "Kamailio's presence modules are not installed: run `make sip-peers` "
                "(Debian package kamailio-presence-modules)"
            )
        if presence:  # presence and pua keep their tables in db_text files
            db = self.dir / "db"
            shutil.copytree(DBTEXT, db, dirs_exist_ok=True)
        self.tls = tls
        if tls is not None and not (MODULES / "tls.so").exists():
            missing(
                "Kamailio's TLS module is not installed: run `make sip-peers` "
                "(Debian package kamailio-tls-modules)"
            )
        self.port = free_port()
        self.tls_port = free_port(socket.SOCK_STREAM)
        self.sipp_port = sipp_port or free_port()
        if tls is not None:
            (self.dir / "tls.cfg").write_text(
                "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\n"
                f"require_certificate = no\nprivate_key = {tls.server_key}\n"
                f"certificate = {tls.server_cert}\n\n"
                "[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n"
                "require_certificate = no\n"
            )
        self.proc: subprocess.Popen[Any] | None = None
        cfg = KAMAILIO_CFG.replace("@PORT@", str(self.port)).replace("@SIPP@", str(self.sipp_port))
        cfg = cfg.replace("@DB@", str(self.dir / "db")).replace("@MODULES@", str(MODULES))
        cfg = cfg.replace("@TLSPORT@", str(self.tls_port)).replace("@DIR@", str(self.dir))
        (self.dir / "kamailio.cfg").write_text(cfg)
        self.log = self.dir / "kamailio.log"

    def start(self) -> Kamailio:
        args = [self.binary, "-DD", "-E", "-f", str(self.dir / "kamailio.cfg")]
        args += ["-Y", str(self.dir), "-P", str(self.dir / "kamailio.pid"), "-m", "32", "-M", "4"]
        if self.mode == 407:
            args += ["-A", "AUTH_407"]
        if self.presence:
            args += ["-A", "WITH_PRESENCE"]
        if self.tls is not None:
            args += ["-A", "WITH_TLS"]
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        time.sleep(0.3)
        if self.proc.poll() is not None:
            raise RuntimeError(f"kamailio exited:\n{self.log.read_text()[-3000:]}")
        sip_ping(self.port)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)
            self.proc = None


# ---- a test certificate authority -----------------------------------------------------------


class TestCa:
    """A throw-away CA and a server certificate for 127.0.0.1 (not "localhost") it signed, made by
    the ``openssl`` command (Debian package openssl); ``other_ca`` is a second CA that signed
    nothing here (the wrong CA to trust)."""

    __test__ = False  # not a pytest test class

    def __init__(self, workdir: Path) -> None:
        openssl = binary("openssl")
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ca_cert, self.ca_key = workdir / "ca.pem", workdir / "ca.key"
        self.other_ca = workdir / "other-ca.pem"
        self.server_cert, self.server_key = workdir / "server.pem", workdir / "server.key"

        def run(*args: str) -> None:
            subprocess.run(
                [openssl, *args], cwd=workdir, check=True, capture_output=True, timeout=60
            )

        for name, cert, key in (
            ("tws-tui test CA", self.ca_cert, self.ca_key),
            ("another CA", self.other_ca, workdir / "other-ca.key"),
        ):
            run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(cert),
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
        csr = workdir / "server.csr"
        run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", str(self.server_key), "-out", str(csr))  # fmt: skip
        ext = workdir / "server.ext"
        ext.write_text(
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
        )
        run("x509", "-req", "-in", str(csr), "-CA", str(self.ca_cert), "-CAkey",
            str(self.ca_key), "-CAcreateserial", "-days", "2", "-extfile", str(ext),
            "-out", str(self.server_cert))  # fmt: skip


# ---- baresip -------------------------------------------------------------------------------

BARESIP_CFG = """poll_method      epoll
net_interface    127.0.0.1
sip_listen       127.0.0.1:{sip}
call_local_timeout 120
call_max_calls   4
audio_player     aubridge,nullsink
audio_alert      aubridge,nullsink
audio_source     aufile,{wav}
audio_buffer     20-160
rtp_ports        {rtp_low}-{rtp_high}
jitter_buffer_delay 1-10
snd_path         {dumps}
module_path      /usr/lib/baresip/modules
module           g711.so
module           aufile.so
module           aubridge.so
module           sndfile.so
module_tmp       uuid.so
module_tmp       account.so
module_app       contact.so
module_app       menu.so
module_app       ctrl_tcp.so
ctrl_tcp_listen  127.0.0.1:{ctrl}
"""


class BaresipCtl:
    """ctrl_tcp client: netstring-framed JSON commands, responses and events."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        self.sock.settimeout(None)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.responses: queue.Queue[dict[str, Any]] = queue.Queue()
        self._token = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b":" in buffer:
                head, _, rest = buffer.partition(b":")
                if not head.isdigit() or len(rest) < int(head) + 1:
                    break
                body, buffer = rest[: int(head)], rest[int(head) + 1 :]
                try:
                    message = json.loads(body)
                except ValueError:
                    continue
                (self.events if message.get("event") else self.responses).put(message)

    def cmd(self, command: str, params: str = "", timeout: float = 5.0) -> dict[str, Any]:
        with self._lock:
            self._token += 1
            token = str(self._token)
            data = json.dumps({"command": command, "params": params, "token": token}).encode()
            self.sock.sendall(b"%d:%s," % (len(data), data))
            deadline = time.monotonic() + timeout
            while True:
                response = self.responses.get(timeout=max(0.01, deadline - time.monotonic()))
                if response.get("token") == token:
                    return response

    def drain(self) -> None:
        while not self.events.empty():
            self.events.get_nowait()

    def wait_event(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"baresip: no {kind} event in {timeout} s (saw {seen})")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            seen.append(event.get("type"))
            if event.get("type") == kind:
                return event

    def calls(self) -> str:
        return str(self.cmd("listcalls").get("data", ""))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class Baresip:
    """One baresip user agent registered at ``kamailio`` as ``user``, playing a tone; it
    answers by itself when ``answer`` is ``"auto"`` (a voicemail service), else when told."""

    def __init__(
        self, workdir: Path, user: str, kamailio: Kamailio, tone_hz: int, answer: str = "manual"
    ) -> None:
        self.binary = binary("baresip")
        self.user = user
        self.dir = workdir
        self.tone_hz = tone_hz
        self.sip_port = free_port_and_next()  # baresip also listens for TLS on the next one
        self.ctrl_port = free_port(socket.SOCK_STREAM)
        low, high = free_port_range(20)
        self.dumps = workdir / "dumps"
        self.dumps.mkdir(parents=True, exist_ok=True)
        wav = workdir / "tone.wav"
        write_tone(wav, tone_hz, 120.0, amplitude=0.5)
        (workdir / "config").write_text(
            BARESIP_CFG.format(
                sip=self.sip_port,
                ctrl=self.ctrl_port,
                rtp_low=low,
                rtp_high=high,
                wav=wav,
                dumps=self.dumps,
            )
        )
        (workdir / "accounts").write_text(
            f"<sip:{user}@127.0.0.1>;auth_pass={USERS[user]};"
            f'outbound="sip:127.0.0.1:{kamailio.port}";regint=600;'
            f"audio_codecs=PCMU,PCMA;answermode={answer}\n"
        )
        self.log = workdir / "baresip.log"
        with open(self.log, "w") as log:
            stdbuf = shutil.which("stdbuf")  # line-buffered stdout: tests read the log
            self.proc = subprocess.Popen(
                [*([stdbuf, "-oL", "-eL"] if stdbuf else []), self.binary, "-f", str(workdir)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.ctl = wait_until(self._connect, 10, "baresip ctrl_tcp")
        wait_until(lambda: "OK" in str(self.ctl.cmd("reginfo").get("data")), 10, "baresip reg")

    def _connect(self) -> BaresipCtl | None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"baresip exited:\n{self.log.read_text()[-2000:]}")
        try:
            return BaresipCtl(self.ctrl_port)
        except OSError:
            return None

    def reset(self) -> None:
        """Hang up whatever is left and forget old events (start of a test)."""
        for _ in range(4):
            if (
                "INCOMING" not in self.calls()
                and "ESTABLISHED" not in self.calls()
                and ("call" not in self.calls().lower() or "(0)" in self.calls())
            ):
                break
            self.ctl.cmd("hangup")
            time.sleep(0.2)
        self.ctl.drain()

    def calls(self) -> str:
        return self.ctl.calls()

    def dumps_after(self, since: float) -> list[Path]:
        return sorted(p for p in self.dumps.glob("*-dec.wav") if p.stat().st_mtime >= since - 1)

    def stop(self) -> None:
        self.ctl.close()
        stop_process(self.proc)


# ---- SIPp ----------------------------------------------------------------------------------


class Sipp:
    """Runs SIPp scenarios (XML files in ``scenarios/``) against Kamailio or a phone."""

    SCENARIOS = Path(__file__).parent / "scenarios"

    def __init__(self, workdir: Path) -> None:
        self.binary = binary("sipp")
        self.dir = workdir

    def start(
        self, scenario: str, target: str, port: int, *extra: str, timeout_s: int = 30
    ) -> subprocess.Popen[Any]:
        path = scenario if scenario.startswith("-") else str(self.SCENARIOS / scenario)
        name = scenario.strip("-").replace("/", "_")
        args = [self.binary]
        args += ["-sn", path[1:]] if scenario.startswith("-") else ["-sf", path]
        args += ["-i", "127.0.0.1", "-p", str(port), "-m", "1", "-nostdin"]
        args += ["-timeout", f"{timeout_s}s", "-timeout_error", "-trace_err", "-trace_msg"]
        args += list(extra)
        if target:
            args.append(target)
        log = open(self.dir / f"sipp-{name}-{port}.log", "w")  # noqa: SIM115 - kept by Popen
        return subprocess.Popen(
            args, cwd=self.dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def run(self, scenario: str, target: str, port: int, *extra: str, timeout_s: int = 30) -> int:
        proc = self.start(scenario, target, port, *extra, timeout_s=timeout_s)
        try:
            return proc.wait(timeout_s + 10)
        finally:
            stop_process(proc)

    def messages(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.dir.glob("*_messages.log"))

    def errors(self) -> str:
        logs = list(self.dir.glob("*_errors.log")) + list(self.dir.glob("sipp-*.log"))
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in logs)


# ---- audio ---------------------------------------------------------------------------------


def write_tone(path: Path, hz: float, seconds: float, amplitude: float = 0.5) -> None:
    n = int(8000 * seconds)
    period = [int(amplitude * 32767 * math.sin(2 * math.pi * hz * i / 8000)) for i in range(8000)]
    one_second = struct.pack(f"<{len(period)}h", *period)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        full, rest = divmod(n, 8000)
        wav.writeframes(one_second * full + one_second[: rest * 2])


def read_wav(path: Path) -> list[int]:
    with wave.open(str(path), "rb") as wav:
        data = wav.readframes(wav.getnframes())
        width, rate = wav.getsampwidth(), wav.getframerate()
    if width != 2:
        raise ValueError(f"{path}: {width}-byte samples")
    samples = list(struct.unpack(f"<{len(data) // 2}h", data))
    if rate != 8000:
        step = rate / 8000
        samples = [samples[int(i * step)] for i in range(int(len(samples) / step))]
    return samples


def goertzel(samples: list[int], hz: float) -> float:
    coeff = 2 * math.cos(2 * math.pi * hz / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def tone_of(samples: list[int]) -> tuple[float, float, float]:
    """(peak frequency in Hz, spectral purity 0..1, level in dBFS) of a stretch of audio."""
    window = samples[:1600]
    energy = sum(x * x for x in window)
    if not window or energy == 0:
        return 0.0, 0.0, -120.0
    coarse = max(range(100, 3900, 20), key=lambda f: goertzel(window, f))
    peak = max((coarse + d / 2 for d in range(-40, 41)), key=lambda f: goertzel(window, f))
    purity = goertzel(window, peak) / (len(window) / 2 * energy)
    rms = math.sqrt(energy / len(window))
    return peak, min(1.0, purity), 20 * math.log10(max(rms, 1e-9) / 32768)


def loud_part(samples: list[int], skip_s: float = 0.3) -> list[int]:
    """The audio after the first loud sample (plus ``skip_s``), for tone analysis."""
    start = next((i for i, x in enumerate(samples) if abs(x) > 1000), len(samples))
    return samples[start + int(skip_s * 8000) :]


def analyse(path: Path, skip_s: float = 0.3) -> tuple[float, float, float]:
    return tone_of(loud_part(read_wav(path), skip_s))


def steady_tone(path: Path, skip_s: float = 0.5, windows: int = 9) -> tuple[float, float, float]:
    """The median (by purity) of ``windows`` consecutive 200 ms analyses after the audio starts:
    one glitch (a late packet on a loaded machine, a player starting) does not decide."""
    samples = loud_part(read_wav(path), skip_s)
    found = [tone_of(samples[i * 1600 : (i + 1) * 1600]) for i in range(windows)]
    found = [f for f in found if f[2] > -120] or [(0.0, 0.0, -120.0)]
    return sorted(found, key=lambda f: f[1])[len(found) // 2]
