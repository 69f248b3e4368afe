"""Managed values in a state (`RemainingSteps`, `IsLastStep`) behave as in LangGraph 1.2.22.

Nodes and routers read them, counted down for their superstep from the run's recursion
limit (on a thread too, where the count starts again with each run, and a resumed run's
first step counts one more, as in LangGraph); no output, stream part or checkpoint holds
them, and a node's write of one is dropped. One difference is pinned: a `tasks` (and
`debug`) part's `input` is the state without them, where LangGraph shows them.
"""

import sys
import types
from functools import cache, partial
from pathlib import Path
from typing import Any, NotRequired

import pytest
from typing_extensions import TypedDict

from .oracle import MODE_ARGS, both_agreeing, collect, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "managed_values.py"


@cache
def load(impl: str) -> types.ModuleType:
    text = SOURCE.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    module = types.ModuleType(f"managed_values_{impl}")
    module.__file__ = str(SOURCE)
    sys.modules[module.__name__] = module
    exec(compile(text, str(SOURCE), "exec", dont_inherit=True), module.__dict__)
    return module


def _shows_tasks(mode: Any) -> bool:
    modes = (mode,) if isinstance(mode, str) else tuple(mode)
    return "tasks" in modes or "debug" in modes


def _runs(impl: str, name: str, mode: Any, use_async: bool, subgraphs: bool) -> list[Any]:
    module = load(impl)
    graph = getattr(module, name)
    out = []
    for config in module.CONFIGS:
        for inp in module.INPUTS:
            out.append(
                normalize(
                    collect(
                        graph,
                        dict(inp),
                        stream_mode=mode,
                        config=config,
                        subgraphs=subgraphs,
                        use_async=use_async,
                    )
                )
            )
    return out


NAMES = ["loop", "fan_out", "async_loop", "with_subgraph"]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", NAMES)
def test_managed_values_stream_as_in_langgraph(name: str, use_async: bool) -> None:
    for mode in MODE_ARGS:
        if _shows_tasks(mode):
            continue
        for subgraphs in (False, True):
            actual, expected = both_agreeing(
                partial(_runs, "langgraph", name, mode, use_async, subgraphs),
                partial(_runs, "flowc", name, mode, use_async, subgraphs),
            )
            assert actual == expected, f"stream_mode={mode} subgraphs={subgraphs}"


def _without_managed(chunks: Any) -> Any:
    if isinstance(chunks, dict):
        return {k: _without_managed(v) for k, v in chunks.items() if k not in ("remaining", "last")}
    if isinstance(chunks, list | tuple):
        return type(chunks)(_without_managed(c) for c in chunks)
    return chunks


@pytest.mark.parametrize("name", ["loop", "async_loop", "with_subgraph"])
def test_task_inputs_leave_the_managed_values_out(name: str) -> None:
    # (not fan_out: which of its two parallel tasks ends first is a race on either side)
    # the one difference (docs/differences-from-langgraph.md): the rest of the parts is equal
    for mode in ("tasks", "debug", ["tasks", "values"]):
        expected = _runs("langgraph", name, mode, True, False)
        actual = _runs("flowc", name, mode, True, False)
        assert actual == _without_managed(expected), f"stream_mode={mode}"
        if name != "async_loop" or mode != "debug":
            assert actual != expected


def _thread_runs(stategraph: Any, managed: Any, saver: Any) -> list[Any]:
    """Runs on a thread: two runs from an input, one from None, and a resumed run."""
    import operator
    from typing import Annotated

    class State(TypedDict):
        seen: Annotated[list, operator.add]
        remaining: managed.RemainingSteps
        last: NotRequired[managed.IsLastStep]

    def node(state: State) -> dict[str, Any]:
        return {"seen": [(state["remaining"], state["last"])]}

    builder = stategraph(State)
    builder.add_node("a", node).add_node("b", node)
    builder.add_edge("__start__", "a").add_edge("a", "b")
    out: list[Any] = [sorted(builder.managed), sorted(builder.channels)]
    graph = builder.compile(checkpointer=saver())
    config = {"configurable": {"thread_id": "1"}, "recursion_limit": 5}
    out.append(graph.invoke({"seen": []}, config))
    out.append(graph.invoke({"seen": []}, config))
    out.append(graph.invoke(None, config))
    out.append(graph.get_state(config).values)
    paused = builder.compile(checkpointer=saver(), interrupt_before=["b"])
    config = {"configurable": {"thread_id": "2"}, "recursion_limit": 5}
    out.append(paused.invoke({"seen": []}, config))
    out.append(paused.invoke(None, config))
    return out


def test_managed_values_on_a_thread_and_langgraphs_own_annotations() -> None:
    import langgraph.managed
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import StateGraph as LangGraphStateGraph

    import flowc.langgraph.managed
    from flowc.langgraph import StateGraph

    expected = _thread_runs(LangGraphStateGraph, langgraph.managed, InMemorySaver)
    assert expected[2] == {"seen": [(4, False), (3, False)]}
    assert expected[-1] == {"seen": [[4, False], (6, False)]}
    # LangGraph's annotations in a flowc graph, and flowc's own
    assert _thread_runs(StateGraph, langgraph.managed, InMemorySaver) == expected
    assert _thread_runs(StateGraph, flowc.langgraph.managed, InMemorySaver) == expected


def test_managed_values_in_input_or_output_schemas_are_refused_as_in_langgraph() -> None:
    from langgraph.graph import StateGraph as LangGraphStateGraph
    from langgraph.managed import RemainingSteps

    from flowc.langgraph import StateGraph

    class State(TypedDict):
        seen: list

    class Output(TypedDict):
        seen: list
        remaining: RemainingSteps

    messages = []
    for builder in (LangGraphStateGraph, StateGraph):
        with pytest.raises(ValueError) as info:
            builder(State, output_schema=Output)
        messages.append(str(info.value))
    assert (
        messages[0]
        == messages[1]
        == (
            "Invalid managed channels detected in Output: remaining. "
            "Managed channels are not permitted in Input/Output schema."
        )
    )
