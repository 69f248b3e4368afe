"""A spec's interrupts, breakpoints and typed Sends run as LangGraph 1.2.22 runs them.

The generated modules of ``specs/approval.toml`` (a node interrupts, the graph
stops before ``act``), ``specs/subgraph_approval.toml`` (the same approval
inside a subgraph, whose node declares what the interrupt asks and takes),
``specs/review_batch.toml`` (Send tasks interrupting in one superstep, answered
with one resume map, then a node asking in a loop, answered one by one) and
``specs/mapreduce.toml`` (a router fans out with ``Send``; its and approval's
decorator twins compile to the same modules), against the
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
import time
from typing import Annotated, Any, TypedDict

import pytest
from flowc_demo import approval as nodes
from flowc_demo import mapreduce as jobs
from flowc_demo import review_batch as batch
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command as LangGraphCommand
from langgraph.types import Send as LangGraphSend
from langgraph.types import interrupt as langgraph_interrupt

from flowc.runtime import Command, InterruptEvent
from flowc.savers.memory import InMemorySaver
from tests.golden import approval, mapreduce, review_batch, subgraph_approval

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


def langgraph_subgraph_approval() -> Any:
    child = StateGraph(ApprovalState)
    child.add_node("propose", nodes.propose)
    child.add_node("review", review)
    child.add_edge(START, "propose")
    child.add_edge("propose", "review")
    builder = StateGraph(ApprovalState)
    builder.add_node("approval", child.compile())
    builder.add_node("act", nodes.act)
    builder.add_edge(START, "approval")
    builder.add_edge("approval", "act")
    builder.add_edge("act", END)
    return builder.compile(checkpointer=LangGraphSaver())


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


def batch_review(job: batch.Item) -> dict[str, Any]:
    time.sleep(0.05 * (ord(job["item"][0]) - ord("a")))
    verdict = langgraph_interrupt({"question": f"is {job['item']} ok?"})
    return {"verdicts": [f"{job['item']}:{'ok' if verdict['ok'] else 'no'}"]}


def batch_summary(state: batch.BatchState) -> dict[str, Any]:
    confirmed = []
    for verdict in sorted(state["verdicts"]):
        answer = langgraph_interrupt({"question": f"confirm {verdict}?"})
        confirmed.append(f"{verdict}={'yes' if answer['ok'] else 'no'}")
    return {"verdicts": [",".join(confirmed)]}


def batch_fan_out(state: batch.BatchState) -> list[LangGraphSend]:
    return [LangGraphSend("review", {"item": item}) for item in state["items"]]


def langgraph_review_batch() -> Any:
    builder = StateGraph(batch.BatchState)
    builder.add_node("review", batch_review)
    builder.add_node("summary", batch_summary)
    builder.add_conditional_edges(START, batch_fan_out)
    builder.add_edge("review", "summary")
    builder.add_edge("summary", END)
    return builder.compile(checkpointer=LangGraphSaver())


def answer_each_review(graph: Any, config: Any) -> dict[str, Any]:
    """A resume map: every pending review answered by its id."""
    pending = graph.get_state(config).interrupts
    return {i.id: {"ok": i.value["question"] == "is a ok?"} for i in pending}


# the approval script: stop at review's interrupt, answer it, stop before act, go on
APPROVAL = [{"action": "old-backups"}, {"approved": True}, None]
MAPREDUCE = [{"items": ["a", "b", "c"]}]
# stop at the subgraph's interrupt, answer it: the subgraph goes on, then `act`
SUBGRAPH_APPROVAL = [{"action": "old-backups"}, {"approved": False}]
# both reviews stop; one map answers them; the summary asks twice, answered one at a time
REVIEW_BATCH = [{"items": ["a", "b"]}, answer_each_review, {"ok": True}, {"ok": False}]


def _input(step: int, given: Any, command: type) -> Any:
    return command(resume=given) if step and given is not None else given


def run(graph: Any, script: list[Any], command: type, mode: Any) -> list[Any]:
    config = {"configurable": {"thread_id": "t"}}
    out: list[Any] = []
    for step, entry in enumerate(script):
        given = entry(graph, config) if callable(entry) else entry
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
    for step, entry in enumerate(script):
        given = entry(graph, config) if callable(entry) else entry
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
    "subgraph_approval": (
        subgraph_approval.graph,
        langgraph_subgraph_approval,
        SUBGRAPH_APPROVAL,
    ),
    "review_batch": (review_batch.graph, langgraph_review_batch, REVIEW_BATCH),
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
