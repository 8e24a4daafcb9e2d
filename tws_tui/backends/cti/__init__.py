"""The ``cti`` backend: client of a CTI HTTP server (protocol v1, ``tws-tui serve``).

The entry point is :class:`~tws_tui.backends.cti.backend.CtiBackend` (options in its module
docstring). Modules: ``backend`` (the contract), ``session`` (httpx, tokens, retries),
``stream`` (SSE reader: resume, resync, reconnection), ``sse`` (the parser), ``data``
(directory, history, chat).
"""

from tws_tui.backends.cti.backend import CtiBackend
from tws_tui.backends.cti.session import LoginRefused

__all__ = ["CtiBackend", "LoginRefused"]
