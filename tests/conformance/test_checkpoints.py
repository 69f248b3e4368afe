"""Runs on a thread with a checkpointer stream, store and report what LangGraph 1.2.22's do.

Each graph is built twice from the same builder code, with LangGraph's
``StateGraph`` and with flowc's drop-in, each compiled with a fresh
``InMemorySaver`` (LangGraph's on both sides, and flowc's own on the flowc
side). Both run the same inputs on one thread, twice (the second run starts
from the first's state), in each stream mode that shows checkpoints or
their effects; then ``get_state`` and ``get_state_history`` of the thread are
read. Every chunk, snapshot and error must be equal after the oracle's
normalisation (uuid-shaped ids, checkpoint ids included, become ``<idN>`` in
order of first appearance, so the same id must appear at the same places on
both sides; timestamps become ``<ts>``), with dict keys in the same order.
"""

from __future__ import annotations

import asyncio
import operator
import time
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph import StateGraph as FlowcStateGraph
from flowc.savers.memory import InMemorySaver as FlowcSaver

from .oracle import _key_order, both_agreeing, normalize

pytestmark = pytest.mark.conformance


class Joke(TypedDict, total=False):
    topic: str
    joke: str


class Fan(TypedDict, total=False):
    topic: str
    items: Annotated[list[str], operator.add]


def refine(state: Joke) -> dict[str, Any]:
    return {"topic": state["topic"] + "!"}


def tell(state: Joke) -> dict[str, Any]:
    if state["topic"].startswith("boom"):
        raise ValueError("the joke exploded")
    return {"joke": "about " + state["topic"]}


def left(state: Fan) -> dict[str, Any]:
    # finishes last, so that both sides stream the two updates in one order
    time.sleep(0.05)
    return {"items": ["left"]}


def right(state: Fan) -> dict[str, Any]:
    return {"items": ["right"]}


def join(state: Fan) -> dict[str, Any]:
    return {"topic": state["topic"] + f" ({len(state['items'])})"}


def chain(builder: type[Any]) -> Any:
    graph = builder(Joke)
    graph.add_node("refine", refine)
    graph.add_node("tell", tell)
    graph.add_edge("__start__", "refine")
    graph.add_edge("refine", "tell")
    graph.add_edge("tell", "__end__")
    return graph


def parallel(builder: type[Any]) -> Any:
    graph = builder(Fan)
    graph.add_node("left", left)
    graph.add_node("right", right)
    graph.add_node("join", join)
    graph.add_edge("__start__", "left")
    graph.add_edge("__start__", "right")
    graph.add_edge("left", "join")
    graph.add_edge("right", "join")
    graph.add_edge("join", "__end__")
    return graph


def grow(state: list[str]) -> list[str]:
    return [f"{len(state)}"]


def quiet(state: list[str]) -> None:
    return None


def root_list(builder: type[Any]) -> Any:
    # a root state: snapshots show a task's write of the one value bare, and None for none
    graph = builder(Annotated[list, operator.add])
    graph.add_node("grow", grow)
    graph.add_node("quiet", quiet)
    graph.add_node("again", grow)
    graph.add_edge("__start__", "grow")
    graph.add_edge("grow", "quiet")
    graph.add_edge("quiet", "again")
    return graph


GRAPHS: dict[str, tuple[Callable[[type[Any]], Any], list[Any]]] = {
    "chain": (chain, [{"topic": "cats"}, {"topic": "dogs"}]),
    "parallel": (parallel, [{"topic": "x"}, {"topic": "y"}]),
    # the second run fails midway; the third starts from the state the failure left
    "error_midway": (chain, [{"topic": "cats"}, {"topic": "boom"}, {"topic": "owls"}]),
    "root_list": (root_list, [["a"], ["b"]]),
}

STREAM_MODES: list[Any] = [
    "updates",
    "values",
    "checkpoints",
    "debug",
    ["updates", "values", "checkpoints", "debug", "tasks"],
]

SAVERS = {"langgraph": LangGraphSaver, "flowc": FlowcSaver}


def snapshot(state: Any) -> dict[str, Any]:
    """A ``StateSnapshot`` as a dict of its fields (tasks as dicts too)."""
    fields = state._asdict()
    fields["tasks"] = [task._asdict() for task in state.tasks]
    return dict(fields)


def run_thread(
    graph: Any, inputs: list[Any], stream_mode: Any, use_async: bool, **options: Any
) -> list[Any]:
    """Every chunk of each run on thread ``t``, what each raised, then the thread's snapshots."""
    config: Any = {"configurable": {"thread_id": "t"}}
    items: list[Any] = []

    async def arun(input: Any) -> None:
        async for chunk in graph.astream(input, config, stream_mode=stream_mode, **options):
            items.append(chunk)

    for input in inputs:
        items.append(("<run>", input))
        try:
            if use_async:
                asyncio.run(arun(input))
            else:
                items.extend(graph.stream(input, config, stream_mode=stream_mode, **options))
        except Exception as exc:
            items.append(("<raised>", type(exc).__name__, str(exc)))
    if use_async:

        async def states() -> list[Any]:
            latest = await graph.aget_state(config)
            history = [state async for state in graph.aget_state_history(config)]
            return [latest, *history]

        found = asyncio.run(states())
    else:
        found = [graph.get_state(config), *graph.get_state_history(config)]
    items.append(("<state>", snapshot(found[0])))
    items.append(("<history>", [snapshot(state) for state in found[1:]]))
    return items


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("stream_mode", STREAM_MODES, ids=str)
@pytest.mark.parametrize("saver", sorted(SAVERS))
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_a_thread_streams_and_keeps_what_langgraph_does(
    name: str, saver: str, stream_mode: Any, use_async: bool
) -> None:
    build, inputs = GRAPHS[name]
    actual, expected = both_agreeing(
        lambda: normalize(
            run_thread(
                build(LangGraphStateGraph).compile(checkpointer=LangGraphSaver()),
                inputs,
                stream_mode,
                use_async,
            )
        ),
        lambda: normalize(
            run_thread(
                build(FlowcStateGraph).compile(checkpointer=SAVERS[saver]()),
                inputs,
                stream_mode,
                use_async,
            )
        ),
    )
    assert actual == expected
    for got, want in zip(actual, expected, strict=True):
        assert _key_order(got) == _key_order(want), f"key order differs:\n{got}\n{want}"


def test_a_new_thread_has_an_empty_state_as_in_langgraph() -> None:
    config: Any = {"configurable": {"thread_id": "never-ran"}}
    want = LangGraphStateGraph
    expected = snapshot(chain(want).compile(checkpointer=LangGraphSaver()).get_state(config))
    actual = snapshot(chain(FlowcStateGraph).compile(checkpointer=FlowcSaver()).get_state(config))
    assert (
        actual
        == expected
        == {
            "values": {},
            "next": (),
            "config": {"configurable": {"thread_id": "never-ran"}},
            "metadata": None,
            "created_at": None,
            "parent_config": None,
            "tasks": [],
            "interrupts": (),
        }
    )


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("durability", ["sync", "async", "exit"])
@pytest.mark.parametrize("name", ["chain", "error_midway"])
def test_each_durability_leaves_the_thread_langgraph_leaves(
    name: str, durability: str, use_async: bool
) -> None:
    # under "exit" only each run's last checkpoint is stored (with a failed task's error)
    build, inputs = GRAPHS[name]

    def stored(builder: type[Any], saver: Any) -> list[Any]:
        graph = build(builder).compile(checkpointer=saver)
        items = run_thread(graph, inputs, "updates", use_async, durability=durability)
        return normalize([item for item in items if isinstance(item, tuple)])

    expected = stored(LangGraphStateGraph, LangGraphSaver())
    assert stored(FlowcStateGraph, LangGraphSaver()) == expected
    assert stored(FlowcStateGraph, FlowcSaver()) == expected


def test_an_unknown_durability_is_refused_before_anything_runs() -> None:
    graph = chain(FlowcStateGraph).compile(checkpointer=FlowcSaver())
    config: Any = {"configurable": {"thread_id": "t"}}
    with pytest.raises(ValueError, match="durability='never': use 'sync', 'async'"):
        graph.invoke({"topic": "cats"}, config, durability="never")
    assert graph.get_state(config).values == {}


def test_v2_parts_and_invoke_on_a_thread_are_langgraphs() -> None:
    def outputs(builder: type[Any], saver: Any) -> list[Any]:
        graph = chain(builder).compile(checkpointer=saver)
        config: Any = {"configurable": {"thread_id": "t"}}
        out: list[Any] = list(
            graph.stream({"topic": "a"}, config, stream_mode=["checkpoints", "debug"], version="v2")
        )
        out.append(graph.invoke({"topic": "b"}, config, stream_mode="checkpoints"))
        out.append(graph.invoke({"topic": "c"}, config, version="v2"))
        return normalize(out)

    expected = outputs(LangGraphStateGraph, LangGraphSaver())
    assert outputs(FlowcStateGraph, FlowcSaver()) == expected
    assert outputs(FlowcStateGraph, LangGraphSaver()) == expected


async def arefine(state: Joke) -> dict[str, Any]:
    await asyncio.sleep(0)
    return {"topic": state["topic"] + "?"}


def async_chain(builder: type[Any]) -> Any:
    graph = builder(Joke)
    graph.add_node("refine", arefine)
    graph.add_node("tell", tell)
    graph.add_edge("__start__", "refine")
    graph.add_edge("refine", "tell")
    return graph


def test_an_async_node_on_a_thread_checkpoints_as_in_langgraph() -> None:
    inputs = [{"topic": "a"}, {"topic": "b"}]
    modes = ["checkpoints", "updates", "debug"]
    expected = normalize(
        run_thread(
            async_chain(LangGraphStateGraph).compile(checkpointer=LangGraphSaver()),
            inputs,
            modes,
            True,
        )
    )
    actual = normalize(
        run_thread(
            async_chain(FlowcStateGraph).compile(checkpointer=FlowcSaver()), inputs, modes, True
        )
    )
    assert actual == expected
