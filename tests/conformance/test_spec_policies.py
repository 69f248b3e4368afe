"""A spec's node policies run as LangGraph 1.2.22 runs the same policies.

``specs/policies.toml`` (its generated module is ``tests/golden/policies.py``)
gives ``fetch`` a retry policy on connection errors, ``lookup`` a cache policy
keyed by topic, ``summarize`` ``defer = true`` and the graph a
``step_timeout``. The same graph built with LangGraph's ``StateGraph`` and its
own ``RetryPolicy``, ``CachePolicy`` and ``InMemoryCache`` is run beside it in
every ``stream_mode`` argument of the oracle, twice on one cache (a miss, then
a hit), sync and async: the chunks are equal after the oracle's normalisation.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from flowc_demo import policies as nodes
from langgraph.cache.memory import InMemoryCache as LangGraphCache
from langgraph.graph import END, START, StateGraph
from langgraph.types import CachePolicy as LangGraphCachePolicy
from langgraph.types import RetryPolicy as LangGraphRetryPolicy

from flowc.runtime.caches import InMemoryCache
from tests.golden import policies

from .oracle import MODE_ARGS, _key_order, both_agreeing, normalize

pytestmark = pytest.mark.conformance


def langgraph_policies() -> Any:
    builder = StateGraph(nodes.PolicyState)
    retry = LangGraphRetryPolicy(
        max_attempts=3, initial_interval=0.005, jitter=False, retry_on=ConnectionError
    )
    builder.add_node("fetch", nodes.fetch, retry_policy=retry)
    builder.add_node(
        "lookup", nodes.lookup, cache_policy=LangGraphCachePolicy(key_func=nodes.by_topic, ttl=60)
    )
    builder.add_node("check", nodes.check)
    builder.add_node("summarize", nodes.summarize, defer=True)
    builder.add_edge(START, "fetch")
    builder.add_edge(START, "lookup")
    builder.add_edge("fetch", "summarize")
    builder.add_edge("lookup", "check")
    builder.add_edge("check", "summarize")
    builder.add_edge("summarize", END)
    graph = builder.compile(cache=LangGraphCache())
    graph.step_timeout = 60
    return graph


def run(graph: Any, mode: Any, flowc: bool) -> list[Any]:
    out = []
    for _ in range(2):
        if flowc:
            out.append(list(graph.stream_chunks({"topic": "cats"}, stream_mode=mode)))
        else:
            out.append(list(graph.stream({"topic": "cats"}, stream_mode=mode)))
    return out


async def arun(graph: Any, mode: Any, flowc: bool) -> list[Any]:
    out = []
    for _ in range(2):
        if flowc:
            chunks = graph.astream_chunks({"topic": "cats"}, stream_mode=mode)
        else:
            chunks = graph.astream({"topic": "cats"}, stream_mode=mode)
        out.append([chunk async for chunk in chunks])
    return out


@pytest.mark.parametrize("mode", MODE_ARGS, ids=repr)
def test_a_specs_policies_stream_as_langgraphs(mode: Any) -> None:
    # fetch (retried) and lookup run in parallel: which finishes first is a race on each side
    actual, expected = both_agreeing(
        lambda: normalize(run(langgraph_policies(), mode, flowc=False)),
        lambda: normalize(run(policies.graph.with_cache(InMemoryCache()), mode, flowc=True)),
    )
    assert actual == expected
    assert _key_order(actual) == _key_order(expected)


@pytest.mark.parametrize("mode", ["updates", "values", ["updates", "tasks"], "debug"], ids=repr)
def test_the_async_run_of_a_specs_policies_streams_the_same(mode: Any) -> None:
    actual, expected = both_agreeing(
        lambda: normalize(asyncio.run(arun(langgraph_policies(), mode, flowc=False))),
        lambda: normalize(
            asyncio.run(arun(policies.graph.with_cache(InMemoryCache()), mode, flowc=True))
        ),
    )
    assert actual == expected


def test_the_retried_node_ran_three_times_and_the_cache_hit_skips_lookup() -> None:
    graph = policies.graph.with_cache(InMemoryCache())
    before = dict(nodes.attempts)
    first = graph.invoke({"topic": "dogs"})
    second = list(graph.stream({"topic": "dogs"}, stream_mode="updates"))
    # the retried node ran three times a run; the second run's lookup came from the cache
    assert nodes.attempts["fetch"] - before["fetch"] == 6
    assert nodes.attempts["lookup"] - before["lookup"] == 1
    assert first == {
        "topic": "dogs",
        "pages": ["page about dogs", "entry for dogs", "checked"],
        "summary": "page about dogs + entry for dogs + checked",
    }
    assert [(e.node, e.data) for e in second] == [
        ("lookup", {"pages": ["entry for dogs"]}),
        ("fetch", {"pages": ["page about dogs"]}),
        ("check", {"pages": ["checked"]}),
        ("summarize", {"summary": "page about dogs + entry for dogs + checked"}),
    ]
