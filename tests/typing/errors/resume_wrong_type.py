"""Resuming the approval graph with an answer that is not an ``Approval``."""

from flowc.runtime import Config
from flowc.savers.memory import InMemorySaver
from tests.golden import approval

config: Config = {"configurable": {"thread_id": "t"}}
graph = approval.graph.with_checkpointer(InMemorySaver())
graph.resume({"approved": "yes"}, config=config)
graph.resume(True, config=config)
