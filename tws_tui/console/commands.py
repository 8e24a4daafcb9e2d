"""``TwsCommands``: every keyboard action in the command palette (ctrl+p), in the UI language.

Built from :data:`tws_tui.domain.keymap.ACTIONS`, so an action added there is in the palette at
once;
each hit shows its current key.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tws_tui.console.api import KeyScope, console_api
from tws_tui.domain.keymap import ACTIONS, ActionSpec
from tws_tui.domain.keys_help import keys_label
from tws_tui.platform.i18n import _


class TwsCommands(Provider):
    def _specs(self) -> list[ActionSpec]:
        screen = self.screen
        mode = screen.MODE if isinstance(screen, KeyScope) else ""
        return [s for s in ACTIONS if s.palette and s.scope in ("app", mode)]

    def _help(self, spec: ActionSpec) -> str:
        keys = console_api(self.app).keymap_keys.get(spec.id, spec.keys)
        return f"{keys_label(keys)} · {spec.id}"

    async def _run(self, spec: ActionSpec) -> None:
        target = self.app if spec.scope == "app" else self.screen
        await target.run_action(spec.action)

    async def discover(self) -> Hits:
        for spec in self._specs():
            yield DiscoveryHit(_(spec.description), partial(self._run, spec), help=self._help(spec))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec in self._specs():
            title = _(spec.description)
            score = max(matcher.match(title), matcher.match(spec.id))
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), partial(self._run, spec), help=self._help(spec)
                )
