"""A run's context: ``context=`` on the drop-in's runs, ``Runtime`` and ``get_runtime()`` in nodes,
and the runtime's ``get_context()`` under them (hand-built plans, no codegen)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any, TypedDict

import pydantic
import pytest

from flowc.langgraph import START, GraphCompileError, StateGraph
from flowc.langgraph.runtime import Runtime, coerce_context, get_runtime
from flowc.runtime import UpdatesEvent
from flowc.runtime._drive import ainvoke, invoke, subgraph_node
from flowc.runtime._engine import Node, Plan
from flowc.runtime.context import CONTEXT, get_context, with_context


def _context_plan() -> Plan:
    return Plan(
        "ctx",
        ("seen",),
        (Node("read", UpdatesEvent, plain=lambda state: {"seen": get_context()}),),
        entry=("read",),
    )


def test_a_node_reads_the_run_context_in_sync_and_async_runs() -> None:
    config: Any = with_context(None, {"user": "ann"})
    assert invoke(_context_plan(), {}, config) == {"seen": {"user": "ann"}}
    assert asyncio.run(ainvoke(_context_plan(), {}, config)) == {"seen": {"user": "ann"}}


def test_a_run_given_no_context_reads_none() -> None:
    assert invoke(_context_plan(), {}, None) == {"seen": None}


def test_a_subgraph_inherits_its_parent_runs_context() -> None:
    child = _context_plan()
    parent = Plan(
        "parent",
        ("seen",),
        (subgraph_node("child", UpdatesEvent, child, ("seen",)),),
        entry=("child",),
    )
    assert invoke(parent, {}, with_context(None, "ctx")) == {"seen": "ctx"}  # type: ignore[arg-type]


def test_with_context_keeps_the_config_it_was_given() -> None:
    config = {"configurable": {"thread": 1}, "tags": ["t"]}
    out = with_context(config, 5)
    assert out == {"configurable": {"thread": 1, CONTEXT: 5}, "tags": ["t"]}
    assert config == {"configurable": {"thread": 1}, "tags": ["t"]}


def test_get_context_and_get_runtime_outside_a_run_raise() -> None:
    with pytest.raises(RuntimeError, match=r"get_context\(\) was called outside"):
        get_context()
    with pytest.raises(RuntimeError, match=r"get_runtime\(\) was called outside"):
        get_runtime()


@dataclasses.dataclass
class DataCtx:
    user: str


class ModelCtx(pydantic.BaseModel):
    user: str


class DictCtx(TypedDict):
    user: str


def test_a_dict_context_becomes_a_dataclass_or_pydantic_schema_instance_as_in_langgraph() -> None:
    assert coerce_context(DataCtx, {"user": "a"}) == DataCtx("a")
    assert coerce_context(ModelCtx, {"user": "b"}) == ModelCtx(user="b")
    assert coerce_context(DictCtx, {"user": "c"}) == {"user": "c"}
    assert coerce_context(None, {"user": "d"}) == {"user": "d"}
    given = DataCtx("e")
    assert coerce_context(DataCtx, given) is given


class State(TypedDict):
    out: str


def test_runtime_gives_the_context_and_the_tasks_stream_writer() -> None:
    def node(state: State, runtime: Runtime[DataCtx]) -> dict[str, Any]:
        runtime.stream_writer({"user": runtime.context.user})
        return {"out": f"{runtime.context.user} {runtime.store} {runtime.previous}"}

    graph = StateGraph(State, context_schema=DataCtx).add_node(node).add_edge(START, "node")
    chunks = list(
        graph.compile().stream(
            {"out": ""}, context={"user": "ann"}, stream_mode=["custom", "updates"]
        )
    )
    assert chunks == [
        ("custom", {"user": "ann"}),
        ("updates", {"node": {"out": "ann None None"}}),
    ]


def test_config_schema_is_the_deprecated_name_of_context_schema() -> None:
    def node(state: State, runtime: Runtime[DataCtx]) -> dict[str, Any]:
        return {"out": repr(runtime.context)}

    graph = StateGraph(State, config_schema=DataCtx).add_node(node).add_edge(START, "node")
    assert graph.compile().invoke({"out": ""}, context={"user": "x"}) == {
        "out": "DataCtx(user='x')"
    }


def test_compiling_a_node_that_takes_runtime_twice_reuses_the_runner_module() -> None:
    def node(state: State, runtime: Runtime[DataCtx]) -> dict[str, Any]:
        return {"out": "x"}

    graph = StateGraph(State).add_node(node).add_edge(START, "node")
    assert graph.compile().module is graph.compile().module


def test_langgraphs_own_get_runtime_is_refused_naming_flowcs() -> None:
    from langgraph.runtime import get_runtime as langgraph_get_runtime

    def node(state: State) -> dict[str, Any]:
        return {"out": str(langgraph_get_runtime().context)}

    graph = StateGraph(State).add_node(node).add_edge(START, "node")
    with pytest.raises(GraphCompileError) as info:
        graph.compile()
    assert "LangGraph's `get_runtime` does not see a flowc run" in str(info.value)
    assert "from flowc.langgraph.runtime import get_runtime" in str(info.value)


def test_runtime_has_langgraphs_fields() -> None:
    from langgraph.runtime import Runtime as LangGraphRuntime

    fields = {f.name for f in dataclasses.fields(Runtime)}
    assert fields == {
        "context",
        "store",
        "stream_writer",
        "heartbeat",
        "previous",
        "execution_info",
        "control",
        "server_info",
    }
    assert fields == {f.name for f in dataclasses.fields(LangGraphRuntime)}


def test_execution_info_names_the_task_and_its_attempt_but_no_checkpoint() -> None:
    from flowc.langgraph import RetryPolicy

    seen: list[Any] = []

    def node(state: State, runtime: Runtime[None]) -> dict[str, Any]:
        seen.append(runtime.execution_info)
        if len(seen) < 2:
            raise ConnectionError("again")
        return {"out": "x"}

    graph = (
        StateGraph(State)
        .add_node(node, retry_policy=RetryPolicy(initial_interval=0, jitter=False))
        .add_edge(START, "node")
        .compile()
    )
    graph.invoke({"out": ""}, {"run_id": "8a1d1b4c-0000-4000-8000-000000000001"})
    first, second = seen
    assert (first.node_attempt, second.node_attempt) == (1, 2)
    assert first.node_first_attempt_time == second.node_first_attempt_time
    assert first.task_id == second.task_id
    assert first.checkpoint_ns == f"node:{first.task_id}"
    assert (first.run_id, first.thread_id, first.checkpoint_id) == (
        "8a1d1b4c-0000-4000-8000-000000000001",
        None,
        "",
    )
