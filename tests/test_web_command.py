"""``tws-tui web`` (issue 20): what it refuses, in one sentence and no traceback (plain HTTP off
loopback, a bad port, a port in use, half or unusable TLS files, an unknown backend); what each
browser tab runs (this same tws-tui with the console options given); the page in the user's
language, over HTTPS, without an outside font service. The real browser is in
``test_web_browser.py``."""

from __future__ import annotations

import argparse
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from web_fixtures import free_port, web_server

from tws_tui import cli
from tws_tui.web.command import check_address, console_command, public_url


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "en")  # the default is French


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli.main(list(args)) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.count("\n") == 1, captured.err  # one line
    return captured.err


def test_plain_http_off_loopback_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for host in ("0.0.0.0", "192.0.2.10", "::"):
        err = refused(capsys, "web", "--demo", "--host", host)
        assert f"refusing plain HTTP on {host}" in err
        assert "--certfile and --keyfile, or --allow-http" in err
    err = refused(capsys, "--lang", "fr", "web", "--host", "0.0.0.0")
    assert err.startswith("tws-tui : HTTP en clair refusé sur 0.0.0.0 :")


def test_bad_ports_half_tls_and_unknown_backends_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for port in ("0", "65536", "-1"):
        assert "--port must be between 1 and 65535" in refused(capsys, "web", "--port", port)
    assert "give both --certfile and --keyfile" in refused(capsys, "web", "--certfile", "cert.pem")
    missing = str(tmp_path / "none.pem")
    err = refused(capsys, "web", "--certfile", missing, "--keyfile", missing)
    assert f"cannot use the certificate {missing}" in err and "No such file" in err
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    assert "cannot use the certificate" in refused(
        capsys, "web", "--certfile", str(garbage), "--keyfile", str(garbage)
    )
    assert "unknown backend 'nope'" in refused(capsys, "web", "--backend", "nope")
    assert "--public-url must start with http:// or https://, not 'example.com'" in refused(
        capsys, "web", "--public-url", "example.com"
    )


def test_off_loopback_with_tls_or_behind_a_tls_proxy_is_allowed() -> None:
    check_address("0.0.0.0", 8443, certfile="c.pem", keyfile="k.pem", allow_http=False)
    check_address("0.0.0.0", 8000, certfile=None, keyfile=None, allow_http=True)
    check_address("::1", 8000, certfile=None, keyfile=None, allow_http=False)


def test_a_port_in_use_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = refused(capsys, "web", "--demo", "--port", str(port))
    assert f"cannot listen on 127.0.0.1 port {port}:" in err
    assert "address already in use" in err


def test_each_tab_runs_this_tws_tui_with_the_console_options_given(tmp_path: Path) -> None:
    config = tmp_path / "my config.toml"

    def command(*args: str) -> list[str]:
        parsed: argparse.Namespace = cli.build_parser().parse_args(list(args))
        return shlex.split(console_command(parsed))

    this = [sys.executable, "-m", "tws_tui"]
    assert command("web") == this
    assert command("web", "--demo", "--port", "9000") == [*this, "--demo"]
    # Before or after `web`, the same console options reach each tab's console.
    before = ["--backend", "cti", "--lang", "fr", "--seed", "7", "--log-level", "DEBUG"]
    expected = [*this, "--backend", "cti", "--lang", "fr", "--log-level", "debug", "--seed", "7"]
    assert command(*before, "web") == expected
    assert command("web", *before) == expected
    assert command("web", "--demo", "--config", str(config)) == [
        *this,
        "--demo",
        "--config",
        str(config),
    ]


def test_the_address_browsers_open() -> None:
    assert public_url("127.0.0.1", 8000, https=False) == "http://127.0.0.1:8000"
    assert public_url("::1", 8443, https=True) == "https://[::1]:8443"
    assert public_url("localhost", 443, https=True) == "https://localhost"
    wildcard = public_url("0.0.0.0", 8000, https=True)
    assert wildcard.startswith("https://") and "0.0.0.0" not in wildcard


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x"]
    subprocess.run(
        ["openssl", *request, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def test_the_page_over_https_in_french_with_no_outside_request(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    port = free_port()
    french = ["--lang", "fr", "web", "--demo", "--port", str(port)]
    with web_server(*french, "--certfile", str(cert), "--keyfile", str(key)) as server:
        assert server.lines[0].startswith(f"Console servie sur https://127.0.0.1:{port}/?key=")
        with pytest.raises(httpx.HTTPError):  # no plain HTTP on the HTTPS port
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
        opened = httpx.get(server.url, verify=False, timeout=5)
        font = httpx.get(
            f"{server.base}static/fonts/RobotoMono-VariableFont_wght.ttf", verify=False, timeout=5
        )
    page = opened.text
    assert f'data-session-websocket-url="wss://127.0.0.1:{port}/ws"' in page
    assert '<html lang="fr">' in page
    assert "La console s&#39;est arrêtée" in page and "Démarrer une nouvelle console" in page
    assert "Session ended" not in page and "Restart" not in page
    assert "googleapis" not in page and "https://fonts" not in page
    assert font.status_code == 200 and len(font.content) > 10_000


def test_only_the_printed_address_opens_a_console() -> None:
    port = free_port()
    with web_server("web", "--demo", "--port", str(port)) as server:
        base = server.base
        keyless = httpx.get(base, timeout=5)
        wrong = httpx.get(base + "?key=guess", timeout=5)
        socket_keyless = httpx.get(base + "ws", timeout=5)
        with httpx.Client(timeout=5) as browser:
            opened = browser.get(server.url)
            again = browser.get(base)  # the cookie now stands for the key
            other_site = browser.get(base + "ws", headers={"Origin": "http://evil.example"})
    assert keyless.status_code == wrong.status_code == socket_keyless.status_code == 403
    assert "only from the address tws-tui web printed" in keyless.text
    assert opened.status_code == 200 and again.status_code == 200
    cookie = opened.headers["set-cookie"]
    assert f"tws_tui_web_{port}=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert other_site.status_code == 403
    assert "must come from its own page" in other_site.text
