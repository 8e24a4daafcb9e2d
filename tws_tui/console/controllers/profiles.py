"""``ProfilesController``: my profiles (issue 17; TWS §1.7, §6.10; TWP §5.1) while the console
runs — the picker (``profile.switch``, a letter or digit picks), applying a profile (its
presence and note, then the forwards its rules want, through the backend's usual calls), the
minute tick that switches profile by schedule and re-applies the rules (hours, dates and my
presence change what wins), and keeping the book in profiles.json.

The same tick drives calendar presence (:mod:`.calendar_presence`). Profiles are gated on the
``PROFILES`` capability. Where the phone system keeps them (``backend.profiles``: the CTI
server), its book replaces mine once connected, every change is sent to it, and a change from
another console of mine arrives as a ``ProfilesEvent`` and becomes mine.

Only the forwards a rule asks for are sent; a forward the profile did not set (one set with
Alt+F) is left alone, and one it set is taken back when its rule stops winning. Rules that
depend on the caller are not plain forwards: ``caller_rules`` carries them out when a call
rings (the Profiles page shows which wins for a number).

With ``[profiles] one_number`` a profile may choose its phone line (TWS-6.10.1-4, softphone =
``sip``, desk phone = ``cti``): activating one on the other line replaces the console's backend
(``ConsoleApi.switch_backend``: *reconnect now* with the other backend's settings), refused in
words while a call is up; once connected there, the book is sent to it and the profile
applied. At start, the active profile's line is the one connected.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from tws_tui.console.api import ConsoleApi
from tws_tui.console.controllers.calendar_presence import CalendarPresence
from tws_tui.console.controllers.caller_rules import CallerRules
from tws_tui.core.clock import TimerHandle
from tws_tui.core.model import Capability, Forward, ForwardKind, PresenceState
from tws_tui.core.protocols import CallControl
from tws_tui.core.topics import Topic
from tws_tui.domain.forwarding import forwarded_numbers, offered_kinds
from tws_tui.domain.phone_line import backend_for, switch_refused, switched
from tws_tui.domain.profiles import (
    Profile,
    Rule,
    Situation,
    Verdict,
    check_rule,
    profile_name,
    scheduled,
)
from tws_tui.domain.rule_options import judged_here
from tws_tui.platform.i18n import _
from tws_tui.settings.profiles_file import (
    ProfileBook,
    from_json,
    load_profiles,
    profiles_file,
    save_profiles,
    to_json,
)

TICK_S = 60.0


class ProfilesController:
    def __init__(self, api: ConsoleApi) -> None:
        self.api = api
        self.path = profiles_file()
        self.book, self._problem = load_profiles(self.path)
        self._timer: TimerHandle | None = None
        self._armed = False
        self._scheduled: str | None = None  # the profile the schedule picked last
        self._applied: dict[ForwardKind, Forward] = {}  # the forwards the rules set
        #: The profile activated on the other phone line: applied once the backend is there.
        self._after_switch: str | None = None
        #: Judged on the same minute tick; a meeting starting or ending re-judges the rules.
        self.calendar = CalendarPresence(api, lambda: self.sync_forwards())
        self.caller_rules = CallerRules(
            api,
            lambda caller, known: self.verdict(self.book.current(), caller, known),
            lambda: any(r.by_contact for r in self.book.current().rules),
        )

    # ---- what screens read ------------------------------------------------------------------

    @property
    def offered(self) -> bool:
        return self.api.can(Capability.PROFILES)

    def status_name(self) -> str:
        """The active profile's name for the status bar, the default one's too (TWS-6.10-2);
        "" where the phone system offers no profiles."""
        if not self.offered:
            return ""
        return profile_name(self.book.current())

    def now(self) -> datetime:
        """The local time of day (schedules and hours are the user's, not UTC)."""
        now = self.api.clock.now()
        return now.astimezone().replace(tzinfo=None) if now.tzinfo else now

    def situation(
        self, caller: str | None = None, known: tuple[str, str] | None = None
    ) -> Situation:
        """``known``: the caller's contact (directory source, name), when looked up."""
        me = self.api.state.me
        presence = me.presence if me is not None else PresenceState.AVAILABLE
        lists = {}
        if caller is not None:  # the lists whose contacts the console holds (home screen)
            lists = {
                contact_list.name: frozenset(n for c in contacts for _label, n in c.numbers)
                for contact_list, contacts in self.api.lists.home_lists
            }
        return Situation(
            self.now(),
            presence,
            caller,
            lists,
            presence_label=me.presence_label if me is not None else None,
            in_meeting=self.calendar.in_meeting,
            caller_contact=known,
            internal_digits=self.api.prefs.general.internal_digits,
        )

    def deflect_extension(self) -> str:
        """Where Deflect sends a ringing call when the book says "to the current extension"
        (TWS-6.4-13): the active profile's, or "" (then ``alerts.deflect_to`` or voicemail)."""
        if not self.offered or not self.book.deflect_to_current:
            return ""
        return self.book.current().extension

    def verdict(
        self, profile: Profile, caller: str | None = None, known: tuple[str, str] | None = None
    ) -> Verdict:
        return self.judged(profile, self.situation(caller, known))

    def judged(self, profile: Profile, situation: Situation) -> Verdict:
        """``profile``'s rules judged as this phone system applies them: without the *TWS
        Rules* option its advanced rules are not (TWS-6.10.6.1-8, ``domain/rule_options``)."""
        return judged_here(profile, situation, self.advanced_rules)

    @property
    def advanced_rules(self) -> bool:
        """Whether the *TWS Rules* option is there: offered by the phone system and not
        turned off for the site (``[general] tws_rules``)."""
        offered = self.api.can(Capability.PROFILE_RULES_ADVANCED)
        return offered and self.api.prefs.general.tws_rules

    def check(self, rule: Rule) -> Rule:
        """The rule as kept, or ``ValueError`` (own number, a loop through colleagues…)."""
        me = self.api.state.me
        own = me.extension if me is not None else ""
        forwards = forwarded_numbers(self.api.state.devices.values())
        return check_rule(
            rule, own=own, voicemail=self.api.calls.voicemail_number, forwards_of=forwards.get
        )

    # ---- changes ------------------------------------------------------------------------------

    def save(self, book: ProfileBook, *, switching: bool = False) -> bool:
        """Keep ``book`` (written to profiles.json) and re-apply the rules; False (said) when
        the file cannot be written — the book in use is then unchanged. ``switching``: the
        backend is about to be replaced (a phone line), so nothing is sent to the old one."""
        try:
            save_profiles(self.path, book)
        except OSError as e:
            self.api.notify(
                _("Could not save the profiles: {error}").format(error=e), severity="error"
            )
            return False
        self.book = book
        self.api.topics_changed({Topic.ME})
        if not switching:
            self.sync_forwards()
            self._send(book)
        return True

    # ---- kept by the phone system ------------------------------------------------------------

    def _send(self, book: ProfileBook) -> None:
        """Give the book to the phone system when it keeps profiles (every console of mine
        then gets it)."""
        backend = self.api.backend
        if backend is None or backend.profiles is None:
            return
        document = json.dumps(to_json(book), ensure_ascii=False)

        async def send(backend: CallControl) -> None:
            if backend.profiles is not None:
                await backend.profiles.save(document)

        self.api.run_command(send)

    def _fetch(self) -> None:
        """Once connected: the phone system's book replaces mine; when it has none yet, mine
        is given to it (the first console of a user brings its profiles)."""
        backend = self.api.backend
        if backend is None or backend.profiles is None:
            return
        mine = self.book

        async def fetch(backend: CallControl) -> None:
            if backend.profiles is None:
                return
            document = await backend.profiles.load()
            if document:
                self.adopt(document)
            else:
                await backend.profiles.save(json.dumps(to_json(mine), ensure_ascii=False))

        self.api.run_command(fetch)

    def adopt(self, document: str) -> None:
        """The phone system's book (changed here or from another console) becomes mine, kept
        in profiles.json too; a document that is no book is said and mine kept."""
        try:
            book = from_json(json.loads(document))
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            self.api.notify(
                _("The profiles the phone system sent cannot be read ({error}).").format(error=e),
                severity="warning",
                markup=False,
            )
            return
        if book == self.book:
            return
        self.book = book
        try:
            save_profiles(self.path, book)
        except OSError as e:
            self.api.notify(
                _("Could not save the profiles: {error}").format(error=e), severity="error"
            )
        self.sync_forwards()
        self.api.topics_changed({Topic.ME})

    def activate(self, key: str | None) -> None:
        """Make profile ``key`` the active one: its presence and note, then its forwards. A
        profile on the other phone line (TWS-6.10.1-4) switches the backend first, refused
        while a call is up; its presence and forwards then go to the new backend once
        connected."""
        profile = next((p for p in self.book.profiles if p.key == key), None)
        if profile is None:
            return
        line_backend = self.line_switch(profile)
        if line_backend is not None and self.api.state.calls:
            refusal = switch_refused(profile_name(profile), profile.line)
            self.api.notify(refusal, severity="warning", markup=False, timeout=10)
            return
        if not self.save(replace(self.book, active=profile.key), switching=bool(line_backend)):
            return
        if line_backend is not None:
            self._after_switch = profile.key
            self.api.switch_backend(line_backend)
            self.api.notify(switched(profile.line), markup=False)
            self.api.notify(_("Profile: {name}").format(name=profile_name(profile)))
            return
        self._apply(self.book.current())

    def line_switch(self, profile: Profile) -> str | None:
        """The backend ``profile``'s phone line needs, when not the one in use (only with
        ``[profiles] one_number``)."""
        if not self.api.prefs.settings.profiles.one_number:
            return None
        return backend_for(profile.line, self.api.backend_name)

    def _apply(self, profile: Profile) -> None:
        """The profile's presence and note, then its forwards, through the backend in use."""
        note = profile.note or None
        me = self.api.state.me
        dnd_on = me is not None and me.dnd

        async def apply(backend: CallControl) -> None:
            if dnd_on:
                await backend.set_dnd(False)
            await backend.set_presence(profile.presence, note)

        self.api.run_command(apply)
        self.sync_forwards(profile.presence)
        self.api.notify(_("Profile: {name}").format(name=profile_name(profile)))

    def sync_forwards(self, presence: PresenceState | None = None) -> None:
        """Send the forwards the active profile's rules want now (only those that differ)."""
        me = self.api.state.me
        if me is None or not self.offered or not self.api.can(Capability.FORWARDING):
            return
        situation = self.situation()
        if presence is not None:
            situation = replace(situation, presence=presence)
        verdict = self.judged(self.book.current(), situation)
        wanted: dict[ForwardKind, Forward] = {}
        announce = self.api.can(Capability.FORWARD_ANNOUNCEMENT)
        for kind in offered_kinds(self.api.can):
            if kind in verdict.winners:
                forward = verdict.winners[kind].forward()
                wanted[kind] = forward if announce else replace(forward, announcement=None)
            elif kind in self._applied:
                wanted[kind] = Forward(False)  # a rule's forward no longer wanted
        changed = [
            (kind, forward)
            for kind, forward in wanted.items()
            if forward != me.forwards.get(kind, Forward(False))
        ]
        self._applied = {k: f for k, f in wanted.items() if f.enabled}
        if not changed:
            return

        async def send(backend: CallControl) -> None:
            for kind, forward in changed:
                await backend.set_forward(kind, forward)

        self.api.run_command(send)

    # ---- keys and time ------------------------------------------------------------------------

    def pick(self) -> None:
        """Open the profile picker (a letter or digit picks)."""
        from tws_tui.console.screens.modals.profile_picker import ProfilePicker

        if isinstance(self.api.screen, ProfilePicker):
            return
        if not self.offered:
            self.api.notify(
                _("This phone system does not let the console switch profiles."),
                severity="warning",
            )
            return
        choices = [(p.key, profile_name(p)) for p in self.book.profiles]
        self.api.push_screen(ProfilePicker(choices, self.book.active), self.activate)

    def state_changed(self, topics: Collection[Topic]) -> None:
        """My line changed: the first time, start the minute tick; then re-judge the rules
        (a presence condition may hold now)."""
        if Topic.CALLS in topics and self.offered:
            self.caller_rules.calls_changed()
        document = self.api.state.profiles_document
        if Topic.PROFILES in topics and document:
            self.adopt(document)
        if Topic.ME not in topics or self.api.state.me is None:
            return
        if self._after_switch is not None and self.line_switch(self.book.current()) is None:
            self._after_switch = None  # connected on the profile's line: apply it there
            self._send(self.book)
            self._apply(self.book.current())
            return
        if not self._armed:
            self._armed = True
            if self._problem and self.offered:
                self.api.notify(self._problem, severity="warning", markup=False)
            if self.offered:
                self._fetch()
            self.tick()
            self._start_on_the_line()
            return
        self.sync_forwards()

    def _start_on_the_line(self) -> None:
        """At start, the active profile's phone line when it is not the configured backend
        (nothing is up yet: the first connection has just been made)."""
        profile = self.book.current()
        line_backend = self.line_switch(profile)
        if line_backend is not None and not self.api.state.calls:
            self._after_switch = profile.key
            self.api.switch_backend(line_backend)
            self.api.notify(switched(profile.line), markup=False)

    def tick(self) -> None:
        """Switch profile when the schedule says so, re-apply the rules, come back in a
        minute."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.api.clock.call_later(TICK_S, self.tick)
        self.calendar.tick()
        switch = self.offered and self.book.auto_switch
        if not (switch and self._switch_by_schedule(self.now())):
            self.sync_forwards()

    def calendar_changed(self) -> None:
        """``[contacts] calendar`` changed: read it now."""
        self.calendar.tick()

    def _switch_by_schedule(self, now: datetime) -> bool:
        """Activate the profile whose schedule starts to hold (a profile picked by hand
        meanwhile stays until the next one starts); True when one was activated."""
        profile = scheduled(self.book.profiles, now)
        key = profile.key if profile is not None else None
        if key == self._scheduled:
            return False
        self._scheduled = key
        if key is None or key == self.book.active:
            return False
        self.activate(key)
        if self.book.active != key:  # refused (a call up on the other line): try next minute
            self._scheduled = None
        return True

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
