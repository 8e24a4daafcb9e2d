"""value_class keeps the dataclass contract the whole project relies on."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from tws_tui.core.events import CallEvent, CallEventKind
from tws_tui.core.model import Party, Queue, QueueId
from tws_tui.core.values import value_class


@value_class
class Point:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@value_class
class OtherPoint:
    x: int
    y: int = 0


def test_frozen_replace_and_fields() -> None:
    p = Point(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 5  # type: ignore[misc]
    assert dataclasses.replace(p, y=7) == Point(1, 7)
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "label"]
    assert Point.__match_args__ == ("x", "y", "label")


def test_equality_and_hash_follow_compared_fields_and_exact_class() -> None:
    assert Point(1, 2, "a") == Point(1, 2, "b")  # label has compare=False
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b"))
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != OtherPoint(1, 2)  # same fields, other class: not equal
    assert len({Point(1), Point(1), Point(2)}) == 2


def test_repr_copy_and_pickle() -> None:
    p = Point(1, 2, "x")
    assert repr(p) == "Point(x=1, y=2, label='x')"
    assert pickle.loads(pickle.dumps(Party("1", "A"))) == Party("1", "A")
    assert copy.deepcopy(p) == p


def test_model_values_match_patterns_and_keyword_only_events() -> None:
    queue = Queue(QueueId("q"), "Accueil")
    match queue:
        case Queue(id=queue_id, name="Accueil"):
            assert queue_id == "q"
        case _:
            pytest.fail("keyword pattern did not match")
    with pytest.raises(TypeError):
        CallEvent(None, None, CallEventKind.HELD, None)  # type: ignore[misc, call-arg]
