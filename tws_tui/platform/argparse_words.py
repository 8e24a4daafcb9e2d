"""argparse's own words (``usage:``, ``positional arguments``, ``options``, the ``--help`` line
and its error messages) in the language of the run.

argparse looks its texts up with :func:`gettext.gettext`, the process-wide default domain,
whose language comes from the environment and never from ``--lang``; with no catalog for that
domain they stay English. :func:`translate_argparse` points argparse's two lookups (its
module-level ``_`` and ``ngettext``, bound when argparse is imported) at this project's
catalog, which carries argparse's msgids: they are listed below so that
``tools/update_catalogs.py`` extracts them like any other string. The list holds those of
Python 3.11 to 3.13; ``tests/test_cli.py`` checks that every msgid of the argparse running the
tests is in the French catalog, so a Python that adds one fails there by name.
:class:`ArgumentParser` writes the colon after its section headings as the language does
(``options :`` in French) on every Python.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tws_tui.platform.i18n import N_, _, ngettext

#: Before Python 3.13 argparse writes a section heading's colon itself, untranslated.
_HEADING_COLON_TRANSLATED = sys.version_info >= (3, 13)

#: argparse's msgids (Python 3.11-3.13), for extraction; translated where argparse shows them.
MSGIDS = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("%(prog)s: warning: %(message)s\n"),
    N_("%(heading)s:"),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_(" (default: %(default)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    N_("argument '%(argument_name)s' is deprecated"),
    N_("command '%(parser_name)s' is deprecated"),
    N_("option '%(option)s' is deprecated"),
    # Mistakes of the program's author, not of the user: translated all the same.
    N_(".__call__() not defined"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("cannot merge actions - two groups are named %r"),
    N_("'required' is an invalid argument for positionals"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("mutually exclusive arguments must be optional"),
    N_("cannot have multiple subparser arguments"),
    N_("%r is not callable"),
)
#: Its two plural msgids: ``ngettext`` is how the extractor finds a pair (argparse asks for
#: the form it needs itself).
PLURAL_MSGIDS = (
    ngettext("conflicting option string: %s", "conflicting option strings: %s", 1),
    ngettext("expected %s argument", "expected %s arguments", 1),
)


def translate_argparse() -> None:
    """Make argparse translate through this project's catalog, in the current language (it
    follows :func:`~tws_tui.platform.i18n.set_language`, since each lookup asks again).

    argparse takes no translation function as a parameter: the two module globals it calls
    are rebound, once, at the start of ``tws-tui``.
    """
    setattr(argparse, "_", _)  # noqa: B010 - not in typeshed's stub of argparse
    setattr(argparse, "ngettext", ngettext)  # noqa: B010


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, the colon after a section heading as the language writes it."""

    def start_section(self, heading: str | None) -> None:
        if heading and not _HEADING_COLON_TRANSLATED:  # argparse adds the ":" after this
            heading = (_("%(heading)s:") % {"heading": heading}).removesuffix(":")
        super().start_section(heading)


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser laid out by :class:`HelpFormatter`; its subcommands' parsers too
    (argparse makes them of the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
