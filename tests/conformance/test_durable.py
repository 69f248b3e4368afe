"""Resuming, forking and updating a thread do what LangGraph 1.2.22's do.

Each scenario is a list of steps on one thread (runs, ``update_state``,
``bulk_update_state``, runs from a ``checkpoint_id`` of the thread's history,
``delete_thread``), run on LangGraph's ``StateGraph`` with its ``InMemorySaver``
and on flowc's drop-in with flowc's ``InMemorySaver`` and with LangGraph's,
sync and async. Everything each step streams, returns or raises, and the
thread's ``get_state`` and history after it, must be equal after the oracle's
normalisation (uuid-shaped ids become ``<idN>`` in order of first appearance,
timestamps ``<ts>``).
"""

from __future__ import annotations

import asyncio
import operator
import time
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.graph import StateGraph as LangGraphStateGraph
from langgraph.types import Command, Send

from flowc.langgraph import StateGraph as FlowcStateGraph
from flowc.savers.memory import InMemorySaver as FlowcSaver

from .oracle import _key_order, normalize
from .test_checkpoints import snapshot

pytestmark = pytest.mark.conformance


class Fan(TypedDict, total=False):
    topic: str
    items: Annotated[list[str], operator.add]


FAIL = {"r": False}


def left(state: Fan) -> dict[str, Any]:
    return {"items": ["l"]}


def right(state: Fan) -> dict[str, Any]:
    # finishes after `left`, so that left's writes are stored before right fails
    time.sleep(0.05)
    if FAIL["r"]:
        raise ValueError("right failed")
    return {"items": ["r"]}


def join(state: Fan) -> dict[str, Any]:
    return {"topic": state["topic"] + str(len(state["items"]))}


def step_a(state: Fan) -> dict[str, Any]:
    return {"topic": state["topic"] + "a", "items": ["a"]}


def step_b(state: Fan) -> dict[str, Any]:
    return {"topic": state["topic"] + "b", "items": ["b"]}


def step_c(state: Fan) -> dict[str, Any]:
    return {"items": ["c"]}


def route_b(state: Fan) -> str:
    return "c" if "go" in state["topic"] else "__end__"


def fan(builder: type[Any]) -> Any:
    graph = builder(Fan)
    graph.add_node("l", left)
    graph.add_node("r", right)
    graph.add_node("j", join)
    graph.add_edge("__start__", "l")
    graph.add_edge("__start__", "r")
    graph.add_edge("l", "j")
    graph.add_edge("r", "j")
    return graph


def chain3(builder: type[Any]) -> Any:
    graph = builder(Fan)
    graph.add_node("a", step_a)
    graph.add_node("b", step_b)
    graph.add_node("c", step_c)
    graph.add_edge("__start__", "a")
    graph.add_edge("a", "b")
    graph.add_conditional_edges("b", route_b, ["c", "__end__"])
    return graph


THREAD: Any = {"configurable": {"thread_id": "t"}}


def run(input: Any, at: int | None = None, mode: Any = None) -> Any:
    """A run of ``input`` (``None``: resume); ``at``: from the history's checkpoint of that step."""
    return ("run", input, at, mode)


def update(values: Any, as_node: str | None = None, at: int | None = None) -> Any:
    return ("update", values, as_node, at)


def bulk(supersteps: Any) -> Any:
    return ("bulk", supersteps)


MODES: Any = ["updates", "values", "checkpoints", "tasks"]

SCENARIOS: dict[str, tuple[Callable[[type[Any]], Any], list[Any]]] = {
    # a failed parallel step: the resume reuses the finished task's writes, reruns the other
    "resume_after_error": (
        fan,
        [("fail", True), run({"topic": "x"}), ("fail", False), run(None), run(None)],
    ),
    # every run from a checkpoint of the history: a fork, then runs on the new branch
    "fork_from_each_step": (
        chain3,
        [run({"topic": "go"}), run(None, at=0), run(None, at=1), run({"topic": "new"}, at=1)],
    ),
    "resume_a_new_thread_is_refused": (chain3, [run(None)]),
    "update_a_new_thread_as_start": (chain3, [update({"topic": "u"}), run(None)]),
    "update_then_resume": (
        chain3,
        [
            run({"topic": "x"}),
            update({"items": ["u"]}),
            update({"items": ["v"]}, as_node="a"),
            run(None),
            update({"topic": "go"}, as_node="b"),
            run(None),
        ],
    ),
    "update_at_a_due_task_reuses_its_id": (
        chain3,
        [run({"topic": "go"}), update({"topic": "mid"}, as_node="b", at=1), run(None, at=-1)],
    ),
    "update_an_old_checkpoint": (
        chain3,
        [run({"topic": "x"}), update({"items": ["old"]}, at=0), run(None)],
    ),
    "update_errors": (
        chain3,
        [
            run({"topic": "x"}),
            update({"items": ["x"]}, as_node="nope"),
            update(["not", "a", "dict"], as_node="a"),
            bulk([]),
            bulk([[]]),
            bulk([[({"items": ["x"]}, None, None), ({"items": ["y"]}, None, None)]]),
            bulk([[({"topic": "p"}, "a", None), ({"topic": "q"}, "b", None)]]),
        ],
    ),
    "ambiguous_update_after_a_parallel_step": (
        fan,
        [run({"topic": "x"}), update({"items": ["u"]}, at=1), update({"items": ["w"]}, "l", at=1)],
    ),
    "bulk_update": (
        chain3,
        [
            run({"topic": "x"}),
            bulk(
                [
                    [({"items": ["1"]}, "a", None), ({"items": ["2"]}, "b", None)],
                    [({"topic": "go"}, "b", None)],
                ]
            ),
            run(None),
        ],
    ),
    "clear_due_tasks_with_end": (
        fan,
        [("fail", True), run({"topic": "x"}), update(None, "__end__"), run(None)],
    ),
    "copy_a_checkpoint": (
        chain3,
        [run({"topic": "go"}), update(None, "__copy__", at=1), run(None)],
    ),
    "delete_thread": (chain3, [run({"topic": "x"}), ("delete",), run({"topic": "y"})]),
    # as_node="__input__": the update is a run's input, taken by the next run of None
    "update_as_input_then_resume": (
        chain3,
        [run({"topic": "x"}), update({"topic": "go"}, "__input__"), run(None)],
    ),
    "update_as_input_on_a_new_thread": (chain3, [update({"topic": "in"}, "__input__"), run(None)]),
    "bulk_update_replays_a_run_from_its_input": (
        chain3,
        [
            bulk(
                [
                    [({"topic": "go"}, "__input__", None)],
                    [({"topic": "go"}, "__start__", None)],
                    [({"topic": "goa", "items": ["a"]}, "a", None)],
                ]
            ),
            run(None),
        ],
    ),
    "update_as_input_errors": (
        chain3,
        [
            update(None, "__input__"),
            bulk([[({"topic": "p"}, "__input__", None), ({"topic": "q"}, "__input__", None)]]),
        ],
    ),
    # a Command as an update is what its node returned: its goto leads on besides the edges
    "update_with_a_command": (
        chain3,
        [
            run({"topic": "x"}),
            update(Command(update={"topic": "cmd"}, goto="c"), "b"),
            run(None),
            update(Command(update={"items": ["s"]}, goto=[Send("c", {"topic": "sent"})]), "b"),
            run(None),
            update(Command(update=[("topic", "pairs")]), "b"),
        ],
    ),
}


def history(graph: Any) -> list[Any]:
    return list(graph.get_state_history(THREAD))


async def ahistory(graph: Any) -> list[Any]:
    return [state async for state in graph.aget_state_history(THREAD)]


def at_step(states: list[Any], step: int) -> Any:
    """The config of the newest checkpoint of ``step`` (``-1``: the thread's latest, by its id)."""
    if step == -1:
        return states[0].config
    return next(s.config for s in states if s.metadata["step"] == step)


def play(graph: Any, saver: Any, steps: list[Any], use_async: bool) -> list[Any]:
    """What each step streams, returns or raises, then the thread's state and history."""
    out: list[Any] = []

    async def astream(input: Any, config: Any, mode: Any) -> list[Any]:
        return [chunk async for chunk in graph.astream(input, config, stream_mode=mode)]

    for step in steps:
        kind = step[0]
        if kind == "fail":
            FAIL["r"] = step[1]
            continue
        states = asyncio.run(ahistory(graph)) if use_async else history(graph)
        out.append((kind, step[1:]))
        try:
            if kind == "run":
                _, input, at, mode = step
                config = THREAD if at is None else at_step(states, at)
                mode = mode or MODES
                if use_async:
                    out.extend(asyncio.run(astream(input, config, mode)))
                else:
                    out.extend(graph.stream(input, config, stream_mode=mode))
            elif kind == "update":
                _, values, as_node, at = step
                config = THREAD if at is None else at_step(states, at)
                if use_async:
                    out.append(asyncio.run(graph.aupdate_state(config, values, as_node=as_node)))
                else:
                    out.append(graph.update_state(config, values, as_node=as_node))
            elif kind == "bulk":
                if use_async:
                    out.append(asyncio.run(graph.abulk_update_state(THREAD, step[1])))
                else:
                    out.append(graph.bulk_update_state(THREAD, step[1]))
            elif kind == "delete":
                if use_async:
                    asyncio.run(saver.adelete_thread("t"))
                else:
                    saver.delete_thread("t")
        except Exception as exc:
            out.append(("<raised>", type(exc).__name__, str(exc)))
        out.append(("<state>", snapshot(graph.get_state(THREAD))))
    out.append(("<history>", [snapshot(state) for state in history(graph)]))
    return out


SAVERS = {
    "flowc-saver": FlowcSaver,
    "langgraph-saver": LangGraphSaver,
}


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("saver", sorted(SAVERS))
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_thread_resumes_forks_and_updates_as_in_langgraph(
    name: str, saver: str, use_async: bool
) -> None:
    build, steps = SCENARIOS[name]
    FAIL["r"] = False
    lg_saver = LangGraphSaver()
    expected = normalize(
        play(build(LangGraphStateGraph).compile(checkpointer=lg_saver), lg_saver, steps, use_async)
    )
    FAIL["r"] = False
    fc_saver = SAVERS[saver]()
    actual = normalize(
        play(build(FlowcStateGraph).compile(checkpointer=fc_saver), fc_saver, steps, use_async)
    )
    for index, (got, want) in enumerate(zip(actual, expected, strict=False)):
        assert got == want, f"item {index} differs"
        assert _key_order(got) == _key_order(want), f"key order of item {index} differs"
    assert len(actual) == len(expected)


class Count(TypedDict, total=False):
    n: int


def inc(state: Count) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def loop(builder: type[Any]) -> Any:
    graph = builder(Count)
    graph.add_node("inc", inc)
    graph.add_edge("__start__", "inc")
    graph.add_conditional_edges("inc", lambda s: "inc" if s["n"] < 100 else "__end__")
    return graph


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_resumed_run_counts_the_recursion_limit_from_its_checkpoint_as_langgraph(
    use_async: bool,
) -> None:
    # LangGraph lets a resumed run take two supersteps more than the limit
    config: Any = {"configurable": {"thread_id": "t"}, "recursion_limit": 3}

    def steps(builder: type[Any], saver: Any) -> list[Any]:
        graph = loop(builder).compile(checkpointer=saver)
        out = []
        for input in ({"n": 0}, None, {"n": 50}, None):
            try:
                if use_async:
                    asyncio.run(graph.ainvoke(input, config))
                else:
                    graph.invoke(input, config)
            except Exception as exc:
                out.append(type(exc).__name__)
            state = graph.get_state(config)
            out.append((state.values, state.metadata["step"]))
        return out

    expected = steps(LangGraphStateGraph, LangGraphSaver())
    assert expected == [
        "GraphRecursionError",
        ({"n": 3}, 3),
        "GraphRecursionError",
        ({"n": 8}, 8),
        "GraphRecursionError",
        ({"n": 53}, 13),
        "GraphRecursionError",
        ({"n": 58}, 18),
    ]
    assert steps(FlowcStateGraph, FlowcSaver()) == expected


def test_an_update_naming_a_key_the_state_does_not_have_is_refused() -> None:
    # LangGraph drops such a key without a word; flowc refuses it and keeps the thread as it was
    graph = chain3(FlowcStateGraph).compile(checkpointer=FlowcSaver())
    graph.invoke({"topic": "x"}, THREAD)
    before = snapshot(graph.get_state(THREAD))
    with pytest.raises(Exception, match="node 'a' wrote 'topik', which the state does not have"):
        graph.update_state(THREAD, {"topik": "y"}, as_node="a")
    assert snapshot(graph.get_state(THREAD)) == before


FAIL_SUB = {"y": False}


def sub_x(state: Fan) -> dict[str, Any]:
    return {"items": ["x"]}


def sub_y(state: Fan) -> dict[str, Any]:
    if FAIL_SUB["y"]:
        raise ValueError("y failed")
    return {"items": ["y"]}


def with_subgraph(builder: type[Any]) -> Any:
    sub = builder(Fan)
    sub.add_node("x", sub_x)
    sub.add_node("y", sub_y)
    sub.add_edge("__start__", "x")
    sub.add_edge("x", "y")
    graph = builder(Fan)
    graph.add_node("a", step_a)
    graph.add_node("sub", sub.compile())
    graph.add_edge("__start__", "a")
    graph.add_edge("a", "sub")
    return graph


def deep_snapshot(state: Any) -> dict[str, Any]:
    """A snapshot as a dict, with a subgraph task's state (a snapshot itself) as one too."""
    fields = snapshot(state)
    fields["tasks"] = [
        {**task, "state": deep_snapshot(task["state"])}
        if hasattr(task["state"], "_asdict")
        else task
        for task in fields["tasks"]
    ]
    return fields


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("saver", sorted(SAVERS))
@pytest.mark.parametrize(
    "mode", [["checkpoints", "updates"], ["values", "debug"], "tasks"], ids=str
)
def test_a_subgraph_keeps_its_checkpoints_in_its_namespace_and_resumes_there(
    mode: Any, saver: str, use_async: bool
) -> None:
    # the subgraph fails midway; resumed, it goes on from its own checkpoint (x does not rerun)
    def play_sub(builder: type[Any], made: Any) -> list[Any]:
        graph = with_subgraph(builder).compile(checkpointer=made)
        out: list[Any] = []

        async def astream(input: Any) -> list[Any]:
            stream = graph.astream(input, THREAD, stream_mode=mode, subgraphs=True)
            return [chunk async for chunk in stream]

        for input, fail in (({"topic": "q"}, True), (None, False)):
            FAIL_SUB["y"] = fail
            try:
                if use_async:
                    out.extend(asyncio.run(astream(input)))
                else:
                    out.extend(graph.stream(input, THREAD, stream_mode=mode, subgraphs=True))
            except Exception as exc:
                out.append(("<raised>", type(exc).__name__, str(exc)))
            if use_async:
                out.append(deep_snapshot(asyncio.run(graph.aget_state(THREAD, subgraphs=True))))
            else:
                out.append(deep_snapshot(graph.get_state(THREAD, subgraphs=True)))
            out.append(deep_snapshot(graph.get_state(THREAD)))
        out.append([deep_snapshot(state) for state in history(graph)])
        return normalize(out)

    expected = play_sub(LangGraphStateGraph, LangGraphSaver())
    actual = play_sub(FlowcStateGraph, SAVERS[saver]())
    assert actual == expected
    for got, want in zip(actual, expected, strict=True):
        assert _key_order(got) == _key_order(want)
    # the subgraph's checkpoints are there: its namespace appears in the chunks
    assert "sub:<id" in repr(expected)


class Durable(TypedDict, total=False):
    durability: str


def _durability_seen(state: Durable, config: RunnableConfig) -> Durable:
    return {"durability": config["configurable"].get("__pregel_durability", "<unset>")}


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_nodes_config_names_the_durability_a_run_was_given_without_a_checkpointer(
    use_async: bool,
) -> None:
    # LangGraph's node config carries `durability=` (or `checkpoint_during=`) whether or not
    # the graph has a checkpointer, and nothing when the run was given neither
    import warnings

    def seen(graph_class: Any) -> list[Any]:
        builder = graph_class(Durable)
        builder.add_node("seen", _durability_seen)
        builder.set_entry_point("seen")
        graph = builder.compile()
        out = []
        for options in ({}, {"durability": "exit"}, {"checkpoint_during": True}):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if use_async:
                    out.append(asyncio.run(graph.ainvoke({}, **options)))
                else:
                    out.append(graph.invoke({}, **options))
        return out

    expected = [{"durability": "<unset>"}, {"durability": "exit"}, {"durability": "async"}]
    assert seen(LangGraphStateGraph) == expected
    assert seen(FlowcStateGraph) == expected
