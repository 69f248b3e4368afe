"""The nodes of a typed agent declared in flowc's own DSL (``[agent]`` in TOML).

A runner module compiled from an agent spec builds one :class:`ReactAgent`
from the spec's model, tools, prompt and response type (named there by import
path), and its nodes are the agent's methods: ``agent`` calls the model,
``tools`` runs the tool calls of its reply side by side, ``should_continue`` goes to the
tools or on, and ``generate_structured_response`` asks the model for the
response type at the end. They do what LangGraph's prebuilt agent
(``version="v1"``) does, with LangGraph's node names and messages, down to its
``remaining_steps``: a reply that would need more supersteps than the run's
recursion limit leaves becomes LangGraph's "Sorry, need more steps" message.

Needs ``langchain-core`` (extra ``langchain``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolCall, ToolMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import get_config_list, get_executor_for_config
from langchain_core.tools import BaseTool
from langchain_core.tools import tool as as_tool
from pydantic import ValidationError

__all__ = ["ReactAgent"]

_UNKNOWN_TOOL = "Error: {name} is not a valid tool, try one of [{names}]."
_MORE_STEPS = "Sorry, need more steps to process this request."
_BAD_ARGUMENTS = (
    "Error invoking tool '{name}' with kwargs {args} with error:\n {error}\n"
    " Please fix the error and try again."
)


class ReactAgent:
    """A chat model that calls tools until it answers, as a graph's nodes.

    Args:
        model: a LangChain chat model (its tools are bound with ``bind_tools``).
        tools: functions or LangChain tools.
        prompt: a system prompt put before the conversation.
        response_format: a pydantic model or TypedDict: after the answer,
            ``generate_structured_response`` asks the model for one.
    """

    def __init__(
        self,
        model: BaseChatModel,
        tools: Sequence[Callable[..., Any] | BaseTool],
        *,
        prompt: str | None = None,
        response_format: type[Any] | None = None,
    ) -> None:
        self.model = model
        self.tools = {
            t.name: t for t in (t if isinstance(t, BaseTool) else as_tool(t) for t in tools)
        }
        self.prompt = prompt
        self.response_format = response_format
        bound: Runnable[Any, BaseMessage] = (
            model.bind_tools(list(self.tools.values())) if self.tools else model
        )
        self._bound = bound

    def _input(self, state: Any) -> list[BaseMessage]:
        messages = list(state["messages"])
        return [SystemMessage(self.prompt), *messages] if self.prompt is not None else messages

    def call_model(self, state: Any, config: Any) -> Any:
        """Node ``agent``: the model's reply to the conversation."""
        reply = self._bound.invoke(self._input(state), config)
        if self._out_of_steps(reply, config):
            return {"messages": [AIMessage(id=reply.id, content=_MORE_STEPS)]}
        return {"messages": [reply]}

    def _out_of_steps(self, reply: BaseMessage, config: Any) -> bool:
        """LangGraph's ``remaining_steps`` rule: the recursion limit less the step must leave
        one more superstep for a final answer, two for a tool call and the answer after it."""
        limit = config.get("recursion_limit")
        step = (config.get("metadata") or {}).get("langgraph_step")
        if not isinstance(limit, int) or not isinstance(step, int):
            return False
        remaining = limit - step
        calls = reply.tool_calls if isinstance(reply, AIMessage) else []
        # as in LangGraph, a reply without tool calls counts as all-return-direct
        direct = isinstance(reply, AIMessage) and all(
            self.tools[c["name"]].return_direct if c["name"] in self.tools else False for c in calls
        )
        return (remaining < 1 and direct) or (remaining < 2 and bool(calls))

    def should_continue(self, state: Any) -> str:
        """After ``agent``: ``tools`` while the model calls tools, then the end (or the response)."""
        last = state["messages"][-1]
        if isinstance(last, AIMessage) and last.tool_calls:
            return "tools"
        return "generate_structured_response" if self.response_format is not None else "__end__"

    def run_tools(self, state: Any, config: Any) -> Any:
        """Node ``tools``: the tool calls of the last reply, side by side, in call order."""
        last = next(m for m in reversed(state["messages"]) if isinstance(m, AIMessage))
        calls = list(last.tool_calls)
        with get_executor_for_config(config) as executor:
            results = list(executor.map(self._run_one, calls, get_config_list(config, len(calls))))
        return {"messages": results}

    def _run_one(self, call: ToolCall, config: RunnableConfig) -> ToolMessage:
        tool = self.tools.get(call["name"])
        if tool is None:
            content = _UNKNOWN_TOOL.format(name=call["name"], names=", ".join(self.tools))
            return ToolMessage(content, name=call["name"], tool_call_id=call["id"], status="error")
        try:
            result = tool.invoke({**call, "type": "tool_call"}, config)
        except ValidationError as exc:
            # as LangGraph's tool node: the model reads what was wrong and may try again
            details = "\n".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors() if e["loc"]
            )
            content = _BAD_ARGUMENTS.format(name=call["name"], args=call["args"], error=details)
            return ToolMessage(content, name=call["name"], tool_call_id=call["id"], status="error")
        if not isinstance(result, ToolMessage):
            raise TypeError(f"tool {call['name']} returned {type(result).__name__}")
        return result

    def generate_structured_response(self, state: Any, config: Any) -> Any:
        """Node ``generate_structured_response``: the conversation as the response type."""
        assert self.response_format is not None  # the node exists only with one
        structured = self.model.with_structured_output(self.response_format)
        return {"structured_response": structured.invoke(list(state["messages"]), config)}
