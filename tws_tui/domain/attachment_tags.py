"""Files staged for a message and their tags (issue 15, TWS Caller §4.3.5.3, §4.3.5.4).

A file chosen with Alt+H waits in the conversation's pending message (:class:`StagedFile`)
until Enter sends the text and every staged file as one message. Each gets two automatic tags
(:func:`automatic_tags`): its type (image, document, audio, video, archive, text… in the
user's language) and its format (PNG, PDF…: from the name through ``mimetypes``, the
extension else; a file without a known name that reads as UTF-8 is text). The user removes
tags and adds others (:func:`check_tag`: 1 to :data:`TAG_MAX_CHARS` letters, digits and
``- _ . +``, French and English words alike; no control, markup or escape character, no
space) before sending, never after. Tags are stored with the file; searching by tag is not
offered (TWS-4.3.5.4-3).

:func:`stage` adds files to a pending message within its limits: :data:`MAX_FILES` files
and :data:`MAX_TOTAL_BYTES` in all (each file's own limit is ``attachments``'); a refusal
names the file.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from tws_tui.core.errors import N_, InvalidValue
from tws_tui.core.values import value_class
from tws_tui.platform.i18n import _

#: The most files in one message, and their total size (20 MiB).
MAX_FILES = 10
MAX_TOTAL_MB = 20
MAX_TOTAL_BYTES = MAX_TOTAL_MB * 1024 * 1024
#: A tag's longest name, and the most tags on a file.
TAG_MAX_CHARS = 24
MAX_TAGS = 8
#: The characters a tag may have besides letters, digits and combining marks.
TAG_PUNCTUATION = frozenset("-_.+")

#: The type tag of a MIME type's top-level type; the application/* ones by their subtype.
#: Their msgids say "type|" first (dropped once translated): "text" alone means another word.
_TYPES = {
    "image": N_("type|image"),
    "audio": N_("type|audio"),
    "video": N_("type|video"),
    "text": N_("type|text"),
    "font": N_("type|font"),
}
_ARCHIVES = ("zip", "x-tar", "gzip", "x-gzip", "x-7z-compressed", "x-rar", "x-bzip2", "x-xz")
_DOCUMENTS = ("pdf", "msword", "rtf", "vnd.ms-", "vnd.openxmlformats", "vnd.oasis.opendocument")
#: Formats better known by another name than the MIME subtype's.
_FORMATS = {"jpeg": "JPEG", "plain": "TXT", "mpeg": "MPEG", "svg+xml": "SVG"}


def _kind(content_type: str) -> str:
    """The untranslated type tag of ``content_type`` (its msgid, ``type|`` first)."""
    top, _slash, sub = content_type.partition("/")
    if top in _TYPES:
        return _TYPES[top]
    if sub in _ARCHIVES:
        return N_("type|archive")
    if sub.startswith(_DOCUMENTS):
        return N_("type|document")
    if sub in ("json", "xml", "x-sh", "javascript"):
        return N_("type|text")
    return N_("type|file")


def content_type_of(name: str, head: bytes = b"") -> str:
    """The MIME type of a file ``name`` starting with ``head``: by its name, else text when
    ``head`` reads as UTF-8, else ``application/octet-stream``."""
    guessed = mimetypes.guess_type(name, strict=False)[0]
    if guessed:
        return guessed
    if head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:  # a character cut at the end of head is text
            if error.start < len(head) - 3:
                return "application/octet-stream"
        if not any(byte < 9 or 13 < byte < 32 for byte in head):
            return "text/plain"
    return "application/octet-stream"


def automatic_tags(name: str, content_type: str) -> tuple[str, ...]:
    """The two tags a file gets (TWS-4.3.5.4-1): its type, in the user's language, and its
    format (``PNG``, ``PDF``: the extension, else the subtype, in capitals)."""
    sub = content_type.partition("/")[2]
    format_ = Path(name).suffix.lstrip(".").upper() or _FORMATS.get(sub, "")
    if not format_ and sub != "octet-stream":
        format_ = sub.removeprefix("x-").upper()
    kind = _(_kind(content_type)).rpartition("|")[2]  # "type|": a word of its own
    fmt = "".join(ch for ch in format_ if ch.isalnum() or ch in TAG_PUNCTUATION)[:TAG_MAX_CHARS]
    return (kind, fmt) if fmt and fmt.casefold() != kind.casefold() else (kind,)


def check_tag(typed: str, tags: Sequence[str] = ()) -> str:
    """The tag typed (a leading ``#`` dropped), checked against the file's ``tags``;
    :class:`InvalidValue` saying what is wrong (the tag is not repeated: it may not print)."""
    tag = typed.strip().removeprefix("#")
    if not tag:
        raise InvalidValue(N_("Type the tag's name."))
    if len(tag) > TAG_MAX_CHARS:
        raise InvalidValue(N_("A tag has at most {most} characters."), most=TAG_MAX_CHARS)
    for ch in tag:
        if unicodedata.category(ch)[0] not in "LNM" and ch not in TAG_PUNCTUATION:
            raise InvalidValue(
                N_("A tag has letters, digits and - _ . + only (no space, no markup).")
            )
    if tag.casefold() in (t.casefold() for t in tags):
        raise InvalidValue(N_("The file already has the tag {tag}."), tag=tag)
    if len(tags) >= MAX_TAGS:
        raise InvalidValue(N_("A file has at most {most} tags."), most=MAX_TAGS)
    return tag


def checked_tags(tags: Sequence[object]) -> tuple[str, ...]:
    """``tags`` as received (a backend, the wire), each checked (:func:`check_tag`)."""
    kept: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise InvalidValue(N_("A tag is a text."))
        kept.append(check_tag(tag, kept))
    return tuple(kept)


@value_class
class StagedFile:
    """A file waiting in a pending message: where it is, its name, size, type and tags."""

    path: Path
    name: str
    size: int
    content_type: str
    tags: tuple[str, ...]


def staged_file(path: Path, head: bytes = b"") -> StagedFile:
    """``path`` (checked by ``attachments.check_attachment``) as a staged file with its two
    automatic tags; ``head`` is its first bytes."""
    content_type = content_type_of(path.name, head)
    size = path.stat().st_size
    return StagedFile(path, path.name, size, content_type, automatic_tags(path.name, content_type))


def stage(staged: Sequence[StagedFile], more: Sequence[StagedFile]) -> list[StagedFile]:
    """``staged`` and ``more`` (a file staged twice counts once); :class:`InvalidValue`
    naming the first file past :data:`MAX_FILES` or :data:`MAX_TOTAL_BYTES`."""
    kept = list(staged)
    total = sum(file.size for file in kept)
    for file in more:
        if any(file.path == other.path for other in kept):
            continue
        if len(kept) >= MAX_FILES:
            raise InvalidValue(
                N_("{name} not added: a message carries at most {most} files."),
                name=file.name,
                most=MAX_FILES,
            )
        total += file.size
        if total > MAX_TOTAL_BYTES:
            raise InvalidValue(
                N_("{name} not added: the files of a message weigh at most {most} MB in all."),
                name=file.name,
                most=MAX_TOTAL_MB,
            )
        kept.append(file)
    return kept
