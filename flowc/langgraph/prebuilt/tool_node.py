"""Where ``langgraph.prebuilt.tool_node`` is imported from after the import change."""

from flowc.langgraph._tool_node import ToolInvocationError, ToolNode, tools_condition

__all__ = ["ToolInvocationError", "ToolNode", "tools_condition"]
