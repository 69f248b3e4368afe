"""flowc's OpenAI-compatible client against a real HTTP server on 127.0.0.1.

The server (``http.server`` in a thread) speaks the chat-completions wire
format: a JSON answer for ``stream: false``, server-sent events for
``stream: true``. The request's ``model`` picks a scenario: a plain reply,
tool-call deltas, an error event part-way, a hang-up, a stall, a malformed
event, a retryable status. Nothing is mocked on the client side.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from flowc import build
from flowc.integrations.openai_compat import (
    ChatClient,
    ChatError,
    ChatHTTPError,
    ChatMessage,
    ChatProtocolError,
    ChatStreamError,
    ChatTimeoutError,
    ToolCall,
    ToolCallChunk,
    merge_chunks,
)
from flowc.runtime import CustomEvent, MessagesEvent

from .conftest import SPECS

REPLY_ID = "chatcmpl-42"


def _chunk(
    content: str | None = None,
    *,
    role: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    finish: str | None = None,
) -> dict[str, Any]:
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    return {
        "id": REPLY_ID,
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "served-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


TOKENS = [
    _chunk("", role="assistant"),
    _chunk("Hel"),
    _chunk("lo"),
    _chunk(" world"),
    _chunk(finish="stop"),
]

TOOL_CALLS = [
    _chunk(role="assistant"),
    _chunk(
        tool_calls=[
            {
                "index": 0,
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_items", "arguments": ""},
            }
        ]
    ),
    _chunk(tool_calls=[{"index": 0, "function": {"arguments": '{"pla'}}]),
    _chunk(
        tool_calls=[
            {"index": 0, "function": {"arguments": 'ce":"bedroom"}'}},
            {
                "index": 1,
                "id": "call_2",
                "type": "function",
                "function": {"name": "get_time", "arguments": "{}"},
            },
        ]
    ),
    _chunk(finish="tool_calls"),
]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out has hung up; writing to it fails, as expected

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def calls(self, model: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if r["body"].get("model") == model)


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        with self.server.lock:
            self.server.requests.append(
                # header names are case-insensitive (the SDK sends them in lower case)
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
        scenario = getattr(self, "scenario_" + body["model"].replace("-", "_"))
        scenario(body)

    # -- helpers ----------------------------------------------------------------------

    def json_answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def start_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

    def event(self, payload: Any) -> None:
        self.raw(f"data: {json.dumps(payload)}\n\n")

    def raw(self, text: str) -> None:
        self.wfile.write(text.encode())
        self.wfile.flush()

    def events(self, chunks: list[dict[str, Any]], *, done: bool = True) -> None:
        self.start_events()
        for chunk in chunks:
            self.event(chunk)
        if done:
            self.raw("data: [DONE]\n\n")

    # -- scenarios (named after the request's model) ------------------------------------

    def scenario_tokens(self, body: dict[str, Any]) -> None:
        if body["stream"]:
            self.raw_keepalive_then(TOKENS)
        else:
            self.json_answer(
                200,
                {
                    "id": REPLY_ID,
                    "object": "chat.completion",
                    "model": "served-model",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": "Hello world"},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
                },
            )

    def raw_keepalive_then(self, chunks: list[dict[str, Any]]) -> None:
        # a comment line (keep-alive) and an `event:` field are part of the format
        self.start_events()
        self.raw(": keep-alive\n\n")
        self.raw("event: message\n")
        for chunk in chunks:
            self.event(chunk)
        self.raw("data: [DONE]\n\n")

    def scenario_tools(self, body: dict[str, Any]) -> None:
        self.events(TOOL_CALLS)

    def scenario_error_mid_stream(self, body: dict[str, Any]) -> None:
        self.events(TOKENS[:3], done=False)
        self.event({"error": {"message": "The model crashed", "type": "server_error"}})

    def scenario_hang_up(self, body: dict[str, Any]) -> None:
        self.events(TOKENS[:3], done=False)

    def scenario_stall(self, body: dict[str, Any]) -> None:
        self.events(TOKENS[:2], done=False)
        if self.server.release.wait(10):
            for chunk in TOKENS[2:]:
                self.event(chunk)
            self.raw("data: [DONE]\n\n")

    def scenario_silent(self, body: dict[str, Any]) -> None:
        self.server.release.wait(10)

    def scenario_malformed(self, body: dict[str, Any]) -> None:
        self.events(TOKENS[:2], done=False)
        self.raw('data: {"choices": [\n\n')

    def scenario_garbage_line(self, body: dict[str, Any]) -> None:
        self.events(TOKENS[:2], done=False)
        self.raw("this is not an event line\n\n")

    def scenario_flaky(self, body: dict[str, Any]) -> None:
        if self.server.calls("flaky") == 1:
            self.json_answer(503, {"error": {"message": "overloaded"}}, {"Retry-After": "0"})
        else:
            self.events(TOKENS)

    def scenario_rate_limited(self, body: dict[str, Any]) -> None:
        self.json_answer(
            429, {"error": {"message": "slow down", "type": "rate_limit"}}, {"Retry-After": "0"}
        )

    def scenario_unauthorized(self, body: dict[str, Any]) -> None:
        self.json_answer(
            401, {"error": {"message": "Invalid API key", "type": "invalid_request_error"}}
        )


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


@pytest.fixture
def env(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """The endpoint and key in the environment, as an application would set them."""
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_MODEL", "tokens")
    with server.lock:
        server.requests.clear()
    server.release.clear()
    return server


def client(model: str, **options: Any) -> ChatClient:
    options.setdefault("timeout", 5.0)
    return ChatClient(model, **options)


def contents(chunks: list[Any]) -> list[str]:
    return [chunk.content for chunk in chunks]


# -- the wire format -------------------------------------------------------------------


def test_tokens_arrive_in_order_and_add_up_to_the_reply(env: Server) -> None:
    chunks = list(client("tokens", temperature=0.2).stream([("user", "hi")]))
    assert contents(chunks) == ["", "Hel", "lo", " world", ""]
    assert {chunk.id for chunk in chunks} == {REPLY_ID}
    assert [chunk.last for chunk in chunks] == [False, False, False, False, True]
    assert chunks[-1].finish_reason == "stop"
    reply = merge_chunks(chunks)
    assert (reply.content, reply.role, reply.id, reply.finish_reason) == (
        "Hello world",
        "assistant",
        REPLY_ID,
        "stop",
    )
    [request] = env.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer sk-test"
    assert request["headers"]["accept"] == "text/event-stream"
    assert request["body"] == {
        "model": "tokens",
        "messages": [{"role": "user", "content": "hi"}],
        "temperature": 0.2,
        "stream": True,
    }


def test_invoke_outside_a_run_makes_one_plain_request(env: Server) -> None:
    reply = ChatClient().invoke(["hi", ChatMessage("earlier answer")])
    assert reply == ChatMessage(
        content="Hello world",
        id=REPLY_ID,
        finish_reason="stop",
        model="served-model",
        usage={"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
    )
    [request] = env.requests
    assert request["body"] == {
        "model": "tokens",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "earlier answer"},
        ],
        "stream": False,
    }


def test_tool_call_deltas_are_assembled_by_index(env: Server) -> None:
    chunks = list(client("tools").stream([{"role": "user", "content": "what is in my bedroom?"}]))
    assert [chunk.tool_call_chunks for chunk in chunks] == [
        [],
        [ToolCallChunk(0, "call_1", "get_items", "")],
        [ToolCallChunk(0, None, None, '{"pla')],
        [
            ToolCallChunk(0, None, None, 'ce":"bedroom"}'),
            ToolCallChunk(1, "call_2", "get_time", "{}"),
        ],
        [],
    ]
    reply = merge_chunks(chunks)
    assert reply.tool_calls == [
        ToolCall("call_1", "get_items", '{"place":"bedroom"}'),
        ToolCall("call_2", "get_time", "{}"),
    ]
    assert [call.args for call in reply.tool_calls] == [{"place": "bedroom"}, {}]
    assert reply.finish_reason == "tool_calls"
    assert reply.to_openai()["tool_calls"][0] == {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_items", "arguments": '{"place":"bedroom"}'},
    }


def test_an_error_event_mid_stream_raises_after_the_tokens_before_it(env: Server) -> None:
    seen: list[str] = []
    with pytest.raises(ChatStreamError) as info:
        for chunk in client("error-mid-stream").stream(["hi"]):
            seen.append(chunk.content)
    assert seen == ["", "Hel", "lo"]
    assert "The model crashed (server_error)" in str(info.value)
    assert info.value.partial.content == "Hello"
    assert info.value.partial.id == REPLY_ID


def test_a_hang_up_before_the_end_is_an_error_not_a_short_reply(env: Server) -> None:
    seen: list[str] = []
    with pytest.raises(ChatStreamError, match="ended before the reply was complete") as info:
        for chunk in client("hang-up").stream(["hi"]):
            seen.append(chunk.content)
    assert seen == ["", "Hel", "lo"]
    assert info.value.partial.content == "Hello"


def test_a_stalled_stream_times_out_with_what_it_had_sent(env: Server) -> None:
    seen: list[str] = []
    started = time.monotonic()
    with pytest.raises(ChatTimeoutError, match=r"sent nothing for 0\.3 s") as info:
        for chunk in client("stall", timeout=0.3).stream(["hi"]):
            seen.append(chunk.content)
    assert time.monotonic() - started < 5
    assert seen == ["", "Hel"]
    assert info.value.partial is not None
    assert info.value.partial.content == "Hel"
    assert isinstance(info.value, TimeoutError)


def test_an_endpoint_that_never_answers_times_out_after_its_retries(env: Server) -> None:
    with pytest.raises(ChatTimeoutError, match=r"did not answer within 0\.2 s"):
        client("silent", timeout=0.2, max_retries=1).invoke(["hi"])
    assert env.calls("silent") == 2


def test_a_malformed_event_is_a_protocol_error_quoting_the_data(env: Server) -> None:
    seen: list[str] = []
    with pytest.raises(ChatProtocolError) as info:
        for chunk in client("malformed").stream(["hi"]):
            seen.append(chunk.content)
    assert str(info.value) == "event data is not JSON (Expecting value) ('{\"choices\": [')"
    assert seen == ["", "Hel"]
    assert info.value.partial.content == "Hel"


def test_a_line_that_is_no_event_field_is_ignored_and_the_reply_still_incomplete(
    env: Server,
) -> None:
    # server-sent events ignore a line with an unknown field (the SDK parses them);
    # the reply then ends without a finish reason: an error, not a short reply
    seen: list[str] = []
    with pytest.raises(ChatStreamError, match="ended before the reply was complete") as info:
        for chunk in client("garbage-line").stream(["hi"]):
            seen.append(chunk.content)
    assert seen == ["", "Hel"]
    assert info.value.partial.content == "Hel"


def test_a_retryable_status_is_retried(env: Server) -> None:
    chunks = list(client("flaky").stream(["hi"]))
    assert merge_chunks(chunks).content == "Hello world"
    assert env.calls("flaky") == 2


def test_retries_give_up_with_the_last_status(env: Server) -> None:
    with pytest.raises(ChatHTTPError, match="answered 429: slow down \\(rate_limit\\)") as info:
        client("rate-limited", max_retries=2).invoke(["hi"])
    assert info.value.status_code == 429
    assert env.calls("rate-limited") == 3


def test_a_client_error_is_not_retried(env: Server) -> None:
    with pytest.raises(ChatHTTPError) as info:
        list(client("unauthorized", max_retries=3).stream(["hi"]))
    assert info.value.status_code == 401
    assert str(info.value).endswith("answered 401: Invalid API key (invalid_request_error)")
    assert env.calls("unauthorized") == 1


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = probe.server_address[1]
    probe.server_close()  # nothing listens there now
    llm = ChatClient("m", base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    with pytest.raises(
        ChatError, match=f"cannot reach http://127.0.0.1:{port}/v1/chat/completions"
    ):
        llm.invoke(["hi"])


def test_without_a_key_no_authorization_header_is_sent(
    env: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # local servers (llama.cpp, vLLM, Ollama) want no key; the SDK wants one
    monkeypatch.delenv("OPENAI_API_KEY")
    assert ChatClient().invoke(["hi"]).content == "Hello world"
    assert merge_chunks(client("tokens").stream(["hi"])).content == "Hello world"
    assert ["authorization" in r["headers"] for r in env.requests] == [False, False]


def test_the_applications_own_sdk_clients_are_used(env: Server) -> None:
    import openai

    sync = openai.OpenAI(base_url=env.base_url, api_key="sk-own", max_retries=0)
    asynchronous = openai.AsyncOpenAI(base_url=env.base_url, api_key="sk-own-async")
    llm = ChatClient("tokens", client=sync, async_client=asynchronous)
    assert llm.invoke(["hi"]).content == "Hello world"

    async def main() -> list[str]:
        return [chunk.content async for chunk in llm.astream(["hi"])]

    assert asyncio.run(main()) == ["", "Hel", "lo", " world", ""]
    assert [r["headers"]["authorization"] for r in env.requests] == [
        "Bearer sk-own",
        "Bearer sk-own-async",
    ]


def test_without_a_model_the_client_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_MODEL", raising=False)
    with pytest.raises(ChatError, match=r"pass ChatClient\(model=...\) or set OPENAI_MODEL"):
        ChatClient(base_url="http://127.0.0.1:9/v1").invoke(["hi"])


def test_async_streaming_gives_the_same_chunks(env: Server) -> None:
    async def main() -> list[Any]:
        return [chunk async for chunk in client("tokens").astream(["hi"])]

    assert contents(asyncio.run(main())) == ["", "Hel", "lo", " world", ""]


def test_async_errors_mid_stream_and_timeouts(env: Server) -> None:
    async def consume(llm: ChatClient, into: list[str]) -> None:
        async for chunk in llm.astream(["hi"]):
            into.append(chunk.content)

    seen: list[str] = []
    with pytest.raises(ChatStreamError, match="The model crashed"):
        asyncio.run(consume(client("error-mid-stream"), seen))
    assert seen == ["", "Hel", "lo"]
    stalled: list[str] = []
    with pytest.raises(ChatTimeoutError):
        asyncio.run(consume(client("stall", timeout=0.3), stalled))
    assert stalled == ["", "Hel"]
    assert asyncio.run(client("tokens").ainvoke(["hi"])).content == "Hello world"


# -- in a graph: messages mode ---------------------------------------------------------


def _token_events(events: list[Any]) -> list[MessagesEvent]:
    return [e for e in events if isinstance(e, MessagesEvent)]


def test_invoke_in_a_node_streams_tokens_with_langgraph_metadata(env: Server) -> None:
    graph = build(SPECS / "messages_http.toml")
    events = list(
        graph.stream(
            {"topic": "cats"},
            stream_mode=["messages", "updates"],
            config={"tags": ["run-tag"], "metadata": {"user_id": "u-1"}},
        )
    )
    tokens = _token_events(events)
    assert contents([e.message for e in tokens]) == ["", "Hel", "lo", " world", ""]
    assert type(events[-1]).__name__ == "CallModelUpdated"
    assert events[-1].data == {"answer": "Hello world"}
    meta = tokens[0].metadata
    task_ns = meta["langgraph_checkpoint_ns"]
    assert task_ns.startswith("call_model:")
    assert list(meta.items()) == [
        ("user_id", "u-1"),
        ("ls_integration", "flowc_openai_compat"),
        ("langgraph_step", 1),
        ("langgraph_node", "call_model"),
        ("langgraph_triggers", ("branch:to:call_model",)),
        ("langgraph_path", ("__pregel_pull", "call_model")),
        ("langgraph_checkpoint_ns", task_ns),
        ("checkpoint_ns", task_ns),
        ("ls_provider", "openai"),
        ("ls_model_name", "tokens"),
        ("ls_model_type", "chat"),
        ("ls_temperature", 0.5),
        ("tags", ["run-tag", "http"]),
    ]
    assert env.requests[0]["body"]["stream"] is True


def test_tokens_are_delivered_while_the_reply_is_still_coming(
    env: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the server sends two chunks, then waits until the consumer has seen "Hel";
    # were tokens delivered only when the node finished, the client would time out
    monkeypatch.setenv("OPENAI_MODEL", "stall")
    graph = build(SPECS / "messages_http.toml")
    arrived: list[str] = []
    for event in graph.stream({"topic": "cats"}, stream_mode="messages"):
        arrived.append(event.message.content)
        if event.message.content == "Hel":
            env.release.set()
    assert arrived == ["", "Hel", "lo", " world", ""]


def test_an_error_mid_stream_fails_the_run_after_the_tokens_it_streamed(
    env: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_MODEL", "error-mid-stream")
    graph = build(SPECS / "messages_http.toml")
    arrived: list[str] = []
    with pytest.raises(ChatStreamError, match="The model crashed"):
        for event in graph.stream({"topic": "cats"}, stream_mode=["messages", "updates"]):
            arrived.append(event.message.content)
    assert arrived == ["", "Hel", "lo"]


def test_the_any_llm_example_streams_custom_chunks_and_tokens(env: Server) -> None:
    graph = build(SPECS / "messages_http_async.toml")

    async def main() -> list[Any]:
        return [
            e async for e in graph.astream({"topic": "cats"}, stream_mode=["custom", "messages"])
        ]

    events = asyncio.run(main())
    assert [
        (type(e).__name__, e.data if isinstance(e, CustomEvent) else e.message.content)
        for e in events
    ] == [
        ("MessagesEvent", ""),
        ("MessagesEvent", "Hel"),
        ("CustomEvent", {"custom_llm_chunk": "Hel"}),
        ("MessagesEvent", "lo"),
        ("CustomEvent", {"custom_llm_chunk": "lo"}),
        ("MessagesEvent", " world"),
        ("CustomEvent", {"custom_llm_chunk": " world"}),
        ("MessagesEvent", ""),
    ]
    final = asyncio.run(graph.ainvoke({"topic": "cats"}))
    assert final == {"topic": "cats", "answer": "Hello world"}


def test_a_disabled_stream_gives_one_whole_message(
    env: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowc_demo import messages_http

    monkeypatch.setattr(messages_http.llm, "disable_streaming", True)
    graph = build(SPECS / "messages_http.toml")
    events = list(graph.stream({"topic": "cats"}, stream_mode="messages"))
    assert [(type(e.message).__name__, e.message.content, e.message.id) for e in events] == [
        ("ChatMessage", "Hello world", REPLY_ID)
    ]
    assert env.requests[0]["body"]["stream"] is False
