"""Backend registry: names without importing, load by name, option errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tws_tui import backends
from tws_tui.backends import BackendConfigError


def test_names_lists_sim_without_importing_it() -> None:
    code = (
        "import sys; from tws_tui import backends; n = backends.names(); "
        "print('sim' in n, 'tws_tui.backends.sim' in sys.modules, 'textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False", "False"]


def test_loading_sim_does_not_import_textual() -> None:
    code = (
        "import sys; from tws_tui import backends; backends.load('sim', {'traffic': False}); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_unknown_backend_lists_the_available_ones() -> None:
    with pytest.raises(BackendConfigError) as caught:
        backends.load("nope", {})
    assert isinstance(caught.value, ValueError)
    assert "'nope'" in str(caught.value) and "sim" in str(caught.value)


def test_unknown_options_are_ignored() -> None:
    backend = backends.load("sim", {"traffic": False, "url": "https://cti", "sip_user": "x"})
    assert backend.capabilities and backend.directory is not None


@pytest.mark.parametrize(
    ("options", "named", "expected"),
    [
        ({"seed": "abc"}, "'seed'", "integer"),
        ({"seed": True}, "'seed'", "integer"),
        ({"traffic": "maybe"}, "'traffic'", "true or false"),
        ({"extension": "abc"}, "'extension'", "digits"),
        ({"capabilities": ["call.fly"]}, "call.fly", "known"),
        ({"clock": 12}, "'clock'", "Clock"),
    ],
)
def test_bad_option_value_is_a_clear_config_error(
    options: dict[str, object], named: str, expected: str
) -> None:
    with pytest.raises(BackendConfigError) as caught:
        backends.load("sim", options)
    message = str(caught.value)
    assert named in message and expected in message and "sim" in message


def test_options_from_a_config_file_are_accepted_as_strings() -> None:
    backend = backends.load("sim", {"seed": "42", "traffic": "false", "extension": 200})
    assert backend.switch.operator.extension == "200"  # type: ignore[attr-defined]
    assert backend.traffic_enabled is False  # type: ignore[attr-defined]


def test_builtin_fast_path_matches_the_declared_entry_points() -> None:
    """Loading a built-in by name skips the entry-point scan; both must name the same object."""
    from importlib.metadata import entry_points

    from tws_tui.backends import BUILTIN

    declared = {ep.name: ep.value for ep in entry_points(group="tws_tui.backends")}
    for name, target in BUILTIN.items():
        assert declared.get(name) == target


def test_a_backend_whose_extra_is_missing_is_a_clear_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``sip`` without pyVoIP (or ``cti`` without httpx): a message the setup screen shows,
    not an ImportError traceback."""
    monkeypatch.setitem(backends.BUILTIN, "sip", "tws_tui_missing_extra_module:create")
    with pytest.raises(BackendConfigError, match="The sip backend cannot be loaded: No module"):
        backends.load("sip")
