"""The nodes of a typed agent (``flowc.integrations.agent.ReactAgent``) outside a graph.

What the model reads when it calls a tool badly is LangGraph's tool node's message (the
drop-in's ``ToolNode``, whose messages tests/conformance/test_prebuilt.py compares with
LangGraph's); a tool that fails for any other reason fails the node.
"""

from __future__ import annotations

import pytest
from flowc_demo.weather_agent import get_weather, model
from langchain_core.messages import AIMessage

from flowc.integrations.agent import ReactAgent
from flowc.langgraph.prebuilt import ToolNode


def broken(city: str) -> str:
    """A tool that fails."""
    raise RuntimeError(f"no data for {city}")


CALLS = [
    {"name": "get_weather", "args": {"city": 3}, "id": "bad-args"},
    {"name": "nowhere", "args": {}, "id": "unknown"},
]


def test_bad_arguments_and_unknown_tools_become_langgraphs_error_messages() -> None:
    state = {"messages": [AIMessage("", tool_calls=CALLS)]}
    ours = ReactAgent(model, [get_weather]).run_tools(state, {})["messages"]
    theirs = ToolNode([get_weather]).invoke(state)["messages"]
    assert [(m.tool_call_id, m.status, m.content) for m in ours] == [
        (m.tool_call_id, m.status, m.content) for m in theirs
    ]
    assert [m.status for m in ours] == ["error", "error"]


def test_a_tool_that_fails_fails_the_node() -> None:
    call = {"name": "broken", "args": {"city": "sf"}, "id": "c-1"}
    agent = ReactAgent(model, [broken])
    with pytest.raises(RuntimeError, match="no data for sf"):
        agent.run_tools({"messages": [AIMessage("", tool_calls=[call])]}, {})
