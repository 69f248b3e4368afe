"""A spec's interrupts, breakpoints and typed Sends run as LangGraph 1.2.22 runs them.

The generated modules of ``specs/approval.toml`` (a node interrupts, the graph
stops before ``act``) and ``specs/mapreduce.toml`` (a router fans out with
``Send``), whose decorator twins compile to the same modules, against the
same graphs built with LangGraph's ``StateGraph`` (with LangGraph's own
``interrupt`` and ``Send`` in the node and router). Each script runs on one
thread in every ``stream_mode`` argument of the oracle; chunks, errors and the
thread's final state are equal after the oracle's normalisation, and so are
the key orders of every dict.
"""

from __future__ import annotations

import asyncio
import operator
import re
from typing import Annotated, Any, TypedDict

import pytest
from flowc_demo import approval as nodes
from flowc_demo import mapreduce as jobs
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command as LangGraphCommand
from langgraph.types import Send as LangGraphSend
from langgraph.types import interrupt as langgraph_interrupt

from flowc.runtime import Command, InterruptEvent
from flowc.savers.memory import InMemorySaver
from tests.golden import approval, mapreduce

from .oracle import MODE_ARGS, _key_order, normalize

pytestmark = pytest.mark.conformance


class ApprovalState(TypedDict, total=False):
    action: str
    approved: bool
    log: Annotated[list[str], operator.add]


def review(state: ApprovalState) -> dict[str, Any]:
    request = {"action": state["action"], "reason": "it cannot be undone"}
    answer = langgraph_interrupt(request)
    return {"approved": answer["approved"], "log": ["review"]}


def langgraph_approval() -> Any:
    builder = StateGraph(ApprovalState)
    builder.add_node("propose", nodes.propose)
    builder.add_node("review", review)
    builder.add_node("act", nodes.act)
    builder.add_edge(START, "propose")
    builder.add_edge("propose", "review")
    builder.add_edge("review", "act")
    builder.add_edge("act", END)
    return builder.compile(checkpointer=LangGraphSaver(), interrupt_before=["act"])


class MapState(TypedDict, total=False):
    items: list[str]
    results: Annotated[list[str], operator.add]


def fan_out(state: MapState) -> list[LangGraphSend]:
    return [LangGraphSend("work", {"item": item}) for item in state["items"]]


def langgraph_mapreduce() -> Any:
    builder = StateGraph(MapState)
    builder.add_node("work", jobs.work)
    builder.add_conditional_edges(START, fan_out)
    builder.add_edge("work", END)
    return builder.compile(checkpointer=LangGraphSaver())


# the approval script: stop at review's interrupt, answer it, stop before act, go on
APPROVAL = [{"action": "old-backups"}, {"approved": True}, None]
MAPREDUCE = [{"items": ["a", "b", "c"]}]


def _input(step: int, given: Any, command: type) -> Any:
    return command(resume=given) if step and given is not None else given


def run(graph: Any, script: list[Any], command: type, mode: Any) -> list[Any]:
    config = {"configurable": {"thread_id": "t"}}
    out: list[Any] = []
    for step, given in enumerate(script):
        try:
            if command is Command:
                chunks = graph.stream_chunks(
                    _input(step, given, command), stream_mode=mode, config=config
                )
            else:
                chunks = graph.stream(_input(step, given, command), config, stream_mode=mode)
            out.append(list(chunks))
        except Exception as exc:  # compared, not hidden: both sides must fail alike
            out.append(("raised", type(exc).__name__, str(exc)))
    out.append(graph.get_state(config).values)
    return out


async def arun(graph: Any, script: list[Any], command: type, mode: Any) -> list[Any]:
    config = {"configurable": {"thread_id": "t"}}
    out: list[Any] = []
    for step, given in enumerate(script):
        if command is Command:
            chunks = graph.astream_chunks(
                _input(step, given, command), stream_mode=mode, config=config
            )
        else:
            chunks = graph.astream(_input(step, given, command), config, stream_mode=mode)
        out.append([chunk async for chunk in chunks])
    out.append((await graph.aget_state(config)).values)
    return out


CASES = {
    "approval": (approval.graph, langgraph_approval, APPROVAL),
    "mapreduce": (mapreduce.graph, langgraph_mapreduce, MAPREDUCE),
}


@pytest.mark.parametrize("mode", MODE_ARGS, ids=repr)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_spec_streams_its_interrupts_and_sends_as_langgraph(case: str, mode: Any) -> None:
    typed, oracle, script = CASES[case]
    expected = run(oracle(), script, LangGraphCommand, mode)
    actual = run(typed.with_checkpointer(InMemorySaver()), script, Command, mode)
    if case == "mapreduce" and not set(_modes(mode)) <= {"values", "checkpoints"}:
        # the Send tasks run in parallel and stream as they finish, in either order on both
        # sides: each chunk is compared on its own (the state, reduced in Send order, is not)
        actual, expected = _unordered(actual), _unordered(expected)
    assert normalize(actual) == normalize(expected)
    assert _key_order(actual) == _key_order(expected)


def _modes(mode: Any) -> list[str]:
    return [mode] if isinstance(mode, str) else list(mode)


def _unordered(outcome: list[Any]) -> list[Any]:
    *runs, state = outcome
    return [sorted((normalize([chunk]) for chunk in chunks), key=repr) for chunks in runs] + [state]


@pytest.mark.parametrize("mode", ["updates", "values", ["updates", "tasks"]], ids=repr)
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_async_twin_streams_the_same(case: str, mode: Any) -> None:
    typed, oracle, script = CASES[case]
    expected = asyncio.run(arun(oracle(), script, LangGraphCommand, mode))
    actual = asyncio.run(arun(typed.with_checkpointer(InMemorySaver()), script, Command, mode))
    if case == "mapreduce" and mode != "values":
        actual, expected = _unordered(actual), _unordered(expected)
    assert normalize(actual) == normalize(expected)


def test_typed_resume_answers_the_interrupt_then_goes_on_from_the_breakpoint() -> None:
    graph = approval.graph.with_checkpointer(InMemorySaver())
    config: Any = {"configurable": {"thread_id": "t"}}
    events = list(graph.stream({"action": "old-backups"}, config=config))
    interrupted = events[-1]
    assert isinstance(interrupted, InterruptEvent)
    assert [i.value for i in interrupted.interrupts] == [
        {"action": "delete old-backups", "reason": "it cannot be undone"}
    ]
    assert interrupted.ids == (interrupted.interrupts[0].id,)
    assert len(interrupted.ids[0]) == 32
    # answered by id, as a map: the run stops again before `act`, its breakpoint
    assert graph.resume({interrupted.ids[0]: {"approved": True}}, config=config) == {
        "action": "delete old-backups",
        "approved": True,
        "log": ["propose", "review"],
    }
    assert graph.get_state(config).next == ("act",)
    assert graph.resume(config=config) == {
        "action": "delete old-backups",
        "approved": True,
        "log": ["propose", "review", "act"],
    }


def test_a_graph_with_breakpoints_refuses_to_run_without_a_checkpointer() -> None:
    message = (
        "graph 'approval' has interrupt_before / interrupt_after, which need a checkpointer: "
        "run graph.with_checkpointer(saver) on a thread"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        approval.graph.invoke({"action": "x"})
    with pytest.raises(ValueError, match=re.escape(message)):
        approval.graph.invoke({"action": "x"}, config={"configurable": {"thread_id": "t"}})
