"""The action table: stable unique ids, every action bound and described, user keymaps checked."""

from __future__ import annotations

from tws_tui.console.app import TwsApp
from tws_tui.console.bindings import bindings_for
from tws_tui.domain.keymap import (
    ACTIONS,
    ACTIONS_BY_ID,
    effective_keys,
    is_key_name,
    keymap_problem_text,
    validate_keymap,
)


def test_ids_are_unique_dotted_and_described() -> None:
    ids = [spec.id for spec in ACTIONS]
    assert len(ids) == len(set(ids))
    for spec in ACTIONS:
        assert "." in spec.id and spec.id == spec.id.lower(), spec.id
        assert spec.description and spec.keys


def test_every_app_binding_carries_its_id() -> None:
    bindings = bindings_for("app")
    assert {b.id for b in bindings} == {s.id for s in ACTIONS if s.scope == "app"}
    assert all(b.id for b in TwsApp.BINDINGS)


def test_default_keys_do_not_clash_within_a_scope() -> None:
    seen: dict[tuple[str, str], str] = {}
    for spec in ACTIONS:
        for key in spec.keys.split(","):
            assert (spec.scope, key) not in seen, f"{key} bound to {seen[(spec.scope, key)]} too"
            seen[(spec.scope, key)] = spec.id


def test_receptionist_keys_follow_the_switchboard_convention() -> None:
    assert ACTIONS_BY_ID["call.answer"].keys == "enter"
    assert ACTIONS_BY_ID["app.help"].keys == "f1"
    assert [ACTIONS_BY_ID[f"nav.{m}"].keys for m in ("contacts", "call", "queues")] == [
        "alt+1",
        "alt+2",
        "alt+3",
    ]


def test_validate_keymap_keeps_good_entries_and_names_bad_ones() -> None:
    valid, problems = validate_keymap({"call.answer": "f11", "call.fly": "f2", "app.help": " "})
    assert valid == {"call.answer": "f11"}
    assert [p.action_id for p in problems] == ["call.fly", "app.help"]


def test_a_key_that_is_no_key_or_is_taken_is_refused_with_why() -> None:
    """check-config's example: "f99" silently stopped Enter answering; "call.hold" on F8 took
    hang-up's key. Both are refused (the defaults stay) and said, in the user's language."""
    valid, problems = validate_keymap(
        {
            "call.answer": "f99",
            "call.hold": "f8",
            "app.help": "ctrl+slash,f1",
            "call.park": "ctrl+x",
        }
    )
    assert valid == {"app.help": "ctrl+slash,f1", "call.park": "ctrl+x"}
    texts = {p.action_id: keymap_problem_text(p) for p in problems}
    assert "'f99' is not a key name" in texts["call.answer"]
    assert "'f8' is already the key of call.hangup" in texts["call.hold"]
    assert effective_keys(valid)["call.hold"] == "f7"


def test_key_names_textual_binds() -> None:
    for key in ("f5", "f24", "ctrl+t", "enter", "slash", "left_square_bracket", "a", "shift+f8"):
        assert is_key_name(key), key
    for key in ("f99", "f0", "ctrl+", "cmd+a", "enterr", "page_up_please"):
        assert not is_key_name(key), key


def test_effective_keys_overlay_user_choices() -> None:
    keys = effective_keys({"call.answer": "f12"})
    assert keys["call.answer"] == "f12"
    assert keys["app.help"] == "f1"
