"""LangGraph's v3 event streams (``stream_events`` / ``astream_events`` with
``version="v3"``) of drop-in graphs, against LangGraph.

The same builder code runs on LangGraph's modules and on flowc.langgraph's; the main
event log, every projection (``values``, ``lifecycle``, the opt-in ones, a custom
transformer's named channel), the subgraph handles, ``output``/``interrupted``/
``interrupts`` and errors are compared, sync and async. Timestamps are dropped and ids
normalised (:func:`~.oracle.normalize`).
"""

from __future__ import annotations

import asyncio
import importlib
import operator
import warnings
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from langchain_core.runnables import RunnableConfig
from typing_extensions import TypedDict

from .oracle import normalize

pytestmark = pytest.mark.conformance


def api(impl: str) -> SimpleNamespace:
    """The names the graphs below use, from LangGraph or from flowc.langgraph."""
    root = "langgraph" if impl == "langgraph" else "flowc.langgraph"
    graph = importlib.import_module(f"{root}.graph")
    types = importlib.import_module(f"{root}.types")
    config = importlib.import_module(f"{root}.config")
    stream = importlib.import_module(f"{root}.stream")
    transformers = importlib.import_module(f"{root}.stream.transformers")
    return SimpleNamespace(
        StateGraph=graph.StateGraph,
        START=graph.START,
        END=graph.END,
        interrupt=types.interrupt,
        Command=types.Command,
        get_stream_writer=config.get_stream_writer,
        stream=stream,
        transformers=transformers,
    )


class Outer(TypedDict, total=False):
    kinds: list[str]


class State(TypedDict):
    value: str
    items: Annotated[list[str], operator.add]


START_STATE = {"value": "x", "items": []}


def _node(suffix: str, *, write: bool = False) -> Any:
    def node(state: State) -> dict[str, Any]:
        if write:
            from langgraph.config import get_stream_writer as lg_writer

            from flowc.langgraph.config import get_stream_writer as fc_writer

            for get in (fc_writer, lg_writer):
                try:
                    get()({"at": suffix})
                    break
                except Exception:
                    continue
        return {"value": state["value"] + suffix, "items": [suffix.lower()]}

    return node


def nested(lib: SimpleNamespace, **compile_kwargs: Any) -> Any:
    """root: a -> child (child: c -> grandchild (g)) -> b."""
    inner = lib.StateGraph(State)
    inner.add_node("g", _node("G", write=True))
    inner.add_edge(lib.START, "g")
    child = lib.StateGraph(State)
    child.add_node("c", _node("C"))
    child.add_node("grandchild", inner.compile())
    child.add_edge(lib.START, "c")
    child.add_edge("c", "grandchild")
    root = lib.StateGraph(State)
    root.add_node("a", _node("A", write=True))
    root.add_node("child", child.compile())
    root.add_node("b", _node("B"))
    root.add_edge(lib.START, "a")
    root.add_edge("a", "child")
    root.add_edge("child", "b")
    return root.compile(**compile_kwargs)


def failing(lib: SimpleNamespace) -> Any:
    """root: a -> child (boom raises ValueError)."""

    def boom(state: State) -> dict[str, Any]:
        raise ValueError("boom")

    child = lib.StateGraph(State)
    child.add_node("boom", boom)
    child.add_edge(lib.START, "boom")
    root = lib.StateGraph(State)
    root.add_node("a", _node("A"))
    root.add_node("child", child.compile())
    root.add_edge(lib.START, "a")
    root.add_edge("a", "child")
    return root.compile()


def interrupting(lib: SimpleNamespace) -> Any:
    """a -> ask (interrupts, then appends the answer), with a checkpointer."""
    from langgraph.checkpoint.memory import InMemorySaver

    def ask(state: State) -> dict[str, Any]:
        answer = lib.interrupt("approve?")
        return {"value": state["value"] + str(answer), "items": ["ask"]}

    root = lib.StateGraph(State)
    root.add_node("a", _node("A"))
    root.add_node("ask", ask)
    root.add_edge(lib.START, "a")
    root.add_edge("a", "ask")
    return root.compile(checkpointer=InMemorySaver())


def counting(lib: SimpleNamespace) -> Any:
    """A user transformer: a named channel counting each step's updates."""

    class Counting(lib.stream.StreamTransformer):  # type: ignore[name-defined,misc]
        required_stream_modes = ("updates",)

        def __init__(self, scope: tuple[str, ...] = ()) -> None:
            super().__init__(scope)
            self.channel = lib.stream.StreamChannel("counts")
            self.seen = 0

        def init(self) -> dict[str, Any]:
            return {"counts": self.channel}

        def process(self, event: Any) -> bool:
            if event["method"] == "updates":
                self.seen += 1
                self.channel.push({"n": self.seen, "ns": list(event["params"]["namespace"])})
            return True

    return Counting


def events(items: list[Any]) -> list[Any]:
    """Protocol events without their wall-clock timestamps, normalised."""
    out = []
    for event in items:
        params = {k: v for k, v in event["params"].items() if k != "timestamp"}
        out.append({**{k: v for k, v in event.items() if k != "params"}, "params": params})
    return normalize(out)  # type: ignore[no-any-return]


def both(run: Any) -> tuple[Any, Any]:
    """``run(lib)`` on LangGraph and on flowc; ``(outcome, error)`` of each, normalised."""
    out = []
    for impl in ("langgraph", "flowc"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                out.append((normalize(run(api(impl))), None))
            except Exception as exc:
                out.append((None, (type(exc).__name__, str(exc))))
    return out[0], out[1]


OPT_IN = ("UpdatesTransformer", "CustomTransformer", "TasksTransformer", "DebugTransformer")


def _opt_in(lib: SimpleNamespace) -> list[Any]:
    return [getattr(lib.transformers, name) for name in OPT_IN]


@pytest.mark.parametrize("extra", [False, True], ids=["builtins", "opt-in"])
def test_main_log_of_nested_graph(extra: bool) -> None:
    def run(lib: SimpleNamespace) -> Any:
        graph = nested(lib, transformers=_opt_in(lib) if extra else None)
        return events(list(graph.stream_events(START_STATE, version="v3")))

    lg, fc = both(run)
    assert fc == lg
    assert lg[1] is None


@pytest.mark.parametrize("extra", [False, True], ids=["builtins", "opt-in"])
def test_main_log_async(extra: bool) -> None:
    def run(lib: SimpleNamespace) -> Any:
        async def main() -> Any:
            graph = nested(lib)
            kwargs = {"transformers": _opt_in(lib)} if extra else {}
            stream = await graph.astream_events(START_STATE, version="v3", **kwargs)
            return events([event async for event in stream])

        return asyncio.run(main())

    lg, fc = both(run)
    assert fc == lg
    assert lg[1] is None


def test_projections_and_output() -> None:
    def run(lib: SimpleNamespace) -> Any:
        graph = nested(lib, transformers=_opt_in(lib))
        stream = graph.stream_events(START_STATE, version="v3")
        seen = list(stream.interleave("values", "updates", "custom", "lifecycle", "tasks"))
        return {
            "items": seen,
            "output": stream.output,
            "interrupted": stream.interrupted,
            "keys": sorted(stream.extensions),
        }

    lg, fc = both(run)
    assert fc == lg
    assert lg[0]["output"]["value"] == "xACGB"


def test_subgraph_handles_drill_down() -> None:
    def run(lib: SimpleNamespace) -> Any:
        graph = nested(lib)
        stream = graph.stream_events(START_STATE, version="v3")
        handles = []
        for handle in stream.subgraphs:
            values = list(handle.values)
            grandchildren = [
                (g.path, g.graph_name, list(g.values), g.status) for g in handle.subgraphs
            ]
            handles.append(
                (
                    handle.path,
                    handle.graph_name,
                    handle.trigger_call_id,
                    values,
                    grandchildren,
                    handle.status,
                )
            )
        return {"handles": handles, "output": stream.output}

    lg, fc = both(run)
    assert fc == lg
    assert lg[0]["handles"][0][1] == "child"


def test_subgraph_handles_async() -> None:
    def run(lib: SimpleNamespace) -> Any:
        async def main() -> Any:
            stream = await nested(lib).astream_events(START_STATE, version="v3")
            handles = []
            async for handle in stream.subgraphs:
                values = [v async for v in handle.values]
                handles.append((handle.path, handle.graph_name, values, handle.status))
            return {"handles": handles, "output": await stream.output()}

        return asyncio.run(main())

    lg, fc = both(run)
    assert fc == lg


def test_custom_transformer_channel_on_main_log() -> None:
    def run(lib: SimpleNamespace) -> Any:
        graph = nested(lib)
        stream = graph.stream_events(START_STATE, version="v3", transformers=[counting(lib)])
        return events([e for e in stream if e["method"].startswith("custom:")])

    lg, fc = both(run)
    assert fc == lg
    assert [e["method"] for e in lg[0]] == ["custom:counts"] * 6


def test_error_in_subgraph() -> None:
    def run(lib: SimpleNamespace) -> Any:
        stream = failing(lib).stream_events(START_STATE, version="v3")
        seen: list[Any] = []
        try:
            for event in stream:
                seen.append(event)
        except ValueError as exc:
            return {"events": events(seen), "raised": str(exc)}
        return {"events": events(seen), "raised": None}

    lg, fc = both(run)
    assert fc == lg
    assert lg[0]["raised"] == "boom"


def test_error_on_handles_and_output() -> None:
    def run(lib: SimpleNamespace) -> Any:
        stream = failing(lib).stream_events(START_STATE, version="v3")
        statuses: list[Any] = []
        handles = []
        try:
            for handle in stream.subgraphs:
                handles.append(handle)
                statuses.append((handle.graph_name, handle.status))
        except ValueError:
            statuses.append("raised")
        statuses.extend((h.graph_name, h.status, h.error) for h in handles)
        try:
            _ = stream.output
        except ValueError as exc:
            return {"statuses": statuses, "output": str(exc)}
        return {"statuses": statuses, "output": None}

    lg, fc = both(run)
    assert fc == lg
    assert lg[0] == {
        "statuses": [("child", "started"), "raised", ("child", "failed", "boom")],
        "output": "boom",
    }


@pytest.mark.parametrize("lane", ["sync", "async"])
def test_interrupt_then_resume(lane: str) -> None:
    def run(lib: SimpleNamespace) -> Any:
        graph = interrupting(lib)
        config = {"configurable": {"thread_id": "t"}}
        if lane == "sync":
            first = graph.stream_events(START_STATE, config, version="v3")
            log = events(list(first))
            flags = (first.output, first.interrupted, first.interrupts)
            second = graph.stream_events(lib.Command(resume="!"), config, version="v3")
            return {
                "first": log,
                "flags": flags,
                "resumed": events(list(second)),
                "out": second.output,
            }

        async def main() -> Any:
            first = await graph.astream_events(START_STATE, config, version="v3")
            log = events([e async for e in first])
            flags = (await first.output(), await first.interrupted(), await first.interrupts())
            second = await graph.astream_events(lib.Command(resume="!"), config, version="v3")
            resumed = events([e async for e in second])
            return {"first": log, "flags": flags, "resumed": resumed, "out": await second.output()}

        return asyncio.run(main())

    lg, fc = both(run)
    assert fc == lg
    assert lg[0]["out"] == {"value": "xA!", "items": ["a", "ask"]}


def test_checkpoints_projection() -> None:
    def run(lib: SimpleNamespace) -> Any:
        graph = interrupting(lib)
        config = {"configurable": {"thread_id": "c"}}
        stream = graph.stream_events(
            START_STATE,
            config,
            version="v3",
            transformers=[lib.transformers.CheckpointsTransformer],
        )
        return [(c["values"], c["next"], c["metadata"]["step"]) for c in stream.checkpoints]

    lg, fc = both(run)
    assert fc == lg
    assert len(lg[0]) == 3


@pytest.mark.parametrize(
    "call",
    [
        {"stream_mode": "values"},
        {"subgraphs": True},
        {"transformers": ["instance"]},
        {"transformers": [3]},
    ],
    ids=["stream_mode", "subgraphs", "instance", "not-callable"],
)
def test_refused_arguments(call: dict[str, Any]) -> None:
    def run(lib: SimpleNamespace) -> Any:
        kwargs = dict(call)
        if kwargs.get("transformers") == ["instance"]:
            kwargs["transformers"] = [lib.transformers.UpdatesTransformer()]
        nested(lib).stream_events(START_STATE, version="v3", **kwargs)

    lg, fc = both(run)
    assert fc == lg
    assert lg[1][0] == "TypeError"


def test_async_transformer_refused_in_sync_run() -> None:
    def run(lib: SimpleNamespace) -> Any:
        class Slow(lib.stream.StreamTransformer):  # type: ignore[name-defined,misc]
            def init(self) -> dict[str, Any]:
                return {}

            async def aprocess(self, event: Any) -> bool:
                return True

        nested(lib).stream_events(START_STATE, version="v3", transformers=[Slow])

    lg, fc = both(run)
    assert fc == lg
    assert lg[1][0] == "RuntimeError"


def _messages_graph(lib: SimpleNamespace, node: Any) -> Any:
    graph = importlib.import_module(lib.StateGraph.__module__.rsplit(".", 1)[0])
    builder = graph.StateGraph(graph.MessagesState)
    return builder.add_node("n", node).add_edge(lib.START, "n").compile()


def test_messages_projection_of_a_returned_message() -> None:
    from langchain_core.messages import AIMessage

    def run(lib: SimpleNamespace) -> Any:
        def reply(state: Any) -> dict[str, Any]:
            return {"messages": AIMessage("made", id="m1")}

        stream = _messages_graph(lib, reply).stream_events({"messages": "hi"}, version="v3")
        return [(s.message_id, s.node, s.output.text) for s in stream.messages]

    lg, fc = both(run)
    assert fc == lg
    assert lg[0] == [("m1", "n", "made")]


@pytest.mark.parametrize("lane", ["sync", "async"])
def test_messages_projection_of_a_model_call(lane: str) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    def run(lib: SimpleNamespace) -> Any:
        model = GenericFakeChatModel(messages=iter(["hello world"]))

        def call(state: Any) -> dict[str, Any]:
            return {"messages": model.invoke(state["messages"])}

        async def acall(state: Any) -> dict[str, Any]:
            return {"messages": await model.ainvoke(state["messages"])}

        if lane == "sync":
            stream = _messages_graph(lib, call).stream_events({"messages": "hi"}, version="v3")
            texts = [("".join(s.text), s.node, s.output.text) for s in stream.messages]
            output = stream.output
        else:

            async def main() -> Any:
                graph = _messages_graph(lib, acall)
                stream = await graph.astream_events({"messages": "hi"}, version="v3")
                texts = []
                async for s in stream.messages:
                    texts.append(("".join([d async for d in s.text]), s.node, None))
                return texts, await stream.output()

            texts, output = asyncio.run(main())
        reply = output["messages"][-1]
        return {"texts": texts, "content": reply.content, "meta": reply.response_metadata}

    lg, fc = both(run)
    assert fc == lg
    assert lg[0]["texts"][0][0] == "hello world"
    assert lg[0]["meta"] == {"output_version": "v1"}


def test_main_log_of_a_model_call() -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    def run(lib: SimpleNamespace) -> Any:
        model = GenericFakeChatModel(messages=iter(["hi there"]))

        def call(state: Any) -> dict[str, Any]:
            return {"messages": model.invoke(state["messages"])}

        stream = _messages_graph(lib, call).stream_events({"messages": "hi"}, version="v3")
        kept = []
        for event in stream:
            if event["method"] == "messages":
                payload, meta = event["params"]["data"]
                kept.append((payload, sorted(meta)))
        return kept

    lg, fc = both(run)
    assert fc == lg
    assert lg[0][0][0]["event"] == "message-start"


def test_tool_messages_a_node_returns_stay_off_the_messages_events() -> None:
    from langchain_core.messages import AIMessage, ToolMessage

    def run(lib: SimpleNamespace) -> Any:
        def node(state: Any) -> dict[str, Any]:
            return {
                "messages": [ToolMessage("r", tool_call_id="c1", id="t1"), AIMessage("x", id="a1")]
            }

        stream = _messages_graph(lib, node).stream_events({"messages": "hi"}, version="v3")
        return [event["params"]["data"][0].id for event in stream if event["method"] == "messages"]

    lg, fc = both(run)
    assert fc == lg
    assert lg[0] == ["a1"]


def test_no_beta_warning() -> None:
    """Pinned difference: LangGraph warns that its v3 run streams are a beta API."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nested(api("flowc")).stream_events(START_STATE, version="v3")
    assert [w.category.__name__ for w in caught] == []


def test_a_v1_stream_inside_a_v3_run_gets_token_chunks() -> None:
    """A node of a v3 run that streams another graph's ``messages`` (v1) gets token chunks,
    as on LangGraph. Pinned difference: flowc's stream then also gives the whole reply."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    def run(lib: SimpleNamespace) -> Any:
        model = GenericFakeChatModel(messages=iter(["nested legacy path"]))

        def call(state: Any) -> dict[str, Any]:
            return {"messages": model.invoke(state["messages"])}

        inner = _messages_graph(lib, call)

        def outer(state: Outer, config: RunnableConfig) -> dict[str, Any]:
            parts = list(inner.stream({"messages": "hi"}, config, stream_mode="messages"))
            return {"kinds": [type(payload).__name__ for payload, _ in parts]}

        graph = lib.StateGraph(Outer).add_node("o", outer).add_edge(lib.START, "o").compile()
        return graph.stream_events({}, version="v3").output

    lg, fc = both(run)
    assert lg[0] == {"kinds": ["AIMessageChunk"] * 5}
    assert fc[0] == {"kinds": ["AIMessageChunk"] * 5 + ["AIMessage"]}
