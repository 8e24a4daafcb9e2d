"""The About panel's lines (TWS-1.8-1): this console's version, the backend in use with its
library and the phone system it talks to (``core.protocols.Describes``: pyVoIP and the
registrar for ``sip``, the server's address and protocol version for ``cti``), the link's
state, Python's and Textual's versions, and where the files are. The same lines open the
diagnostics bundle's ``about.txt``."""

from __future__ import annotations

import platform

import textual

from tws_tui import __version__
from tws_tui.console.api import ConsoleApi
from tws_tui.core.protocols import Describes
from tws_tui.domain.format import LINK_WORD
from tws_tui.platform import paths
from tws_tui.platform.i18n import N_, _

#: What a backend's ``about()`` keys mean, in the order shown.
BACKEND_KEYS = (
    ("library", N_("Library")),
    ("server", N_("Phone system")),
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
    lines = [(_("Version"), f"tws-tui {__version__}"), (_("Backend"), tws.backend_name)]
    backend = tws.backend
    told: dict[str, str] = backend.about() if isinstance(backend, Describes) else {}
    lines += [(_(label), told[key]) for key, label in BACKEND_KEYS if key in told]
    state = tws.state
    link = _(LINK_WORD[state.link])
    lines.append((_("Connection"), f"{link} ({state.link_detail})" if state.link_detail else link))
    lines.append(("Python", platform.python_version()))
    lines.append(("Textual", textual.__version__))
    lines += [(_(FILE_LABELS[name]), str(path)) for name, path in paths.locations().items()]
    return lines
