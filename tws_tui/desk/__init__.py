"""The desk: other programs of the user talk to the running console over a local socket.

``tws-tui dial`` hands it a number to dial as F3 does, ``tws-tui events`` prints what happens
(calls, presence, queues, chat), ``tws-tui status`` the calls and the presence now. Headless:
the protocol (:mod:`.protocol`), the socket and who may use it (:mod:`.endpoint`), the client
(:mod:`.client`), the numbers a request may give (:mod:`.numbers`), the commands
(:mod:`.commands`) and the ``tel:``/``sip:`` link handler (:mod:`.handler`). The console's end
is :mod:`tws_tui.console.controllers.desk`. Nothing here imports Textual or the console.
"""
