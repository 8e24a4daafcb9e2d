"""The diagnostics bundle (issue 17, TWS-6.11-6): one zip of what support asks for — the log
files, config.toml, prefs.toml and profiles.json, and an ``about.txt`` — with every secret
removed before it is written.

What is removed: the value of any setting or log field whose name says it is a secret
(password, passwd, secret, token, access/refresh token, api/access/private key,
authorization, credential; a PIN, ``pin`` as a word of the name: ``name = value``,
``name: value``, ``name=value``, JSON's ``"name": "value"``), ``Bearer``/``Basic``/``Digest``
credentials, and the password in an address (``https://user:pw@host``). The secrets file
(keyring fallback) is never read. The replacement keeps the field's name, so support sees that a
password was set, not what it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

REMOVED = "<removed>"
#: A field whose name contains one of these words holds a secret.
SECRET_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "api_key",
    "apikey",
    "access_key",
    "accesskey",
    "private_key",
    "authorization",
    "credential",
)
_NAME = (
    r"[\"']?(?P<name>[\w.-]*(?:"
    + "|".join(SECRET_WORDS)
    + r")[\w.-]*|(?:[\w.-]*[_.-])?pin(?:[_.-][\w.-]*)?)[\"']?"
)
_VALUE = r"(?P<value>\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|[^\s,;&}\]]+)"
_FIELD = re.compile(r"(?i)(?<![\w-])" + _NAME + r"(?P<sep>\s*[=:]\s*)" + _VALUE)
_SCHEME = re.compile(r"(?i)\b(?P<scheme>bearer|basic|digest)\s+(?P<value>[^\s,;\"']+)")
_USERINFO = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@]+):(?P<value>[^@\s/]+)@")
#: A single log file larger than this is cut to its last bytes (the newest lines).
MAX_LOG_BYTES = 8 * 1024 * 1024


def redact(text: str) -> str:
    """``text`` with every secret value replaced by ``<removed>``."""

    def field(match: re.Match[str]) -> str:
        value = match["value"]
        quote = value[0] if value[:1] in ("'", '"') else ""
        return f"{match.group(0)[: match.start('value') - match.start()]}{quote}{REMOVED}{quote}"

    text = _USERINFO.sub(lambda m: f"{m['head']}:{REMOVED}@", text)
    text = _SCHEME.sub(lambda m: f"{m['scheme']} {REMOVED}", text)
    return _FIELD.sub(field, text)


def _read_text(path: Path, limit: int | None = None) -> str:
    data = path.read_bytes()
    if limit is not None and len(data) > limit:
        data = data[-limit:]
    return data.decode("utf-8", errors="replace")


def log_files(log_file: Path) -> list[Path]:
    """The log file and its rotated copies (``tws-tui.log``, ``tws-tui.log.1``…), oldest last."""
    directory = log_file.parent
    if not directory.is_dir():
        return []
    return sorted(
        (p for p in directory.iterdir() if p.is_file() and p.name.startswith(log_file.name)),
        key=lambda p: p.name,
    )


def build_bundle(
    files: Iterable[tuple[str, Path]], logs: Sequence[Path], about: Sequence[tuple[str, str]]
) -> tuple[bytes, list[str]]:
    """The zip's bytes and the names it holds. ``files`` are (name in the zip, path): those
    missing are left out; ``logs`` go under ``logs/``; ``about`` becomes ``about.txt``. Every
    text is passed through :func:`redact`."""
    out = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        about_text = "".join(f"{label}: {value}\n" for label, value in about)
        bundle.writestr("about.txt", redact(about_text))
        names.append("about.txt")
        for name, path in files:
            if path.is_file():
                bundle.writestr(name, redact(_read_text(path)))
                names.append(name)
        for path in logs:
            name = f"logs/{path.name}"
            bundle.writestr(name, redact(_read_text(path, MAX_LOG_BYTES)))
            names.append(name)
    return out.getvalue(), names
