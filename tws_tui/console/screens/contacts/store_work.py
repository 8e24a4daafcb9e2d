"""The contact store's work, off the UI loop (ARCHITECTURE §3: local SQLite work runs in workers).

:func:`store_work` runs one piece of work on the local contact store — a write, or the business
card's lookup of a number — from a Textual worker of the screen that asks
(``exit_on_error=False``), in the one thread that does the store's work: pieces run one at a
time, in the order they were asked, so two writes never cross. Back on the UI loop the result
goes to ``done`` (the screen redraws from it); a refusal of the store (:data:`STORE_ERRORS`: a
damaged or read-only file, a contact refused, a contact gone meanwhile) goes to ``failed``, by
default a notification. A two-way CardDAV contact's change is written here too (its request to
the server and its copy, :mod:`tws_tui.contacts.carddav`): the writes stay in order. Any other
exception is a bug: it goes where every handler's bug goes
(``ResilientApp.report_handler_error``: logged, one line shown).

Work asked is done even when its screen closes meanwhile; only ``done``/``failed`` are then
skipped. :func:`in_store_thread` is the same thread for an ``async`` worker that awaits it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from tws_tui.console.textual_private import ResilientApp
from tws_tui.contacts.carddav import CardDavReadOnly
from tws_tui.contacts.carddav_client import CardDavError
from tws_tui.contacts.carddav_store import CardDavStoreError
from tws_tui.contacts.public_directory import PublicDirectoryRefused
from tws_tui.contacts.rules import ContactNotFound, InvalidContactInput
from tws_tui.contacts.store import ContactStoreError
from tws_tui.platform.serial_thread import SerialThread

#: What a write can be refused with: the local store's refusals, and the CardDAV address
#: book's (read-only, a conflict, the server unreachable or refusing; its copy unusable), the
#: phone system's public directory's (a contact of another user's, the server unreachable).
STORE_ERRORS = (
    InvalidContactInput,
    ContactNotFound,
    ContactStoreError,
    CardDavReadOnly,
    CardDavError,
    CardDavStoreError,
    PublicDirectoryRefused,
)
#: The group of the workers :func:`store_work` starts (tests wait for it).
STORE_WORK_GROUP = "contact-store"

T = TypeVar("T")

_STORE_THREAD = SerialThread("contact-store")


async def in_store_thread(work: Callable[[], T]) -> T:
    """``work()`` run in the store's thread after the work asked before it; awaiting it can be
    cancelled, the work itself is not."""
    return await _STORE_THREAD.run(work)


def store_work(
    node: DOMNode,
    work: Callable[[], T],
    done: Callable[[T], object],
    *,
    failed: Callable[[Exception], object] | None = None,
) -> Worker[None]:
    """Run ``work()`` in the store's thread; then ``done(result)`` or ``failed(refusal)`` on
    the UI loop (``failed`` by default notifies the refusal)."""

    async def run() -> None:
        try:
            try:
                result = await in_store_thread(work)
            except STORE_ERRORS as refusal:
                if failed is not None:
                    failed(refusal)
                else:
                    node.app.notify(str(refusal), severity="error", markup=False)
                return
            done(result)
        except Exception as error:  # a bug: reported as every handler's is
            _report_bug(node, error)

    return node.run_worker(run, group=STORE_WORK_GROUP, exit_on_error=False)


def _report_bug(node: DOMNode, error: Exception) -> None:
    """A bug in the work or in what follows it, reported as the app reports a handler's (an
    app that does not say how fails the worker, ``exit_on_error`` being off)."""
    app: Any = node.app
    if not isinstance(app, ResilientApp):
        raise error
    app.report_handler_error(error)
