"""flowc.langgraph.prebuilt: what it refuses, and how, and what it checks at build time.

The behaviour of the agents and tool nodes it builds is compared with
LangGraph's own in tests/conformance/test_prebuilt.py.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from flowc_demo.fake_chat import weather_model
from langchain_core.messages import AIMessage, ToolMessage

from flowc.langgraph import GraphCompileError, UnsupportedFeatureError
from flowc.langgraph.prebuilt import ToolNode, create_react_agent, tools_condition


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


def refusal(**kwargs: Any) -> str:
    with pytest.raises(UnsupportedFeatureError) as info:
        create_react_agent(weather_model(), [get_weather], **kwargs)
    return str(info.value)


def test_version_v2_is_refused_naming_send() -> None:
    assert refusal(version="v2") == (
        'create_react_agent(version="v2") is not supported by flowc yet; v2 sends each tool '
        'call to the tool node as its own task (`Send`); use version="v1", where one `tools` '
        "task runs all the calls of a reply"
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "checkpointer",
            object(),
            "create_react_agent(checkpointer=...) is not supported by flowc yet; "
            "durable runs (threads, resuming) do not exist yet",
        ),
        (
            "interrupt_before",
            ["tools"],
            "create_react_agent(interrupt_before=...) is not supported by flowc yet; "
            "flowc runs have no checkpointer to resume from",
        ),
        (
            "interrupt_after",
            ["agent"],
            "create_react_agent(interrupt_after=...) is not supported by flowc yet; "
            "flowc runs have no checkpointer to resume from",
        ),
        (
            "store",
            object(),
            "create_react_agent(store=...) is not supported by flowc yet; "
            "pass what the tools need through a closure",
        ),
    ],
)
def test_durable_run_options_are_refused_naming_the_feature(
    option: str, value: Any, message: str
) -> None:
    assert refusal(**{option: value}) == message


def test_a_post_model_hook_with_tools_is_refused_naming_send() -> None:
    assert refusal(post_model_hook=lambda state: {}) == (
        "create_react_agent(post_model_hook=..., tools=[...]) is not supported by flowc yet; "
        "after the hook, LangGraph sends each pending tool call to the tool node as its own "
        "task (`Send`); run the hook's logic in a pre_model_hook or in the tools"
    )


def test_a_model_function_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match=r"create_react_agent\(model=<function>\)"):
        create_react_agent(lambda state, runtime: weather_model(), [get_weather])


def test_a_state_schema_without_messages_is_an_error() -> None:
    class State(dict[str, Any]):
        __annotations__ = {"topic": str}

    with pytest.raises(
        ValueError, match=r"Missing required key\(s\) \{'messages'\} in state_schema"
    ):
        create_react_agent(weather_model(), [get_weather], state_schema=State)


def test_a_provider_string_needs_langchain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain", None)
    with pytest.raises(ImportError, match=r"Please install langchain \(`pip install langchain`\)"):
        create_react_agent("openai:gpt-4o-mini", [get_weather])


def test_a_provider_string_goes_through_init_chat_model(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def init_chat_model(name: str) -> Any:
        asked.append(name)
        return weather_model()

    package = types.ModuleType("langchain")
    chat_models = types.ModuleType("langchain.chat_models")
    chat_models.init_chat_model = init_chat_model  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "langchain", package)
    monkeypatch.setitem(sys.modules, "langchain.chat_models", chat_models)
    agent = create_react_agent("anthropic:claude-3-7-sonnet-latest", [get_weather])
    assert asked == ["anthropic:claude-3-7-sonnet-latest"]
    result = agent.invoke({"messages": [{"role": "user", "content": "what is the weather in sf"}]})
    assert [m.content for m in result["messages"][1:]] == [
        "",
        "It's always sunny in sf!",
        "It's always sunny in sf!",
    ]


def test_a_tool_that_uses_langgraphs_own_writer_fails_at_build_time() -> None:
    from langgraph.config import get_stream_writer

    def loud(city: str) -> str:
        """Report and answer."""
        get_stream_writer()(city)
        return city

    with pytest.raises(GraphCompileError) as info:
        create_react_agent(weather_model(), [loud])
    assert "tool `loud` of node `tools` uses `get_stream_writer`" in str(info.value)
    assert "from flowc.langgraph import get_stream_writer" in str(info.value)


def test_tool_node_runs_outside_a_graph_in_the_order_of_the_calls() -> None:
    node = ToolNode([get_weather])
    calls = [
        {"name": "get_weather", "args": {"city": "sf"}, "id": "1"},
        {"name": "nowhere", "args": {}, "id": "2"},
        {"name": "get_weather", "args": {"city": "nyc"}, "id": "3"},
    ]
    out = node.invoke({"messages": [AIMessage("", tool_calls=calls)]})
    assert [(m.tool_call_id, m.status, m.content) for m in out["messages"]] == [
        ("1", "success", "It's always sunny in sf!"),
        ("2", "error", "Error: nowhere is not a valid tool, try one of [get_weather]."),
        ("3", "success", "It's always sunny in nyc!"),
    ]
    assert all(isinstance(m, ToolMessage) for m in out["messages"])


def test_tools_condition_routes_on_the_last_message() -> None:
    call = AIMessage("", tool_calls=[{"name": "get_weather", "args": {}, "id": "1"}])
    assert tools_condition({"messages": [call]}) == "tools"
    assert tools_condition({"messages": [AIMessage("done")]}) == "__end__"
    with pytest.raises(ValueError, match="No messages found in input state to tool_edge"):
        tools_condition({"messages": []})


def test_async_only_tools_make_an_async_tool_node_that_stream_refuses() -> None:
    async def get_weather_async(city: str) -> str:
        """Get weather for a given city."""
        return f"It's always sunny in {city}!"

    agent = create_react_agent(weather_model(), [get_weather_async])
    with pytest.raises(TypeError) as info:
        list(agent.stream({"messages": [("user", "hi")]}, stream_mode="updates"))
    assert str(info.value).startswith('No synchronous function provided to "tools".')
