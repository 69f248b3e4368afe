"""A thread's state through the typed facade: the snapshot carries the graph's values type."""

from __future__ import annotations

from typing import reveal_type

from flowc.runtime import Config
from flowc.savers.memory import InMemorySaver
from tests.golden import joke

graph = joke.graph.with_checkpointer(InMemorySaver())
config: Config = {"configurable": {"thread_id": "t"}}
graph.invoke({"topic": "cats"}, config=config)
state = graph.get_state(config)
reveal_type(state.values)
reveal_type(state.next)
topic: str = state.values["topic"]
jokes = state.values["jokes"]
graph.update_state(config, {"topic": "dogs"}, as_node="refine_topic")
graph.update_state(config, {"topic": 3}, as_node="refine_topic")
reveal_type(graph.resume(config=config))
for past in graph.get_state_history(config):
    reveal_type(past)
