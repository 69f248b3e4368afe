"""Where ``langgraph.prebuilt.tool_node`` is imported from after the import change."""

from flowc.langgraph._tool_node import (
    InjectedState,
    InjectedStore,
    ToolInvocationError,
    ToolNode,
    ToolRuntime,
    tools_condition,
)

__all__ = [
    "InjectedState",
    "InjectedStore",
    "ToolInvocationError",
    "ToolNode",
    "ToolRuntime",
    "tools_condition",
]
