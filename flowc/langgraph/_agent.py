"""``create_react_agent``: LangGraph's prebuilt tool-calling agent, built and compiled by flowc.

The agent is an ordinary flowc graph, made with :class:`flowc.langgraph.StateGraph`
as LangGraph makes its own: a node ``agent`` that calls the model (after the
prompt) and a node ``tools`` (a :class:`~flowc.langgraph.prebuilt.ToolNode`)
that runs the tool calls of its reply, looping until the model answers without
one; optionally ``pre_model_hook`` before the model, ``post_model_hook`` after
it, and ``generate_structured_response`` at the end. Node names, state,
messages and stream chunks are LangGraph's, for ``version="v2"`` (a ``tools``
task per tool call, sent with ``Send``) and ``version="v1"`` (one ``tools`` task
for all the calls of a reply).

LangGraph's ``remaining_steps`` managed value is not a state field here: the
``agent`` node computes it (the run's recursion limit minus the step) and
shows it to the prompt as LangGraph does.

Needs ``langchain-core`` (extra ``langchain``).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import pydantic
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
    convert_to_messages,
)
from langchain_core.runnables import Runnable, RunnableBinding, RunnableConfig, RunnableLambda
from langchain_core.tools import BaseTool

from flowc.dsl.ends import END
from flowc.reducers import add_messages
from flowc.runtime.control import Send

from ._builder import _COMPILE_OPTIONS, StateGraph
from ._compiled import CompiledStateGraph
from ._errors import UnsupportedFeatureError
from ._tool_node import ToolNode

__all__ = ["AgentState", "AgentStateWithStructuredResponse", "create_react_agent"]

StructuredResponse: typing.TypeAlias = dict[str, Any] | pydantic.BaseModel


class AgentState(TypedDict):
    """The agent's state: the conversation, merged by message id.

    LangGraph annotates ``messages`` ``Sequence[BaseMessage]``; here it is
    ``MessagesState``'s ``list[AnyMessage]``, so that an agent runs as a
    subgraph of a ``MessagesState`` graph (flowc wants shared keys of one type).
    """

    messages: Annotated[list[AnyMessage], add_messages]


class AgentStateWithStructuredResponse(AgentState):
    """The agent's state with the structured response of ``response_format``."""

    structured_response: NotRequired[StructuredResponse]


def _as_messages(value: Any) -> Any:
    """Message dicts, tuples and strings as LangChain messages (a run's input may hold them)."""
    return convert_to_messages(value) if isinstance(value, list | tuple) else value


class AgentStatePydantic(pydantic.BaseModel):
    """The agent's state as a pydantic model.

    Its ``messages`` accept what ``add_messages`` accepts (``{"role": "user", ...}``...):
    flowc validates a pydantic state's input before merging it.
    """

    messages: Annotated[list[AnyMessage], pydantic.BeforeValidator(_as_messages), add_messages]


class AgentStateWithStructuredResponsePydantic(AgentStatePydantic):
    """The pydantic agent state with a structured response."""

    structured_response: StructuredResponse | None = None


_HISTORY_ERROR = (
    "Found AIMessages with tool_calls that do not have a corresponding ToolMessage. "
    "Here are the first few of those tool calls: {calls}.\n\n"
    "Every tool call (LLM requesting to call a tool) in the message history MUST have a "
    "corresponding ToolMessage (result of a tool invocation to return to the LLM) - this is "
    "required by most LLM providers.\n"
    "For troubleshooting, visit: "
    "https://docs.langchain.com/oss/python/langgraph/errors/INVALID_CHAT_HISTORY"
)
_MORE_STEPS = "Sorry, need more steps to process this request."


def _refuse(what: str, hint: str) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(
        f"create_react_agent({what}) is not supported by flowc yet; {hint}"
    )


def _get(state: Any, key: str, default: Any = None) -> Any:
    if isinstance(state, dict):
        return state.get(key, default)
    return getattr(state, key, default)


def _check_history(messages: Sequence[BaseMessage]) -> None:
    """Every tool call of the history has its ``ToolMessage`` (as LangGraph requires)."""
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    pending = [
        call
        for m in messages
        if isinstance(m, AIMessage)
        for call in m.tool_calls
        if call["id"] not in answered
    ]
    if pending:
        raise ValueError(_HISTORY_ERROR.format(calls=pending[:3]))


def _prompt_runnable(prompt: Any) -> Runnable[Any, Any]:
    """The prompt as the runnable LangGraph puts before the model (named ``Prompt``)."""
    if prompt is None:
        return RunnableLambda(lambda state: _get(state, "messages"), name="Prompt")
    if isinstance(prompt, str | SystemMessage):
        system = SystemMessage(content=prompt) if isinstance(prompt, str) else prompt
        return RunnableLambda(lambda state: [system, *_get(state, "messages")], name="Prompt")
    if isinstance(prompt, Runnable):
        return prompt
    if inspect.iscoroutinefunction(prompt):
        return RunnableLambda(_no_sync_prompt, afunc=prompt, name="Prompt")
    if callable(prompt):
        return RunnableLambda(prompt, name="Prompt")
    raise ValueError(f"Got unexpected type for `prompt`: {type(prompt)}")


def _no_sync_prompt(state: Any) -> Any:
    raise RuntimeError("an async prompt function needs the agent to run with astream or ainvoke")


def _bound_model(model: Any) -> BaseChatModel:
    """The chat model under a tools binding."""
    found = model.bound if isinstance(model, RunnableBinding) else model
    if not isinstance(found, BaseChatModel):
        raise TypeError(
            "Expected `model` to be a ChatModel or RunnableBinding (e.g. model.bind_tools(...)), "
            f"got {type(found)}"
        )
    return found


def _needs_binding(model: Any, tools: list[BaseTool], builtin: int) -> bool:
    """Whether ``model`` still needs ``bind_tools`` (it may have its tools bound already)."""
    if not isinstance(model, RunnableBinding) or "tools" not in model.kwargs:
        return True
    bound = model.kwargs["tools"]
    if len(tools) != len(bound) - builtin:
        raise ValueError(
            "Number of tools in the model.bind_tools() and tools passed to create_react_agent "
            f"must match Got {len(tools)} tools, expected {len(bound) - builtin}"
        )
    names = set()
    for spec in bound:
        if spec.get("type") == "function":
            names.add(spec["function"]["name"])
        elif spec.get("name"):
            names.add(spec["name"])
    missing = {t.name for t in tools} - names
    if missing:
        raise ValueError(f"Missing tools '{missing}' in the model.bind_tools()")
    return False


def _resolve(model: Any) -> Any:
    if isinstance(model, str):
        try:
            from langchain.chat_models import init_chat_model  # type: ignore[import-not-found]
        except ImportError:
            raise ImportError(
                "Please install langchain (`pip install langchain`) to use "
                "'<provider>:<model>' string syntax for `model` parameter."
            ) from None
        return init_chat_model(model)
    if not isinstance(model, Runnable):
        if callable(model):
            raise _refuse(
                "model=<function>",
                "a model chosen per call is given a LangGraph `Runtime`; pass the chat model",
            )
        raise TypeError(f"create_react_agent(model=...) needs a chat model, not {type(model)}")
    return model


Prompt: typing.TypeAlias = str | SystemMessage | Callable[[Any], Any] | Runnable[Any, Any]
"""A system prompt, or what turns the state into the model's input (LangGraph's ``Prompt``)."""

ResponseFormat: typing.TypeAlias = (
    type[pydantic.BaseModel]
    | dict[str, Any]
    | tuple[str, type[pydantic.BaseModel] | dict[str, Any]]
)
"""A structured response's schema, or ``(system prompt, schema)``."""

Hook: typing.TypeAlias = Callable[..., Any] | Runnable[Any, Any]
"""A node run before or after the model: a function of the state, or a runnable."""


def create_react_agent(
    model: str | Runnable[Any, Any],
    tools: Sequence[BaseTool | Callable[..., Any] | dict[str, Any]] | ToolNode,
    *,
    prompt: Prompt | None = None,
    response_format: ResponseFormat | None = None,
    pre_model_hook: Hook | None = None,
    post_model_hook: Hook | None = None,
    state_schema: type[Any] | None = None,
    context_schema: Any = None,
    checkpointer: Any = None,
    store: Any = None,
    interrupt_before: list[str] | None = None,
    interrupt_after: list[str] | None = None,
    debug: bool = False,
    version: Literal["v1", "v2"] = "v2",
    name: str | None = None,
) -> CompiledStateGraph:
    """A graph that calls ``model`` and runs the tools it asks for, until it answers.

    Args:
        model: a LangChain chat model (tools are bound with ``bind_tools``), or
            ``"provider:model"`` (LangChain's ``init_chat_model``, with the
            ``langchain`` package installed).
        tools: functions, LangChain tools, OpenAI-style tool dicts (given to the
            model only), or a :class:`ToolNode`.
        prompt: a system prompt (``str`` or ``SystemMessage``), a function of
            the state returning the model's input, or a runnable.
        response_format: a schema (pydantic class or JSON schema dict), or
            ``(system prompt, schema)``: after the last answer, the node
            ``generate_structured_response`` asks the model for it and writes
            ``structured_response``.
        pre_model_hook: a node run before every model call; its update may
            hold ``llm_input_messages``, which the model reads instead of
            ``messages``.
        post_model_hook: a node run after every model call; after it, each
            pending tool call is sent to ``tools`` as a task of its own.
        state_schema: the state; it must have ``messages`` (and
            ``structured_response`` with a ``response_format``).
        version: ``"v2"`` (the default), each tool call of a reply is a
            ``tools`` task of its own, sent with ``Send`` with the state it was
            made in; ``"v1"``, one ``tools`` task runs all the calls of a reply.
        checkpointer: a checkpoint saver: runs with a ``thread_id`` keep the
            conversation.
        store: a store (:mod:`flowc.stores`, or LangGraph's) for the tools'
            ``InjectedStore`` arguments and ``ToolRuntime.store``, and the
            hooks' ``store`` parameter.
        name: the graph's name, also set as the ``name`` of the model's replies.

    Raises:
        UnsupportedFeatureError: for what flowc does not support yet:
            ``context_schema``, a model function, and the compile
            options flowc's ``StateGraph.compile`` refuses (``interrupt_before``
            / ``interrupt_after`` until interrupts exist, ``debug``).
    """
    if version not in ("v1", "v2"):
        raise ValueError(f"Invalid version {version}. Supported versions are 'v1' and 'v2'.")
    if context_schema is not None:
        raise _refuse("context_schema=...", "pass run values in `config['configurable']`")
    # compile options the builder does not take yet are refused here, where the user
    # called (the builder would point at this module); the others pass through to it
    for option, given in (
        ("interrupt_before", interrupt_before),
        ("interrupt_after", interrupt_after),
        ("debug", debug),
    ):
        if given not in (None, False, []) and option in _COMPILE_OPTIONS:
            sentence, hint = _COMPILE_OPTIONS[option]
            raise UnsupportedFeatureError(f"create_react_agent({option}=...): {sentence}; {hint}")

    if state_schema is not None:
        required = {"messages"} | (
            {"structured_response"} if response_format is not None else set()
        )
        missing = required - set(typing.get_type_hints(state_schema))
        if missing:
            raise ValueError(f"Missing required key(s) {missing} in state_schema")
    else:
        state_schema = (
            AgentStateWithStructuredResponse if response_format is not None else AgentState
        )
    pydantic_state = isinstance(state_schema, type) and issubclass(state_schema, pydantic.BaseModel)

    builtin: list[dict[str, Any]] = []
    if isinstance(tools, ToolNode):
        tool_node = tools
    else:
        builtin = [t for t in tools if isinstance(t, dict)]
        tool_node = ToolNode([t for t in tools if not isinstance(t, dict)])
    tool_list = list(tool_node.tools_by_name.values())
    calls_tools = bool(tool_list)
    if post_model_hook is not None and calls_tools and version == "v1":
        # LangGraph's v1 agent routes a tool call to `tools`, which its hook's path map
        # lacks: its runs fail with a KeyError when the model first calls a tool
        raise ValueError(
            'create_react_agent(version="v1") cannot run tools after a post_model_hook: '
            'the v1 agent has no route from the hook to the tools; use version="v2"'
        )

    resolved = _resolve(model)
    if (tool_list or builtin) and _needs_binding(resolved, tool_list, len(builtin)):
        resolved = resolved.bind_tools([*tool_list, *builtin])
    chat_model = resolved
    call = _prompt_runnable(prompt) | resolved
    return_direct = {t.name for t in tool_list if t.return_direct}
    messages_key = "llm_input_messages" if pre_model_hook is not None else "messages"
    expected = (
        "'llm_input_messages' or 'messages' key" if pre_model_hook is not None else "'messages' key"
    )

    def more_steps_needed(state: Any, response: BaseMessage, config: RunnableConfig) -> bool:
        # LangGraph's managed `remaining_steps`: the recursion limit less the step
        remaining = _remaining_steps(config)
        calls = response.tool_calls if isinstance(response, AIMessage) else []
        # as in LangGraph, a reply without tool calls counts as all-return-direct
        all_direct = isinstance(response, AIMessage) and all(
            c["name"] in return_direct for c in calls
        )
        if remaining is None:
            return False
        return (remaining < 1 and all_direct) or (remaining < 2 and bool(calls))

    def model_input(state: Any, config: RunnableConfig) -> Any:
        messages = _get(state, messages_key) if messages_key != "messages" else None
        messages = messages or _get(state, "messages")
        if messages is None:
            raise ValueError(f"Expected input to call_model to have {expected}, but got {state}")
        _check_history(messages)
        remaining = _remaining_steps(config)
        if pydantic_state:
            state = state.model_copy()
            state.messages = messages
            return state
        given = dict(state)
        given["messages"] = messages
        if remaining is not None:
            given["remaining_steps"] = remaining
        return given

    def reply(state: Any, response: BaseMessage, config: RunnableConfig) -> dict[str, Any]:
        response.name = name
        if more_steps_needed(state, response, config):
            return {"messages": [AIMessage(id=response.id, content=_MORE_STEPS)]}
        return {"messages": [response]}

    def agent(state: Any, config: RunnableConfig) -> dict[str, Any]:
        response = call.invoke(model_input(state, config), config)
        return reply(state, response, config)

    async def aagent(state: Any, config: RunnableConfig) -> dict[str, Any]:
        response = await call.ainvoke(model_input(state, config), config)
        return reply(state, response, config)

    schema: type[pydantic.BaseModel] | dict[str, Any] | None
    system: str | None = None
    if isinstance(response_format, tuple):
        system, schema = response_format
    else:
        schema = response_format

    def structured_input(state: Any) -> list[Any]:
        messages = list(_get(state, "messages"))
        return [SystemMessage(content=system), *messages] if system is not None else messages

    def generate_structured_response(state: Any, config: RunnableConfig) -> dict[str, Any]:
        assert schema is not None  # the node exists only with a response_format
        structured = _bound_model(chat_model).with_structured_output(schema)
        return {"structured_response": structured.invoke(structured_input(state), config)}

    async def agenerate_structured_response(state: Any, config: RunnableConfig) -> dict[str, Any]:
        assert schema is not None
        structured = _bound_model(chat_model).with_structured_output(schema)
        return {"structured_response": await structured.ainvoke(structured_input(state), config)}

    asynchronous = inspect.iscoroutinefunction(prompt)
    graph_state = state_schema
    if pre_model_hook is not None:
        graph_state = _with_llm_input(state_schema, pydantic_state)
    structured_node = (
        agenerate_structured_response if asynchronous else generate_structured_response
    )
    compile_options: dict[str, Any] = {
        "checkpointer": checkpointer,
        "store": store,
        "interrupt_before": interrupt_before,
        "interrupt_after": interrupt_after,
        "debug": debug,
        "name": name,
    }
    # nodes in LangGraph's order: it is the order of get_graph()'s boxes
    workflow: StateGraph[Any] = StateGraph(graph_state)
    workflow.add_node("agent", aagent if asynchronous else agent)
    if calls_tools:
        workflow.add_node("tools", tool_node)
    if pre_model_hook is not None:
        workflow.add_node("pre_model_hook", typing.cast(Any, pre_model_hook))
        workflow.add_edge("pre_model_hook", "agent")
        entry = "pre_model_hook"
    else:
        entry = "agent"
    workflow.set_entry_point(entry)
    if not calls_tools:
        last = "agent"
        if post_model_hook is not None:
            workflow.add_node("post_model_hook", typing.cast(Any, post_model_hook))
            workflow.add_edge("agent", "post_model_hook")
            last = "post_model_hook"
        if response_format is not None:
            workflow.add_node("generate_structured_response", structured_node)
            workflow.add_edge(last, "generate_structured_response")
        return workflow.compile(**compile_options)

    final = "generate_structured_response" if response_format is not None else END
    agent_paths = ["post_model_hook"] if post_model_hook is not None else ["tools", final]
    if post_model_hook is not None:
        workflow.add_node("post_model_hook", typing.cast(Any, post_model_hook))
        workflow.add_edge("agent", "post_model_hook")
    if response_format is not None:
        workflow.add_node("generate_structured_response", structured_node)

    def send_calls(state: Any, calls: Sequence[ToolCall]) -> list[Send]:
        # v2: a task per call, given the state it was made in (LangGraph's ToolCallWithContext)
        return [
            Send("tools", {"__type": "tool_call_with_context", "tool_call": call, "state": state})
            for call in calls
        ]

    def should_continue(state: Any) -> str | list[Send]:
        last = _get(state, "messages")[-1]
        if not isinstance(last, AIMessage) or not last.tool_calls:
            return "post_model_hook" if post_model_hook is not None else final
        if version == "v1":
            return "tools"
        if post_model_hook is not None:
            return "post_model_hook"
        return send_calls(state, last.tool_calls)

    if post_model_hook is not None:

        def post_model_hook_router(state: Any) -> str | list[Send]:
            """The pending tool calls (a task each), else back to the model or the end."""
            messages = _get(state, "messages")
            answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
            last_ai = next(m for m in reversed(messages) if isinstance(m, AIMessage))
            pending = [c for c in last_ai.tool_calls if c["id"] not in answered]
            if pending:
                return send_calls(state, pending)
            if isinstance(messages[-1], ToolMessage):
                return entry
            return final

        workflow.add_conditional_edges(
            "post_model_hook", post_model_hook_router, [entry, "tools", final]
        )
    workflow.add_conditional_edges("agent", should_continue, agent_paths)
    if return_direct:

        def route_tool_responses(state: Any) -> str:
            message: Any = None
            for message in reversed(_get(state, "messages")):
                if not isinstance(message, ToolMessage):
                    break
                if message.name in return_direct:
                    return END
            # with v2, a return-direct tool may have run in another task of the superstep
            if isinstance(message, AIMessage) and any(
                c["name"] in return_direct for c in message.tool_calls
            ):
                return END
            return entry

        workflow.add_conditional_edges("tools", route_tool_responses, [entry, END])
    else:
        workflow.add_edge("tools", entry)
    return workflow.compile(**compile_options)


def _remaining_steps(config: RunnableConfig) -> int | None:
    limit = config.get("recursion_limit")
    step = (config.get("metadata") or {}).get("langgraph_step")
    if isinstance(limit, int) and isinstance(step, int):
        return limit - step
    return None


def _with_llm_input(state_schema: Any, pydantic_state: bool) -> Any:
    """The state with ``llm_input_messages``, which a pre-model hook may write for the model."""
    if pydantic_state:
        return pydantic.create_model(
            f"{state_schema.__name__}WithLlmInput",
            llm_input_messages=(list[AnyMessage] | None, None),
            __base__=state_schema,
        )
    hints = typing.get_type_hints(state_schema, include_extras=True)
    fields = {**hints, "llm_input_messages": NotRequired[list[AnyMessage]]}
    return TypedDict(f"{state_schema.__name__}WithLlmInput", fields)  # type: ignore[operator]
