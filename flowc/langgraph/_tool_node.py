"""``ToolNode`` and ``tools_condition``: LangGraph's prebuilt tool node and router, on flowc.

A :class:`ToolNode` is a node of a flowc graph like any function: called with
the state and its ``config``, it runs the tool calls of the last AI message,
in parallel (on LangChain's executor, which copies the context, so a tool that
calls ``flowc.langgraph.get_stream_writer()`` writes to the run), and returns
their ``ToolMessage``s as the update, in the order of the calls. Its error
handling follows LangGraph's ``handle_tool_errors``: by default only invalid
arguments become an error ``ToolMessage`` for the model to read; any other
failure fails the run. Sent one call with the state it was made in (what a
``version="v2"`` agent sends), it runs that call. Tool arguments marked
:class:`InjectedState` are filled from the state, :class:`InjectedStore` with
the graph's store, and a ``runtime`` argument (or one annotated
:class:`ToolRuntime`) with the call's :class:`ToolRuntime`, all hidden from the model.

Needs ``langchain-core`` (extra ``langchain``).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeAlias, TypeVar, Union, cast

from langchain_core.messages import AIMessage, AnyMessage, ToolCall, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import get_config_list, get_executor_for_config
from langchain_core.tools import BaseTool, InjectedToolArg, ToolException
from langchain_core.tools import tool as as_tool
from langchain_core.tools.base import _DirectlyInjectedToolArg, get_all_basemodel_annotations
from pydantic import ValidationError

from flowc.runtime import StreamWriter, current_task

from .runtime import ExecutionInfo, Runtime, get_runtime

__all__ = [
    "InjectedState",
    "InjectedStore",
    "ToolInvocationError",
    "ToolNode",
    "ToolRuntime",
    "tools_condition",
]

ContextT = TypeVar("ContextT")
StateT = TypeVar("StateT")

ErrorHandling: TypeAlias = (
    bool | str | Callable[..., str] | type[Exception] | tuple[type[Exception], ...]
)
"""What ``handle_tool_errors`` may be (LangGraph's options)."""

_UNKNOWN_TOOL = "Error: {requested_tool} is not a valid tool, try one of [{available_tools}]."
_CAUGHT = "Error: {error}\n Please fix your mistakes."
_BAD_ARGUMENTS = (
    "Error invoking tool '{tool_name}' with kwargs {tool_kwargs} with error:\n"
    " {error}\n"
    " Please fix the error and try again."
)
_CONTENT_BLOCKS = frozenset(("text", "image_url", "image", "json", "search_result", "custom"))
_NO_STORE = (
    "Cannot inject store into tools with InjectedStore annotations - "
    "please compile your graph with a store."
)
_WITH_CONTEXT = "tool_call_with_context"
"""The ``__type`` of what ``create_react_agent(version="v2")`` sends the tool node: one
tool call and the state it was made in (LangGraph's ``ToolCallWithContext``)."""


class InjectedState(InjectedToolArg):
    """Marks a tool argument the tool node fills from the graph's state, hidden from the model.

    ``Annotated[dict, InjectedState]`` receives the whole state,
    ``Annotated[list, InjectedState("messages")]`` one of its fields.
    """

    def __init__(self, field: str | None = None) -> None:
        self.field = field


class InjectedStore(InjectedToolArg):
    """Marks a tool argument the tool node fills with the graph's store (``compile(store=...)``),
    hidden from the model; without a store the call fails with LangGraph's message."""


@dataclass
class ToolRuntime(_DirectlyInjectedToolArg, Generic[ContextT, StateT]):
    """What a tool learns of its run: LangGraph's ``ToolRuntime``, given to a tool argument
    named ``runtime`` or annotated ``ToolRuntime`` (hidden from the model).

    Attributes:
        state: the state the tool node was given.
        context: the run's ``context=``.
        config: the tool call's config.
        stream_writer: the task's stream writer (``custom`` events).
        tool_call_id: the id of the tool call.
        store: the graph's store (``None`` if it has none).
        tools: the tool node's tools.
        execution_info: the task the tool node runs in.
        server_info: always ``None`` (LangGraph Platform's).
    """

    state: StateT
    context: ContextT
    config: RunnableConfig
    stream_writer: StreamWriter[Any]
    tool_call_id: str | None
    store: Any
    tools: list[BaseTool] = dataclasses.field(default_factory=list)
    execution_info: ExecutionInfo | None = None
    server_info: Any = None


def _marker(hint: Any, name: str) -> Any:
    """The ``InjectedState``/``InjectedStore`` (flowc's or LangGraph's) ``hint`` carries, if any.

    Returns the marker instance, ``True`` for the bare class, or ``None``.
    """

    def named(value: Any) -> bool:
        cls = value if isinstance(value, type) else type(value)
        # LangGraph's ToolRuntime is injected without being an InjectedToolArg
        return any(
            base.__name__ == name and (name == "ToolRuntime" or issubclass(base, InjectedToolArg))
            for base in cls.__mro__
        )

    if named(hint):
        return hint if not isinstance(hint, type) else True
    origin = typing.get_origin(hint)
    if isinstance(origin, type) and named(origin):
        return True
    if origin in (typing.Annotated, Union, types.UnionType):
        for inner in typing.get_args(hint):
            found = _marker(inner, name)
            if found is not None:
                return found
    return None


def _runtime_class(hint: Any) -> type[Any]:
    """The ``ToolRuntime`` class ``hint`` names: LangGraph's, for code that still imports it
    (the tool's schema checks the argument is one), else flowc's."""
    for candidate in (hint, typing.get_origin(hint), *typing.get_args(hint)):
        if (
            isinstance(candidate, type)
            and candidate.__name__ == "ToolRuntime"
            and dataclasses.is_dataclass(candidate)
        ):
            return candidate
    return ToolRuntime


def _as_runtime_of(cls: type[Any], runtime: ToolRuntime[Any, Any]) -> Any:
    """``runtime`` as an instance of ``cls`` (the same fields; those flowc lacks are ``None``)."""
    if cls is ToolRuntime:
        return runtime
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{name: getattr(runtime, name, None) for name in names})


class _Injected:
    """What a tool's hidden arguments take from the run: state fields and the store."""

    __slots__ = ("hidden", "optional", "runtime", "runtime_class", "state", "store")

    def __init__(self, tool: BaseTool) -> None:
        schema = tool.get_input_schema()
        func = getattr(tool, "func", None) or getattr(tool, "coroutine", None)
        hints = typing.get_type_hints(func, include_extras=True) if func is not None else {}
        hints.update(get_all_basemodel_annotations(schema))
        self.state: dict[str, str | None] = {}
        self.store: str | None = None
        self.runtime: str | None = None
        self.runtime_class: type[Any] = ToolRuntime
        self.hidden: set[str] = set()
        self.optional: set[str] = set()
        fields = getattr(schema, "model_fields", {})
        for arg, hint in hints.items():
            # as in LangGraph, an argument named `runtime` is the tool runtime, whatever its type
            if arg == "runtime" or _marker(hint, "ToolRuntime") is not None:
                self.runtime = arg
                self.runtime_class = _runtime_class(hint)
                self.hidden.add(arg)
            if _marker(hint, "InjectedToolArg") is not None:
                self.hidden.add(arg)
            state = _marker(hint, "InjectedState")
            if state is not None:
                self.state[arg] = getattr(state, "field", None) or None
                if arg in fields and not fields[arg].is_required() and self.state[arg]:
                    self.optional.add(arg)
            if _marker(hint, "InjectedStore") is not None:
                self.store = arg

    def __bool__(self) -> bool:
        return bool(self.state or self.store or self.runtime)

    def call(
        self, call: ToolCall, state: Any, messages_key: str, runtime: ToolRuntime[Any, Any]
    ) -> ToolCall:
        """``call`` with its hidden arguments filled in (any the model sent are dropped)."""
        given: dict[str, Any] = {}
        if self.store is not None:
            if runtime.store is None:
                raise ValueError(_NO_STORE)
            given[self.store] = runtime.store
        if self.runtime is not None:
            given[self.runtime] = _as_runtime_of(self.runtime_class, runtime)
        if isinstance(state, list):
            wanted = list(self.state.values())
            if (len(wanted) == 1 and wanted[0] == messages_key) or wanted[0] is None:
                state = {messages_key: state}
            else:
                message = (
                    f"Invalid input to ToolNode. Tool {call['name']} requires graph state "
                    "dict as input."
                )
                if any(wanted):
                    message += f" State should contain fields {', '.join(f for f in wanted if f)}."
                raise ValueError(message)
        for arg, field in self.state.items():
            if field is None:
                given[arg] = state
            elif isinstance(state, Mapping):
                if field in state:
                    given[arg] = state[field]
                elif arg not in self.optional:
                    raise KeyError(field)
            elif hasattr(state, field):
                given[arg] = getattr(state, field)
            elif arg not in self.optional:
                raise AttributeError(field)
        kept = {k: v for k, v in call["args"].items() if k not in self.hidden}
        return {**call, "args": {**kept, **given}}

    def errors(self, source: ValidationError) -> list[Any]:
        """The validation errors about the model's own arguments (not the injected ones)."""
        injected = set(self.state) | {arg for arg in (self.store, self.runtime) if arg}
        kept = []
        for error in source.errors():
            if error["loc"] and error["loc"][0] not in injected:
                error = {**error}
                if isinstance(error.get("input"), dict):
                    error["input"] = {k: v for k, v in error["input"].items() if k not in injected}
                kept.append(error)
        return kept


class ToolInvocationError(ToolException):
    """The model called a tool with arguments its schema rejects."""

    def __init__(
        self,
        tool_name: str,
        source: ValidationError,
        tool_kwargs: dict[str, Any],
        filtered_errors: list[Any] | None = None,
    ) -> None:
        details = "\n".join(
            f"{'.'.join(str(part) for part in error.get('loc', ()))}: "
            f"{error.get('msg', 'Unknown error')}"
            for error in (source.errors() if filtered_errors is None else filtered_errors)
            if error["loc"]
        )
        self.message = _BAD_ARGUMENTS.format(
            tool_name=tool_name, tool_kwargs=tool_kwargs, error=details
        )
        self.tool_name = tool_name
        self.tool_kwargs = tool_kwargs
        self.source = source
        super().__init__(self.message)


def _default_handler(error: Exception) -> str:
    """LangGraph's default: tell the model about bad arguments, fail on anything else."""
    if isinstance(error, ToolInvocationError):
        return error.message
    raise error


def _handled_types(handler: Callable[..., str]) -> tuple[type[Exception], ...]:
    """The exception types a handler's annotation names (all of them if it names none)."""
    params = list(inspect.signature(handler).parameters.values())
    if not params:
        return (Exception,)
    first = params[1] if params[0].name in ("self", "cls") and len(params) == 2 else params[0]
    hints = typing.get_type_hints(handler)
    if first.name not in hints:
        return (Exception,)
    hint = hints[first.name]
    options = (
        typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else (hint,)
    )
    if all(isinstance(o, type) and issubclass(o, Exception) for o in options):
        return tuple(options)
    raise ValueError(
        "the error handler's first parameter must be annotated with an Exception type or a "
        f"union of them (`def handler(e: ValueError) -> str`), not {hint!r}"
    )


def _content(output: Any) -> Any:
    """A tool's output as ``ToolMessage`` content: text, content blocks, else JSON."""
    if isinstance(output, str) or (
        isinstance(output, list)
        and all(isinstance(x, dict) and x.get("type") in _CONTENT_BLOCKS for x in output)
    ):
        return output
    try:
        return json.dumps(output, ensure_ascii=False)
    except Exception:
        return str(output)


def _messages_of(state: Any, key: str) -> list[Any]:
    if isinstance(state, list):
        return state
    found = state.get(key) if isinstance(state, Mapping) else getattr(state, key, None)
    return list(found or ())


class ToolNode:
    """Runs the tool calls of the last AI message; its update is their ``ToolMessage``s.

    Args:
        tools: functions (made into LangChain tools) or LangChain tools.
        name: the node's name when added with ``add_node(tool_node)``.
        tags: kept for LangGraph's signature.
        handle_tool_errors: ``True`` (every failure becomes an error
            ``ToolMessage``), ``False`` (every failure fails the run), a
            message, an exception type or tuple of them (those are caught),
            or a function from the exception to the message (the exception
            types its first parameter names are caught). The default catches
            only invalid arguments.
        messages_key: the state key that holds the messages.
    """

    LANGCHAIN_ID: ClassVar[tuple[str, ...]] = ("langgraph", "prebuilt", "tool_node", "ToolNode")
    """What LangGraph's ``get_graph().to_json()`` names a tool node's runnable."""

    def __init__(
        self,
        tools: Sequence[BaseTool | Callable[..., Any]],
        *,
        name: str = "tools",
        tags: list[str] | None = None,
        handle_tool_errors: ErrorHandling = _default_handler,
        messages_key: str = "messages",
        **options: Any,
    ) -> None:
        for option in ("wrap_tool_call", "awrap_tool_call"):
            if options.pop(option, None) is not None:
                raise NotImplementedError(
                    f"ToolNode({option}=...) (tool-call interceptors) is not supported by "
                    "flowc yet; wrap the tool function itself"
                )
        if options:
            raise TypeError(
                f"ToolNode() got an unexpected keyword argument {next(iter(options))!r}"
            )
        self.name = name
        self.tags = list(tags or ())
        self._handle_tool_errors = handle_tool_errors
        self._messages_key = messages_key
        self._tools_by_name: dict[str, BaseTool] = {}
        self._injected: dict[str, _Injected] = {}
        for tool in tools:
            made = tool if isinstance(tool, BaseTool) else as_tool(tool)
            self._tools_by_name[made.name] = made
            self._injected[made.name] = _Injected(made)

    @property
    def tools_by_name(self) -> dict[str, BaseTool]:
        """The tools, by name."""
        return self._tools_by_name

    @property
    def needs_async(self) -> bool:
        """Whether a tool can only run asynchronously (then the node is :meth:`ainvoke`)."""
        return any(
            getattr(t, "coroutine", None) is not None and getattr(t, "func", None) is None
            for t in self._tools_by_name.values()
        )

    def warm_parts(self) -> tuple[Any, ...]:
        """What lowering this node reads of its tools (their names, whether each runs
        synchronously, their functions): part of a builder's key in the drop-in's cache."""
        return tuple(
            (name, getattr(tool, "func", None), getattr(tool, "coroutine", None))
            for name, tool in self._tools_by_name.items()
        )

    def __repr__(self) -> str:
        return f"ToolNode(tools=[{', '.join(self._tools_by_name)}])"

    def __call__(self, state: Any, config: RunnableConfig) -> Any:
        """Run the tool calls of the last AI message in ``state``, in parallel."""
        calls, as_list, context = self._tool_calls(state)
        configs = get_config_list(config, len(calls))
        runtimes = self._runtimes(calls, configs, context)
        with get_executor_for_config(config) as executor:
            outputs = list(executor.map(self._run_one, calls, runtimes))
        return outputs if as_list else {self._messages_key: outputs}

    async def ainvoke(self, state: Any, config: RunnableConfig) -> Any:
        """Async twin of calling the node (tools run with their ``ainvoke``)."""
        import asyncio

        calls, as_list, context = self._tool_calls(state)
        configs = get_config_list(config, len(calls))
        runtimes = self._runtimes(calls, configs, context)
        outputs = await asyncio.gather(
            *(self._arun_one(call, rt) for call, rt in zip(calls, runtimes, strict=True))
        )
        return list(outputs) if as_list else {self._messages_key: list(outputs)}

    def _runtimes(
        self, calls: list[ToolCall], configs: list[RunnableConfig], state: Any
    ) -> list[ToolRuntime[Any, Any]]:
        """Each call's :class:`ToolRuntime`, made in the node's task (tools may run elsewhere)."""
        run: Runtime[Any] = get_runtime() if current_task() is not None else Runtime()
        tools = list(self._tools_by_name.values())
        return [
            ToolRuntime(
                state=state,
                context=run.context,
                config=cfg,
                stream_writer=run.stream_writer,
                tool_call_id=call.get("id"),
                store=run.store,
                tools=tools,
                execution_info=run.execution_info,
            )
            for call, cfg in zip(calls, configs, strict=True)
        ]

    def invoke(self, state: Any, config: RunnableConfig | None = None) -> Any:
        """Run the node outside a graph (as LangGraph's runnable ``invoke``)."""
        return self(state, config or {})

    # -- one call -------------------------------------------------------------------------

    def _tool_calls(self, state: Any) -> tuple[list[ToolCall], bool, Any]:
        """The calls to run, whether the update is a bare list, and the state tools may read."""
        if (
            isinstance(state, list)
            and state
            and isinstance(state[-1], dict)
            and state[-1].get("type") == "tool_call"
        ):
            # a list of calls gives its tools no state (LangGraph reads the run's; flowc
            # does not look the state up from inside a node)
            return cast("list[ToolCall]", state), True, {}
        if isinstance(state, dict) and state.get("__type") == _WITH_CONTEXT:
            return [state["tool_call"]], False, state["state"]
        messages = _messages_of(state, self._messages_key)
        if not messages:
            raise ValueError("No message found in input")
        last = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
        if last is None:
            raise ValueError("No AIMessage found in input")
        return list(last.tool_calls), isinstance(state, list), state

    def _prepared(
        self, call: ToolCall, runtime: ToolRuntime[Any, Any]
    ) -> tuple[BaseTool | None, dict[str, Any]]:
        tool = self._tools_by_name.get(call["name"])
        if tool is None:
            return None, {}
        injected = self._injected[call["name"]]
        if injected:
            call = injected.call(call, runtime.state, self._messages_key, runtime)
        return tool, {**call, "type": "tool_call"}

    def _invalid(self, call: ToolCall, exc: ValidationError) -> ToolInvocationError:
        errors = self._injected[call["name"]].errors(exc)
        return ToolInvocationError(call["name"], exc, call["args"], errors)

    def _unknown(self, call: ToolCall) -> ToolMessage:
        return ToolMessage(
            _UNKNOWN_TOOL.format(
                requested_tool=call["name"], available_tools=", ".join(self._tools_by_name)
            ),
            name=call["name"],
            tool_call_id=call["id"],
            status="error",
        )

    def _run_one(self, call: ToolCall, runtime: ToolRuntime[Any, Any]) -> ToolMessage:
        tool, given = self._prepared(call, runtime)
        if tool is None:
            return self._unknown(call)
        try:
            try:
                response = tool.invoke(given, runtime.config)
            except ValidationError as exc:
                raise self._invalid(call, exc) from exc
            return self._tool_message(response, call)
        except Exception as exc:
            return self._failed(exc, call)

    async def _arun_one(self, call: ToolCall, runtime: ToolRuntime[Any, Any]) -> ToolMessage:
        tool, given = self._prepared(call, runtime)
        if tool is None:
            return self._unknown(call)
        try:
            try:
                response = await tool.ainvoke(given, runtime.config)
            except ValidationError as exc:
                raise self._invalid(call, exc) from exc
            return self._tool_message(response, call)
        except Exception as exc:
            return self._failed(exc, call)

    def _tool_message(self, response: Any, call: ToolCall) -> ToolMessage:
        if isinstance(response, ToolMessage):
            response.content = _content(response.content)
            return response
        type_name = type(response).__module__ + "." + type(response).__qualname__
        if type_name == "langgraph.types.Command" or (isinstance(response, list) and response):
            raise NotImplementedError(
                f"tool {call['name']} returned {type(response).__name__}: tools that return "
                "`Command` are not supported by flowc yet; return the tool's result"
            )
        raise TypeError(f"Tool {call['name']} returned unexpected type: {type(response)}")

    def _failed(self, error: Exception, call: ToolCall) -> ToolMessage:
        """The error ``ToolMessage`` for a failed call, or ``error`` raised if not handled."""
        flag = self._handle_tool_errors
        if isinstance(flag, type) and issubclass(flag, Exception):
            handled: tuple[type[Exception], ...] = (flag,)
        elif isinstance(flag, tuple):
            handled = flag
        elif callable(flag) and not isinstance(flag, type):
            handled = _handled_types(flag)
        else:
            handled = (Exception,)
        if not flag or not isinstance(error, handled):
            raise error
        if isinstance(flag, str):
            content = flag
        elif callable(flag) and not isinstance(flag, type):
            content = flag(error)
        else:
            content = _CAUGHT.format(error=repr(error))
        return ToolMessage(
            content=content, name=call["name"], tool_call_id=call["id"], status="error"
        )


def tools_condition(
    state: list[AnyMessage] | dict[str, Any] | Any, messages_key: str = "messages"
) -> Literal["tools", "__end__"]:
    """``"tools"`` if the last message has tool calls, else ``"__end__"`` (END)."""
    if isinstance(state, list):
        last = state[-1] if state else None
    else:
        messages = _messages_of(state, messages_key)
        last = messages[-1] if messages else None
    if last is None:
        raise ValueError(f"No messages found in input state to tool_edge: {state}")
    if getattr(last, "tool_calls", None):
        return "tools"
    return "__end__"
