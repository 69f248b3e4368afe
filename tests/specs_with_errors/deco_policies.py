"""Node policies naming the wrong kind of object, and timeouts that are not positive."""

from __future__ import annotations

from decostate import State, TopicUpdate

from flowc import END, START, Graph
from flowc.runtime.policies import CachePolicy, RetryPolicy, TimeoutPolicy

graph = Graph("deco_policies", State, step_timeout=-5)


def key_of_two(state: State, other: object) -> str:
    return "key"


def ok(state: State) -> TopicUpdate:
    return {"topic": "ok"}


graph.add_node("a", ok, retry=RetryPolicy(retry_on=(ConnectionError, int)))  # type: ignore[arg-type]
graph.add_node("b", ok, cache=CachePolicy(key_func=key_of_two))
graph.add_node("c", ok, timeout=TimeoutPolicy(idle_timeout=0))
graph.add_node("d", ok, timeout=0)
graph.add_edge(START, "a")
graph.add_edge("a", "b")
graph.add_edge("b", "c")
graph.add_edge("c", "d")
graph.add_edge("d", END)
