"""Measure what changing the imports buys: the same builder code, run by LangGraph and by flowc.

Usage: ``python docs/migration/speedup.py [--runs N]``

Each graph is built twice by the same function, once from ``langgraph.graph``
and once from ``flowc.langgraph``. Runs of the two alternate (so that both see
the same machine load), and the median time per run is reported with the
ratio. Compiling is timed separately: it is paid once per graph.
"""

from __future__ import annotations

import argparse
import asyncio
import operator
import platform
import statistics
import time
from collections.abc import Callable
from importlib import metadata
from typing import Annotated, Any, Literal, TypedDict

import langgraph.graph

import flowc
import flowc.langgraph


class Joke(TypedDict):
    topic: str
    joke: str


def refine_topic(state: Joke) -> dict[str, Any]:
    return {"topic": state["topic"] + " and cats"}


def generate_joke(state: Joke) -> dict[str, Any]:
    return {"joke": f"This is a joke about {state['topic']}"}


class Counter(TypedDict):
    count: int
    log: Annotated[list[int], operator.add]


def step(state: Counter) -> dict[str, Any]:
    return {"count": state["count"] + 1, "log": [state["count"]]}


def again(state: Counter) -> Literal["step", "__end__"]:
    return "step" if state["count"] < 100 else "__end__"


def add_one(state: Counter) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def joke_graph(lg: Any) -> Any:
    """The reference document's joke chain."""
    return (
        lg.StateGraph(Joke)
        .add_node(refine_topic)
        .add_node(generate_joke)
        .add_edge(lg.START, "refine_topic")
        .add_edge("refine_topic", "generate_joke")
        .add_edge("generate_joke", lg.END)
        .compile()
    )


def loop_graph(lg: Any) -> Any:
    """A node looping on itself 100 times through a conditional edge."""
    return (
        lg.StateGraph(Counter)
        .add_node(step)
        .add_edge(lg.START, "step")
        .add_conditional_edges("step", again)
        .compile()
    )


def chain_graph(lg: Any) -> Any:
    """Ten nodes in a row."""
    builder = lg.StateGraph(Counter)
    builder.add_sequence([(f"n{i}", add_one) for i in range(10)])
    return builder.add_edge(lg.START, "n0").compile()


def consume(graph: Any, input: Any, **kwargs: Any) -> Callable[[], object]:
    return lambda: sum(1 for _ in graph.stream(input, **kwargs))


def consume_async(graph: Any, input: Any, **kwargs: Any) -> Callable[[], object]:
    async def run() -> int:
        return sum([1 async for _ in graph.astream(input, **kwargs)])

    return lambda: asyncio.run(run())


CASES: list[tuple[str, Callable[[Any], Any], Callable[[Any], Callable[[], object]]]] = [
    (
        "joke, stream updates",
        joke_graph,
        lambda g: consume(g, {"topic": "ice cream"}, stream_mode="updates"),
    ),
    ("joke, invoke", joke_graph, lambda g: lambda: g.invoke({"topic": "ice cream"})),
    (
        "joke, all modes (list)",
        joke_graph,
        lambda g: consume(
            g, {"topic": "ice cream"}, stream_mode=["values", "updates", "custom", "debug"]
        ),
    ),
    (
        "10-node chain, stream values",
        chain_graph,
        lambda g: consume(g, {"count": 0}, stream_mode="values"),
    ),
    (
        "100-step loop, stream updates",
        loop_graph,
        lambda g: consume(g, {"count": 0}, stream_mode="updates"),
    ),
    (
        "joke, astream updates",
        joke_graph,
        lambda g: consume_async(g, {"topic": "ice cream"}, stream_mode="updates"),
    ),
]


def median_run(calls: list[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds per call of each of ``calls``, their runs interleaved."""
    samples: list[list[float]] = [[] for _ in calls]
    for call in calls:
        call()  # warm up: first-run imports and caches
    for _ in range(runs):
        for call, times in zip(calls, samples, strict=True):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return [statistics.median(times) for times in samples]


def compile_seconds(build: Callable[[Any], Any], lg: Any) -> float:
    start = time.perf_counter()
    build(lg)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, langgraph {metadata.version('langgraph')}, "
        f"flowc {flowc.__version__}; median of {args.runs} interleaved runs"
    )
    print(f"{'case':32} {'LangGraph':>11} {'flowc':>11} {'speed-up':>9}")
    for name, build, make_call in CASES:
        theirs, ours = (make_call(build(lg)) for lg in (langgraph.graph, flowc.langgraph))
        lg_time, fc_time = median_run([theirs, ours], args.runs)
        print(f"{name:32} {lg_time * 1e6:9.0f}µs {fc_time * 1e6:9.0f}µs {lg_time / fc_time:8.1f}x")
    fresh = compile_seconds(
        lambda lg: (
            lg.StateGraph(Joke)
            .add_node(refine_topic)
            .add_edge(lg.START, "refine_topic")
            .compile(name="fresh")
        ),
        flowc.langgraph,
    )
    again_ = compile_seconds(joke_graph, flowc.langgraph)
    lg_compile = compile_seconds(joke_graph, langgraph.graph)
    print(
        f"compile (once per graph): LangGraph {lg_compile * 1e3:.1f} ms; flowc {fresh * 1e3:.0f} ms "
        f"(check, generate, format), {again_ * 1e3:.1f} ms for a graph compiled before"
    )


if __name__ == "__main__":
    main()
