"""Reading a key the approval graph's interrupt payload (``ApprovalRequest``) lacks."""

from flowc.runtime import Config, InterruptEvent
from flowc.savers.memory import InMemorySaver
from tests.golden import approval

config: Config = {"configurable": {"thread_id": "t"}}
graph = approval.graph.with_checkpointer(InMemorySaver())
for event in graph.stream({"action": "old-backups"}, config=config):
    if isinstance(event, InterruptEvent):
        print(event.interrupts[0].value["reasons"])
