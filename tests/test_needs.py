"""needs.missing: a skip with the reason here, a failure (no traceback) under CI=true."""

from __future__ import annotations

import pytest
from needs import missing


@pytest.mark.parametrize("ci", ["", "false", "1"])
def test_missing_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="redis-server is missing"):
        missing("redis-server is missing")


@pytest.mark.parametrize("ci", ["true", "TRUE", "True"])
def test_missing_fails_under_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="redis-server is missing") as failed:
        missing("redis-server is missing")
    assert failed.value.pytrace is False


def test_missing_skips_without_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        missing("Radicale is not installed")
