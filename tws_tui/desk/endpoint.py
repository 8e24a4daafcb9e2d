"""Where the running console listens for desk requests, and who may talk to it.

The socket is ``<state>/run/desk.sock`` (:func:`socket_path`; the state directory of
:mod:`tws_tui.platform.paths`, so ``TWS_TUI_STATE_DIR`` moves it): a Unix stream socket, mode
0600, in a directory of mode 0700 owned by the user, so only the user reaches it; and each
connection's peer credentials (``SO_PEERCRED``) are checked as well (:func:`peer_allowed`): a
process of another user is refused even when the permissions were loosened by hand. The client
checks the same of the console it reaches.

One console per user listens: :func:`listen` finds a socket that answers and raises
:class:`AlreadyServing`; a socket file nobody listens on (a console killed) is stale and taken
over. The console removes its socket when it quits (:meth:`Listener.close`), and only its own
(not one another console took over since).

A Unix socket's path is at most 107 bytes; a longer one (a deep ``TWS_TUI_STATE_DIR``) is
reached through the directory's descriptor, ``/proc/self/fd/N/desk.sock`` (Linux).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import stat
import struct
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from tws_tui.platform import paths
from tws_tui.platform.i18n import _

SOCKET_DIR_NAME = "run"
SOCKET_NAME = "desk.sock"
#: Bytes of a ``sockaddr_un`` path, with room to spare (108 with the final NUL on Linux).
_SUN_PATH_MAX = 100
_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class DeskUnavailable(Exception):
    """The socket cannot be made or reached; the text says why."""


class AlreadyServing(DeskUnavailable):
    """Another console of this user answers on the socket."""


class NoConsole(DeskUnavailable):
    """No console listens on the socket."""


def socket_path() -> Path:
    """The console's desk socket."""
    return paths.state_dir() / SOCKET_DIR_NAME / SOCKET_NAME


@contextlib.contextmanager
def short_address(path: Path) -> Iterator[str]:
    """An address ``bind``/``connect`` take for ``path``, however deep (module docstring)."""
    text = str(path)
    if len(os.fsencode(text)) < _SUN_PATH_MAX:
        yield text
        return
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


def peer_uid(sock: socket.socket) -> int:
    """The user id of the process at the other end of a Unix socket (``SO_PEERCRED``)."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size)
    _pid, uid, _gid = _CREDENTIALS.unpack(raw)
    return int(uid)


def peer_allowed(sock: socket.socket) -> bool:
    """Whether the other end runs as this user."""
    return peer_uid(sock) == os.getuid()


def private_dir(directory: Path) -> Path:
    """``directory`` made (0700) or checked: mine, a directory, closed to others."""
    paths.ensure_dir(directory)
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise DeskUnavailable(
            _("{path} is not a directory of this user; tws-tui dial is off.").format(path=directory)
        )
    if info.st_mode & 0o077:
        os.chmod(directory, 0o700)
    return directory


def answers(path: Path) -> bool:
    """Whether a console listens on the socket at ``path`` (False: absent or stale)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        with short_address(path) as address:
            probe.connect(address)
    except (FileNotFoundError, ConnectionRefusedError):
        return False
    except OSError as error:
        raise DeskUnavailable(
            _("Cannot reach {path}: {reason}.").format(path=path, reason=error.strerror or error)
        ) from None
    finally:
        probe.close()
    return True


class Listener:
    """The console's listening socket; :meth:`close` removes it."""

    def __init__(self, server: asyncio.Server, path: Path, inode: int) -> None:
        self.server = server
        self.path = path
        self._inode = inode

    def close(self) -> None:
        """Stop listening and remove the socket file, if it is still this one."""
        self.server.close()
        with contextlib.suppress(OSError):
            if os.lstat(self.path).st_ino == self._inode:
                os.unlink(self.path)


async def listen(handler: Handler, path: Path | None = None, limit: int = 2**16) -> Listener:
    """Listen on the desk socket (0600, in a 0700 directory), ``handler`` per connection.

    :class:`AlreadyServing` when another console answers there; a stale socket is replaced;
    :class:`DeskUnavailable` when the place is not usable (not mine, not a socket)."""
    path = path if path is not None else socket_path()
    private_dir(path.parent)
    if os.path.lexists(path):
        if not stat.S_ISSOCK(os.lstat(path).st_mode):
            raise DeskUnavailable(
                _("{path} is not a socket; tws-tui dial is off.").format(path=path)
            )
        if answers(path):
            raise AlreadyServing(
                _("Another tws-tui console of yours answers tws-tui dial; this one does not.")
            )
        os.unlink(path)  # stale: its console is gone
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with short_address(path) as address:
            sock.bind(address)
        os.chmod(path, 0o600)  # before listening: nobody can connect yet
        inode = os.lstat(path).st_ino
        server = await asyncio.start_unix_server(handler, sock=sock, limit=limit)
    except BaseException:
        sock.close()
        raise
    return Listener(server, path, inode)


def connect(path: Path | None = None, timeout: float | None = 10.0) -> socket.socket:
    """A connection to this user's console; :class:`NoConsole` when none runs."""
    path = path if path is not None else socket_path()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        with short_address(path) as address:
            sock.connect(address)
    except (FileNotFoundError, ConnectionRefusedError, NotADirectoryError):
        sock.close()
        raise NoConsole(_("no tws-tui console is running for this user")) from None
    except OSError as error:
        sock.close()
        raise DeskUnavailable(
            _("Cannot reach {path}: {reason}.").format(path=path, reason=error.strerror or error)
        ) from None
    if not peer_allowed(sock):
        sock.close()
        raise DeskUnavailable(_("{path} is served by another user: not used.").format(path=path))
    return sock
