"""``tws-tui wallboard``: the one-line queue summary, its updates, and the command."""

from __future__ import annotations

import asyncio
from pathlib import Path

from helpers import run_cli

from tws_tui.backends.sim import create
from tws_tui.core.clock import ManualClock
from tws_tui.domain.queue_board import wallboard_line
from tws_tui.platform import paths
from tws_tui.settings.schema import QueueSettings
from tws_tui.simulator.testing import CALLER, Harness
from tws_tui.wallboard import run_wallboard


def test_line_shows_each_queue_its_oldest_wait_and_the_agents() -> None:
    h = Harness()
    h.switch.inject_incoming_call("3900", CALLER)
    h.advance(20)
    h.switch.inject_incoming_call("3900", "+33611111111")
    line = wallboard_line(h.state.queues.values(), h.clock.now(), QueueSettings())
    assert line.startswith("Accueil 2 ▲0:20 · Commercial 0 · Support technique 0")
    assert "│ agents " in line and " ready " in line and " busy" in line
    settings = QueueSettings(hidden=("commercial",), order=("support",), alert_after_s=20)
    line = wallboard_line(h.state.queues.values(), h.clock.now(), settings)
    assert line.startswith("Support technique 0 · Accueil 2 ■0:20 · Débordement 0 │")


def test_a_new_line_is_printed_only_when_something_changes() -> None:
    clock = ManualClock()
    backend = create({"seed": 0, "traffic": False, "clock": clock})
    lines: list[str] = []

    async def scenario() -> None:
        board = asyncio.create_task(
            run_wallboard(backend, clock, QueueSettings(), interval_s=0.01, write=lines.append)
        )
        await asyncio.sleep(0.05)
        backend.switch.inject_incoming_call("3900", CALLER)
        await asyncio.sleep(0.05)
        clock.advance(3)
        await asyncio.sleep(0.05)
        board.cancel()

    asyncio.run(scenario())
    assert [line.split(" · ")[0] for line in lines] == [
        "Accueil 0",
        "Accueil 1 ·0:00",
        "Accueil 1 ·0:03",
    ]


def test_the_command_prints_one_line_with_once(tmp_path: Path) -> None:
    result = run_cli(
        "--demo",
        "wallboard",
        "--once",
        env={
            paths.ENV_CONFIG_DIR: str(tmp_path / "c"),
            paths.ENV_STATE_DIR: str(tmp_path / "s"),
            paths.ENV_DATA_DIR: str(tmp_path / "d"),
        },
    )
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("Accueil ") and "│ agents" in line
    assert result.stderr == ""
