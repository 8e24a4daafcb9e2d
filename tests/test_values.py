"""value_class keeps the dataclass contract the whole project relies on."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from tws_tui.core.events import CallEvent, CallEventKind
from tws_tui.core.model import Party, Queue, QueueId
from tws_tui.core.values import record_class, value_class


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


@value_class(kw_only=True)
class Settings:
    name: str
    tags: list[str] = dataclasses.field(default_factory=list)
    count: int = dataclasses.field(default=0, init=False)


@record_class
class Counter:
    label: str
    hits: list[int] = dataclasses.field(default_factory=list)
    total: int = dataclasses.field(default=0, init=False)

    def __post_init__(self) -> None:
        self.total = sum(self.hits)


@record_class(eq=False)
class Handle:
    name: str


def test_init_defaults_factories_keyword_only_and_errors() -> None:
    first, second = Settings(name="a"), Settings(name="b", tags=["x"])
    assert (first.tags, second.tags, first.count) == ([], ["x"], 0)
    assert Settings(name="c").tags is not first.tags  # a fresh list per instance
    with pytest.raises(TypeError):
        Settings("positional")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Settings(name="a", count=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    assert Settings.__init__.__qualname__ == "Settings.__init__"


def test_a_required_field_after_a_default_is_refused_at_declaration() -> None:
    with pytest.raises(TypeError, match="'y' follows default"):

        @value_class
        class Wrong:
            x: int = 0
            y: int  # type: ignore[misc]


def test_record_class_is_mutable_compared_and_unhashable() -> None:
    counter = Counter("c", [1, 2])
    assert counter.total == 3  # __post_init__ ran
    counter.hits.append(4)
    counter.label = "d"
    assert (counter.label, counter.hits, counter.total) == ("d", [1, 2, 4], 3)
    assert Counter("a") == Counter("a") and Counter("a") != Counter("b")
    with pytest.raises(TypeError):
        hash(Counter("a"))
    assert repr(Counter("a", [1])) == "Counter(label='a', hits=[1], total=1)"


def test_record_class_without_eq_compares_by_identity() -> None:
    one, other = Handle("h"), Handle("h")
    assert one != other
    assert one.__eq__(one) is True
    assert len({one, other}) == 2


def test_frozen_slotted_values_survive_pickle_and_deepcopy() -> None:
    settings = Settings(name="a", tags=["x"])
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert copy.deepcopy(settings).tags == ["x"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del settings.name
