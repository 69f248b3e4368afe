"""Event classes are frozen, slotted dataclasses, and a runner's import loads only what it needs.

The runtime makes the event classes without importing ``dataclasses`` (see
``flowc/runtime/events.py``); these tests hold them to what
``@dataclass(frozen=True, slots=True)`` promises, through dataclasses' own API.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import pickle
import subprocess
import sys
import typing
from typing import Any

import pytest

from flowc import runtime as rt
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
from flowc.runtime.events import (
    iso_timestamp,
    pending_task_event,
    pending_task_result_event,
    stamped_debug_event,
)

from .conftest import ROOT

FIELDS = {
    ValuesEvent: ["data", "ns"],
    UpdatesEvent: ["node", "data", "ns", "cached"],
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
    # fields made when first read (a debug event's timestamp, a task event's id) keep
    # what they are made from in a slot of their own, and so does a flag (`cached`)
    made = {"timestamp", "id", "cached"}
    slots = [f"_{name}" if name in made else name for name in FIELDS[cls]]
    assert cls.__slots__ == tuple(slots)
    assert cls.__match_args__ == tuple(FIELDS[cls])
    defaults = {
        f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING
    }
    expected: dict[str, Any] = {"ns": ()}
    if cls is TaskResultEvent:
        expected["interrupts"] = ()
    if cls is UpdatesEvent:
        expected["cached"] = False
    assert defaults == expected


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
    assert [f.name for f in dataclasses.fields(event)] == ["node", "data", "ns", "cached"]
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


# -- what runs stream: debug timestamps and task ids made when first read ------------


def test_iso_timestamps_are_those_of_datetime() -> None:
    from datetime import UTC, datetime, timedelta

    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    for time_ns in (
        1_767_225_600_000_000_000,  # 2026-01-01T00:00:00, no fraction
        1_767_225_600_000_000_999,  # under a microsecond: no fraction either
        1_767_225_600_123_456_789,
        1_767_225_659_999_999_000,
        1_767_225_660_000_001_000,
        951_782_400_500_000_000,  # 2000-02-29
    ):
        expected = (epoch + timedelta(microseconds=time_ns // 1000)).isoformat()
        assert iso_timestamp(time_ns) == expected
    assert iso_timestamp(1_767_225_600_123_456_789) == "2026-01-01T00:00:00.123456+00:00"
    assert iso_timestamp(1_767_225_600_000_000_000) == "2026-01-01T00:00:00+00:00"


def test_the_runtime_timestamp_is_now() -> None:
    from datetime import UTC, datetime

    before = datetime.now(UTC)
    stamp = rt.run.timestamp()
    after = datetime.now(UTC)
    # to the microsecond, as datetime.now(UTC).isoformat() would have written it
    assert before.replace(microsecond=0) <= datetime.fromisoformat(stamp) <= after


def test_a_stamped_debug_event_formats_its_timestamp_when_read() -> None:
    time_ns = 1_767_225_600_123_456_789
    event = stamped_debug_event(2, time_ns, START, ())
    expected = DebugEvent(2, "2026-01-01T00:00:00.123456+00:00", START)
    assert event == expected
    assert repr(event) == repr(expected)
    assert event.timestamp == "2026-01-01T00:00:00.123456+00:00"
    assert event.chunk()["timestamp"] == "2026-01-01T00:00:00.123456+00:00"
    assert dataclasses.asdict(stamped_debug_event(2, time_ns, START, ())) == dataclasses.asdict(
        expected
    )
    fresh = stamped_debug_event(2, time_ns, START, ())
    assert pickle.loads(pickle.dumps(fresh)) == expected
    assert fresh.__getstate__() == [2, "2026-01-01T00:00:00.123456+00:00", START, ()]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fresh.timestamp = "now"  # type: ignore[misc]


def test_a_pending_task_id_is_made_when_read_and_is_the_runs_id() -> None:
    run = rt.run.Run("g", frozenset({"tasks"}), config={"run_id": "r"})
    start = pending_task_event((run, 3, "n"), "n", {"a": 1}, (), None, 3, ())
    result = pending_task_result_event((run, 3, "n"), "n", None, {"a": 2}, 3, (), ())
    expected_id = run.task_id(3, "n")
    assert start.id == result.id == expected_id
    assert start == TaskEvent(expected_id, "n", {"a": 1}, (), None, 3)
    assert pickle.loads(pickle.dumps(result)) == TaskResultEvent(
        expected_id, "n", None, {"a": 2}, 3
    )
    unread = pending_task_event((run, 3, "n"), "n", {}, (), None, 3, ())
    assert dataclasses.asdict(unread)["id"] == expected_id


def test_streamed_task_events_carry_the_ids_of_their_tasks() -> None:
    from tests.golden import joke

    config: rt.Config = {"run_id": "4b1c8f7e-0f4d-4d6e-9f55-0d7f4a3a2b10"}
    events = list(joke.stream({"topic": "x"}, stream_mode=["tasks", "debug"], config=config))
    run = rt.run.Run("joke", frozenset(), config=config)
    ids = {
        "refine_topic": run.task_id(1, "refine_topic"),
        "generate_joke": run.task_id(2, "generate_joke"),
    }
    assert [
        (type(e).__name__, e.payload.id if isinstance(e, DebugEvent) else e.id) for e in events
    ] == [
        ("TaskEvent", ids["refine_topic"]),
        ("DebugEvent", ids["refine_topic"]),
        ("TaskResultEvent", ids["refine_topic"]),
        ("DebugEvent", ids["refine_topic"]),
        ("TaskEvent", ids["generate_joke"]),
        ("DebugEvent", ids["generate_joke"]),
        ("TaskResultEvent", ids["generate_joke"]),
        ("DebugEvent", ids["generate_joke"]),
    ]
    debug = [e for e in events if isinstance(e, DebugEvent)]
    assert [e.timestamp for e in debug] == sorted(e.timestamp for e in debug)


def test_a_reused_task_streams_the_id_of_its_current_step() -> None:
    run = rt.run.Run("g", frozenset({"tasks"}), config={"run_id": "r"})
    task = rt.run.Task(run, "n", 1, (), rt.run.ignore)
    first = task.id  # made in step 1 (a node that reads its config makes it)
    task.step = 2  # runners move a reused task to its next step by assignment
    start, result = [*run.task_starts((task,), ({},)), *run.task_result(task, None, None)]
    assert isinstance(start, TaskEvent) and isinstance(result, TaskResultEvent)
    assert start.id == result.id == run.task_id(2, "n") != first
    assert task.id == run.task_id(2, "n")


def test_task_ids_differ_for_every_node_step_and_namespace() -> None:
    run = rt.run.Run("g", frozenset(), config={"run_id": "r"})
    nested = rt.run.Run("g", frozenset(), config={"run_id": "r"}, ns=("p:1",))
    names = [f"n{i}" for i in range(50)]
    ids = {run.task_id(step, name) for step in range(1, 201) for name in names}
    ids |= {nested.task_id(step, name) for step in range(1, 201) for name in names}
    assert len(ids) == 2 * 200 * 50
    again = rt.run.Run("other graph", frozenset(), config={"run_id": "r"})
    assert again.task_id(7, "n3") == run.task_id(7, "n3")


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


# -- what importing a runner loads ---------------------------------------------------


def test_importing_a_runner_loads_neither_dataclasses_nor_typing_extensions() -> None:
    # dataclasses imports inspect, ast, dis and tokenize; typing_extensions imports
    # inspect too: together more than a third of what a runner's import cost
    code = (
        "import sys\n"
        "import tests.golden.joke as joke\n"
        "heavy = ('dataclasses', 'inspect', 'typing_extensions', 'asyncio', 'hashlib')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "joke.invoke({'topic': 'x'})\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["specs", "."])}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert proc.stdout.splitlines() == ["[]", "[]"]


def test_a_flag_costs_an_event_nothing_until_it_is_set() -> None:
    # `cached` is not an argument of __init__ (an updates event is made per node step)
    from flowc.runtime.events import set_flag

    with pytest.raises(TypeError):
        UpdatesEvent("n", {"a": 1}, (), True)  # type: ignore[call-arg]
    plain = UpdatesEvent("n", {"a": 1})
    cached = set_flag(UpdatesEvent("n", {"a": 1}), "cached")
    assert (plain.cached, cached.cached) == (False, True)
    assert repr(plain) == "UpdatesEvent(node='n', data={'a': 1}, ns=())"
    assert repr(cached) == "UpdatesEvent(node='n', data={'a': 1}, ns=(), cached=True)"
    assert plain != cached
    assert pickle.loads(pickle.dumps(cached)) == cached
    assert cached.chunk() == {"n": {"a": 1}, "__metadata__": {"cached": True}}
    assert dataclasses.asdict(cached) == {"node": "n", "data": {"a": 1}, "ns": (), "cached": True}
