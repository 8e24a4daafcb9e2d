"""One route table (``wire/routes.py``) for the cti client and the reference server."""

from __future__ import annotations

import pytest

from tws_tui.server.app import OPERATIONS
from tws_tui.wire import routes


def test_every_route_is_mounted_once_and_the_server_mounts_only_routes_of_the_table() -> None:
    mounted = [op.route for op in OPERATIONS]
    assert sorted(mounted, key=id) == sorted(routes.ALL, key=id)
    assert len({(r.method, r.path) for r in routes.ALL}) == len(routes.ALL)


def test_a_url_quotes_each_parameter_as_one_segment() -> None:
    assert routes.HOLD.url(call_id="c 1/../x") == "/v1/calls/c%201%2F..%2Fx/hold"
    assert routes.ANSWER_QUEUED.url(queue_id="q1", call_id="c2") == (
        "/v1/queues/q1/calls/c2/answer"
    )
    assert routes.SNAPSHOT.url() == "/v1/snapshot"


@pytest.mark.parametrize("params", [{}, {"call_id": "c", "other": "x"}, {"queue_id": "q"}])
def test_a_url_needs_exactly_its_parameters(params: dict[str, str]) -> None:
    with pytest.raises(TypeError):
        routes.HOLD.url(**params)


def test_every_step_of_a_transfer_has_its_route() -> None:
    assert set(routes.TRANSFER_STEPS) == set(routes.TransferStep)
    for step, route in routes.TRANSFER_STEPS.items():
        assert route.path.endswith("/" + step.value) and route.method == "POST"
