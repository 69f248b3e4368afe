"""Resuming a subgraph's interrupt with an answer that is not the ``Approval`` its node declares."""

from flowc.runtime import Config
from flowc.savers.memory import InMemorySaver
from tests.golden import subgraph_approval

config: Config = {"configurable": {"thread_id": "t"}}
graph = subgraph_approval.graph.with_checkpointer(InMemorySaver())
graph.resume("yes", config=config)
