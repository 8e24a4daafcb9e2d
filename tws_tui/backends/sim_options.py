"""The options of the ``sim`` backend, declared once (``[backend.sim]`` in a settings file).

Read by the settings layer to check ``[backend.sim]`` and by :class:`~tws_tui.backends.sim.
SimBackend` to parse its options, so the two cannot disagree. Imports nothing heavy: the
settings layer reads it without importing the simulator. Programmatic options (``clock``,
``capabilities``, ``colleague_lists``) are the backend's own and are not declared here.
"""

from __future__ import annotations

from tws_tui.core.options import Kind, Option, Rule
from tws_tui.platform.i18n import N_

#: What ``extension`` must look like (an English msgid, translated when shown).
DIGITS = N_('digits, such as "100"')

OPTIONS: tuple[Option, ...] = (
    Option(
        "seed",
        1,
        Rule(Kind.INT, low=0, high=2**63 - 1),
        N_("the same seed gives the same company and the same traffic"),
    ),
    Option("traffic", True, Rule(Kind.BOOL), N_("generate calls, chats and queue activity")),
    Option(
        "extension",
        "",
        Rule(Kind.TEXT, pattern=r"[0-9]*", what=DIGITS),
        N_("the operator's extension; '' lets it choose"),
    ),
)
