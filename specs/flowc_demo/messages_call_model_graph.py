"""The first ``messages`` example declared with decorators: the twin of ``specs/messages_call_model.toml``.

The state is the user's own class, used as it is (LangGraph: ``StateGraph(MyState)``).
"""

from __future__ import annotations

from flowc import END, START, Graph
from flowc_demo.messages_call_model import MyState, call_model

graph = Graph(
    "messages_call_model",
    MyState,
    description="One node asks a chat model for a joke about the topic.",
)
graph.add_node(call_model)
graph.add_edge(START, "call_model")
graph.add_edge("call_model", END)
