"""profiles.json: my profiles, which one is active and whether the schedule switches them,
and my presence states of my own (issue 17), kept beside prefs.toml in the configuration
directory (and, where the phone system keeps profiles, on the CTI server as one document).

One JSON document (a profile's rules are lists of tables that prefs.toml's flat keys do not
hold); written atomically, 0600. A file that cannot be read or does not parse is reported in one
sentence and the default profiles are used; the file is left as it is until the next change.
The extension numbers a current extension is chosen from are kept in the same document
(``extensions``); a file written before them gets every profile's current extension. A
profile's rules are read simple ones first (TWS-6.10.6.3-2), none dropped: a file written
before that rule keeps every rule, an advanced one listed before a simple one now after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from tws_tui.core.model import ForwardKind, PresenceState
from tws_tui.domain.custom_presence import CustomPresence, check_state
from tws_tui.domain.phone_line import check_line
from tws_tui.domain.profile_extensions import read_extensions, remembered
from tws_tui.domain.profiles import (
    Origin,
    Profile,
    Rule,
    Schedule,
    check_extension,
    check_extension_rules,
    default_profiles,
    simple_first,
)
from tws_tui.platform.i18n import _
from tws_tui.platform.paths import atomic_write_bytes, config_dir

FILE_NAME = "profiles.json"
VERSION = 1


@dataclass(frozen=True)
class ProfileBook:
    """Every profile, the active one's key, whether schedules switch them, and my presence
    states of my own (the presence picker offers them)."""

    profiles: tuple[Profile, ...] = field(default_factory=default_profiles)
    active: str = "office"
    auto_switch: bool = True
    presence_states: tuple[CustomPresence, ...] = ()
    #: Deflect (Alt+D, the alerter) sends a ringing call to the active profile's current
    #: extension (TWS-6.4-13) instead of ``alerts.deflect_to`` or my voicemail.
    deflect_to_current: bool = False
    #: The extension numbers a current extension is chosen from (TWS-6.10.1-3), in their
    #: order; every profile's own current extension is offered too (:meth:`extension_list`).
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The list always holds every profile's own current extension (a book built before
        # the list, or with a profile given a new number): a book saved then read is the same.
        object.__setattr__(self, "extensions", remembered(self.extensions, self.profiles))

    def extension_list(self) -> tuple[str, ...]:
        """The current-extension drop-down's numbers: those kept, then any profile's."""
        return remembered(self.extensions, self.profiles)

    def current(self) -> Profile:
        for profile in self.profiles:
            if profile.key == self.active:
                return profile
        return self.profiles[0]


def profiles_file() -> Path:
    return config_dir() / FILE_NAME


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _rule_out(rule: Rule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "destination": rule.destination,
        "kind": rule.kind.value,
        "ring_time_s": rule.ring_time_s,
        "enabled": rule.enabled,
        "presence": rule.presence.value if rule.presence else None,
        "days": sorted(rule.days),
        "hours": [t.isoformat("minutes") for t in rule.hours] if rule.hours else None,
        "dates": [d.isoformat(" ", "minutes") for d in rule.dates] if rule.dates else None,
        "origin": rule.origin.value,
        "numbers": list(rule.numbers),
        "contact_list": rule.contact_list,
        "exclude_numbers": list(rule.exclude_numbers),
        "exclude_list": rule.exclude_list,
        "presence_label": rule.presence_label,
        "in_meeting": rule.in_meeting,
        "announcement": rule.announcement,
        "contact": rule.contact,
        "directory": rule.directory,
        "pattern": rule.pattern,
        "exclude_contact": rule.exclude_contact,
        "exclude_directory": rule.exclude_directory,
        "exclude_pattern": rule.exclude_pattern,
    }


def _rule_in(raw: dict[str, Any]) -> Rule:
    hours = raw.get("hours")
    dates = raw.get("dates")
    presence = raw.get("presence")
    return Rule(
        name=str(raw["name"]),
        destination=str(raw["destination"]),
        kind=ForwardKind(raw.get("kind", "unconditional")),
        ring_time_s=raw.get("ring_time_s"),
        enabled=bool(raw.get("enabled", True)),
        presence=PresenceState(presence) if presence else None,
        days=frozenset(int(d) for d in raw.get("days", ())),
        hours=(_time(hours[0]), _time(hours[1])) if hours else None,
        dates=(datetime.fromisoformat(dates[0]), datetime.fromisoformat(dates[1]))
        if dates
        else None,
        origin=Origin(raw.get("origin", "all")),
        numbers=tuple(str(n) for n in raw.get("numbers", ())),
        contact_list=str(raw.get("contact_list", "")),
        exclude_numbers=tuple(str(n) for n in raw.get("exclude_numbers", ())),
        exclude_list=str(raw.get("exclude_list", "")),
        presence_label=str(raw.get("presence_label", "")),
        in_meeting=bool(raw.get("in_meeting", False)),
        announcement=str(raw.get("announcement", "")),
        contact=str(raw.get("contact", "")),
        directory=str(raw.get("directory", "")),
        pattern=str(raw.get("pattern", "")),
        exclude_contact=str(raw.get("exclude_contact", "")),
        exclude_directory=str(raw.get("exclude_directory", "")),
        exclude_pattern=str(raw.get("exclude_pattern", "")),
    )


def to_json(book: ProfileBook) -> dict[str, Any]:
    profiles = []
    for p in book.profiles:
        schedule = None
        if p.schedule is not None:
            schedule = {
                "days": sorted(p.schedule.days),
                "start": p.schedule.start.isoformat("minutes"),
                "end": p.schedule.end.isoformat("minutes"),
            }
        profiles.append(
            {
                "key": p.key,
                "name": p.name,
                "presence": p.presence.value,
                "note": p.note,
                "rules": [_rule_out(r) for r in p.rules],
                "schedule": schedule,
                "extension": p.extension,
                "line": p.line,
            }
        )
    return {
        "version": VERSION,
        "active": book.active,
        "auto_switch": book.auto_switch,
        "deflect_to_current": book.deflect_to_current,
        "extensions": list(book.extension_list()),
        "profiles": profiles,
        "presence_states": [
            {"label": s.label, "base": s.base.value, "note": s.note} for s in book.presence_states
        ],
    }


def _states_in(raw: list[dict[str, Any]]) -> tuple[CustomPresence, ...]:
    """My states, each checked as the form checks it (a bad one refuses the document)."""
    states: tuple[CustomPresence, ...] = ()
    for s in raw:
        state = CustomPresence(str(s["label"]), PresenceState(s["base"]), str(s.get("note", "")))
        states += (check_state(state, states),)
    return states


def from_json(raw: dict[str, Any]) -> ProfileBook:
    """The book from its JSON; a missing or wrong field raises KeyError/ValueError/TypeError
    (a current extension that is no number, a rule to a current extension not given)."""
    profiles = []
    for p in raw["profiles"]:
        schedule = p.get("schedule")
        profiles.append(
            check_extension_rules(
                Profile(
                    key=str(p["key"]),
                    name=str(p.get("name", "")),
                    presence=PresenceState(p["presence"]),
                    note=str(p.get("note", "")),
                    rules=simple_first([_rule_in(r) for r in p.get("rules", ())]),
                    schedule=Schedule(
                        frozenset(int(d) for d in schedule.get("days", ())),
                        _time(schedule["start"]),
                        _time(schedule["end"]),
                    )
                    if schedule
                    else None,
                    extension=check_extension(str(p.get("extension", "")), ""),
                    line=check_line(str(p.get("line", ""))),
                )
            )
        )
    if not profiles:
        raise ValueError("no profile")
    return ProfileBook(
        tuple(profiles),
        str(raw["active"]),
        bool(raw.get("auto_switch", True)),
        _states_in(raw.get("presence_states", [])),
        bool(raw.get("deflect_to_current", False)),
        remembered(read_extensions(raw.get("extensions", [])), profiles),
    )


def load_profiles(path: Path) -> tuple[ProfileBook, str | None]:
    """The book kept at ``path`` (the defaults when there is none) and a problem sentence."""
    if not path.exists():
        return ProfileBook(), None
    try:
        return from_json(json.loads(path.read_text(encoding="utf-8"))), None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
        problem = _("{path}: the profiles cannot be read ({error}); the default ones are used.")
        return ProfileBook(), problem.format(path=path, error=e)


def save_profiles(path: Path, book: ProfileBook) -> None:
    """Write the book (atomic, 0600); ``OSError`` is the caller's to report."""
    text = json.dumps(to_json(book), ensure_ascii=False, indent=1)
    atomic_write_bytes(path, text.encode("utf-8") + b"\n")
