"""Where flowc departs from LangGraph on purpose (docs/differences-from-langgraph.md).

Each test pins flowc's behaviour for one line of that page; the LangGraph side
of each is shown in a comment.
"""

from __future__ import annotations

import asyncio
import operator
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypedDict

import pytest

import flowc
from flowc import END, START, Graph
from flowc.runtime import InvalidInputError, InvalidUpdateError, StreamWriter

from .conftest import SPECS


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def misspelt(state: State) -> dict[str, Any]:
    return {"topik": "oops"}


def not_a_dict(state: State) -> Any:
    return "hello"


def lost(state: State) -> str:
    return "nowhere"


def fine(state: State) -> dict[str, Any]:
    return {"log": ["fine"]}


def routes_anywhere(state: State) -> Literal["fine", "__end__"]:
    # annotated with its targets, returns something else at run time
    return lost(state)  # type: ignore[return-value]


misspelt_graph = Graph("misspelt_graph", State)
misspelt_graph.node(misspelt)
misspelt_graph.sequence(START, "misspelt", END)

not_a_dict_graph = Graph("not_a_dict_graph", State)
not_a_dict_graph.node(not_a_dict)
not_a_dict_graph.sequence(START, "not_a_dict", END)

lost_router_graph = Graph("lost_router_graph", State)
lost_router_graph.node(fine)
lost_router_graph.edge(START, "fine")
lost_router_graph.add_conditional_edges("fine", routes_anywhere)


def test_an_input_key_the_state_does_not_have_is_refused_before_anything_streams() -> None:
    # LangGraph drops the key and runs
    joke = flowc.build(SPECS / "joke.toml")
    events = joke.stream({"topic": "t", "topik": "t"}, stream_mode="values")
    with pytest.raises(InvalidInputError, match="graph 'joke' has no state key 'topik'"):
        next(events)


def test_a_node_writing_a_key_the_state_does_not_have_fails_naming_both() -> None:
    # LangGraph drops the key
    module = flowc.build(misspelt_graph)
    with pytest.raises(InvalidUpdateError) as caught:
        module.invoke({"topic": "t"})
    assert str(caught.value) == (
        "node 'misspelt' wrote 'topik', which the state does not have (state keys: log, topic)"
    )


def test_a_node_returning_something_else_than_a_dict_fails_naming_the_node() -> None:
    # LangGraph: InvalidUpdateError('Expected dict, got hello ...')
    module = flowc.build(not_a_dict_graph)
    chunks: list[Any] = []
    with pytest.raises(InvalidUpdateError, match="node 'not_a_dict' returned str"):
        for chunk in module.stream_chunks({"topic": "t"}, stream_mode=["values", "tasks"]):
            chunks.append(chunk)
    # the failed task is reported first, as for any node error
    assert [(mode, sorted(chunk)) for mode, chunk in chunks] == [
        ("values", ["log", "topic"]),
        ("tasks", ["id", "input", "name", "triggers"]),
        ("tasks", ["error", "id", "interrupts", "name", "result"]),
    ]
    assert isinstance(chunks[-1][1]["error"], InvalidUpdateError)


def test_a_router_returning_a_name_outside_its_targets_fails_naming_them() -> None:
    # LangGraph: a warning, and the branch is ignored
    module = flowc.build(lost_router_graph)
    with pytest.raises(InvalidUpdateError) as caught:
        module.invoke({"topic": "t"})
    assert str(caught.value) == (
        "router 'routes_anywhere' returned 'nowhere'; it may lead to 'fine', '__end__'"
    )


def test_an_unknown_stream_mode_is_refused() -> None:
    # LangGraph streams nothing
    joke = flowc.build(SPECS / "joke.toml")
    with pytest.raises(ValueError, match="unknown stream mode 'bogus'"):
        list(joke.stream_chunks({"topic": "t"}, stream_mode="bogus"))


def test_a_typeddict_fields_default_is_what_nodes_and_task_events_see() -> None:
    # LangGraph TypedDict states have no defaults
    module = flowc.build(SPECS / "state_typeddict.toml")
    chunks = list(module.stream_chunks({"topic": "t"}, stream_mode=["tasks", "values"]))
    assert chunks[0] == ("values", {"topic": "t", "log": []})
    assert chunks[1][1]["input"] == {"topic": "t", "count": 0, "log": []}
    assert chunks[2][1]["result"] == {"count": 1, "log": ["tally 0"]}


def test_task_ids_are_the_same_for_the_same_run_id() -> None:
    joke = flowc.build(SPECS / "joke.toml")
    config = {"run_id": "4b1c8f7e-0f4d-4d6e-9f55-0d7f4a3a2b10"}

    def ids() -> list[str]:
        return [
            c["id"] for c in joke.stream_chunks({"topic": "t"}, stream_mode="tasks", config=config)
        ]

    first = ids()
    assert first == ids()
    assert len(set(first)) == 2
    other = [c["id"] for c in joke.stream_chunks({"topic": "t"}, stream_mode="tasks")]
    assert set(other).isdisjoint(first)


THREADS: list[bool] = []


def where(state: State) -> dict[str, Any]:
    THREADS.append(threading.current_thread() is not threading.main_thread())
    return {"log": ["where"]}


def where_writing(state: State, writer: StreamWriter[Any]) -> dict[str, Any]:
    THREADS.append(threading.current_thread() is not threading.main_thread())
    writer("here")
    return {"log": ["where"]}


thread_graph = Graph("thread_graph", State)
thread_graph.node(where)
thread_graph.sequence(START, "where", END)

writing_graph = Graph("writing_graph", State)
writing_graph.node(where_writing)
writing_graph.sequence(START, "where_writing", END)


@pytest.mark.parametrize("mode", ["updates", "custom"])
def test_a_lone_sync_task_that_cannot_stream_runs_inline_in_every_mode(mode: str) -> None:
    module = flowc.build(thread_graph)
    THREADS.clear()
    list(module.stream({"topic": "t"}, stream_mode=mode))
    assert THREADS == [False]
    THREADS.clear()
    # in astream a sync node runs on the loop's thread only if proven not to wait: this one
    # calls into threading, so it runs on a worker, as LangGraph runs sync nodes there (a
    # pure node runs on the loop: tests/test_loop_fairness.py)
    asyncio.run(_consume(module.astream({"topic": "t"}, stream_mode=mode)))
    assert THREADS == [True]


@pytest.mark.parametrize("mode", ["updates", "custom"])
def test_a_lone_sync_task_that_writes_runs_on_a_worker_while_custom_data_streams(
    mode: str,
) -> None:
    module = flowc.build(writing_graph)
    THREADS.clear()
    list(module.stream({"topic": "t"}, stream_mode=mode))
    assert [mode == "custom"] == THREADS
    THREADS.clear()
    # in astream, on a worker in any mode: it is not proven not to wait
    asyncio.run(_consume(module.astream({"topic": "t"}, stream_mode=mode)))
    assert THREADS == [True]


async def _consume(events: Any) -> None:
    async for _ in events:
        pass


@dataclass
class Needy:
    topic: str
    log: Annotated[list[str], operator.add] = field(default_factory=list)


def needy_node(state: Needy) -> dict[str, Any]:
    return {"log": [state.topic]}


needy = Graph("needy", Needy)
needy.node(needy_node)
needy.sequence(START, "needy_node", END)


def test_a_dataclass_input_without_a_required_field_is_refused_naming_it() -> None:
    # LangGraph: TypeError("Needy.__init__() missing 1 required positional argument: 'topic'")
    module = flowc.build(needy)
    with pytest.raises(InvalidInputError, match="graph 'needy' needs input key 'topic'"):
        next(module.stream_chunks({}, stream_mode="values"))


def test_an_input_that_is_not_a_mapping_is_refused_naming_its_type() -> None:
    # LangGraph: InvalidUpdateError("Expected dict, got hello ...")
    joke = flowc.build(SPECS / "joke.toml")
    with pytest.raises(
        InvalidInputError, match="graph 'joke' takes a mapping of state keys as input, not str"
    ):
        list(joke.stream_chunks("hello", stream_mode="values"))
