"""Event classes are frozen, slotted dataclasses, and a runner's import loads only what it needs.

The runtime makes the event classes without importing ``dataclasses`` (see
``flowc/runtime/events.py``); these tests hold them to what
``@dataclass(frozen=True, slots=True)`` promises, through dataclasses' own API.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import sys
import typing
from typing import Any

import pytest

from flowc.runtime import (
    CustomEvent,
    DebugEvent,
    MessagesEvent,
    TaskEvent,
    TaskId,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)

FIELDS = {
    ValuesEvent: ["data", "ns"],
    UpdatesEvent: ["node", "data", "ns"],
    CustomEvent: ["data", "ns"],
    MessagesEvent: ["message", "metadata", "ns"],
    TaskEvent: ["id", "name", "input", "triggers", "metadata", "step", "ns"],
    TaskResultEvent: ["id", "name", "error", "result", "step", "interrupts", "ns"],
    DebugEvent: ["step", "timestamp", "payload", "ns"],
}

START = TaskEvent(TaskId("t1"), "n", {"a": 1}, ("branch:to:n",), None, 2, ("p:x",))
RESULT = TaskResultEvent(TaskId("t1"), "n", None, {"a": 2}, 2, (), ("p:x",))
EVENTS: list[Any] = [
    ValuesEvent({"a": 1}),
    UpdatesEvent("n", {"a": 1}, ("p:x",)),
    CustomEvent(["progress", 3]),
    MessagesEvent("token", {"langgraph_node": "n"}),
    START,
    RESULT,
    DebugEvent(2, "2026-01-01T00:00:00+00:00", START),
]


@pytest.mark.parametrize("cls", list(FIELDS), ids=lambda c: c.__name__)
def test_event_classes_are_frozen_slotted_dataclasses(cls: Any) -> None:
    is_dataclass = dataclasses.is_dataclass(cls)
    assert is_dataclass
    assert [f.name for f in dataclasses.fields(cls)] == FIELDS[cls]
    assert cls.__dataclass_params__.frozen is True
    assert cls.__slots__ == tuple(FIELDS[cls])
    assert cls.__match_args__ == tuple(FIELDS[cls])
    defaults = {
        f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING
    }
    assert defaults == ({"interrupts": (), "ns": ()} if cls is TaskResultEvent else {"ns": ()})


def test_events_have_dataclass_reprs_equality_and_hashes() -> None:
    assert repr(UpdatesEvent("n", {"a": 1}, ("p:x",))) == (
        "UpdatesEvent(node='n', data={'a': 1}, ns=('p:x',))"
    )
    assert repr(DebugEvent(2, "ts", RESULT)) == (
        "DebugEvent(step=2, timestamp='ts', "
        "payload=TaskResultEvent(id='t1', name='n', error=None, result={'a': 2}, step=2, "
        "interrupts=(), ns=('p:x',)), ns=())"
    )
    assert UpdatesEvent("n", {"a": 1}) == UpdatesEvent("n", {"a": 1})
    assert UpdatesEvent("n", {"a": 1}) != UpdatesEvent("n", {"a": 2})
    # as with dataclasses, events of different classes are never equal
    assert ValuesEvent(1) != typing.cast(object, CustomEvent(1))
    assert hash(CustomEvent(("x", 1))) == hash(CustomEvent(("x", 1)))
    assert {CustomEvent(1), CustomEvent(1), CustomEvent(2)} == {CustomEvent(1), CustomEvent(2)}


def test_assigning_or_deleting_a_field_raises_frozen_instance_error() -> None:
    event = UpdatesEvent("n", {"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'node'"):
        event.node = "m"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'data'"):
        del event.data
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'other'"):
        event.other = 1  # type: ignore[attr-defined]
    assert not hasattr(event, "__dict__")
    assert event == UpdatesEvent("n", {"a": 1})


def test_dataclasses_functions_work_on_events() -> None:
    debug = DebugEvent(2, "ts", START)
    assert dataclasses.asdict(debug) == {
        "step": 2,
        "timestamp": "ts",
        "payload": {
            "id": "t1",
            "name": "n",
            "input": {"a": 1},
            "triggers": ("branch:to:n",),
            "metadata": None,
            "step": 2,
            "ns": ("p:x",),
        },
        "ns": (),
    }
    assert dataclasses.astuple(ValuesEvent({"a": 1}, ("p:x",))) == ({"a": 1}, ("p:x",))
    assert dataclasses.replace(UpdatesEvent("n", {"a": 1}), data=None) == UpdatesEvent("n", None)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_events_survive_pickle_and_copy(event: Any) -> None:
    for clone in (
        pickle.loads(pickle.dumps(event)),
        copy.copy(event),
        copy.deepcopy(event),
    ):
        assert type(clone) is type(event)
        assert clone == event


def test_generated_event_subclasses_are_dataclasses_too() -> None:
    from tests.golden import joke

    event = joke.RefineTopicUpdated("refine_topic", {"topic": "x"})
    assert [f.name for f in dataclasses.fields(event)] == ["node", "data", "ns"]
    assert repr(event) == "RefineTopicUpdated(node='refine_topic', data={'topic': 'x'}, ns=())"
    assert pickle.loads(pickle.dumps(event)) == event
    assert event != typing.cast(object, UpdatesEvent("refine_topic", {"topic": "x"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.data = None  # type: ignore[misc]


def test_a_match_on_an_event_binds_positional_and_keyword_patterns() -> None:
    match UpdatesEvent("n", {"a": 1}):
        case UpdatesEvent("n", {"a": value}, ()):
            positional = value
    match DebugEvent(2, "ts", RESULT):
        case DebugEvent(step=2, payload=TaskResultEvent(result=result)):
            keyword = result
    assert (positional, keyword) == (1, {"a": 2})


def test_a_dataclass_can_extend_an_event() -> None:
    @dataclasses.dataclass(frozen=True)
    class Progress(CustomEvent[int]):
        total: int = 100

    event = Progress(3, ("p:x",), 10)
    assert [f.name for f in dataclasses.fields(event)] == ["data", "ns", "total"]
    assert (event.data, event.ns, event.total, event.mode) == (3, ("p:x",), 10, "custom")
    assert event.chunk() == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.total = 1  # type: ignore[misc]


# -- types modules -------------------------------------------------------------------


def test_read_only_annotations_of_a_types_module_resolve_to_read_only() -> None:
    from tests.golden import joke_types

    if sys.version_info >= (3, 13):
        from typing import ReadOnly
    else:
        from typing_extensions import ReadOnly

    assert typing.get_type_hints(joke_types.JokeInput, include_extras=True) == {
        "topic": ReadOnly[str],
        "joke": ReadOnly[str],
    }
    assert typing.get_type_hints(joke_types.RefineTopicUpdate, include_extras=True) == {
        "topic": ReadOnly[str]
    }
