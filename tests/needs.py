"""What a test does when something it needs outside Python is not on the machine: skipped
here with the reason, failed under ``CI=true`` (where ``make test-deps`` must have installed
it). The test servers (PostgreSQL, Redis, Radicale, the SIP peers) and the tests that need a
program of their own all say it through :func:`missing`."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def under_ci() -> bool:
    """True when the tests run under ``CI=true`` (in any case)."""
    return os.environ.get("CI", "").lower() == "true"


def missing(why: str) -> NoReturn:
    """Stop the test for want of something: a failure under ``CI=true``, a skip elsewhere;
    ``why`` says what is missing and how to install it (no traceback, it is not a bug)."""
    if under_ci():
        pytest.fail(why, pytrace=False)
    pytest.skip(why)
