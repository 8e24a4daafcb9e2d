"""Files in chat (issue 15): what may be attached, and where a received one is saved.

Several files may be named at once (:func:`check_attachments`). A file to send must exist,
be a regular file (not a folder), be named without ``..`` (no
climbing out of where the user points), and weigh at most :data:`MAX_ATTACHMENT_BYTES` (the CTI
server's limit too); each refusal is an :class:`~tws_tui.core.errors.InvalidValue` saying why.
A received file is saved under the downloads folder with a safe name (:func:`safe_file_name`:
the last part of the name only, no control or separator characters, never empty or hidden)
and never over an existing file (:func:`free_path`: ``name (1).ext``, ``name (2).ext``…).
"""

from __future__ import annotations

import shlex
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from tws_tui.core.errors import N_, InvalidValue

#: The largest file sent in a conversation (5 MiB).
MAX_MB = 5
MAX_ATTACHMENT_BYTES = MAX_MB * 1024 * 1024
#: How a file without a usable name is saved.
FALLBACK_NAME = "file"


def check_attachment(typed: str) -> Path:
    """The file the user typed, checked (``~`` expanded); :class:`InvalidValue` otherwise."""
    text = typed.strip()
    if not text:
        raise InvalidValue(N_("Type the name of a file."))
    if ".." in PurePosixPath(text).parts or ".." in PureWindowsPath(text).parts:
        raise InvalidValue(N_("A file name with '..' is refused: {path}"), path=text)
    path = Path(text).expanduser()
    if path.is_dir():
        raise InvalidValue(N_("{path} is a folder, not a file."), path=path)
    if not path.is_file():
        raise InvalidValue(N_("There is no file {path}."), path=path)
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise InvalidValue(
            N_("{path} is too large to send: at most {most} MB."), path=path, most=MAX_MB
        )
    return path


def typed_paths(typed: str) -> list[str]:
    """The files named in ``typed``: the whole text when it is one file (a name with spaces
    needs no quotes), else its names split as a shell would (``a.pdf "my notes.txt"``);
    :class:`InvalidValue` when a quote is not closed."""
    text = typed.strip()
    if not text or Path(text).expanduser().is_file():
        return [text]
    try:
        return shlex.split(text)
    except ValueError:
        raise InvalidValue(N_("A quote is not closed: {text}"), text=text) from None


def check_attachments(typed: str) -> list[Path]:
    """Every file named in ``typed`` (:func:`typed_paths`), each checked by
    :func:`check_attachment`: the first refusal stands for all, so none is sent."""
    return [check_attachment(name) for name in typed_paths(typed)]


def check_size(data: bytes) -> None:
    """:class:`InvalidValue` when ``data`` is over :data:`MAX_ATTACHMENT_BYTES` or empty."""
    if not data or len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidValue(N_("A file sent has 1 byte to {most} MB."), most=MAX_MB)


def safe_file_name(name: str) -> str:
    """A name safe to create in a folder: the last part of ``name`` (either separator), no
    control, format or separator characters, no leading dots, at most 120 characters."""
    last = PureWindowsPath(PurePosixPath(name).name).name
    kept = "".join(
        ch
        for ch in last
        if unicodedata.category(ch)[0] not in "CZ" or ch == " "
        if ch not in '<>:"/\\|?*'
    )
    kept = kept.strip().lstrip(".").strip()
    if len(kept) > 120:
        stem, dot, ext = kept.rpartition(".")
        kept = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) < 10 else kept[:120]
    return kept or FALLBACK_NAME


def free_path(folder: Path, name: str) -> Path:
    """``folder / name``, or ``name (1).ext``, ``name (2).ext``… the first that does not exist."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 1
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate
