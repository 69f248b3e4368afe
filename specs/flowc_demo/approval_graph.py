"""The approval graph declared with decorators: the twin of ``specs/approval.toml``."""

from __future__ import annotations

import operator
from typing import Annotated

from flowc import END, START, Graph
from flowc_demo.approval import Approval, ApprovalRequest, act, propose, review

graph = Graph(
    "approval",
    fields={"action": str, "approved": bool, "log": Annotated[list[str], operator.add]},
    description="Propose an action, have a person approve it, then act.",
    interrupt_before=["act"],
)
graph.add_node(propose)
graph.add_node(review, interrupts=ApprovalRequest, resumes=Approval)
graph.add_node(act)
graph.sequence(START, "propose", "review", "act", END)
