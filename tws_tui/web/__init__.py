"""Browser mode: ``tws-tui web`` serves the console to a browser through textual-serve.

* :mod:`~tws_tui.web.command` — the ``web`` subcommand: its options, the refusals (plain HTTP
  off loopback, a bad port, missing TLS files), the console command each browser session runs;
* :mod:`~tws_tui.web.page` — textual-serve's server as we run it: HTTPS when given a
  certificate, the page in the user's language and without outside fonts, our own start line;
* :mod:`~tws_tui.web.access` — only the printed address (with this run's key) opens a console.

Headless: nothing here imports the console or Textual; each browser session is a separate
``tws-tui`` process that textual-serve starts and ends (textual-serve and aiohttp come from the
``web`` extra and are imported only when the command runs).
"""
