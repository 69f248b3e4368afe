"""Human in the loop streams, stores and resumes as in LangGraph 1.2.22.

Every file in ``hitl/`` is LangGraph builder code (see its README). It is
executed twice, as it is and with its ``from langgraph.graph|types import``
lines changed to ``from flowc.langgraph import``; each graph is compiled with
its options and a checkpointer: LangGraph's ``InMemorySaver`` for LangGraph,
and for flowc both LangGraph's and flowc's own. Each graph's script (its runs
one after the other on one thread) is run in every ``stream_mode`` argument
of the oracle (every mode, every pair, one-element lists, tuples), with
``subgraphs`` off and on, sync and async; every chunk, every error, then
``get_state`` and ``get_state_history`` of the thread must be equal after the
oracle's normalisation (task, checkpoint and interrupt ids become ``<idN>`` /
``<iidN>`` in order of first appearance, so an id must appear at the same
places on both sides), with dict keys in the same order. ``invoke`` and
``ainvoke`` (v1 and v2) of each script return the same results.
"""

from __future__ import annotations

import asyncio
import operator
import sys
import types
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver

from flowc.savers.memory import InMemorySaver as FlowcSaver

from .oracle import MODE_ARGS, MODES, _key_order, both_agreeing, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

HITL = Path(__file__).parent / "hitl"
SAVERS = {"langgraph": LangGraphSaver, "flowc": FlowcSaver}


@cache
def load(stem: str, impl: str) -> types.ModuleType:
    """``hitl/<stem>.py`` executed as a module, with LangGraph's or flowc's imports."""
    path = HITL / f"{stem}.py"
    text = path.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    name = f"hitl_{impl}_{stem}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(text, str(path), "exec", dont_inherit=True), module.__dict__)
    return module


@cache
def compiled(stem: str, impl: str, saver: str, name: str) -> Any:
    """Graph ``name`` of ``hitl/<stem>.py``, compiled once per implementation and saver."""
    builder, options = load(stem, impl).GRAPHS[name]
    return builder.compile(checkpointer=SAVERS[saver](), **options)


def snapshot(state: Any) -> dict[str, Any]:
    """A ``StateSnapshot`` as a dict of its fields (tasks as dicts too)."""
    fields = state._asdict()
    fields["tasks"] = [task._asdict() for task in state.tasks]
    return dict(fields)


def _step(entry: Any, graph: Any, config: Any) -> tuple[Any, dict[str, Any]]:
    if isinstance(entry, tuple):
        return entry[0], dict(entry[1])
    if callable(entry):
        return entry(graph, config), {}
    return entry, {}


def run_script(
    graph: Any,
    script: list[Any],
    stream_mode: Any,
    subgraphs: bool,
    use_async: bool,
    thread: str,
) -> list[Any]:
    """Every chunk of each run of ``script`` on a new thread, what each raised, then its snapshots."""
    config: Any = {"configurable": {"thread_id": thread}}
    items: list[Any] = []
    for index, entry in enumerate(script):
        items.append(("<run>", index))
        input, options = _step(entry, graph, config)
        kwargs = {"stream_mode": stream_mode, "subgraphs": subgraphs, **options}
        try:
            if use_async:

                async def arun() -> None:
                    async for chunk in graph.astream(input, config, **kwargs):  # noqa: B023
                        items.append(chunk)

                asyncio.run(arun())
            else:
                items.extend(graph.stream(input, config, **kwargs))
        except Exception as exc:
            items.append(("<raised>", type(exc).__name__, str(exc)))
    found = [graph.get_state(config), *graph.get_state_history(config)]
    items.append(("<state>", snapshot(found[0])))
    items.append(("<history>", [snapshot(state) for state in found[1:]]))
    return items


def invoke_script(
    graph: Any, script: list[Any], use_async: bool, thread: str, **kwargs: Any
) -> list[Any]:
    """What ``invoke`` (or ``ainvoke``) returns or raises for each run of ``script``."""
    config: Any = {"configurable": {"thread_id": thread}}
    out: list[Any] = []
    for entry in script:
        input, options = _step(entry, graph, config)
        try:
            if use_async:
                result = asyncio.run(graph.ainvoke(input, config, **kwargs, **options))
            else:
                result = graph.invoke(input, config, **kwargs, **options)
            out.append(("returned", result))
        except Exception as exc:
            out.append(("raised", type(exc).__name__, str(exc)))
    return out


def cases() -> list[Any]:
    out = []
    for path in sorted(HITL.glob("*.py")):
        for name in load(path.stem, "langgraph").GRAPHS:
            out.append(pytest.param(path.stem, name, id=f"{path.stem}.{name}"))
    return out


def _assert_same(actual: list[Any], expected: list[Any], where: str) -> None:
    assert actual == expected, where
    for got, want in zip(actual, expected, strict=True):
        assert _key_order(got) == _key_order(want), f"{where}: key order differs:\n{got}\n{want}"


DURABILITIES = ("sync", "async", "exit")

# the tasks of these scripts' supersteps finish in an order their sleeps decide (100 ms apart,
# so that a loaded machine does not reorder them): each mode alone, and all of them at once
_SLOW = [*MODES, list(MODES)]
MODES_ONLY: dict[tuple[str, str], list[Any]] = {
    ("approval", "on_exit"): ["updates", "values"],
    ("parallel", "fan"): _SLOW,
    ("sends", "calls"): _SLOW,
    ("commands", "goto"): _SLOW,
    ("commands", "update"): _SLOW,
    ("commands", "edit"): _SLOW,
    ("commands", "send"): _SLOW,
    ("subgraph_breakpoints", "parallel"): _SLOW,
    ("cleared_sends", "end"): _SLOW,
    **{("copied_forks", name): _SLOW for name in ("twice", "start")},
    # its two subgraph runs start together: which one's first checkpoint streams first is a race
    ("sent_subgraph_states", "update_one"): ["updates", "values"],
    **{("pending", f"{graph}_{d}"): _SLOW for graph in ("kept", "forked") for d in DURABILITIES},
}
"""Scripts compared in some modes only (each says why); the others in every argument of the
oracle (each mode, every pair, one-element lists, tuples)."""


# flowc on LangGraph's saver stores what it stores on its own: with subgraphs=True (which
# changes only the chunks' shape here) it is left out, to keep the suite's time down
RUNS = [
    pytest.param(saver, subgraphs, use_async, id=f"{saver}-{kind}-{mode}")
    for saver in sorted(SAVERS)
    for subgraphs, kind in ((False, "root"), (True, "sub"))
    for use_async, mode in ((False, "sync"), (True, "async"))
    if not (saver == "langgraph" and subgraphs)
]


@pytest.mark.parametrize(("saver", "subgraphs", "use_async"), RUNS)
@pytest.mark.parametrize(("stem", "name"), cases())
def test_a_script_streams_and_keeps_what_langgraph_does(
    stem: str, name: str, saver: str, subgraphs: bool, use_async: bool
) -> None:
    script_of = {impl: load(stem, impl).SCRIPTS[name] for impl in ("langgraph", "flowc")}
    want = compiled(stem, "langgraph", "langgraph", name)
    got = compiled(stem, "flowc", saver, name)
    for mode in MODES_ONLY.get((stem, name), MODE_ARGS):
        # each run on a thread of its own, named alike on both sides
        thread = f"{saver}-{subgraphs}-{use_async}-{mode!r}"
        # parallel tasks whose sleeps order them can still swap on a loaded machine (on
        # either side): both run again, each on a new saver, so the thread starts empty
        actual, expected = both_agreeing(
            _runner(want, (stem, "langgraph", "langgraph", name), script_of["langgraph"],
                    (mode, subgraphs, use_async, thread)),
            _runner(got, (stem, "flowc", saver, name), script_of["flowc"],
                    (mode, subgraphs, use_async, thread)),
        )  # fmt: skip
        _assert_same(actual, expected, f"{stem}.{name} stream_mode={mode!r}")


def _runner(graph: Any, which: tuple[str, str, str, str], script: Any, how: tuple[Any, ...]) -> Any:
    """The normalised outcome of ``script`` as a callable: on ``graph`` the first time, then
    on graph ``which`` (stem, impl, saver, name) compiled afresh."""
    graphs = [graph]

    def run() -> Any:
        return normalize(run_script(graphs.pop() if graphs else _fresh(*which), script, *how))

    return run


def _fresh(stem: str, impl: str, saver: str, name: str) -> Any:
    """Graph ``name`` compiled again, on a saver of its own."""
    builder, options = load(stem, impl).GRAPHS[name]
    return builder.compile(checkpointer=SAVERS[saver](), **options)


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("saver", sorted(SAVERS))
@pytest.mark.parametrize(("stem", "name"), cases())
def test_invoke_returns_what_langgraph_returns(
    stem: str, name: str, saver: str, version: str
) -> None:
    for use_async in (False, True):
        for mode in ("values", "updates"):
            expected = normalize(
                invoke_script(
                    compiled(stem, "langgraph", "langgraph", name),
                    load(stem, "langgraph").SCRIPTS[name],
                    use_async,
                    f"{saver}-{version}-{mode}-{use_async}",
                    stream_mode=mode,
                    version=version,
                )
            )
            actual = normalize(
                invoke_script(
                    compiled(stem, "flowc", saver, name),
                    load(stem, "flowc").SCRIPTS[name],
                    use_async,
                    f"{saver}-{version}-{mode}-{use_async}",
                    stream_mode=mode,
                    version=version,
                )
            )
            _assert_same(actual, expected, f"{stem}.{name} {mode} {version} async={use_async}")


def _replay_from_a_subgraph_checkpoint(impl: str, saver: str, keeps: bool) -> list[Any]:
    """Pause twice inside a subgraph, finish, then replay from the subgraph's first pause.

    A subgraph that ``keeps`` its state (``checkpointer=True``) goes on from that checkpoint of
    its own; one compiled without a checkpointer starts again, from the root checkpoint.
    """
    module = load("subgraphs", impl)
    called: list[str] = []
    graph_module = sys.modules["flowc.langgraph" if impl == "flowc" else "langgraph.graph"]
    types_module = sys.modules["flowc.langgraph" if impl == "flowc" else "langgraph.types"]
    state_graph, start = graph_module.StateGraph, graph_module.START  # type: ignore[attr-defined]
    ask, command = types_module.interrupt, types_module.Command  # type: ignore[attr-defined]

    def step_a(state: Any) -> Any:
        called.append("step_a")
        return {"log": ["a"]}

    def asking(name: str) -> Any:
        def node(state: Any) -> Any:
            called.append(name)
            return {"log": [f"{name}:{ask(name + '?')}"]}

        return node

    inner = state_graph(module.State)
    inner.add_node("step_a", step_a)
    inner.add_node("ask_1", asking("ask_1"))
    inner.add_node("ask_2", asking("ask_2"))
    inner.add_edge(start, "step_a")
    inner.add_edge("step_a", "ask_1")
    inner.add_edge("ask_1", "ask_2")
    outer = state_graph(module.State)
    outer.add_node("executor", inner.compile(checkpointer=True) if keeps else inner.compile())
    outer.add_edge(start, "executor")
    graph = outer.compile(checkpointer=SAVERS[saver]())
    config: Any = {"configurable": {"thread_id": "t"}}
    out: list[Any] = [graph.invoke({"log": []}, config)]
    at_first = graph.get_state(config, subgraphs=True).tasks[0].state.config
    out.append(graph.invoke(command(resume="r1"), config))
    out.append(graph.invoke(command(resume="r2"), config))
    called.clear()
    # the subgraph's config names its checkpoint and, in its map, the root's
    out.append((graph.invoke(None, at_first), list(called)))
    called.clear()
    out.append((graph.invoke(command(resume="again"), config), list(called)))
    # an update of the subgraph's checkpoint goes through the subgraph's nodes and reducers,
    # and its config maps the checkpoints a root run given it goes on from
    called.clear()
    fork = graph.update_state(at_first, {"log": ["forked"]})
    out.append(sorted(fork["configurable"]))
    out.append((graph.invoke(None, fork), list(called)))
    return out


@pytest.mark.parametrize("keeps", [False, True], ids=["stateless", "stateful"])
@pytest.mark.parametrize("saver", sorted(SAVERS))
def test_a_root_run_given_a_subgraph_checkpoint_replays_from_the_checkpoints_it_maps(
    saver: str, keeps: bool
) -> None:
    expected = normalize(_replay_from_a_subgraph_checkpoint("langgraph", "langgraph", keeps))
    assert normalize(_replay_from_a_subgraph_checkpoint("flowc", saver, keeps)) == expected


def _resume_at_the_paused_checkpoint(impl: str, saver: str) -> list[Any]:
    """Answer two interrupts of one node with the config ``get_state`` gives, then replay."""
    module = load("several", impl)
    graph_module = sys.modules["flowc.langgraph" if impl == "flowc" else "langgraph.graph"]
    types_module = sys.modules["flowc.langgraph" if impl == "flowc" else "langgraph.types"]
    ask, command = types_module.interrupt, types_module.Command  # type: ignore[attr-defined]

    def two(state: Any) -> Any:
        return {"log": [f"{ask('first?')}+{ask('second?')}"]}

    builder = graph_module.StateGraph(module.State)  # type: ignore[attr-defined]
    builder.add_node("two", two)
    builder.add_node("after", lambda state: {"log": ["after"]})
    builder.add_edge(graph_module.START, "two")  # type: ignore[attr-defined]
    builder.add_edge("two", "after")
    graph = builder.compile(checkpointer=SAVERS[saver]())
    config: Any = {"configurable": {"thread_id": "t"}}
    out: list[Any] = [graph.invoke({"log": []}, config)]
    # addressed at the thread's latest checkpoint, a resume answers what waits there
    out.append(graph.invoke(command(resume="one"), graph.get_state(config).config))
    out.append(graph.invoke(command(resume="two"), graph.get_state(config).config))
    history = list(graph.get_state_history(config))
    before = [state for state in history if state.next == ("two",)][-1]
    # a checkpoint the thread moved past is replayed: the first question is asked again
    out.append(graph.invoke(None, before.config))
    out.append(len(list(graph.get_state_history(config))))
    return out


@pytest.mark.parametrize("saver", sorted(SAVERS))
def test_a_resume_addressed_at_the_paused_checkpoint_answers_as_one_without_an_id(
    saver: str,
) -> None:
    expected = normalize(_resume_at_the_paused_checkpoint("langgraph", "langgraph"))
    assert normalize(_resume_at_the_paused_checkpoint("flowc", saver)) == expected


class LogState(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_breakpoint_before_a_deferred_node_stops_when_it_runs_as_langgraphs(
    use_async: bool,
) -> None:
    from langgraph.graph import START, StateGraph

    from flowc.langgraph.graph import StateGraph as FlowcStateGraph

    def logs(name: str) -> Any:
        return lambda state: {"log": [name]}

    def runs(builder_class: Any) -> list[Any]:
        builder = builder_class(LogState)
        builder.add_node("one", logs("one")).add_node("two", logs("two"))
        builder.add_node("three", logs("three"), defer=True)
        builder.add_edge(START, "one").add_edge("one", "two").add_edge("one", "three")
        graph = builder.compile(checkpointer=LangGraphSaver(), interrupt_before=["three"])
        config = {"configurable": {"thread_id": "t"}}
        if not use_async:
            return [list(graph.stream(given, config)) for given in ({"topic": "x"}, None)]

        async def both() -> list[Any]:
            return [
                [chunk async for chunk in graph.astream(given, config)]
                for given in ({"topic": "x"}, None)
            ]

        return asyncio.run(both())

    # `three` waits while `two` runs: the run stops before the step `three` runs in
    expected = [
        [{"one": {"log": ["one"]}}, {"two": {"log": ["two"]}}, {"__interrupt__": ()}],
        [{"three": {"log": ["three"]}}],
    ]
    assert runs(StateGraph) == expected
    assert runs(FlowcStateGraph) == expected
