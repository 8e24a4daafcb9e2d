"""E-mail support (TWS-6.11-6, Tools → M): a ``mailto:`` link to ``[general] support_email``
("" leaves the address to type), its subject, and a body that asks for the diagnostics bundle
to be attached (a link cannot attach a file) and carries About's lines, the oldest cut past
:data:`MAX_BODY` characters so every mail client takes the link. The link is handed to the
desktop's mail client and copied to the clipboard (``console/links.py``; over SSH only
copied), and the notice says which and names the bundle's key."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from textual.app import App

from tws_tui.console.api import ConsoleApi
from tws_tui.console.links import open_link
from tws_tui.platform.i18n import _, labelled

MAX_BODY = 1500  # characters of the body before quoting


def mail_link(address: str, about: list[tuple[str, str]], bundle_key: str) -> str:
    """The ``mailto:`` link (RFC 6068), in the current language."""
    subject = _("tws-tui: support request")
    body = _(
        "Hello,\n\nWhat happened, and when:\n\n\nPlease find attached the diagnostics bundle"
        " (Preferences → Tools → {key}).\n"
    ).format(key=bundle_key)
    for label, value in about:
        line = labelled(label, value)
        if len(body) + len(line) + 1 > MAX_BODY:
            break
        body += "\n" + line
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject)}&body={quote(body)}"


def support_mail(tws: ConsoleApi, app: App[Any], about: list[tuple[str, str]]) -> str:
    """Open (or copy) the link; the link."""
    key = tws.app_key_display("tools.export")
    address = tws.prefs.general.support_email
    link = mail_link(address, about, key)
    opened = open_link(app, link)
    if opened:
        said = _(
            "A message to support opens in your mail client: attach the diagnostics bundle ({key})."
        )
    else:
        said = _("The e-mail link is on the clipboard: attach the diagnostics bundle ({key}).")
    if not address:
        said += " " + _("No support address is set ([general] support_email): type it there.")
    tws.notify(said.format(key=key), markup=False)
    return link
