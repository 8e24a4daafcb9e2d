"""Settings: defaults, validation messages a user can act on, prefs overlay, atomic prefs writes."""

from __future__ import annotations

import dataclasses
import stat
import subprocess
import sys
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import pytest

from tws_tui import backends
from tws_tui.backends.declared import BUILTIN_OPTIONS, declared_options, parse_declared
from tws_tui.core.options import Kind, Option
from tws_tui.platform import paths
from tws_tui.platform.i18n import set_language
from tws_tui.settings import validation
from tws_tui.settings.load import load_settings
from tws_tui.settings.prefs_file import save_prefs
from tws_tui.settings.problems import ConfigProblem
from tws_tui.settings.schema import BackendSettings, Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.toml"
BACKENDS = ["cti", "sim", "sip"]
REAL_AVAILABLE_BACKENDS = validation.available_backends


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for variable, sub in (
        (paths.ENV_CONFIG_DIR, "config"),
        (paths.ENV_DATA_DIR, "data"),
        (paths.ENV_STATE_DIR, "state"),
    ):
        monkeypatch.setenv(variable, str(tmp_path / sub))
    monkeypatch.delenv(paths.ENV_CONFIG_FILE, raising=False)
    monkeypatch.setattr(validation, "available_backends", lambda: list(BACKENDS))
    set_language("en")
    yield tmp_path
    set_language("en")


def write_config(text: str | bytes) -> Path:
    path = paths.config_file()
    paths.ensure_dir(path.parent)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def load() -> tuple[Settings, list[ConfigProblem]]:
    return load_settings()


def only(problems: list[ConfigProblem]) -> str:
    assert len(problems) == 1, [str(problem) for problem in problems]
    return str(problems[0])


# --- defaults and the example -------------------------------------------------------------


def test_no_files_gives_defaults_and_no_problem() -> None:
    settings, problems = load()
    assert problems == []
    assert settings == Settings()
    assert settings.backend.name == "sim"
    assert settings.general.log_level == "info"
    assert settings.ui.theme == "textual-dark"
    assert paths.config_dir().exists() is False  # loading creates nothing


def _documented_keys(cls: type[Any], prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    hints = typing.get_type_hints(cls)
    keys: list[tuple[str, ...]] = []
    for spec in dataclasses.fields(cls):
        if cls is BackendSettings and spec.name == "options":  # declared by each backend
            for name in BUILTIN_OPTIONS:
                keys += [(*prefix, name, option.name) for option in _declared(name)]
        elif dataclasses.is_dataclass(hints[spec.name]):
            keys += _documented_keys(hints[spec.name], (*prefix, spec.name))
        else:
            keys.append((*prefix, spec.name))
    return keys


def _declared(name: str) -> tuple[Option, ...]:
    declared = declared_options(name)
    assert declared is not None
    return declared


def _default(settings: Settings, key: tuple[str, ...]) -> Any:
    if key[0] == "backend" and len(key) == 3:
        return settings.backend_options(key[1])[key[2]]
    value: Any = settings
    for part in key:
        value = getattr(value, part)
    return value


def test_example_documents_every_setting_with_its_default() -> None:
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    defaults = Settings()
    keys = _documented_keys(Settings, ())
    assert ("backend", "sip", "port") in keys and ("keymap",) in keys
    assert ("backend", "cti", "ca_bundle") in keys
    for key in keys:
        documented: Any = example
        for part in key:
            assert part in documented, f"config.example.toml lacks {'.'.join(key)}"
            documented = documented[part]
        expected = _default(defaults, key)
        if isinstance(expected, tuple):  # a TOML array is read as a list
            expected = list(expected)
        assert documented == expected, f"{'.'.join(key)}: example says {documented!r}"


def test_example_has_a_comment_above_every_key() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"no comment above {line!r}"


def test_example_loads_without_problems() -> None:
    settings, problems = load_settings(EXAMPLE, paths.prefs_file())
    assert [str(problem) for problem in problems] == []
    assert settings == Settings()


def test_packaged_example_is_the_repo_example() -> None:
    """`tws-tui init-config` copies the packaged file: it must not drift from the documented one."""
    packaged = ROOT / "tws_tui" / "data" / "config.example.toml"
    assert packaged.read_bytes() == EXAMPLE.read_bytes(), (
        "copy config.example.toml to tws_tui/data/config.example.toml"
    )


# --- values --------------------------------------------------------------------------------


def test_valid_values_are_applied() -> None:
    write_config(
        """
[general]
language = "en"
log_level = "DEBUG"
auto_connect = true
[backend]
name = "sip"
[backend.sip]
server = "pbx.example.com"
port = 5061
transport = "UDP"
[ui]
theme = "nord"
bell = false
[keymap]
"call.answer" = "enter"
call.hangup = "f11"
"""
    )
    settings, problems = load()
    assert problems == []
    assert settings.general.language == "en"
    assert settings.general.log_level == "debug"  # case is forgiven
    assert settings.general.auto_connect is True
    assert settings.backend.name == "sip"
    assert settings.backend_options() == {
        "server": "pbx.example.com",
        "port": 5061,
        "username": "",
        "display_name": "",
        "transport": "udp",
        "ca_bundle": "",
        "auth_user": "",
        "local_ip": "",
        "local_port": 0,
        "rtp_ports": "",
        "codecs": "PCMU,PCMA",
        "audio_device": "",
        "register_expires": 600,
        "keepalive": 8,
        "reject_code": 486,
        "recordings_dir": "",
        "blf": "",
        "pickup_code": "",
        "pickup": "auto",
        "park_slots": "",
        "park_retrieve_code": "",
        "presence": False,
        "mwi": "",
        "voicemail_keys": "play=1,pause=0,skip=6,replay=5,delete=7",
        "trusted_hosts": "",
    }
    assert settings.backend_options("sim") == {"seed": 1, "traffic": True, "extension": ""}
    assert settings.ui.theme == "nord" and settings.ui.bell is False
    assert settings.keymap == {"call.answer": "enter", "call.hangup": "f11"}  # unquoted too


def test_wrong_type_names_file_key_and_expectation_and_keeps_the_default() -> None:
    write_config("[general]\nlog_level = 12\n")
    settings, problems = load()
    assert only(problems) == (
        "config.toml: general.log_level = 12 — expected one of trace, debug, info, warning,"
        " error, critical, off; using 'info'"
    )
    assert problems[0].file == paths.config_file()
    assert problems[0].key == "general.log_level"
    assert settings.general.log_level == "info"


def test_unknown_choice_message_matches_the_documented_form() -> None:
    write_config('[general]\nlog_level = "loud"\n')
    _settings, problems = load()
    assert only(problems) == (
        "config.toml: general.log_level = 'loud' — expected one of trace, debug, info,"
        " warning, error, critical, off; using 'info'"
    )


def test_unknown_backend_falls_back_to_sim() -> None:
    write_config('[backend]\nname = "pbx9000"\n')
    settings, problems = load()
    assert only(problems) == (
        "config.toml: backend.name = 'pbx9000' — unknown backend, expected one of cti, sim, sip;"
        " using 'sim'"
    )
    assert settings.backend.name == "sim"


def test_backend_names_come_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('[backend]\nname = "asterisk"\n')
    settings, problems = load_settings(backend_names=["asterisk", "sim"])
    assert problems == [] and settings.backend.name == "asterisk"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[general]\nauto_connect = 1",
            "general.auto_connect = 1 — expected true or false; using false",
        ),
        (
            '[general]\nlanguage = "de"',
            "general.language = 'de' — expected one of '', fr, en; using ''",
        ),
        (
            '[general]\nsupport_email = "support"',
            "general.support_email = 'support' — expected an e-mail address, such as"
            " \"support@example.com\"; using ''",
        ),
        (
            '[backend.sip]\nport = "5060"',
            "backend.sip.port = '5060' — expected a whole number; using 0",
        ),
        (
            "[backend.sip]\nport = 70000",
            "backend.sip.port = 70000 — expected a whole number from 0 to 65535; using 0",
        ),
        ("[backend.sim]\nseed = 1.5", "backend.sim.seed = 1.5 — expected a whole number; using 1"),
        (
            "[backend.sim]\nseed = true",
            "backend.sim.seed = true — expected a whole number; using 1",
        ),
        (
            "[backend.sim]\nextension = 201",
            "backend.sim.extension = 201 — expected text in quotes; using ''",
        ),
        (
            '[backend.cti]\nurl = "tws.example.com"',
            "backend.cti.url = 'tws.example.com' — expected an address starting with http:// or"
            " https://; using ''",
        ),
        ('[ui]\ntheme = " "', "ui.theme = ' ' — expected a non-empty text; using 'textual-dark'"),
        (
            '[keymap]\n"call.answer" = 13',
            'keymap."call.answer" = 13 — expected a key name in quotes, such as "f5" or "ctrl+a";'
            " ignored",
        ),
        (
            "[general]\nlog_levle = 'debug'",
            "general.log_levle: unknown setting — expected one of language, log_level,"
            " auto_connect, remember_login, confirm_quit, start_screen, voicemail_number,"
            " support_email, internal_digits, tws_rules; ignored",
        ),
        (
            "[genral]\nlanguage = 'fr'",
            "[genral]: unknown section — expected one of general, backend, ui, alerts, queues,"
            " contacts, carddav, audio, profiles, keymap;"
            " ignored",
        ),
        ("ui = 3", "ui = 3 — expected a table [ui]; using its defaults"),
        (
            "[backend.pbx9000]\nhost = 'x'",
            "[backend.pbx9000]: unknown backend 'pbx9000' — expected one of cti, sim, sip; ignored",
        ),
    ],
)
def test_each_mistake_gives_one_clear_message(toml: str, message: str) -> None:
    write_config(toml + "\n")
    _settings, problems = load()
    assert only(problems) == f"config.toml: {message}"


def test_a_bad_key_does_not_spoil_its_neighbours() -> None:
    write_config('[ui]\nbell = "yes"\ntheme = "nord"\n[general]\nlog_level = "debug"\n')
    settings, problems = load()
    assert len(problems) == 1
    assert settings.ui.bell is True and settings.ui.theme == "nord"
    assert settings.general.log_level == "debug"


def test_passwords_in_the_config_are_refused_and_not_passed_to_the_backend() -> None:
    write_config('[backend.sip]\nusername = "alice"\npassword = "hunter2"\n')
    settings, problems = load()
    assert "backend.sip.password: passwords and tokens do not belong" in only(problems)
    assert "hunter2" not in str(problems[0])
    assert "password" not in settings.backend_options("sip")


def test_third_party_backend_table_is_passed_through(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('[backend]\nname = "acme"\n[backend.acme]\nhost = "x"\nfuture = 3\n')
    settings, problems = load_settings(backend_names=["acme", "sim"])
    assert problems == []
    assert settings.backend_options() == {"host": "x", "future": 3}
    assert settings.backend_options("nothing") == {}


def test_backend_options_are_a_copy() -> None:
    settings, _problems = load()
    settings.backend_options("sim")["seed"] = 99
    assert settings.backend.options["sim"]["seed"] == 1


# --- backend options: one declaration, read by the settings and by the backend ---------------


def test_sip_transport_is_udp_tcp_or_tls() -> None:
    """The settings and the backend accept the three transports of RFC 3261 §18 alike."""
    for transport in ("tcp", "tls"):
        write_config(f'[backend.sip]\ntransport = "{transport}"\n')
        settings, problems = load()
        assert problems == [] and settings.backend_options("sip")["transport"] == transport
    write_config('[backend.sip]\ntransport = "sctp"\n')
    settings, problems = load()
    assert only(problems) == (
        "config.toml: backend.sip.transport = 'sctp' — expected one of udp, tcp, tls; using 'udp'"
    )
    with pytest.raises(backends.BackendConfigError, match=r"'transport'"):
        backends.load("sip", {"server": "127.0.0.1", "username": "1001", "transport": "sctp"})


def test_sip_ca_bundle_must_exist(tmp_path: Path) -> None:
    with pytest.raises(backends.BackendConfigError, match=r"'ca_bundle'"):
        backends.load(
            "sip",
            {"server": "pbx", "username": "1001", "ca_bundle": str(tmp_path / "none.pem")},
        )


def test_sip_reject_code_is_486_or_603_only() -> None:
    write_config("[backend.sip]\nreject_code = 500\n")
    settings, problems = load()
    assert only(problems) == (
        "config.toml: backend.sip.reject_code = 500 — expected one of 486, 603; using 486"
    )
    assert settings.backend_options("sip")["reject_code"] == 486
    write_config("[backend.sip]\nreject_code = 603\n")
    settings, problems = load()
    assert problems == [] and settings.backend_options("sip")["reject_code"] == 603


def test_cti_ca_bundle_is_a_setting() -> None:
    """Documented and used by the cti backend: no longer reported as an unknown setting."""
    write_config('[backend.cti]\nca_bundle = "/etc/ssl/private-ca.pem"\nretries = 4\n')
    settings, problems = load()
    assert problems == []
    options = settings.backend_options("cti")
    assert options["ca_bundle"] == "/etc/ssl/private-ca.pem" and options["retries"] == 4
    write_config("[backend.cti]\nca_bundle = 3\n")
    _settings, problems = load()
    assert (
        only(problems)
        == "config.toml: backend.cti.ca_bundle = 3 — expected text in quotes; using ''"
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[backend.sim]\nextension = "accueil"',
            "backend.sim.extension = 'accueil' — expected digits, such as \"100\"; using ''",
        ),
        (
            '[backend.sip]\nserver = "sip:pbx.example.com"',
            "backend.sip.server = 'sip:pbx.example.com' — expected a host name or IP address,"
            " such as \"pbx.example.com\"; using ''",
        ),
        (
            '[backend.sip]\nusername = "jean dupont"',
            "backend.sip.username = 'jean dupont' — expected a SIP user name, without spaces, '@'"
            " or ':'; using ''",
        ),
        (
            '[backend.sip]\nrtp_ports = "30000"',
            "backend.sip.rtp_ports = '30000' — expected a port range, such as \"30000-30100\";"
            " using ''",
        ),
    ],
)
def test_backend_texts_of_a_declared_shape(toml: str, message: str) -> None:
    """Shapes the backends used to check only when starting are now checked at load too."""
    write_config(toml + "\n")
    _settings, problems = load()
    assert only(problems) == f"config.toml: {message}"


def _samples(option: Option) -> list[Any]:
    rule = option.rule
    values: list[Any] = [option.default, None, [], "", "x", True, -1, 0, 1, 2.5, 70000, 10**6]
    values += [*rule.choices, "TLS", "tcp", 500, 487, 602, "100", "sip:pbx", "pbx.example.com"]
    values += ["a b", "1001", "192.0.2.10", "me", "30000-30100", "30000", 'Jo "J"', "Jo"]
    for bound in (rule.low, rule.high):
        if bound is not None:
            values += [bound, bound - 1, bound + 1, bound - 0.001, bound + 0.001]
    return values


def _typed_by_a_person(option: Option, value: Any) -> bool:
    """What a backend accepts beyond TOML's types (sign-in screen, code): "5060", "yes", 201."""
    numbers_or_flags = (Kind.INT, Kind.NUMBER, Kind.BOOL)
    return (isinstance(value, str) and option.rule.kind in numbers_or_flags) or (
        isinstance(value, int) and option.rule.kind is Kind.TEXT
    )


@pytest.mark.parametrize("name", sorted(BUILTIN_OPTIONS))
def test_settings_and_backend_accept_the_same_option_values(name: str) -> None:
    """The disagreement this declaration removed: a value the settings accept is one the backend
    accepts (and parses to the same value), a value they refuse it refuses."""
    for option in _declared(name):
        for value in _samples(option):
            if value is None:
                continue
            clean, problems = validation.validate(
                {"backend": {name: {option.name: value}}}, Path("config.toml"), BACKENDS
            )
            accepted_by_settings = not problems
            try:
                parsed = parse_declared((option,), {option.name: value}, name)
            except backends.BackendConfigError:
                parsed = None
            where = f"{name}.{option.name} = {value!r}"
            if accepted_by_settings:
                assert parsed == {option.name: clean["backend"][name][option.name]}, where
            elif not _typed_by_a_person(option, value):
                assert parsed is None, where


def test_reading_settings_imports_no_backend_code() -> None:
    """The declarations are read without pyVoIP, httpx, the simulator or Textual."""
    code = (
        "import sys, pathlib\n"
        "from tws_tui.settings.load import load_settings\n"
        f"settings, problems = load_settings(pathlib.Path({str(EXAMPLE)!r}), pathlib.Path('/n'),"
        " backend_names=['cti', 'sim', 'sip'])\n"
        "assert problems == [], problems\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pyVoIP', 'httpx', 'textual')\n"
        "         or m.startswith(('tws_tui.backends.sip.', 'tws_tui.backends.cti.',"
        " 'tws_tui.simulator'))]\n"
        "assert heavy == [], heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- unusable files ------------------------------------------------------------------------


def test_toml_syntax_error_gives_one_problem_with_line_and_column() -> None:
    write_config('[general]\nlog_level = "debug"\n[ui\n')
    settings, problems = load()
    assert only(problems) == (
        "config.toml: not valid TOML at line 3, column 4: Expected ']' at the end of a table"
        " declaration; using the default settings"
    )
    assert settings == Settings()  # nothing half-read


def test_toml_error_at_end_of_file() -> None:
    write_config("[general]\nlog_level =")
    _settings, problems = load()
    assert only(problems).startswith("config.toml: not valid TOML at the end of the file:")


def test_file_that_is_not_utf8_names_the_line() -> None:
    write_config(b'[general]\nlanguage = "fr"\n# caf\xe9\n')
    settings, problems = load()
    assert only(problems) == (
        "config.toml: not UTF-8 text (line 3); save it as UTF-8; using the default settings"
    )
    assert settings == Settings()


def test_utf8_bom_is_accepted() -> None:
    write_config('\ufeff[general]\nlanguage = "en"\n'.encode())
    settings, problems = load()
    assert problems == [] and settings.general.language == "en"


def test_config_path_that_is_a_directory() -> None:
    paths.ensure_dir(paths.config_file())
    _settings, problems = load()
    assert only(problems) == ("config.toml: is a directory, not a file; using the default settings")


def test_unreadable_config(monkeypatch: pytest.MonkeyPatch) -> None:
    target = write_config("[general]\n")
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _settings, problems = load()
    assert only(problems) == (
        "config.toml: cannot be read: permission denied; using the default settings"
    )


def test_broken_prefs_are_ignored_but_config_still_applies() -> None:
    write_config('[ui]\ntheme = "nord"\n')
    paths.prefs_file().write_text("theme = = 1\n", encoding="utf-8")
    settings, problems = load()
    assert only(problems).startswith("prefs.toml: not valid TOML at line 1, column 9")
    assert str(problems[0]).endswith("; ignoring the saved preferences")
    assert settings.ui.theme == "nord"


def test_problems_are_translated_when_shown() -> None:
    write_config('[general]\nlog_level = "loud"\n')
    _settings, problems = load()
    set_language("fr")
    assert str(problems[0]) == (
        "config.toml : general.log_level = 'loud' — valeurs possibles : trace, debug, info,"
        " warning, error, critical, off ; valeur utilisée : 'info'"
    )


# --- prefs overlay and saving --------------------------------------------------------------


def test_prefs_win_over_config_key_by_key() -> None:
    write_config(
        '[ui]\ntheme = "nord"\nbell = false\n[keymap]\n"call.mute" = "ctrl+w"\n'
        '"call.record" = "ctrl+y"\n'
    )
    save_prefs({"ui": {"theme": "gruvbox"}, "keymap.call.mute": "ctrl+z"})
    settings, problems = load()
    assert problems == []
    assert settings.ui.theme == "gruvbox"  # prefs
    assert settings.ui.bell is False  # config, untouched by prefs
    assert settings.keymap == {"call.mute": "ctrl+z", "call.record": "ctrl+y"}


def test_save_prefs_never_touches_the_config_file() -> None:
    original = '# my comments\n[ui]\ntheme = "nord"  # mine\n'
    config_path = write_config(original)
    save_prefs({"ui.theme": "gruvbox"})
    assert config_path.read_text(encoding="utf-8") == original


def test_save_prefs_merges_and_none_removes() -> None:
    save_prefs({"ui.theme": "nord", "general.language": "en"})
    save_prefs({"ui.bell": False, "backend.sip.port": 5070})
    prefs = tomllib.loads(paths.prefs_file().read_text(encoding="utf-8"))
    assert prefs == {
        "ui": {"theme": "nord", "bell": False},
        "general": {"language": "en"},
        "backend": {"sip": {"port": 5070}},
    }
    save_prefs({"ui.theme": None, "general": {"language": None}})
    prefs = tomllib.loads(paths.prefs_file().read_text(encoding="utf-8"))
    assert prefs == {"ui": {"bell": False}, "backend": {"sip": {"port": 5070}}}


def test_save_prefs_is_atomic_and_private() -> None:
    target = save_prefs({"ui.theme": "nord"})
    assert target == paths.prefs_file()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["prefs.toml"]


def test_save_prefs_refuses_secrets_and_bad_values() -> None:
    with pytest.raises(ValueError, match="secrets"):
        save_prefs({"backend.sip.password": "hunter2"})
    with pytest.raises(ValueError, match=r"general\.log_level"):
        save_prefs({"general.log_level": "loud"})
    assert not paths.prefs_file().exists()


def test_save_prefs_replaces_a_corrupt_prefs_file() -> None:
    paths.ensure_dir(paths.config_dir())
    paths.prefs_file().write_text("[[[", encoding="utf-8")
    save_prefs({"ui.theme": "nord"})
    settings, problems = load()
    assert problems == [] and settings.ui.theme == "nord"


def test_available_backends_without_a_registry_gives_the_builtin_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tws_tui.backends", types.ModuleType("tws_tui.backends"))
    assert REAL_AVAILABLE_BACKENDS() == ["cti", "sim", "sip"]


def test_available_backends_is_the_registry() -> None:
    names = REAL_AVAILABLE_BACKENDS()
    assert "sim" in names
    assert "pbx9000" not in names
    assert list(names) == sorted(names)


def test_validating_the_builtin_backend_does_not_scan_entry_points() -> None:
    """Start-up cost: a config naming the built-in backend is checked without importlib.metadata."""
    code = (
        "import sys, tempfile, pathlib\n"
        "from tws_tui.settings.load import load_settings\n"
        "d = pathlib.Path(tempfile.mkdtemp()); f = d / 'config.toml'\n"
        "f.write_text('[backend]\\nname = \"sim\"\\n')\n"
        "settings, problems = load_settings(f, d / 'prefs.toml')\n"
        "assert settings.backend.name == 'sim' and problems == [], problems\n"
        "assert 'importlib.metadata' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_save_prefs_keeps_keymap_ids_whole() -> None:
    save_prefs({"keymap": {"call.answer": "ctrl+w"}})
    save_prefs({"keymap.call.hangup": "ctrl+y"})
    settings, problems = load()
    assert problems == []
    assert settings.keymap == {"call.answer": "ctrl+w", "call.hangup": "ctrl+y"}


# --- [alerts] (TWS §6.4) -------------------------------------------------------------------


def test_alert_defaults_follow_the_spec() -> None:
    alerts = Settings().alerts
    assert alerts.popup is True  # TWS-6.4-8
    assert alerts.popup_queue_calls is False and alerts.only_when_unfocused is True
    assert alerts.keep_open_during_call is False
    assert (alerts.bell, alerts.bell_interval_s) == ("repeat", 4.0)
    assert alerts.desktop_notification is False and alerts.deflect_to == ""
    assert alerts.auto_answer is False and alerts.auto_answer_delay_s == 0.0  # TWS-6.4-14/-15
    assert alerts.auto_answer_ring is True and alerts.auto_answer_numbers == ()  # -16/-17
    assert alerts.callback_offer is True  # TWS-6.4-21


def test_alert_values_are_applied_and_numbers_cleaned() -> None:
    write_config(
        """
[alerts]
popup = false
popup_queue_calls = true
bell = "Once"
bell_interval_s = 10
deflect_to = "+33 1.23-45 67 89"
auto_answer = true
auto_answer_delay_s = 2.5
auto_answer_numbers = ["06*", "01 23 45 67 89", "*"]
"""
    )
    settings, problems = load()
    assert problems == []
    alerts = settings.alerts
    assert alerts.popup is False and alerts.popup_queue_calls is True
    assert alerts.bell == "once"
    assert alerts.bell_interval_s == 10.0 and isinstance(alerts.bell_interval_s, float)
    assert alerts.deflect_to == "+33123456789"
    assert alerts.auto_answer_delay_s == 2.5
    assert alerts.auto_answer_numbers == ("06*", "0123456789", "*")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("popup = 1", "alerts.popup = 1 — expected true or false; using true"),
        (
            'bell = "loud"',
            "alerts.bell = 'loud' — expected one of none, once, repeat; using 'repeat'",
        ),
        (
            "bell_interval_s = 0.5",
            "alerts.bell_interval_s = 0.5 — expected a number from 1 to 60; using 4.0",
        ),
        (
            'bell_interval_s = "4"',
            "alerts.bell_interval_s = '4' — expected a number; using 4.0",
        ),
        (
            "bell_interval_s = true",
            "alerts.bell_interval_s = true — expected a number; using 4.0",
        ),
        (
            "auto_answer_delay_s = -1",
            "alerts.auto_answer_delay_s = -1 — expected a number from 0 to 60; using 0.0",
        ),
        (
            "auto_answer_delay_s = nan",
            "alerts.auto_answer_delay_s = nan — expected a number; using 0.0",
        ),
        (
            'deflect_to = "Jeanne Dupont"',
            "alerts.deflect_to = 'Jeanne Dupont' — expected a phone number or an extension"
            " (digits, an optional leading +, * and #; spaces, dots and dashes are allowed),"
            " not a name; using ''",
        ),
        (
            'deflect_to = "01 23 + 45"',
            "alerts.deflect_to = '01 23 + 45' — expected a phone number or an extension"
            " (digits, an optional leading +, * and #; spaces, dots and dashes are allowed),"
            " not a name; using ''",
        ),
        (
            "deflect_to = 201",
            "alerts.deflect_to = 201 — expected text in quotes; using ''",
        ),
        (
            'auto_answer_numbers = "06*"',
            "alerts.auto_answer_numbers = '06*' — expected a list of numbers in quotes, such as"
            ' ["*"] or ["06*", "0123456789"]; using []',
        ),
        (
            "volume = 3",
            "alerts.volume: unknown setting — expected one of popup, popup_queue_calls,"
            " only_when_unfocused, keep_open_during_call, bell, bell_interval_s,"
            " desktop_notification, deflect_to, auto_answer, auto_answer_delay_s,"
            " auto_answer_ring, auto_answer_numbers, callback_offer, interception_notice_s;"
            " ignored",
        ),
    ],
)
def test_each_alert_mistake_gives_one_clear_message(toml: str, message: str) -> None:
    write_config(f"[alerts]\n{toml}\n")
    settings, problems = load()
    assert only(problems) == f"config.toml: {message}"
    assert problems[0].file == paths.config_file()
    assert settings.alerts == Settings().alerts  # the default is kept


def test_a_bad_auto_answer_pattern_is_dropped_and_the_others_kept() -> None:
    write_config('[alerts]\nauto_answer_numbers = ["06*", "Dupont", 612, "+33 1 23"]\n')
    settings, problems = load()
    assert [str(problem) for problem in problems] == [
        "config.toml: alerts.auto_answer_numbers: 'Dupont' — expected a number, or a pattern"
        ' with * such as "06*" or "*"; this entry is ignored',
        "config.toml: alerts.auto_answer_numbers: 612 — expected a number, or a pattern"
        ' with * such as "06*" or "*"; this entry is ignored',
    ]
    assert settings.alerts.auto_answer_numbers == ("06*", "+33123")


def test_alert_problems_are_translated() -> None:
    write_config('[alerts]\nbell_interval_s = 90\ndeflect_to = "accueil"\n')
    _settings, problems = load()
    set_language("fr")
    assert [str(problem) for problem in problems] == [
        "config.toml : alerts.bell_interval_s = 90 — attendu : un nombre de 1 à 60 ;"
        " valeur utilisée : 4.0",
        "config.toml : alerts.deflect_to = 'accueil' — attendu : un numéro de téléphone ou"
        " de poste (chiffres, + en tête facultatif, * et # ; espaces, points et tirets"
        " acceptés), pas un nom ; valeur utilisée : ''",
    ]


def test_alert_prefs_are_saved_and_reloaded() -> None:
    save_prefs({"alerts.auto_answer": True, "alerts.auto_answer_numbers": ["06*", "*"]})
    save_prefs({"alerts": {"bell": "none", "bell_interval_s": 2.5}})
    settings, problems = load()
    assert problems == []
    assert settings.alerts.auto_answer is True
    assert settings.alerts.auto_answer_numbers == ("06*", "*")
    assert (settings.alerts.bell, settings.alerts.bell_interval_s) == ("none", 2.5)
    with pytest.raises(ValueError, match=r"alerts\.deflect_to"):
        save_prefs({"alerts.deflect_to": "reception"})


def test_queue_lists_take_names_and_refuse_anything_else(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[queues]\nhidden = ["support", " "]\norder = "accueil"\n', encoding="utf-8")
    settings, problems = load_settings(config, tmp_path / "prefs.toml")
    assert settings.queues.hidden == ("support",)
    assert settings.queues.order == ()
    assert [str(p) for p in problems] == [
        "config.toml: queues.order = 'accueil' — expected a list of names in quotes, such as"
        ' ["accueil", "support"]; using []'
    ]


def test_interception_notice_delay_is_read_and_bounded(tmp_path: Path) -> None:
    """TWS-2.4.2-5's display delay: a number of seconds from 2 to 120."""
    from tws_tui.settings.load import load_settings

    path, prefs = tmp_path / "config.toml", tmp_path / "prefs.toml"
    path.write_text("[alerts]\ninterception_notice_s = 30\n", encoding="utf-8")
    settings, problems = load_settings(path, prefs)
    assert settings.alerts.interception_notice_s == 30.0 and problems == []
    path.write_text("[alerts]\ninterception_notice_s = 500\n", encoding="utf-8")
    settings, problems = load_settings(path, prefs)
    assert settings.alerts.interception_notice_s == 10.0  # refused: the default kept
    assert any("interception_notice_s" in str(p) for p in problems)
