"""Sign-in throttling: failed passwords counted per account and per client address.

Owns :class:`SignInThrottle`. Each failed ``grant_type password`` is counted under the user name
tried and under the client's address, in a sliding window of ``window_s``. Once a key has
``limit`` failures in the window, every sign-in on it — right password or not — is refused with
``429 too_many_requests`` and ``Retry-After`` (the seconds until its oldest failure leaves the
window), *before* any password is hashed, so guessing costs the server nothing. A successful
sign-in clears the account's failures (not the address's). Memory is bounded: at most
``max_keys`` keys are tracked (the oldest forgotten first).
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Callable

from tws_tui.core.errors import N_
from tws_tui.wire.problems import TooManyRequests

#: A user name tried is counted by its first characters (a 64 KiB name must not cost 64 KiB).
KEY_CHARS = 128


class SignInThrottle:
    def __init__(
        self,
        *,
        account_limit: int,
        address_limit: int,
        window_s: float,
        now: Callable[[], float],
        max_keys: int = 10000,
    ) -> None:
        self.account_limit = account_limit
        self.address_limit = address_limit
        self.window_s = window_s
        self.now = now
        self.max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        since = self.now() - self.window_s
        while failures and failures[0] <= since:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def check(self, username: str, address: str) -> None:
        """``TooManyRequests`` when the account or the address is locked out now."""
        for key, limit in (
            (_user(username), self.account_limit),
            (f"addr:{address}", self.address_limit),
        ):
            failures = self._recent(key)
            if len(failures) >= limit:
                wait = max(1, math.ceil(failures[0] + self.window_s - self.now()))
                raise TooManyRequests(
                    N_("Too many failed sign-ins: try again in {seconds} s"), seconds=wait
                )

    def failed(self, username: str, address: str) -> None:
        at = self.now()
        for key in (_user(username), f"addr:{address}"):
            failures = self._failures.setdefault(key, deque())
            failures.append(at)
            self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def succeeded(self, username: str) -> None:
        self._failures.pop(_user(username), None)


def _user(username: str) -> str:
    return f"user:{username[:KEY_CHARS]}"
