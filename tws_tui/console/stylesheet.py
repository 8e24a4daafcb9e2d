"""The app's stylesheet: Textual's, without parsing the same CSS twice before the first frame.

Textual calls ``App.refresh_css`` (``set_variables`` then ``reparse``) when the first screen of
a mode appears, whether or not anything changed, and ``reparse`` parses every source again in a
fresh stylesheet, so its per-source parse cache is lost: for this app that is most of a second
complete parse (about 15 ms on a small machine) between start and first frame, and again on the
first visit of every mode.

:class:`ReusingStylesheet` keeps Textual's behaviour whenever the CSS variables change (a new
theme): it drops the cache and reparses from scratch, exactly as before. When they are the same,
the rules parsed from unchanged sources are by construction the same, so it reuses them and only
parses sources added since. Errors are raised as by Textual's ``reparse``.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from tws_tui.console.textual_private import stylesheet_variables


class ReusingStylesheet(Stylesheet):
    """A ``Stylesheet`` whose ``reparse`` reuses parsed sources while variables are unchanged."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._variables_changed = False

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == stylesheet_variables(self):
            return  # the per-source parse cache stays valid
        super().set_variables(variables)
        self._variables_changed = True

    def reparse(self) -> None:
        if self._variables_changed:
            super().reparse()
            self._variables_changed = False
            return
        self.parse()  # sources parsed before come from the cache
