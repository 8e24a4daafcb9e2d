"""What closing the browser tab does to live calls, in browser mode (``tws-tui web``).

Each tab runs its own console process, ended when the tab closes (textual-serve). What becomes
of the calls then depends on where they live: on ``sim`` the simulated switch lives in the
console and its calls end with it; on ``sip`` the console *is* the softphone, which unregisters,
and its calls end; on ``cti`` the calls are on the phone system and stay there (the console
closing ends none of them). The console says it on screen (:func:`closing_tab_text`): a notice
once connected, and a line of the quit confirmation. Textual-free.
"""

from __future__ import annotations

from tws_tui.platform.i18n import N_, _

_FATES = {
    "sim": N_("Closing this browser tab ends this console; the simulated calls end with it."),
    "sip": N_(
        "Closing this browser tab ends this console: its softphone unregisters and its calls end."
    ),
    "cti": N_(
        "Closing this browser tab ends this console; calls stay on the phone system"
        " (answer or end them on the phone)."
    ),
}


def closing_tab_text(backend: str) -> str:
    """One sentence for the backend in use (the registry's name), in the current language."""
    msgid = _FATES.get(backend)
    if msgid is not None:
        return _(msgid)
    return _(
        "Closing this browser tab ends this console; what becomes of its calls depends on the"
        " {backend} backend."
    ).format(backend=backend)
