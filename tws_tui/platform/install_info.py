"""What is installed on this machine, for the About panel (TWS-1.8-1): the date tws-tui was
installed or last updated (its package metadata's time), its licence, the versions of the
libraries the console runs on (``importlib.metadata``; "not installed" for an optional one
that is absent), and the address this machine talks from (the interface a UDP socket would
leave by on the default route: no packet is sent). Each answer degrades to None or a word,
never an exception."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "tws-tui"
#: The libraries whose versions About lists: the required ones, then the optional extras'.
LIBRARIES = (
    "textual",
    "rich",
    "httpx",
    "platformdirs",
    "keyring",
    "phonenumbers",
    "icalendar",
    "pyVoIP",
    "sounddevice",
)
#: An address of TEST-NET-1 (RFC 5737): only the route to it is asked for.
NOWHERE = "192.0.2.1"


def installed_on() -> datetime | None:
    """When the package was installed or last updated (its metadata file's time, UTC)."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
        files = dist.files or []
        meta = next((f for f in files if f.name == "METADATA"), None)
        if meta is None:
            return None
        stamp = Path(meta.locate()).stat().st_mtime
    except (metadata.PackageNotFoundError, OSError):
        return None
    return datetime.fromtimestamp(stamp, UTC)


def licence() -> str:
    """The package's licence (SPDX), "" when its metadata cannot be read."""
    try:
        info = metadata.metadata(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return ""
    found = (info.get_all("License-Expression") or []) + (info.get_all("License") or [])
    return str(found[0]) if found else ""


def library_versions() -> list[tuple[str, str | None]]:
    """(library, version or None when it is not installed), in :data:`LIBRARIES`' order."""
    found: list[tuple[str, str | None]] = []
    for name in LIBRARIES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, None))
    return found


def local_address() -> str | None:
    """This machine's address on its default route (IPv4); None with no network."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((NOWHERE, 9))
            return str(probe.getsockname()[0])
    except OSError:
        return None
