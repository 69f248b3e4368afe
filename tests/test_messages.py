"""``messages`` mode: chat-model tokens and returned messages, as flowc's typed events.

What each example spec streams, exactly: the tokens (LangChain's fake chat
models split a reply at whitespace), the message classes and ids, the
metadata and its key order, namespaces, and when events arrive. The
comparison with LangGraph itself is in ``conformance/test_messages.py``.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import pytest
from flowc_demo import (
    messages_call_model,
    messages_live,
    messages_models,
    messages_parallel,
    messages_state,
    messages_subgraph,
    messages_tags,
    messages_tool,
)
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage

from flowc import build
from flowc.runtime import MessagesEvent, UpdatesEvent, ValuesEvent, messages

from .conftest import SPECS

CONFIG = {
    "tags": ["run-tag"],
    "metadata": {"user_id": "u-1"},
    "configurable": {"thread_id": "thread-1"},
}


def tokens(text: str) -> list[str]:
    """How LangChain's ``GenericFakeChatModel`` streams ``text``."""
    return re.split(r"(\s)", text)


def graph(name: str) -> Any:
    return build(SPECS / f"{name}.toml")


def message_events(events: list[Any]) -> list[MessagesEvent]:
    return [e for e in events if isinstance(e, MessagesEvent)]


def is_uuid4(value: str) -> bool:
    try:
        return uuid.UUID(value).version == 4
    except ValueError:
        return False


# -- tokens ----------------------------------------------------------------------------


def test_invoke_inside_a_node_streams_one_chunk_per_token() -> None:
    events = list(
        graph("messages_call_model").stream({"topic": "ice cream"}, stream_mode="messages")
    )
    assert all(type(e) is MessagesEvent for e in events)
    assert [e.message.content for e in events] == tokens(messages_call_model.JOKE)
    assert all(type(e.message) is AIMessageChunk for e in events)
    assert len({e.message.id for e in events}) == 1
    assert events[0].message.id.startswith("lc_run--")
    assert [e.message.chunk_position for e in events[-2:]] == [None, "last"]
    assert {e.ns for e in events} == {()}


def test_token_metadata_has_langgraphs_keys_in_langgraphs_order() -> None:
    events = list(
        graph("messages_call_model").stream(
            {"topic": "ice cream"}, stream_mode="messages", config=CONFIG
        )
    )
    meta = events[0].metadata
    task_ns = meta["langgraph_checkpoint_ns"]
    assert re.fullmatch(r"call_model:[0-9a-f-]{36}", task_ns)
    assert list(meta.items()) == [
        ("user_id", "u-1"),
        ("thread_id", "thread-1"),
        ("ls_integration", "langchain_chat_model"),
        ("langgraph_step", 1),
        ("langgraph_node", "call_model"),
        ("langgraph_triggers", ("branch:to:call_model",)),
        ("langgraph_path", ("__pregel_pull", "call_model")),
        ("langgraph_checkpoint_ns", task_ns),
        ("checkpoint_ns", task_ns),
        ("ls_provider", "genericfakechatmodel"),
        ("ls_model_type", "chat"),
        ("lc_versions", {"langchain-core": "1.8.3"}),
        ("tags", ["run-tag"]),
    ]
    assert all(e.metadata == meta for e in events)


def test_without_user_tags_there_is_no_tags_key() -> None:
    events = list(graph("messages_call_model").stream({"topic": "x"}, stream_mode="messages"))
    assert "tags" not in events[0].metadata
    assert "user_id" not in events[0].metadata


def test_tokens_come_before_the_nodes_update_and_the_state_holds_the_reply() -> None:
    events = list(
        graph("messages_call_model").stream(
            {"topic": "ice cream"}, stream_mode=["messages", "updates", "values"]
        )
    )
    kinds = [type(e).__name__ for e in events]
    n = len(tokens(messages_call_model.JOKE))
    assert kinds == ["ValuesEvent", *["MessagesEvent"] * n, "CallModelUpdated", "ValuesEvent"]
    assert events[-1].data == {"topic": "ice cream", "joke": messages_call_model.JOKE}


def test_model_tags_follow_the_run_tags_and_filter_the_joke_model() -> None:
    async def main() -> list[Any]:
        return [
            e
            async for e in graph("messages_tags").astream(
                {"topic": "cats"}, stream_mode="messages", config={"tags": ["run-tag"]}
            )
        ]

    events = asyncio.run(main())
    assert {tuple(e.metadata["tags"]) for e in events} == {
        ("run-tag", "joke"),
        ("run-tag", "poem"),
    }
    joke = "".join(e.message.content for e in events if e.metadata["tags"] == ["run-tag", "joke"])
    assert joke == messages_tags.JOKE


def test_filtering_by_node_picks_the_poem_nodes_tokens() -> None:
    events = list(graph("messages_parallel").stream({"topic": "cats"}, stream_mode="messages"))
    poem = [e.message.content for e in events if e.metadata["langgraph_node"] == "write_poem"]
    joke = [e.message.content for e in events if e.metadata["langgraph_node"] == "write_joke"]
    assert poem == tokens(messages_parallel.POEM)
    assert joke == tokens(messages_parallel.JOKE)


# -- how the model is called -----------------------------------------------------------


def _by_node(events: list[MessagesEvent]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for e in events:
        out.setdefault(e.metadata["langgraph_node"], []).append(
            (type(e.message).__name__, e.message.content)
        )
    return out


EXPECTED_CALL_STYLES = {
    "streamed": [("AIMessageChunk", t) for t in tokens(messages_models.STREAMED)],
    "whole": [("AIMessage", messages_models.WHOLE)],
    "disabled": [("AIMessage", messages_models.DISABLED)],
}


def test_stream_a_model_that_cannot_stream_and_disable_streaming() -> None:
    events = list(graph("messages_models").stream({"topic": "t"}, stream_mode="messages"))
    assert _by_node(events) == EXPECTED_CALL_STYLES
    whole = next(e for e in events if e.metadata["langgraph_node"] == "whole")
    assert whole.message.id == "whole-reply"
    assert whole.metadata["ls_integration"] == "langchain_chat_model"
    assert whole.metadata["ls_provider"] == "fakemessageslistchatmodel"


def test_astream_and_ainvoke_without_config_stream_the_same() -> None:
    async def main() -> list[Any]:
        return [
            e
            async for e in graph("messages_models_async").astream(
                {"topic": "t"}, stream_mode="messages"
            )
        ]

    assert _by_node(asyncio.run(main())) == EXPECTED_CALL_STYLES


def test_an_async_node_passing_its_config_streams_once() -> None:
    async def main() -> list[Any]:
        return [
            e
            async for e in graph("messages_async_config").astream(
                {"topic": "ice cream"}, stream_mode="messages", config=CONFIG
            )
        ]

    events = asyncio.run(main())
    assert [e.message.content for e in events] == tokens(
        "I told my ice cream a secret. Now it's a little melted about it."
    )
    assert events[0].metadata["tags"] == ["run-tag"]
    assert events[0].metadata["thread_id"] == "thread-1"


def test_a_model_called_inside_a_tool_streams_with_the_nodes_metadata() -> None:
    events = list(graph("messages_tool").stream({"place": "bedroom"}, stream_mode="messages"))
    assert [e.message.content for e in events] == tokens(messages_tool.ITEMS)
    assert {(e.metadata["langgraph_node"], tuple(e.metadata["tags"])) for e in events} == {
        ("call_tool", ("items",))
    }


def test_callbacks_of_the_run_config_see_the_models_tokens_too() -> None:
    from langchain_core.callbacks import BaseCallbackHandler

    class Collect(BaseCallbackHandler):
        def __init__(self) -> None:
            self.tokens: list[str] = []

        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            self.tokens.append(token)

    collect = Collect()
    events = list(
        graph("messages_call_model").stream(
            {"topic": "x"}, stream_mode="messages", config={"callbacks": [collect]}
        )
    )
    assert collect.tokens == [e.message.content for e in events] == tokens(messages_call_model.JOKE)


def test_sync_streaming_of_an_async_graph_says_so() -> None:
    with pytest.raises(TypeError, match='No synchronous function provided to "call_model"'):
        list(graph("messages_async_config").stream({"topic": "x"}, stream_mode="messages"))


def test_outside_messages_mode_nodes_call_their_models_as_usual() -> None:
    events = list(graph("messages_call_model").stream({"topic": "t"}, stream_mode="updates"))
    assert [e.data for e in events if isinstance(e, UpdatesEvent)] == [
        {"joke": messages_call_model.JOKE}
    ]


# -- messages a node returns -----------------------------------------------------------


def test_returned_messages_are_streamed_once_by_id() -> None:
    events = list(
        graph("messages_state").stream(
            messages_state.EXAMPLE_INPUT, stream_mode=["messages", "values"]
        )
    )
    streamed = message_events(events)
    final = [e for e in events if isinstance(e, ValuesEvent)][-1].data["messages"]
    human, chat, echo, quiet = final
    assert type(human) is HumanMessage and is_uuid4(human.id)
    # the input is not streamed; the chat reply streams as tokens and not again whole
    chat_tokens = [e for e in streamed if e.metadata["langgraph_node"] == "chat"]
    assert [e.message.content for e in chat_tokens] == tokens(messages_state.REPLY)
    assert {e.message.id for e in chat_tokens} == {chat.id}
    # echo's message had no id: it got a uuid4, the same one the state keeps
    rest = [e for e in streamed if e.metadata["langgraph_node"] != "chat"]
    assert [(type(e.message), e.message.content) for e in rest] == [
        (AIMessage, "You said: hi!"),
        (AIMessage, messages_state.SUMMARY),
    ]
    assert rest[0].message.id == echo.id and is_uuid4(echo.id)
    # the nostream model's tokens are not streamed; its reply is, once, as the node's output
    assert rest[1].message.id == quiet.id and quiet.id.startswith("lc_run--")
    assert [e.metadata["ls_integration"] for e in rest] == ["langgraph", "langgraph"]


def test_node_output_metadata_has_no_model_keys() -> None:
    events = list(
        graph("messages_state").stream(
            messages_state.EXAMPLE_INPUT, stream_mode="messages", config=CONFIG
        )
    )
    echo = next(e for e in events if e.metadata["langgraph_node"] == "echo")
    task_ns = echo.metadata["langgraph_checkpoint_ns"]
    assert list(echo.metadata.items()) == [
        ("user_id", "u-1"),
        ("thread_id", "thread-1"),
        ("ls_integration", "langgraph"),
        ("langgraph_step", 2),
        ("langgraph_node", "echo"),
        ("langgraph_triggers", ("branch:to:echo",)),
        ("langgraph_path", ("__pregel_pull", "echo")),
        ("langgraph_checkpoint_ns", task_ns),
    ]


# -- subgraphs -------------------------------------------------------------------------


def test_without_subgraphs_a_subgraphs_tokens_are_not_streamed() -> None:
    events = list(graph("messages_subgraph").stream({"topic": "geometry"}, stream_mode="messages"))
    # only the reply the child kept in its own `notes`, once, when the subgraph node ends
    assert [
        (e.ns, type(e.message), e.message.content, e.metadata["langgraph_node"]) for e in events
    ] == [((), AIMessage, messages_subgraph.JOKE, "joke_graph")]
    assert events[0].metadata["ls_integration"] == "langgraph"


def test_with_subgraphs_tokens_carry_the_subgraphs_namespace() -> None:
    events = list(
        graph("messages_subgraph").stream(
            {"topic": "geometry"}, stream_mode="messages", subgraphs=True
        )
    )
    n = len(tokens(messages_subgraph.JOKE))
    assert len(events) == 2 * n
    first, second = events[:n], events[n:]
    for part, node in ((first, "joke_graph"), (second, "retell")):
        assert [e.message.content for e in part] == tokens(messages_subgraph.JOKE)
        (outer,) = {e.ns[0] for e in part}
        assert {e.ns for e in part} == {(outer,)}
        assert outer.startswith(node + ":")
        meta = part[0].metadata
        assert meta["langgraph_node"] == "call_model"
        assert meta["langgraph_checkpoint_ns"].startswith(outer + "|call_model:")
        # LangGraph keeps the outer task's namespace in checkpoint_ns
        assert meta["checkpoint_ns"] == outer
        assert meta["tags"] == ["joke"]


# -- live ------------------------------------------------------------------------------


def test_parallel_nodes_stream_their_tokens_while_they_run() -> None:
    # each node waits, after its first token, until we have seen the other's
    messages_live.reset()
    seen: dict[str, list[str]] = {"left": [], "right": []}
    for event in graph("messages_live").stream({"topic": "t"}, stream_mode="messages"):
        node = event.metadata["langgraph_node"]
        seen[node].append(event.message.content)
        messages_live.saw(node)
    assert seen == {"left": tokens(messages_live.LEFT), "right": tokens(messages_live.RIGHT)}


def test_parallel_async_nodes_stream_their_tokens_while_they_run() -> None:
    messages_live.reset()
    seen: dict[str, list[str]] = {"left": [], "right": []}

    async def main() -> None:
        async for event in graph("messages_live_async").astream(
            {"topic": "t"}, stream_mode="messages"
        ):
            node = event.metadata["langgraph_node"]
            seen[node].append(event.message.content)
            messages_live.saw(node)

    asyncio.run(main())
    assert seen == {"left": tokens(messages_live.LEFT), "right": tokens(messages_live.RIGHT)}


# -- the hooks -------------------------------------------------------------------------


def test_the_emit_hooks_do_nothing_outside_a_run_streaming_messages() -> None:
    message = AIMessage(content="x")
    assert messages.emit_chunk(AIMessageChunk(content="x", id="c"), {}) is False
    assert messages.emit_message(message, {}) is False
    assert message.id is None
    assert messages.is_message(message)
    assert not messages.is_message({"role": "assistant", "content": "x"})
