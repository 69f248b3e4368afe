"""The compiled graph's LangChain-style helpers behave as LangGraph 1.2.22's.

``with_config`` binds a config that every run starts from (the run's own merged in, as
LangChain merges: ``configurable`` and ``metadata`` key by key, ``tags`` added), and
``copy`` gives a graph that runs the same.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypedDict

import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph import StateGraph as FlowcStateGraph

pytestmark = pytest.mark.conformance


class State(TypedDict):
    n: int


def seen_by_a_node(graph_class: Any, bound: dict[str, Any], given: dict[str, Any]) -> Any:
    captured: dict[str, Any] = {}

    def node(state: State, config: RunnableConfig) -> dict[str, Any]:
        # what the bound and the given configs set (each runtime adds keys of its own)
        captured["configurable"] = {
            k: v for k, v in config["configurable"].items() if k in ("user", "thread")
        }
        captured["tags"] = config.get("tags") or []
        captured["metadata"] = {
            k: v for k, v in config["metadata"].items() if k in ("owner", "run")
        }
        return {"n": state["n"] + 1}

    graph = graph_class(State).add_node("node", node).add_edge(START, "node").compile()
    bound_graph = graph.with_config(bound)
    result = bound_graph.invoke({"n": 1}, given)
    sync = dict(captured)
    aresult = asyncio.run(bound_graph.ainvoke({"n": 1}, given))
    return result, aresult, sync, captured


@pytest.mark.parametrize(
    ("bound", "given"),
    [
        ({"configurable": {"user": "ada"}}, {"configurable": {"thread": "t1"}}),
        ({"configurable": {"user": "ada"}}, {"configurable": {"user": "bob"}}),
        (
            {"tags": ["bound"], "metadata": {"owner": "x"}},
            {"tags": ["run"], "metadata": {"run": 1}},
        ),
    ],
)
def test_with_config_binds_a_config_that_runs_merge_into(
    bound: dict[str, Any], given: dict[str, Any]
) -> None:
    assert seen_by_a_node(FlowcStateGraph, bound, given) == seen_by_a_node(
        LangGraphStateGraph, bound, given
    )


def test_copy_runs_the_same_graph() -> None:
    outcomes = []
    for graph_class in (LangGraphStateGraph, FlowcStateGraph):
        graph = (
            graph_class(State).add_node("node", lambda s: {"n": s["n"] * 2}).add_edge(START, "node")
        ).compile()
        outcomes.append((graph.copy().invoke({"n": 2}), graph.copy({}).get_name()))
    assert outcomes[1] == outcomes[0]


@pytest.mark.parametrize("during", [True, False])
def test_checkpoint_during_warns_and_means_durability_as_in_langgraph(during: bool) -> None:
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.warnings import LangGraphDeprecatedSinceV10

    outcomes = []
    for graph_class in (LangGraphStateGraph, FlowcStateGraph):
        graph = (
            graph_class(State)
            .add_node("one", lambda s: {"n": s["n"] + 1})
            .add_node("two", lambda s: {"n": s["n"] + 1})
            .add_edge(START, "one")
            .add_edge("one", "two")
            .compile(checkpointer=InMemorySaver())
        )
        config: Any = {"configurable": {"thread_id": "t"}}
        with pytest.warns(LangGraphDeprecatedSinceV10) as caught:
            result = graph.invoke({"n": 0}, config, checkpoint_during=during)
        steps = [s.metadata["step"] for s in graph.get_state_history(config)]
        with pytest.raises(ValueError) as both:
            graph.invoke({"n": 0}, config, checkpoint_during=during, durability="sync")
        outcomes.append((result, steps, [str(w.message) for w in caught], str(both.value)))
    assert outcomes[1] == outcomes[0]


class _ServerSeed:
    """What a layer outside the run (a server) puts in LangGraph's runtime slot: an object
    with a context and a store, which is no ``Runtime``."""

    def __init__(self, store: Any) -> None:
        self.context = {"source": "graph-level"}
        self.store = store


def _seeded(graph_class: Any, start: str, runtime_class: Any, context: Any) -> Any:
    from langgraph.store.memory import InMemoryStore

    store = InMemoryStore()
    seen: dict[str, Any] = {}

    def echo(state: State, runtime: runtime_class) -> dict[str, Any]:  # type: ignore[valid-type]
        seen["context"] = runtime.context
        seen["store"] = runtime.store is store
        return {"n": state["n"] + 1}

    graph = graph_class(State).add_node("echo", echo).add_edge(start, "echo").compile()
    config: dict[str, Any] = {"configurable": {"__pregel_runtime": _ServerSeed(store), "x": 1}}
    result = graph.invoke({"n": 1}, config, context=context)
    # the caller's config is left as it was
    return result, seen, sorted(config["configurable"])


@pytest.mark.parametrize("context", [None, {"source": "run"}], ids=["seeded", "given"])
def test_an_object_in_the_runtime_slot_gives_its_context_and_store_as_in_langgraph(
    context: Any,
) -> None:
    from langgraph.runtime import Runtime as LangGraphRuntime

    from flowc.langgraph import START as FLOWC_START
    from flowc.langgraph.runtime import Runtime as FlowcRuntime

    expected = _seeded(LangGraphStateGraph, START, LangGraphRuntime, context)
    assert _seeded(FlowcStateGraph, FLOWC_START, FlowcRuntime, context) == expected
    assert expected[1]["context"] == (context or {"source": "graph-level"})
