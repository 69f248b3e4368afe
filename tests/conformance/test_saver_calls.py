"""A run calls its saver as LangGraph 1.2.22's does, sync and async.

The same builder code runs on LangGraph's ``StateGraph`` and on flowc's drop-in, each with a
LangGraph saver that fails in one method, that is slow in ``aput``, or that only has async
methods (``AsyncSqliteSaver``, which refuses sync calls from the event loop's thread). What
each run returns or raises, what each saver method was called with (in order), and the
thread's state after it must be equal after the oracle's normalisation: an async run awaits
a LangGraph saver's async twins (an override of ``aput`` alone is called), an error a saver
raises is the run's error, and a run cancelled while a node runs under ``durability="exit"``
still stores its last checkpoint, through ``aput``, before the cancellation reaches its caller.
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import START
from langgraph.graph import StateGraph as LangGraphStateGraph
from langgraph.types import Command as LangGraphCommand
from langgraph.types import Send as LangGraphSend
from langgraph.types import interrupt as langgraph_interrupt

from flowc.langgraph import Command as FlowcCommand
from flowc.langgraph import Send as FlowcSend
from flowc.langgraph import StateGraph as FlowcStateGraph
from flowc.langgraph import interrupt as flowc_interrupt

from .oracle import normalize

pytestmark = pytest.mark.conformance

IMPLS: dict[str, tuple[Any, Any, Any]] = {
    "langgraph": (LangGraphStateGraph, LangGraphCommand, langgraph_interrupt),
    "flowc": (FlowcStateGraph, FlowcCommand, flowc_interrupt),
}
SENDS: dict[str, Any] = {"langgraph": LangGraphSend, "flowc": FlowcSend}


def ignore(value: str) -> str:
    return ""


def chain(graph_class: Any, parallel: bool = False) -> Any:
    """A root-value graph of one node (two in parallel with ``parallel``)."""
    builder = graph_class(Annotated[str, operator.add])
    builder.add_node("agent", ignore)
    builder.add_edge(START, "agent")
    if parallel:
        builder.add_node("other", ignore)
        builder.add_edge(START, "other")
    return builder


def faulty(method: str) -> InMemorySaver:
    """LangGraph's in-memory saver whose ``method`` raises."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"faulty {method}")

    async def afail(*args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"faulty {method}")

    saver = InMemorySaver()
    setattr(saver, method, afail if method.startswith("a") else fail)
    return saver


class PathlessFaultyWrites(InMemorySaver):
    """A saver written before ``put_writes`` took ``task_path``: it is called without it."""

    def put_writes(self, config: Any, writes: Any, task_id: str) -> None:  # type: ignore[override]
        raise ValueError("faulty put_writes without task_path")

    async def aput_writes(self, config: Any, writes: Any, task_id: str) -> None:  # type: ignore[override]
        raise ValueError("faulty aput_writes without task_path")


class FaultySerializer(JsonPlusSerializer):
    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        raise ValueError("faulty serializer")


FAULTS: dict[str, tuple[Callable[[], Any], bool, str]] = {
    # a saver's sync methods fail a sync run; its async twins an async run
    "get_tuple": (lambda: faulty("get_tuple"), False, "async"),
    "put": (lambda: faulty("put"), False, "async"),
    "put_writes": (lambda: faulty("put_writes"), True, "async"),
    "put_writes (sync durability)": (lambda: faulty("put_writes"), True, "sync"),
    "get_next_version": (lambda: faulty("get_next_version"), False, "async"),
    "aget_tuple": (lambda: faulty("aget_tuple"), False, "async"),
    "aput": (lambda: faulty("aput"), False, "async"),
    "aput under exit": (lambda: faulty("aput"), False, "exit"),
    "aput_writes": (lambda: faulty("aput_writes"), True, "async"),
    "serializer": (lambda: InMemorySaver(serde=FaultySerializer()), False, "async"),
    "put_writes without task_path": (PathlessFaultyWrites, True, "async"),
}


def _faulty_runs(impl: str, case: str) -> list[Any]:
    graph_class = IMPLS[impl][0]
    make, parallel, durability = FAULTS[case]
    out: list[Any] = []
    for use_async in (False, True):
        graph = chain(graph_class, parallel).compile(checkpointer=make())
        config: Any = {"configurable": {"thread_id": f"t-{use_async}"}}
        try:
            if use_async:
                result = asyncio.run(graph.ainvoke("", config, durability=durability))
            else:
                result = graph.invoke("", config, durability=durability)
            out.append(("returned", use_async, result))
        except Exception as exc:
            out.append(("raised", use_async, type(exc).__name__, str(exc)))
    return out


@pytest.mark.parametrize("case", list(FAULTS))
def test_an_error_a_saver_raises_is_the_runs_error(case: str) -> None:
    assert _faulty_runs("flowc", case) == _faulty_runs("langgraph", case)


class Recording(InMemorySaver):
    """LangGraph's in-memory saver that records which of its methods a run calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def get_tuple(self, config: Any) -> Any:
        self.calls.append("get_tuple")
        return super().get_tuple(config)

    async def aget_tuple(self, config: Any) -> Any:
        self.calls.append("aget_tuple")
        return await super().aget_tuple(config)

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self.calls.append(f"put {metadata['source']} {metadata['step']}")
        return super().put(config, checkpoint, metadata, new_versions)

    async def aput(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self.calls.append(f"aput {metadata['source']} {metadata['step']}")
        # LangGraph's twin calls `put`, which would record it again
        return InMemorySaver.put(self, config, checkpoint, metadata, new_versions)

    def put_writes(self, config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        self.calls.append(f"put_writes {[channel for channel, _ in writes]}")
        super().put_writes(config, writes, task_id, task_path)

    async def aput_writes(
        self, config: Any, writes: Any, task_id: str, task_path: str = ""
    ) -> None:
        self.calls.append(f"aput_writes {[channel for channel, _ in writes]}")
        InMemorySaver.put_writes(self, config, writes, task_id, task_path)


class Log(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def _asking(impl: str) -> Any:
    graph_class, _, ask = IMPLS[impl]

    def first(state: Log) -> dict[str, Any]:
        return {"log": ["first"]}

    def asks(state: Log) -> dict[str, Any]:
        return {"log": [f"asks:{ask('ok?')}"]}

    builder = graph_class(Log)
    builder.add_node("first", first)
    builder.add_node("asks", asks)
    builder.add_edge(START, "first")
    builder.add_edge("first", "asks")
    return builder


@pytest.mark.parametrize("durability", ["sync", "async", "exit"])
def test_an_async_run_calls_a_langgraph_savers_async_twins_as_langgraph(durability: str) -> None:
    def calls(impl: str) -> list[Any]:
        command = IMPLS[impl][1]
        saver = Recording()
        graph = _asking(impl).compile(checkpointer=saver)
        config: Any = {"configurable": {"thread_id": "t"}}

        async def runs() -> list[Any]:
            out: list[Any] = []
            for given in ({"log": []}, command(resume="yes")):
                out.append(await graph.ainvoke(given, config, durability=durability))
                out.append(sorted(saver.calls))
                saver.calls.clear()
            return out

        return asyncio.run(runs())

    assert normalize(calls("flowc")) == normalize(calls("langgraph"))


def test_a_langgraph_saver_with_async_methods_only_runs_an_async_thread() -> None:
    def runs(impl: str) -> list[Any]:
        command = IMPLS[impl][1]

        async def main() -> list[Any]:
            async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
                graph = _asking(impl).compile(checkpointer=saver)
                config: Any = {"configurable": {"thread_id": "t"}}
                out: list[Any] = [[c async for c in graph.astream({"log": []}, config)]]
                out.append([c async for c in graph.astream(command(resume="yes"), config)])
                state = await graph.aget_state(config)
                out.append((state.values, state.next, state.metadata))
                out.append([s.metadata async for s in graph.aget_state_history(config)])
                return out

        return asyncio.run(main())

    assert normalize(runs("flowc")) == normalize(runs("langgraph"))


class Hello(TypedDict):
    hello: str


def _cancelled_during_a_node(impl: str, how: str) -> list[Any]:
    """Cancel a run while its node sleeps; the saver's ``aput`` is slow."""
    logs: list[str] = []

    class SlowPut(InMemorySaver):
        async def aput(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
            logs.append("aput start")
            try:
                await asyncio.sleep(0.3)
                return await super().aput(config, checkpoint, metadata, new_versions)
            finally:
                logs.append("aput end")

    async def slow(state: Hello) -> None:
        logs.append("node start")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            logs.append("node cancelled")
            raise
        finally:
            logs.append("node end")

    builder = IMPLS[impl][0](Hello)
    builder.add_node("slow", slow)
    builder.add_edge(START, "slow")
    saver = SlowPut()
    graph = builder.compile(checkpointer=saver)
    config: Any = {"configurable": {"thread_id": "t"}}

    async def main() -> list[Any]:
        if how == "ainvoke":
            task = asyncio.create_task(graph.ainvoke({"hello": "x"}, config, durability="exit"))
        else:
            stream = graph.astream({"hello": "x"}, config, durability="exit")
            task = asyncio.create_task(stream.__anext__())  # type: ignore[arg-type]
        await asyncio.sleep(0.1)
        task.cancel()
        seen = [list(logs)]
        try:
            await task
            seen.append("not cancelled")
        except asyncio.CancelledError:
            seen.append(list(logs))
        stored = await saver.aget_tuple(config)
        seen.append(
            None if stored is None else (stored.metadata, stored.checkpoint["channel_values"])
        )
        return seen

    return asyncio.run(main())


@pytest.mark.parametrize("how", ["ainvoke", "astream"])
def test_a_run_cancelled_during_a_node_stores_its_exit_checkpoint_through_aput(how: str) -> None:
    expected = normalize(_cancelled_during_a_node("langgraph", how))
    # the node is cancelled, then the exit checkpoint is stored, then the caller is cancelled
    assert expected[1] == ["node start", "node cancelled", "node end", "aput start", "aput end"]
    assert normalize(_cancelled_during_a_node("flowc", how)) == expected


_STORES_LANGGRAPH_CLASSES = """
import operator
from typing import Annotated, TypedDict

from langgraph.checkpoint.memory import InMemorySaver

from flowc.langgraph import START, Command, Send, StateGraph, interrupt


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def ask(state):
    return {"log": [interrupt("ok?")]}


builder = StateGraph(State)
builder.add_node("ask", ask)
builder.add_conditional_edges(START, lambda state: [Send("ask", {"log": []})], ["ask"])
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "t"}}
graph.invoke({"log": []}, config)
print(graph.get_state(config).interrupts[0].value, graph.invoke(Command(resume="yes"), config))
"""


def test_a_langgraph_saver_stores_langgraphs_own_interrupts_and_sends() -> None:
    # in a program that imports no LangGraph module but its saver, the saver is handed
    # LangGraph's classes, which its serializer knows (a strict one refuses others)
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _STORES_LANGGRAPH_CLASSES],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "LANGGRAPH_STRICT_MSGPACK": "true"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok? {'log': ['yes']}\n"
    assert "unregistered type" not in done.stderr and "Blocked" not in done.stderr


def _on_a_uuid_thread(impl: str) -> list[Any]:
    """Two interrupting Send tasks on a thread whose id is a ``uuid.UUID``, answered by a map."""
    import uuid

    graph_class, command, ask = IMPLS[impl]
    send = SENDS[impl]

    def fan(state: Log) -> list[Any]:
        return [send("asks", {"log": [name]}) for name in ("a", "b")]

    def asks(state: Log) -> dict[str, Any]:
        return {"log": [f"{state['log'][0]}:{ask(state['log'][0])}"]}

    builder = graph_class(Log)
    builder.add_node("asks", asks)
    builder.add_conditional_edges(START, fan, ["asks"])
    graph = builder.compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": uuid.UUID(int=7)}}
    graph.invoke({"log": []}, config)
    pending = graph.get_state(config).interrupts
    answers = {i.id: f"answer {i.value}" for i in pending}
    result = graph.invoke(command(resume=answers), config)
    return [sorted(i.value for i in pending), sorted(result["log"])]


def test_a_thread_named_by_a_uuid_keeps_its_interrupts_for_get_state() -> None:
    assert _on_a_uuid_thread("flowc") == _on_a_uuid_thread("langgraph")
