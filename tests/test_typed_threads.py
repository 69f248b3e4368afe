"""The typed facade on a thread: ``with_checkpointer``, ``get_state``, ``update_state``, resuming.

The golden ``joke`` runner's ``graph`` is given a saver; its runs on a thread
keep checkpoints, its snapshots are :class:`flowc.runtime.StateSnapshot`
of the graph's values type (checked by mypy in the last test), and
``update_state`` / a run with ``None`` as input go on from the thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from flowc.runtime import Config, StateSnapshot, TaskState
from flowc.savers.memory import InMemorySaver
from flowc.savers.sqlite import SqliteSaver
from tests.golden import joke

CONFIG: Config = {"configurable": {"thread_id": "t"}}


def test_a_typed_graph_with_a_checkpointer_keeps_the_threads_state() -> None:
    graph = joke.graph.with_checkpointer(InMemorySaver())
    assert graph.invoke({"topic": "ice cream"}, config=CONFIG) == {
        "topic": "ice cream and cats",
        "joke": "This is a joke about ice cream and cats",
    }
    state = graph.get_state(CONFIG)
    assert isinstance(state, StateSnapshot)
    assert state.values == {
        "topic": "ice cream and cats",
        "joke": "This is a joke about ice cream and cats",
    }
    assert (state.next, state.tasks, state.metadata) == (
        (),
        (),
        {"source": "loop", "step": 2, "parents": {}},
    )
    assert [s.metadata["step"] for s in graph.get_state_history(CONFIG) if s.metadata] == [
        2,
        1,
        0,
        -1,
    ]
    # the module's own graph has no saver and keeps nothing
    assert joke.graph.checkpointer is None
    with pytest.raises(
        ValueError, match=r"graph 'joke' has no checkpointer: use graph\.with_checkpointer"
    ):
        joke.graph.get_state(CONFIG)


def test_update_state_then_a_run_without_input_goes_on_from_the_update() -> None:
    graph = joke.graph.with_checkpointer(InMemorySaver())
    graph.invoke({"topic": "ice cream"}, config=CONFIG)
    config = graph.update_state(CONFIG, {"topic": "dogs"}, as_node="refine_topic")
    state = graph.get_state(CONFIG)
    assert state.config == config
    assert state.values["topic"] == "dogs"
    assert state.next == ("generate_joke",)
    assert state.metadata == {"source": "update", "step": 3, "parents": {}}
    assert [(t.name, t.result) for t in state.tasks] == [("generate_joke", None)]
    assert all(isinstance(t, TaskState) for t in state.tasks)
    assert graph.resume(config=CONFIG) == {
        "topic": "dogs",
        "joke": "This is a joke about dogs",
    }
    assert graph.get_state(CONFIG).metadata == {"source": "loop", "step": 4, "parents": {}}


def test_the_async_twins_on_a_sqlite_thread(tmp_path: Path) -> None:
    graph = joke.graph.with_checkpointer(SqliteSaver(tmp_path / "runs.db"))

    async def main() -> list[Any]:
        await graph.ainvoke({"topic": "owls"}, config=CONFIG)
        await graph.aupdate_state(CONFIG, {"topic": "bats"}, as_node="refine_topic")
        resumed = [event.node async for event in graph.astream(None, config=CONFIG)]  # type: ignore[arg-type]
        state = await graph.aget_state(CONFIG)
        return [resumed, state.values, state.next]

    assert asyncio.run(main()) == [
        ["generate_joke"],
        {"topic": "bats", "joke": "This is a joke about bats"},
        (),
    ]


def test_a_snapshot_has_the_graphs_values_type_for_mypy(mypy_report: dict[str, list[str]]) -> None:
    snippet = Path("tests", "typing", "state_snippets", "typed_state.py")
    stdout_lines = mypy_report[snippet.as_posix()]
    values = "TypedDict(tests.golden.joke_types.JokeValues, {'topic'?: str, 'joke'?: str})"
    assert stdout_lines == [
        f'15: note: Revealed type is "{values}"',
        '16: note: Revealed type is "tuple[str, ...]"',
        '18: error: TypedDict "JokeValues" has no key "jokes"  [typeddict-item]',
        '18: note: Did you mean "joke"?',
        '20: error: Incompatible types (expression has type "int", TypedDict item "topic" '
        'has type "str")  [typeddict-item]',
        f'21: note: Revealed type is "{values}"',
        f'23: note: Revealed type is "flowc.runtime._snapshot.StateSnapshot[{values}]"',
    ]


def test_a_typed_graphs_failed_subgraph_shows_its_own_state_with_subgraphs_true() -> None:
    from tests.golden import subgraph_error

    saver = InMemorySaver()
    graph = subgraph_error.graph.with_checkpointer(saver)
    with pytest.raises(ValueError, match="review of 'ice cream' failed"):
        graph.invoke({"topic": "  ice cream "}, config=CONFIG)
    state = graph.get_state(CONFIG)
    assert state.next == ("write",)
    (task,) = state.tasks
    assert task.error == "ValueError(\"review of 'ice cream' failed\")"
    assert task.state == {"configurable": {"thread_id": "t", "checkpoint_ns": f"write:{task.id}"}}
    deep = graph.get_state(CONFIG, subgraphs=True)
    sub = deep.tasks[0].state
    assert isinstance(sub, StateSnapshot)
    assert sub.values == {"topic": "ice cream", "draft": "A few words on ice cream"}
    assert sub.next == ("review",)
    assert sub.metadata == {
        "source": "loop",
        "step": 1,
        "parents": {"": state.config["configurable"]["checkpoint_id"]},
    }
    assert sub.config["configurable"]["checkpoint_map"] == {
        "": state.config["configurable"]["checkpoint_id"],
        f"write:{task.id}": sub.config["configurable"]["checkpoint_id"],
    }
    assert asyncio.run(graph.aget_state(CONFIG, subgraphs=True)) == deep
