"""Where ``langgraph.prebuilt`` is imported from after the drop-in's import change.

``create_react_agent``, ``ToolNode`` and ``tools_condition`` build flowc graphs
with LangGraph's node names, state, messages and stream chunks (``version="v2"``
and ``"v1"`` agents; they need the ``langchain`` extra). ``InjectedState`` marks a
tool argument the tool node fills from the state, ``InjectedStore`` one it fills
with the graph's store; ``ToolRuntime`` is what a tool's ``runtime`` argument gets. The other names of
``langgraph.prebuilt`` fail to import with an :class:`ImportError` that names
the feature flowc does not support yet (mypy, which sees no such names here,
says so too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "AgentState",
    "AgentStatePydantic",
    "AgentStateWithStructuredResponse",
    "AgentStateWithStructuredResponsePydantic",
    "InjectedState",
    "InjectedStore",
    "ToolNode",
    "ToolRuntime",
    "create_react_agent",
    "tools_condition",
]

if TYPE_CHECKING:
    from .._agent import (
        AgentState,
        AgentStatePydantic,
        AgentStateWithStructuredResponse,
        AgentStateWithStructuredResponsePydantic,
        create_react_agent,
    )
    from .._tool_node import InjectedState, InjectedStore, ToolNode, ToolRuntime, tools_condition

# names of langgraph.prebuilt flowc does not offer: the start of the sentence that
# refuses each, and the flowc way
_PREBUILT: dict[str, tuple[str, str | None]] = {
    "ValidationNode": (
        "LangGraph's prebuilt `ValidationNode` is",
        "write the node as a function that validates the tool calls of the last AI message",
    ),
    "ToolCallTransformer": ("LangGraph's prebuilt `ToolCallTransformer` is", None),
}

_OFFERED = {
    "AgentState": "chat_agent_executor",
    "AgentStatePydantic": "chat_agent_executor",
    "AgentStateWithStructuredResponse": "chat_agent_executor",
    "AgentStateWithStructuredResponsePydantic": "chat_agent_executor",
    "create_react_agent": "chat_agent_executor",
    "create_tool_calling_executor": "chat_agent_executor",
    "InjectedState": "tool_node",
    "InjectedStore": "tool_node",
    "ToolNode": "tool_node",
    "ToolRuntime": "tool_node",
    "tools_condition": "tool_node",
}
"""What this module offers, and the private module that has it (imported when asked
for: they import LangChain)."""

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        import importlib

        home = _OFFERED.get(name)
        if home is not None:
            module = importlib.import_module(f"flowc.langgraph.prebuilt.{home}")
            return getattr(module, name)
        from .. import _not_yet

        what = _PREBUILT.get(name)
        if what is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        raise _not_yet(__name__, name, *what)
