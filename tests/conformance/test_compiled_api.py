"""The compiled graph's LangChain-style helpers behave as LangGraph 1.2.22's.

``with_config`` binds a config that every run starts from (the run's own merged in, as
LangChain merges: ``configurable`` and ``metadata`` key by key, ``tags`` added), and
``copy`` gives a graph that runs the same.
"""

from __future__ import annotations

import asyncio
import copy
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypedDict

import pytest
import typing_extensions
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


# -- batch, nodes, get_context_jsonschema -------------------------------------------------


BATCHED = ["sequence", "parallel_join", "subgraph", "node_names", "root_states"]


@contextmanager
def _one_at_a_time(module: Any, config: Any) -> Iterator[None]:
    """Under ``max_concurrency=1``, parallel nodes that finish in turns (``parallel_join``'s
    ``turns``) run unordered: each would otherwise wait out its turn's 5 s timeout for a
    sibling that cannot start before it ends (a batch's result does not depend on it)."""
    turns = getattr(module, "turns", None)
    if turns is None or config != {"max_concurrency": 1}:
        yield
        return
    turns.ordered = False
    try:
        yield
    finally:
        turns.ordered = True


def _batch_outcomes(stem: str, impl: str) -> list[Any]:
    from .test_dropin import context_of, inputs, load

    module = load(stem, impl)
    out: list[Any] = []
    for name in module.GRAPHS:
        graph = getattr(module, name)
        given = inputs(module, name)
        options = {} if context_of(module, name) is None else {"context": context_of(module, name)}
        for config in (None, {"max_concurrency": 1}, [{"tags": ["t"]} for _ in given]):
            with _one_at_a_time(module, config):
                out.append(graph.batch(copy.deepcopy(given), copy.deepcopy(config), **options))
                out.append(
                    asyncio.run(
                        graph.abatch(copy.deepcopy(given), copy.deepcopy(config), **options)
                    )
                )
        out.append(graph.batch([]))
    return out


@pytest.mark.parametrize("stem", BATCHED)
def test_batch_and_abatch_return_each_inputs_result_in_order(stem: str) -> None:
    assert _batch_outcomes(stem, "flowc") == _batch_outcomes(stem, "langgraph")


def _failing_batch(graph_class: Any) -> list[Any]:
    def node(state: State) -> dict[str, Any]:
        if state["n"] < 0:
            raise ValueError(f"negative: {state['n']}")
        return {"n": state["n"] + 1}

    graph = graph_class(State).add_node("node", node).add_edge(START, "node").compile()
    inputs = [{"n": 1}, {"n": -1}, {"n": 2}]
    out: list[Any] = []
    for run in (
        lambda: graph.batch(inputs, return_exceptions=True),
        lambda: asyncio.run(graph.abatch(inputs, return_exceptions=True)),
    ):
        out.append([repr(r) if isinstance(r, Exception) else r for r in run()])
    for run in (
        lambda: graph.batch(inputs),
        lambda: asyncio.run(graph.abatch(inputs)),
        lambda: graph.batch(inputs, [{}]),
    ):
        try:
            run()
        except ValueError as exc:
            out.append(str(exc))
    return out


def test_a_batch_raises_or_returns_a_runs_exception_as_langgraphs() -> None:
    assert _failing_batch(FlowcStateGraph) == _failing_batch(LangGraphStateGraph)


def _nodes(stem: str, impl: str) -> list[Any]:
    from .test_dropin import load

    module = load(stem, impl)
    out = []
    for name in module.GRAPHS:
        for key, node in getattr(module, name).nodes.items():
            copied = node.copy({"tags": ["copied"]})
            out.append(
                (
                    key,
                    node.triggers,
                    node.channels,
                    node.tags,
                    node.metadata,
                    len(node.subgraphs),
                    copied.tags,
                    copied.triggers,
                )
            )
    return out


@pytest.mark.parametrize("stem", [*BATCHED, "context", "retry", "command", "cache"])
def test_nodes_name_each_nodes_triggers_channels_and_tags_as_langgraphs(stem: str) -> None:
    assert _nodes(stem, "flowc") == _nodes(stem, "langgraph")


@pytest.mark.parametrize("stem", ["context", "sequence", "dataclass_state", "pydantic_state"])
def test_get_context_jsonschema_is_langgraphs(stem: str) -> None:
    from .test_dropin import load

    # a `typing.TypedDict` context: pydantic refuses it before Python 3.12, flowc describes its
    # `typing_extensions` twin (docs/differences-from-langgraph.md#introspection)
    refused = {"typeddict_context"} if sys.version_info < (3, 12) else set()
    for name in set(load(stem, "langgraph").GRAPHS) - refused:
        expected, actual = (
            getattr(load(stem, impl), name).get_context_jsonschema()
            for impl in ("langgraph", "flowc")
        )
        assert actual == expected, f"{stem}.{name}"


def test_a_typing_typeddict_context_is_described_where_langgraph_raises() -> None:
    from .test_dropin import load

    graph = load("context", "flowc").typeddict_context
    assert graph.get_context_jsonschema() == {
        "properties": {"user": {"title": "User", "type": "string"}},
        "required": ["user"],
        "title": "DictCtx",
        "type": "object",
    }


# -- LangGraph's deprecated config schema and its config-annotation warning ---------------


class ConfigContext(typing_extensions.TypedDict):
    x: int


def _config_schemas(graph_class: Any) -> list[Any]:
    import langgraph.warnings  # noqa: F401  (flowc warns with LangGraph's categories then)

    def wrong(state: State, config: dict[str, Any]) -> dict[str, Any]:
        return {}

    def anything(state: State, config: Any) -> dict[str, Any]:
        return {}

    def right(state: State, config: RunnableConfig) -> dict[str, Any]:
        return {}

    def optional(state: State, config: RunnableConfig | None) -> dict[str, Any]:
        return {}

    def untyped(state, config):  # type: ignore[no-untyped-def]
        return {}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        builder = graph_class(State, config_schema=ConfigContext)
        graph = builder.add_node("node", right).add_edge(START, "node").compile()
        out: list[Any] = [
            graph.config_schema().model_json_schema(),
            graph.get_config_jsonschema(),
            graph.get_config_jsonschema(include=["tags", "recursion_limit"]),
            graph_class(State)
            .add_node("n", right)
            .add_edge(START, "n")
            .compile()
            .get_config_jsonschema(),
        ]
        nodes = graph_class(State)
        for fn in (wrong, anything, right, optional, untyped):
            nodes.add_node(fn)
    out.append([(w.category.__name__, str(w.message)) for w in caught])
    return out


def test_config_schema_and_config_annotation_warnings_are_langgraphs() -> None:
    assert _config_schemas(FlowcStateGraph) == _config_schemas(LangGraphStateGraph)
