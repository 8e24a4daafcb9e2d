"""Two consoles on the real CTI server (issue 15): Alice's and Bob's, each a TwsApp driven by
its own pilot. Alice makes a group with Bob (Ctrl+G): Bob's console lists it; Bob writes in
it and Alice's console shows the message, then "✓ seen by 1" once Bob's console showed her
answer; with the server killed, Alice's message waits, and Bob's console gets it once the server
is started again on the same port."""

from __future__ import annotations

from cti_fixtures import ServerThread, chat_screens, cti_console, cti_server, signed_in
from helpers import screen_text, settle, until

from tws_tui.core.events import LinkStatus

__all__ = ["cti_server"]

SIZE = (110, 30)


async def test_group_seen_and_offline_between_two_consoles(cti_server: ServerThread) -> None:
    alice, bob = cti_console(cti_server), cti_console(cti_server, "bob")
    async with signed_in(alice, bob, size=SIZE) as (a, b):
        await until(a, lambda: len(alice.state.devices) >= 2, "alice sees her colleagues")
        _, bob_screen = await chat_screens((alice, a), (bob, b))
        await a.press("ctrl+g")
        await settle(a)
        await a.press(*"Accueil", "enter", *"bo", "enter", "ctrl+s")
        await until(b, lambda: "# Accueil" in screen_text(bob), "bob's console lists it", 10)
        gid = next(iter(bob.state.chat_groups))
        bob_screen.open_conversation(gid)
        await settle(b)
        await b.press(*"Je prends la ligne 2", "enter")
        await until(a, lambda: "Je prends la ligne 2" in screen_text(alice), "alice reads it")
        await a.press(*"Merci Bob", "enter")
        await until(b, lambda: "Merci Bob" in screen_text(bob), "bob's console shows it")
        await until(a, lambda: "✓ seen by 1" in screen_text(alice), "seen on alice's", 10)

        cti_server.kill()
        await until(a, lambda: alice.state.link is not LinkStatus.ONLINE, "alice offline", 10)
        await a.press(*"Pendant la coupure", "enter")
        await until(a, lambda: "⏳ waiting for the link" in screen_text(alice), "waiting")
        cti_server.start()
        await until(a, lambda: alice.state.link is LinkStatus.ONLINE, "alice back", 15)
        await until(b, lambda: bob.state.link is LinkStatus.ONLINE, "bob back", 15)
        await until(a, lambda: "waiting" not in screen_text(alice), "sent", 10)
        await until(b, lambda: "Pendant la coupure" in screen_text(bob), "bob gets it", 10)
