"""The ``tws-tui`` command: run the console, or one of the support commands.

``tws-tui [--demo] [--backend NAME] [--config PATH] [--log-level LEVEL] [--lang fr|en]
[--seed N]`` starts the UI. Support commands, none of which needs a terminal or Textual:

* ``locate [config|prefs|data|state|log]`` prints where things live;
* ``init-config [--force]`` writes the commented example to the config path;
* ``backends`` lists the installed backends;
* ``check-config`` validates ``config.toml`` and ``prefs.toml`` (exit 1 when something is wrong);
* ``wallboard [--once] [--interval S]`` prints the queues on one line per change
  (:mod:`tws_tui.wallboard`), with the same ``--demo`` / ``--backend`` / ``--seed``;
* ``web [--host H] [--port N]`` serves the console to a browser, one console per tab
  (:mod:`tws_tui.web`);
* ``dial``, ``events``, ``status``, ``install-handler`` talk to the running console
  (:mod:`tws_tui.desk.commands`).

Order of a run: parse the arguments (``--help`` is translated from ``--lang`` or the
environment), load the settings (never fails), settle the language (``--lang``, then the
config, then the environment), start logging to the file, then import the app lazily so the
support commands stay fast and Textual-free. A user mistake is one message on stderr; anything
unexpected is one line on stderr with the traceback in the log file, never a traceback on the
terminal.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tws_tui import __version__
from tws_tui.desk import commands as desk
from tws_tui.platform import logs, paths
from tws_tui.platform.argparse_words import ArgumentParser, translate_argparse
from tws_tui.platform.i18n import LANGUAGES, _, detect_language, labelled, set_language
from tws_tui.settings import validation
from tws_tui.settings.load import load_settings
from tws_tui.settings.problems import ConfigProblem
from tws_tui.settings.schema import Settings
from tws_tui.web.command import add_web_parser

log = logging.getLogger(__name__)

PROG = "tws-tui"
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help texts in the current language."""
    parser = ArgumentParser(
        prog=PROG,
        description=_("Terminal attendant console for business telephony."),
        epilog=_("Run without a command to start the console."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show program's version number and exit"),  # Python 3.11 leaves its own English
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--demo",
        action="store_true",
        help=_("use the embedded simulator and skip the setup screen"),
    )
    mode.add_argument(
        "--backend", metavar=_("NAME"), help=_("use this backend (see: tws-tui backends)")
    )
    parser.add_argument(
        "--config", metavar=_("PATH"), help=_("read this configuration file instead")
    )
    parser.add_argument(
        "--log-level",
        choices=list(logs.LEVELS),
        type=str.lower,
        help=_("detail of the log file for this run"),
    )
    parser.add_argument("--lang", choices=list(LANGUAGES), help=_("display language for this run"))
    parser.add_argument(
        "--seed", type=int, metavar="N", help=_("seed of the simulated company and its traffic")
    )

    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    locate = commands.add_parser(
        "locate",
        help=_("print where configuration, data and logs live"),
        description=_("Print where configuration, data and logs live."),
    )
    places = list(paths.locations())
    locate.add_argument(
        "what",
        nargs="?",
        choices=places,
        metavar=_("PLACE"),
        help=_("one of {places}; all of them when omitted").format(places=", ".join(places)),
    )
    init = commands.add_parser(
        "init-config",
        help=_("write a commented config.toml to start from"),
        description=_("Write a commented config.toml to start from."),
    )
    init.add_argument(
        "--force", action="store_true", help=_("replace an existing file (kept as .bak)")
    )
    commands.add_parser(
        "backends",
        help=_("list the installed backends"),
        description=_("List the installed backends."),
    )
    commands.add_parser(
        "check-config",
        help=_("check config.toml and prefs.toml and say what is wrong"),
        description=_("Check config.toml and prefs.toml and say what is wrong."),
    )
    wallboard = commands.add_parser(
        "wallboard",
        help=_("print the queues on one line, again at each change"),
        description=_(
            "Print the queues on one line (waiting calls, longest wait, agents), again at each"
            " change; for a small terminal or a tmux status line."
        ),
    )
    wallboard.add_argument(
        "--once", action="store_true", help=_("print one line and exit (tmux status line)")
    )
    wallboard.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar=_("SECONDS"),
        help=_("how often waiting times are checked (default 1)"),
    )
    _add_serve_parser(commands)
    carddav = commands.add_parser(
        "carddav",
        help=_("store the CardDAV password, or synchronise the CardDAV address book now"),
        description=_(
            "The CardDAV address book of [carddav]: store its password in the keyring, or "
            "synchronise it now."
        ),
    )
    carddav_commands = carddav.add_subparsers(dest="carddav_command", metavar=_("COMMAND"))
    carddav_commands.required = True
    password = carddav_commands.add_parser(
        "password", help=_("store the password of [carddav] username in the keyring")
    )
    password.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    carddav_commands.add_parser("sync", help=_("synchronise the address book now"))
    add_web_parser(commands)
    desk.add_parsers(commands)  # dial, events, status, install-handler
    for sub in commands.choices.values():  # `tws-tui check-config --config x` works too
        sub.add_argument(
            "--config",
            metavar=_("PATH"),
            default=argparse.SUPPRESS,
            help=_("read this configuration file instead"),
        )
    return parser


def _add_serve_parser(commands: Any) -> None:
    """``tws-tui serve``: the reference CTI server and its account commands."""
    serve = commands.add_parser(
        "serve",
        help=_("run the reference CTI HTTP server (needs the 'server' extra)"),
        description=_(
            "Run the reference CTI HTTP server over the simulated switch, or manage its accounts."
        ),
    )
    serve.add_argument(
        "--data-dir", metavar=_("PATH"), help=_("server data (default: DATA/server)")
    )
    serve.add_argument(
        "--server-config",
        metavar=_("PATH"),
        help=_("the server's settings file (default: server.toml in the data directory)"),
    )
    serve.add_argument(
        "--host", default="127.0.0.1", metavar=_("ADDRESS"), help=_("address to listen on")
    )
    serve.add_argument(
        "--port", type=int, default=8765, metavar=_("PORT"), help=_("port (default 8765)")
    )
    serve.add_argument("--traffic", action="store_true", help=_("simulate calls and activity"))
    serve.add_argument("--certfile", metavar=_("PATH"), help=_("TLS certificate (PEM) for HTTPS"))
    serve.add_argument("--keyfile", metavar=_("PATH"), help=_("TLS private key (PEM) for HTTPS"))
    serve.add_argument(
        "--allow-http", action="store_true", help=_("allow plain HTTP off loopback (TLS proxy)")
    )
    serve.add_argument(
        "--access-ttl", type=float, default=900.0, metavar=_("SECONDS"), help=_("access token life")
    )
    serve.add_argument(
        "--role",
        dest="server_role",
        choices=("all", "api", "switch"),
        default="all",
        help=_(
            "scaled mode (docs/scaled-mode.md): api (HTTP and event streams, no switch),"
            " switch (the phone system, one active), all (one process, the default)"
        ),
    )
    serve.add_argument(
        "--redis",
        metavar=_("URL"),
        default="",
        help=_("Redis of the scaled mode (redis://host:port/0), needed by --role api and switch"),
    )
    admin = serve.add_subparsers(dest="serve_command", metavar=_("ACCOUNT-COMMAND"))
    add = admin.add_parser("add-user", help=_("create an account"))
    add.add_argument("username", metavar=_("USER"), help=_("the account's user name"))
    add.add_argument(
        "--extension",
        required=True,
        metavar=_("EXTENSION"),
        help=_("the operator's extension, e.g. 100"),
    )
    add.add_argument(
        "--role",
        choices=["operator", "supervisor"],
        default="operator",
        help=_("what the account may do (default: operator)"),
    )
    add.add_argument(
        "--name",
        default="",
        metavar=_("NAME"),
        help=_("display name, shown to the user and to colleagues (default: the user name)"),
    )
    add.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    passwd = admin.add_parser("passwd", help=_("change an account's password"))
    passwd.add_argument("username", metavar=_("USER"), help=_("the account's user name"))
    passwd.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    remove = admin.add_parser("remove-user", help=_("delete an account and its sessions"))
    remove.add_argument("username", metavar=_("USER"), help=_("the account's user name"))
    admin.add_parser("list-users", help=_("list the accounts"))
    for sub in admin.choices.values():
        sub.add_argument(
            "--data-dir",
            metavar=_("PATH"),
            default=argparse.SUPPRESS,
            help=_("server data (default: DATA/server)"),
        )
        sub.add_argument(
            "--server-config",
            metavar=_("PATH"),
            default=argparse.SUPPRESS,
            help=_("the server's settings file (default: server.toml in the data directory)"),
        )


def _peek_language(argv: Sequence[str]) -> str | None:
    """The ``--lang`` value before parsing, so that ``--help`` is already translated."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tws-tui`` console script; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    translate_argparse()  # argparse's own words ("usage:", "options") from our catalog
    set_language(detect_language(_peek_language(arguments)))
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `tws-tui locate | head -1`
        _silence_stdout()
        return EXIT_OK
    except Exception as error:
        _report_crash(error)
        return EXIT_FAILURE


def _dispatch(args: argparse.Namespace) -> int:
    if args.config:
        # The one seam: anything later asking paths.config_file() (the Preferences screen,
        # a reload) sees the file chosen on the command line.
        os.environ[paths.ENV_CONFIG_FILE] = str(Path(args.config).expanduser().absolute())
    if args.command == "locate":
        return _locate(args.what)
    if args.command == "init-config":
        return _init_config(force=args.force)
    if args.command == "backends":
        return _backends()
    if args.command == "serve":
        return _serve(args)
    settings, problems = load_settings()
    set_language(detect_language(args.lang or settings.general.language))
    if args.command == "check-config":
        return _check_config(problems)
    if args.command == "wallboard":
        return _wallboard(args, settings, problems)
    if args.command == "carddav":
        return _carddav(args, settings)
    if args.command == "web":
        return _web(args, settings)
    if args.command in desk.COMMANDS:
        return desk.run(args)
    return _run(args, settings, problems)


# --- support commands ----------------------------------------------------------------------


def _locate(what: str | None) -> int:
    locations = paths.locations()
    if what:
        print(locations[what])
    else:
        width = max(map(len, locations))
        for name, path in locations.items():
            print(f"{name:<{width}}  {path}")
    return EXIT_OK


def example_config() -> bytes:
    """The commented example shipped inside the package (a copy of ``config.example.toml``)."""
    from importlib import resources  # only init-config needs it: keep start-up lean

    return resources.files("tws_tui").joinpath("data", "config.example.toml").read_bytes()


def _init_config(*, force: bool) -> int:
    target = paths.config_file()
    if target.is_dir():
        _error(_("{path} is a directory; nothing written").format(path=target))
        return EXIT_FAILURE
    if target.exists() and not force:
        _error(
            _("{path} already exists; nothing written (use --force to replace it)").format(
                path=target
            )
        )
        return EXIT_FAILURE
    try:
        if target.exists():
            backup = target.with_name(target.name + ".bak")
            shutil.copy2(target, backup)
            print(_("Kept the previous file as {path}").format(path=backup))
        paths.atomic_write_bytes(target, example_config(), mode=0o644)
    except OSError as error:
        _error(
            _("cannot write {path}: {reason}").format(
                path=error.filename or target, reason=error.strerror or error
            )
        )
        return EXIT_FAILURE
    print(_("Wrote {path}").format(path=target))
    return EXIT_OK


def _backends() -> int:
    for name in validation.available_backends():
        print(name)
    return EXIT_OK


def _wallboard(args: argparse.Namespace, settings: Settings, problems: list[ConfigProblem]) -> int:
    import asyncio

    from tws_tui.backends import BackendConfigError
    from tws_tui.backends import load as load_backend
    from tws_tui.core.clock import SystemClock
    from tws_tui.core.errors import CallControlError
    from tws_tui.settings.backend_choice import backend_choice
    from tws_tui.wallboard import run_wallboard

    _start_logging(args.log_level or settings.general.log_level)
    for problem in problems:
        _error(str(problem))
    if args.interval <= 0:
        _error(_("--interval must be above 0 seconds"))
        return EXIT_USAGE
    name, options, _setup = backend_choice(
        settings, demo=args.demo, backend=args.backend, seed=args.seed
    )
    try:
        backend = load_backend(name, options)
        asyncio.run(
            run_wallboard(
                backend,
                SystemClock(),
                settings.queues,
                once=args.once,
                interval_s=args.interval,
                write=lambda line: print(line, flush=True),
            )
        )
    except (BackendConfigError, CallControlError, OSError) as error:
        from tws_tui.domain.format import error_text

        _error(_("cannot show the queues: {error}").format(error=error_text(error)))
        return EXIT_FAILURE
    return EXIT_OK


def _web(args: argparse.Namespace, settings: Settings) -> int:
    """The console in a browser (:mod:`tws_tui.web`): serves until interrupted."""
    from tws_tui.web.command import WebError, run_web

    _start_logging(args.log_level or settings.general.log_level)
    try:
        run_web(args, validation.available_backends())
    except WebError as error:
        _error(str(error))
        return EXIT_FAILURE
    return EXIT_OK


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(_("Password: "))
    if getpass.getpass(_("Password again: ")) != first:
        raise ValueError(_("the two passwords differ"))
    return first


def _carddav(args: argparse.Namespace, settings: Settings) -> int:
    """``carddav password``: the password into the keyring; ``carddav sync``: one sync."""
    book = settings.carddav
    if not book.url or not book.username:
        _error(_("set [carddav] url and username in config.toml first"))
        return EXIT_USAGE
    if args.carddav_command == "password":
        from tws_tui.contacts.carddav import SECRET_SERVICE
        from tws_tui.platform.secrets import store_secret

        try:
            secret = _read_password(args.password_stdin)
        except ValueError as error:
            _error(str(error))
            return EXIT_FAILURE
        where = store_secret(SECRET_SERVICE, book.username, secret)
        place = _("the keyring") if where == "keyring" else str(paths.secrets_file())
        print(
            _("CardDAV password of {user} stored in {place}.").format(
                user=book.username, place=place
            )
        )
        return EXIT_OK
    _start_logging(settings.general.log_level)
    from tws_tui.contacts.carddav import CardDavBook, describe_sync
    from tws_tui.contacts.carddav_client import CardDavError
    from tws_tui.contacts.carddav_store import CardDavStoreError

    try:
        report = CardDavBook(book).sync()
    except (CardDavError, CardDavStoreError) as error:
        _error(str(error))
        return EXIT_FAILURE
    print(describe_sync(report))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """The reference server and its account commands (server code imported only here)."""
    from tws_tui.server import run

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else paths.data_dir() / "server"
    command = args.serve_command
    config = Path(args.server_config).expanduser() if args.server_config else None
    try:
        settings = run.server_file(data_dir, config)
        if command == "add-user":
            password = _read_password(args.password_stdin)
            print(
                run.add_user(
                    data_dir,
                    args.username,
                    password,
                    args.extension,
                    args.role,
                    args.name,
                    settings,
                )
            )
        elif command == "passwd":
            password = _read_password(args.password_stdin)
            print(run.set_password(data_dir, args.username, password, settings))
        elif command == "remove-user":
            print(run.remove_user(data_dir, args.username, settings))
        elif command == "list-users":
            for line in run.list_users(data_dir, settings):
                print(line)
        else:
            _start_logging(args.log_level or "info")
            run.serve(
                data_dir=data_dir,
                settings=settings,
                host=args.host,
                port=args.port,
                seed=args.seed or 0,
                traffic=args.traffic,
                certfile=args.certfile,
                keyfile=args.keyfile,
                allow_http=args.allow_http,
                access_ttl_s=args.access_ttl,
                role=args.server_role,
                redis_url=args.redis,
            )
    except (run.ServeError, ValueError) as error:
        _error(str(error))
        return EXIT_FAILURE
    return EXIT_OK


def _check_config(problems: list[ConfigProblem]) -> int:
    for label, path in (
        (_("Configuration"), paths.config_file()),
        (_("Preferences"), paths.prefs_file()),
    ):
        state = "" if path.exists() else " " + _("(absent: defaults apply)")
        print(labelled(label, f"{path}{state}"))
    if not problems:
        print(_("No problems found."))
        return EXIT_OK
    for problem in problems:
        print(problem)
    return EXIT_FAILURE


# --- running the console -------------------------------------------------------------------


def _run(args: argparse.Namespace, settings: Settings, problems: list[ConfigProblem]) -> int:
    _start_logging(args.log_level or settings.general.log_level)
    log.info("tws-tui %s starting (config %s)", __version__, paths.config_file())
    for problem in problems:
        log.warning("%s", problem)
    backend = "sim" if args.demo else args.backend
    if backend is not None:
        names = validation.available_backends()
        if backend not in names:
            _error(
                _("unknown backend {name!r} — expected one of {choices}").format(
                    name=backend, choices=", ".join(names)
                )
            )
            return EXIT_USAGE
    if problems and not _has_terminal():
        for problem in problems:
            _error(str(problem))
    _start_backend_log(backend or settings.backend.name)
    try:
        from tws_tui.console.app import run_app
    except ImportError as error:
        log.exception("cannot import the user interface")
        _error(_("the user interface cannot be started: {error}").format(error=error))
        return EXIT_FAILURE
    return int(run_app(settings, problems, demo=args.demo, backend=backend, seed=args.seed))


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _start_logging(level: str) -> None:
    try:
        logs.setup_logging(level)
    except OSError as error:
        logging.getLogger().addHandler(logging.NullHandler())  # nothing may reach the screen
        _error(
            _("cannot write the log file {path}: {reason}; running without a log").format(
                path=paths.log_file(), reason=error.strerror or error
            )
        )


def _start_backend_log(name: str) -> None:
    """TWS-6.11-4: the backend's own log file beside the console's (said in the log if not)."""
    try:
        log.info("backend log: %s", logs.open_backend_log(name))
    except OSError as error:
        log.warning("no backend log file: %s", error.strerror or error)


# --- reporting -----------------------------------------------------------------------------


def _error(message: str) -> None:
    print(labelled(PROG, message), file=sys.stderr)


def _report_crash(error: BaseException) -> None:
    """One line on stderr; the traceback goes to the log file (opened now if need be)."""
    log_path = logs.current_log_file()
    if log_path is None:
        try:
            log_path = logs.setup_logging("info")
        except OSError:
            log_path = None
    log.critical("unexpected error", exc_info=error)
    message = _("unexpected error: {error}").format(error=f"{type(error).__name__}: {error}")
    if log_path is not None:
        message += " — " + _("details in {path}").format(path=log_path)
    _error(message)


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would complain about the closed pipe a second time.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
