"""The ``tws-tui`` command as a user meets it: output, exit codes, and never a traceback."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import stat
import subprocess
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from tws_tui import cli
from tws_tui.platform import logs, paths, secrets
from tws_tui.platform.i18n import language, set_language
from tws_tui.settings import validation
from tws_tui.settings.load import load_settings

ROOT = Path(__file__).resolve().parents[1]
BAD_CONFIG = '[general]\nlog_level = 12\n[backend]\nname = "pbx9000"\n'


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for variable, sub in (
        (paths.ENV_CONFIG_DIR, "config"),
        (paths.ENV_DATA_DIR, "data"),
        (paths.ENV_STATE_DIR, "state"),
    ):
        monkeypatch.setenv(variable, str(tmp_path / sub))
    monkeypatch.delenv(paths.ENV_CONFIG_FILE, raising=False)  # cli.main may set it: undone
    monkeypatch.setenv(secrets.ENV_KEYRING, "off")
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setattr(validation, "available_backends", lambda: ["cti", "sim", "sip"])
    yield tmp_path  # the log handlers cli.main installs are undone by conftest's fixture
    set_language("en")


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A stand-in for tws_tui.console.app that records how run_app was called."""
    calls: list[dict[str, Any]] = []

    def run_app(settings: Any, problems: Any, *, demo: bool, backend: Any, seed: Any) -> int:
        calls.append(
            {
                "settings": settings,
                "problems": problems,
                "demo": demo,
                "backend": backend,
                "seed": seed,
            }
        )
        return 0

    module = types.ModuleType("tws_tui.console.app")
    module.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tws_tui.console.app", module)
    return calls


def write_config(text: str) -> Path:
    path = paths.config_file()
    paths.ensure_dir(path.parent)
    path.write_text(text, encoding="utf-8")
    return path


# --- locate --------------------------------------------------------------------------------


def test_locate_prints_every_location_labelled(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["locate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    labels = [line.split()[0] for line in lines]
    assert labels == ["config", "prefs", "data", "state", "log"]
    assert lines[0].split()[1] == str(paths.config_file())
    assert lines[4].split()[1] == str(paths.log_file())


@pytest.mark.parametrize("what", ["config", "prefs", "data", "state", "log"])
def test_locate_one_prints_just_the_path(what: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["locate", what]) == 0
    assert capsys.readouterr().out == f"{paths.locations()[what]}\n"


def test_locate_follows_config_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--config", str(tmp_path / "mine.toml"), "locate", "config"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "mine.toml")


def test_locate_creates_nothing(tmp_path: Path) -> None:
    cli.main(["locate"])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- init-config ---------------------------------------------------------------------------


def test_init_config_writes_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["init-config"]) == 0
    target = paths.config_file()
    assert target.read_bytes() == (ROOT / "config.example.toml").read_bytes()
    assert str(target) in capsys.readouterr().out
    _settings, problems = load_settings()
    assert problems == []


def test_init_config_refuses_to_overwrite(capsys: pytest.CaptureFixture[str]) -> None:
    write_config("# mine\n")
    assert cli.main(["init-config"]) == 1
    assert paths.config_file().read_text() == "# mine\n"
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err


def test_init_config_force_keeps_a_backup() -> None:
    write_config("# mine\n")
    assert cli.main(["init-config", "--force"]) == 0
    assert paths.config_file().with_name("config.toml.bak").read_text() == "# mine\n"
    assert paths.config_file().read_text().startswith("# tws-tui configuration")


def test_init_config_to_a_chosen_path(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "tws.toml"
    assert cli.main(["init-config", "--config", str(target)]) == 0
    assert target.exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # the user's own file


def test_init_config_into_an_unwritable_place_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory should be")
    assert cli.main(["init-config", "--config", str(blocker / "config.toml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tws-tui: cannot write ") and err.count("\n") == 1, err


# --- backends and check-config -------------------------------------------------------------


def test_backends_lists_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["backends"]) == 0
    assert capsys.readouterr().out.split() == ["cti", "sim", "sip"]


def test_serve_without_the_server_extra_says_what_to_run_from_this_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After `make demo` (no server extra), `tws-tui serve` names the checkout's commands."""
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` fails
    assert cli.main(["--lang", "en", "serve", "--data-dir", str(tmp_path / "srv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tws-tui: the server needs the 'server' extra")
    assert f"in the checkout {ROOT}, run make serve-demo" in err
    assert "install -e '.[server]'" in err
    # From a checkout, pip's extra would fetch a release from PyPI instead.
    assert "pip install 'tws-tui[server]'" not in err
    assert "Traceback" not in err
    assert cli.main(["--lang", "fr", "serve", "--data-dir", str(tmp_path / "srv")]) == 1
    french = capsys.readouterr().err
    assert "le serveur a besoin de l'extra « server »" in french
    assert f"dans la copie de travail {ROOT}, lancez make serve-demo" in french


def test_check_config_clean(capsys: pytest.CaptureFixture[str]) -> None:
    write_config('[ui]\ntheme = "nord"\n')
    assert cli.main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert str(paths.config_file()) in out
    assert "No problems found." in out


def test_check_config_reports_each_problem_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    write_config(BAD_CONFIG)
    assert cli.main(["check-config"]) == 1
    captured = capsys.readouterr()
    assert (
        "config.toml: general.log_level = 12 — expected one of trace, debug, info, warning,"
        " error, critical, off; using 'info'"
    ) in captured.out
    assert (
        "config.toml: backend.name = 'pbx9000' — unknown backend, expected one of cti, sim, sip;"
        " using 'sim'"
    ) in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_check_config_syntax_error(capsys: pytest.CaptureFixture[str]) -> None:
    write_config("[general\n")
    assert cli.main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert "config.toml: not valid TOML at line 1, column 9" in out


def test_check_config_checks_backend_options_as_the_backends_declare_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config(
        '[backend.sip]\ntransport = "sctp"\nreject_code = 500\n'
        '[backend.cti]\nca_bundle = "/etc/ssl/ca.pem"\n'
    )
    assert cli.main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert "backend.sip.transport = 'sctp' — expected one of udp" in out
    assert "backend.sip.reject_code = 500 — expected one of 486, 603; using 486" in out
    assert "ca_bundle" not in out


def test_check_config_speaks_the_configured_language(capsys: pytest.CaptureFixture[str]) -> None:
    write_config('[general]\nlanguage = "fr"\nlog_level = "loud"\n')
    assert cli.main(["check-config"]) == 1
    shown = capsys.readouterr().out
    assert "valeurs possibles : trace, debug, info, warning, error, critical, off" in shown
    assert language() == "fr"


def test_check_config_reports_keymap_problems_in_the_users_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A key that is no key ("f99": Enter silently stopped answering) and a key another action
    of the screen has ("call.hold" on F8, hang-up's key) are errors, said in French here."""
    write_config(
        '[general]\nlanguage = "fr"\n[keymap]\n"call.answer" = "f99"\n"call.hold" = "f8"\n'
        '"call.park" = "ctrl+y"\n'
    )
    assert cli.main(["check-config"]) == 1
    out = capsys.readouterr().out
    assert "config.toml : keymap.\"call.answer\" = 'f99' — 'f99' n’est pas un nom de touche" in out
    assert (
        "config.toml : keymap.\"call.hold\" = 'f8' — 'f8' est déjà la touche de call.hangup" in out
    )
    assert "call.park" not in out


def test_lang_option_wins_over_the_config(capsys: pytest.CaptureFixture[str]) -> None:
    write_config('[general]\nlanguage = "fr"\n')
    assert cli.main(["--lang", "en", "check-config"]) == 0
    assert "No problems found." in capsys.readouterr().out


def test_help_is_translated_from_lang(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fr", "--help"]) == 0
    assert "simulateur" in capsys.readouterr().out


#: Every ``--help`` of the command: the console's, each command's, each account command's.
HELP_PAGES = [
    [],
    *([name] for name in ("locate", "init-config", "backends", "check-config", "wallboard")),
    ["serve"],
    *(["serve", name] for name in ("add-user", "passwd", "remove-user", "list-users")),
]
#: argparse's own English and the metavars it would make from option names.
ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message",
    "show program's version",
    "error:",
    "PATH",
    "NAME",
    "COMMAND",
    "SECONDS",
    "HOST",
    "EXTENSION",
    "username",
    "what",
)
FRENCH_LETTERS = set("éèêàâçùûôîœ«»’")


def help_page(language: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["--lang", language, *words, "--help"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("words", HELP_PAGES, ids=lambda words: " ".join(words) or "tws-tui")
def test_help_has_no_english_in_french(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    page = help_page("fr", words, capsys)
    assert page.startswith("utilisation : tws-tui")
    assert "options :" in page and "afficher cette aide et quitter" in page
    assert [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", page)] == []


@pytest.mark.parametrize("words", HELP_PAGES, ids=lambda words: " ".join(words) or "tws-tui")
def test_help_has_no_french_in_english(
    words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    page = help_page("en", words, capsys)
    assert page.startswith("usage: tws-tui") and "options:" in page
    assert FRENCH_LETTERS.isdisjoint(page), page
    assert "utilisation" not in page and "CHEMIN" not in page


def test_argparse_errors_speak_the_language_of_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fr", "--log-level", "loud"]) == 2
    err = capsys.readouterr().err
    assert "tws-tui : erreur : argument --log-level : choix invalide : 'loud'" in err
    assert cli.main(["--lang", "fr", "locate", "--bogus"]) == 2
    assert "arguments non reconnus : --bogus" in capsys.readouterr().err
    assert cli.main(["--lang", "en", "locate", "nowhere"]) == 2
    assert "error: argument PLACE: invalid choice: 'nowhere'" in capsys.readouterr().err


def test_every_word_of_this_pythons_argparse_is_in_the_catalog() -> None:
    """argparse's msgids, read from the argparse this Python runs, all have French: a Python
    that adds one fails here (add it to tws_tui/platform/argparse_words.py)."""
    import argparse

    from babel.messages.extract import extract_python
    from babel.messages.pofile import read_po

    with open(argparse.__file__, "rb") as source:
        found = extract_python(source, {"_": None, "ngettext": (1, 2)}, [], {})
        texts = [msgid[0] if isinstance(msgid, tuple) else msgid for _, _, msgid, _ in found]
    msgids = {text for text in texts if text is not None}  # None: _(kwargs.pop(…))
    po = ROOT / "tws_tui" / "locale" / "fr" / "LC_MESSAGES" / "tws_tui.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = sorted(m for m in msgids if catalog.get(m) is None or not catalog.get(m).string)
    assert len(msgids) > 30  # the extraction saw argparse's words
    assert missing == []


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--log-level", "loud"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert cli.main(["--demo", "--backend", "sip"]) == 2


# --- running the console -------------------------------------------------------------------


def test_run_hands_settings_and_problems_to_the_app(
    fake_app: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(BAD_CONFIG)
    assert cli.main(["--seed", "7"]) == 0
    [call] = fake_app
    assert [problem.key for problem in call["problems"]] == ["general.log_level", "backend.name"]
    assert call["settings"].backend.name == "sim"
    assert call == {**call, "demo": False, "backend": None, "seed": 7}


def test_run_without_terminal_prints_problems_once_each_and_no_traceback(
    fake_app: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(BAD_CONFIG)
    assert cli.main([]) == 0  # under pytest, stdin/stdout are not a terminal
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0] == (
        "tws-tui: config.toml: general.log_level = 12 — expected one of trace, debug, info,"
        " warning, error, critical, off; using 'info'"
    )
    assert "backend.name = 'pbx9000'" in lines[1]


def test_demo_forces_the_simulator(fake_app: list[dict[str, Any]]) -> None:
    write_config('[backend]\nname = "sip"\n')
    assert cli.main(["--demo"]) == 0
    assert fake_app[0]["demo"] is True and fake_app[0]["backend"] == "sim"


def test_backend_option(fake_app: list[dict[str, Any]]) -> None:
    assert cli.main(["--backend", "cti"]) == 0
    assert fake_app[0]["backend"] == "cti" and fake_app[0]["demo"] is False


def test_unknown_backend_option_is_one_message(
    fake_app: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--backend", "pbx9000"]) == 2
    assert fake_app == []
    assert capsys.readouterr().err == (
        "tws-tui: unknown backend 'pbx9000' — expected one of cti, sim, sip\n"
    )


def test_run_logs_to_the_file_at_the_requested_level(fake_app: list[dict[str, Any]]) -> None:
    write_config(BAD_CONFIG)
    assert cli.main(["--log-level", "debug"]) == 0
    assert logging.getLogger().level == logging.DEBUG
    text = paths.log_file().read_text(encoding="utf-8")
    assert "general.log_level = 12" in text  # problems are in the log for support


def test_log_level_comes_from_the_config(fake_app: list[dict[str, Any]]) -> None:
    write_config('[general]\nlog_level = "warning"\n')
    assert cli.main([]) == 0
    assert logging.getLogger().level == logging.WARNING


def test_config_option_is_seen_by_the_whole_process(
    tmp_path: Path, fake_app: list[dict[str, Any]]
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('[ui]\ntheme = "nord"\n', encoding="utf-8")
    assert cli.main(["--config", str(mine)]) == 0
    assert fake_app[0]["settings"].ui.theme == "nord"
    assert paths.config_file() == mine


def test_unexpected_error_is_one_line_and_the_traceback_is_logged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("the switch caught fire")

    module = types.ModuleType("tws_tui.console.app")
    module.run_app = boom  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tws_tui.console.app", module)
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("tws-tui: unexpected error: RuntimeError: the switch caught fire")
    assert str(paths.log_file()) in err
    log_text = paths.log_file().read_text(encoding="utf-8")
    assert "Traceback" in log_text and "the switch caught fire" in log_text


def test_missing_user_interface_is_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tws_tui.console.app", types.ModuleType("tws_tui.console.app"))
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tws-tui: the user interface cannot be started:")
    assert "Traceback" not in err


def test_unwritable_log_directory_still_runs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_app: list[dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the state directory should be")
    monkeypatch.setenv(paths.ENV_STATE_DIR, str(blocker))
    assert cli.main([]) == 0
    assert "running without a log" in capsys.readouterr().err
    assert fake_app


# --- as a real process ---------------------------------------------------------------------


def test_check_config_as_a_process_has_no_traceback(tmp_path: Path) -> None:
    write_config(BAD_CONFIG + "[ui\n")
    result = run_cli("check-config", env={paths.ENV_CONFIG_DIR: str(tmp_path / "config")})
    assert result.returncode == 1
    assert "config.toml: not valid TOML at line 5, column 4" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_support_commands_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom tws_tui.cli import main\n"
        "for args in (['locate'], ['backends'], ['check-config'],"
        " ['--demo', 'wallboard', '--once']):\n"
        "    main(args)\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            paths.ENV_CONFIG_DIR: str(tmp_path / "c"),
            paths.ENV_STATE_DIR: str(tmp_path / "s"),
            paths.ENV_DATA_DIR: str(tmp_path / "d"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# --- logging -------------------------------------------------------------------------------


def our_handlers() -> list[logging.Handler]:
    return [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.handlers.RotatingFileHandler)
    ]


def test_setup_logging_writes_to_the_state_dir_only(capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        path = logs.setup_logging("info")
        assert path == paths.log_file()
        logging.getLogger("tws_tui.test").warning("visible in the file")
        logging.getLogger("tws_tui.test").debug("below the level")
        warnings.warn("a library warning", stacklevel=1)
    for handler in our_handlers():
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "visible in the file" in text and "a library warning" in text
    assert "below the level" not in text
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # nothing on the screen


def test_setup_logging_again_replaces_its_handler() -> None:
    logs.setup_logging("info")
    logs.setup_logging("debug")
    assert len(our_handlers()) == 1
    assert logging.getLogger().level == logging.DEBUG
    assert logs.current_log_file() == paths.log_file()


def test_setup_logging_removes_a_handler_writing_to_stderr() -> None:
    stray = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(stray)
    logs.setup_logging("info")
    assert stray not in logging.getLogger().handlers


def test_log_file_rotates() -> None:
    logs.setup_logging("info")
    [handler] = our_handlers()
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUP_COUNT
    # TWS-6.11-2: 15 files of 10 MB, rotating.
    assert (handler.maxBytes, handler.backupCount + 1) == (10 * 1024 * 1024, 15)


def test_parse_level() -> None:
    assert logs.parse_level("DEBUG") == logging.DEBUG
    assert logs.parse_level(logging.ERROR) == logging.ERROR
    # TWS-6.11-3: TRACE below DEBUG, FATAL as CRITICAL, OFF above everything.
    assert logs.parse_level("trace") == 5 and logging.getLevelName(5) == "TRACE"
    assert logs.parse_level("critical") == logging.CRITICAL
    assert logs.parse_level("off") > logging.CRITICAL
    expected = "expected one of trace, debug, info, warning, error, critical, off"
    with pytest.raises(ValueError, match=expected):
        logs.parse_level("loud")
