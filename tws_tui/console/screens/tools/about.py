"""The About panel's lines (TWS-1.8-1): this console's version, when it was installed or last
updated and its licence; the backend in use with its library and the phone system it talks to
(``core.protocols.Describes``: pyVoIP and the registrar — the SIP proxy — with its version
(the ``Server`` header of its REGISTER replies) for ``sip``, the
server's address and protocol version for ``cti``); who I am and the extension supervised
(the phone that receives my calls); this machine's address; the link's state (events and
telephony come through the one link); Python's and the libraries' versions; where the files
are. The same lines open the diagnostics bundle's ``about.txt`` and are what About's copy key
puts on the clipboard (``about_text``)."""

from __future__ import annotations

import platform

from tws_tui import __version__
from tws_tui.console.api import ConsoleApi
from tws_tui.core.protocols import Describes
from tws_tui.domain.format import LINK_WORD
from tws_tui.platform import install_info, paths
from tws_tui.platform.i18n import N_, _, labelled

#: What a backend's ``about()`` keys mean, in the order shown.
BACKEND_KEYS = (
    ("library", N_("Library")),
    ("server", N_("Phone system")),
    ("server_version", N_("Phone system version")),
    ("audio", N_("Audio device")),
    ("seed", N_("Simulated switch, seed")),
)
FILE_LABELS = {
    "config": N_("Configuration"),
    "prefs": N_("Preferences file"),
    "data": N_("Data folder"),
    "state": N_("State folder"),
    "log": N_("Log file"),
}


def about_lines(tws: ConsoleApi) -> list[tuple[str, str]]:
    """(label in the current language, value) for each line of the About panel."""
    unknown = _("unknown")
    installed = install_info.installed_on()
    lines = [
        (_("Version"), f"tws-tui {__version__}"),
        (
            _("Installed or updated"),
            installed.strftime("%Y-%m-%d %H:%M UTC") if installed else unknown,
        ),
        (_("Licence"), install_info.licence() or unknown),
        (_("Backend"), tws.backend_name),
    ]
    backend = tws.backend
    told: dict[str, str] = backend.about() if isinstance(backend, Describes) else {}
    lines += [(_(label), told[key]) for key, label in BACKEND_KEYS if key in told]
    state = tws.state
    me = state.me
    lines.append((_("User"), f"{me.name} ({me.user_id})" if me is not None else _("not signed in")))
    lines.append((_("Extension supervised"), me.extension if me is not None else unknown))
    lines.append((_("This machine's address"), install_info.local_address() or unknown))
    link = _(LINK_WORD[state.link])
    lines.append((_("Connection"), f"{link} ({state.link_detail})" if state.link_detail else link))
    lines.append(("Python", platform.python_version()))
    versions = (
        f"{name} {version}" if version else _("{name} not installed").format(name=name)
        for name, version in install_info.library_versions()
    )
    lines.append((_("Libraries"), ", ".join(versions)))
    lines += [(_(FILE_LABELS[name]), str(path)) for name, path in paths.locations().items()]
    return lines


def about_text(tws: ConsoleApi) -> str:
    """The About panel as text, one "label: value" a line in the current language."""
    return "\n".join(labelled(label, value) for label, value in about_lines(tws))
