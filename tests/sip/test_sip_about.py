"""About on the sip backend (issue 17; TWS-1.8-1): the phone system's version is the Server
header of the registrar's REGISTER replies, here a real Kamailio's, shown on the About panel's
lines beside the registrar's address."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import prefs_of, until
from sip_peers import Kamailio

from tws_tui.backends.sip import SipBackend
from tws_tui.console.app import TwsApp
from tws_tui.console.screens.tools.about import about_lines
from tws_tui.core.clock import ManualClock
from tws_tui.core.events import LinkStatus
from tws_tui.settings.schema import AlertSettings

pytestmark = pytest.mark.sip


async def test_about_names_the_registrars_version(
    kamailio: Kamailio, sip_options: dict[str, Any]
) -> None:
    app = TwsApp(
        prefs=prefs_of(alerts=AlertSettings(popup=False)),
        clock=ManualClock(),
        backend=SipBackend(sip_options),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.state.link is LinkStatus.ONLINE, "registered", 10)
        lines = dict(about_lines(app))
        assert lines["Phone system"].startswith("sip:1001@127.0.0.1:")
        assert lines["Phone system version"].startswith("kamailio ("), lines
