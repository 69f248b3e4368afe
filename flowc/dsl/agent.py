"""The check of a prebuilt agent spec (``[agent]``): it takes a spec and gives its graph.

An agent spec names a chat model, its tools and a response type by import
path, and a prompt. The graph is LangGraph's prebuilt agent: a node
``agent`` (the model), a node ``tools`` (the tool calls of its reply) and,
with a response type, ``generate_structured_response``; the state has
``messages`` and ``structured_response``. This pass resolves what the spec
names, checks it (the model is a chat model, every tool's arguments have a
JSON schema, the response type is a model), and makes the
:class:`~flowc.dsl.graph.CheckedGraph`, whose :class:`~flowc.dsl.graph.AgentInfo`
code generation turns into the runner's agent. Diagnostics are reported
through the checker, at the spec's lines.
"""

from __future__ import annotations

import inspect
import typing
from typing import TYPE_CHECKING, Any

import typing_extensions
from pydantic import BaseModel, TypeAdapter

from .graph import AgentInfo, BranchInfo, CheckedGraph, NodeInfo, Ref, StateInfo, ToolInfo
from .names import identifier
from .spec import END, START, UNNAMED, AgentSpec, EdgeSpec, FieldSpec
from .types import RefError, TypeRef, parse_ref, resolve_ref, resolve_type

if TYPE_CHECKING:
    from .passes.state import StatePass

__all__ = ["AGENT_METHODS", "check_agent"]

AGENT_METHODS: dict[str, str] = {
    "agent": "call_model",
    "tools": "run_tools",
    "generate_structured_response": "generate_structured_response",
}
"""Each node of an agent graph, and the method of ``flowc.integrations.agent.ReactAgent``
that is it."""

_MESSAGES = FieldSpec(
    name="messages", type="list[langchain_core.messages.AnyMessage]", reducer="add_messages"
)
_SKIPPED_PARAMS = frozenset({"config", "callbacks", "run_manager"})
"""Tool parameters LangChain fills itself (the model is not told about them)."""


def check_agent(checker: StatePass, origin: str, agent: AgentSpec) -> CheckedGraph | None:
    """The graph of the agent ``agent`` of ``checker.spec``, or ``None`` after reporting why.

    ``checker`` is the state pass, whose fields checks and diagnostics the agent's use.
    """
    spec = checker.spec
    # each at its first line: a table of its own, or its first entry
    declared: list[tuple[str, tuple[Any, ...]]] = []
    if spec.state.fields:
        declared.append(("state", ("state", "fields")))
    elif spec.state.class_ref:
        declared.append(("state", ("state", "class")))
    if spec.nodes:
        declared.append(("nodes", ("nodes", spec.nodes[0].name)))
    if spec.edges:
        declared.append(("edges", ("edges", 0)))
    if spec.branches:
        declared.append(("branches", ("branches", 0)))
    for key, loc in declared:
        checker.error(
            "E704",
            f"an agent spec cannot declare `{key}`: the agent's graph is made by flowc",
            loc,
            "remove it; the agent has the nodes `agent` and `tools` and the state `messages`",
        )
    model = _model(checker, agent)
    tools = [_tool(checker, ref, i) for i, ref in enumerate(agent.tools)]
    names = [t.name for t in tools if t is not None]
    for i, tool in enumerate(tools):
        if tool is not None and names.count(tool.name) > 1:
            checker.error("E702", f"two tools are called `{tool.name}`", ("agent", "tools", i))
    response = _response(checker, agent)
    fields = [checker.check_field(_MESSAGES)]
    if response is not None and agent.response_format is not None:
        fields.append(
            checker.check_field(FieldSpec(name="structured_response", type=agent.response_format))
        )
    name = identifier(spec.name)
    if (
        checker.has_errors()
        or model is None
        or None in tools
        or None in fields
        or name is None
        or (agent.response_format is not None and response is None)
    ):
        return None
    state = StateInfo(kind="typeddict", cls=None, fields=tuple(f for f in fields if f))
    info = AgentInfo(
        model=model,
        tools=tuple(t for t in tools if t is not None),
        prompt=agent.prompt,
        response_format=response,
    )
    return CheckedGraph(
        name=name,
        description=spec.description,
        origin=origin,
        digest=spec.digest(),
        recursion_limit=spec.recursion_limit,
        state=state,
        nodes=_nodes(info),
        entry=("agent",),
        start_branches=(),
        joins=(),
        custom_type=checker.resolve_type_expr(spec.custom_type, ("graph", "custom_type")),
        # the agent's plain edges, for what reads them from the spec (drawings)
        spec=spec.model_copy(update={"edges": _edges(info)}),
        agent=info,
    )


def _edges(info: AgentInfo) -> tuple[EdgeSpec, ...]:
    edges = [EdgeSpec(sources=(START,), targets=("agent",))]
    if info.tools:
        edges.append(EdgeSpec(sources=("tools",), targets=("agent",)))
    return tuple(edges)


def _method(node: str) -> Ref:
    ref = f"flowc.integrations.agent:ReactAgent.{AGENT_METHODS.get(node, node)}"
    module, attr = parse_ref(ref)
    # imported by name (the integrations are a layer above): what code generation inspects
    return Ref(module, attr, resolve_ref(ref))


def _nodes(info: AgentInfo) -> tuple[NodeInfo, ...]:
    final = "generate_structured_response" if info.response_format is not None else END

    def node(
        name: str,
        writes: str,
        successors: tuple[str, ...] = (),
        branches: tuple[BranchInfo, ...] = (),
    ) -> NodeInfo:
        """The node ``name``: the agent's method of that name, run when a branch leads to it."""
        return NodeInfo(
            name=identifier(name),  # type: ignore[arg-type]
            call=_method(name),
            writes=(writes,),
            triggers=(f"branch:to:{name}",),
            successors=successors,
            branches=branches,
            subgraph=None,
            is_async=False,
            writer_arg=None,
            config_arg="config",
            input_keys=None,
            update_type=None,
            custom_type=None,
            tags=(),
            metadata=(),
            description=None,
            joins=(),
        )

    route = BranchInfo(
        source="agent",
        router=_method("should_continue"),
        is_async=False,
        targets=("tools", final) if info.tools else (final,),
        path_map=None,
    )
    nodes = [node("agent", "messages", branches=(route,))]
    if info.tools:
        nodes.append(node("tools", "messages", successors=("agent",)))
    if info.response_format is not None:
        nodes.append(node("generate_structured_response", "structured_response"))
    return tuple(nodes)


def _resolved(checker: StatePass, ref: str, loc: tuple[Any, ...], what: str) -> Ref | None:
    if ref == UNNAMED:  # reported by the front end
        return None
    try:
        obj = resolve_ref(ref)
        module, attr = parse_ref(ref)
    except RefError as exc:
        checker.error("E301", f"{what}: {exc}", loc, exc.hint)
        return None
    return Ref(module, attr, obj)


def _model(checker: StatePass, agent: AgentSpec) -> Ref | None:
    ref = _resolved(checker, agent.model, ("agent", "model"), "the agent's model")
    if ref is None:
        return None
    try:
        from langchain_core.language_models import BaseChatModel
    except ImportError:
        checker.error(
            "E701",
            "an agent needs LangChain's chat models, and `langchain-core` is not installed",
            ("agent", "model"),
            "pip install 'flowc[langchain]'",
        )
        return None
    if not isinstance(ref.obj, BaseChatModel):
        hint = "call it in the module and name the result" if callable(ref.obj) else None
        checker.error(
            "E701",
            f"the agent's model `{agent.model}` is {_kind(ref.obj)}, not a LangChain chat model",
            ("agent", "model"),
            hint,
        )
        return None
    return ref


def _tool(checker: StatePass, given: str, i: int) -> ToolInfo | None:
    loc = ("agent", "tools", i)
    ref = _resolved(checker, given, loc, f"tool `{given}`")
    if ref is None:
        return None
    try:
        from langchain_core.tools import BaseTool
    except ImportError:  # reported for the model
        return None
    obj = ref.obj
    if isinstance(obj, BaseTool):
        return ToolInfo(ref, obj.name, ())
    if not inspect.isfunction(obj):
        checker.error(
            "E702",
            f"tool `{given}` is {_kind(obj)}, not a function or LangChain tool",
            loc,
        )
        return None
    try:
        hints = typing.get_type_hints(obj, include_extras=True)
    except Exception as exc:
        checker.error("E702", f"tool `{given}`: its annotations do not resolve: {exc}", loc)
        return None
    args: list[tuple[str, TypeRef]] = []
    ok = True
    for param in inspect.signature(obj).parameters.values():
        if param.name in _SKIPPED_PARAMS or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        hint = hints.get(param.name)
        if hint is None:
            checker.error(
                "E702",
                f"tool `{given}`: parameter `{param.name}` has no type, so the model is not "
                "told what to pass",
                loc,
                f"annotate it: `{param.name}: str`",
            )
            ok = False
            continue
        try:
            TypeAdapter(hint).json_schema()
        except Exception as exc:
            why = str(exc).split("\n", 1)[0].split(". ", 1)[0].rstrip(".")
            checker.error(
                "E702",
                f"tool `{given}`: parameter `{param.name}` has no JSON schema for the model: {why}",
                loc,
                "use JSON-like types: str, int, float, bool, lists, dicts, TypedDicts, pydantic models",
            )
            ok = False
            continue
        code = _type_code(hint)
        if code is not None:
            args.append((param.name, code))
    return ToolInfo(ref, obj.__name__, tuple(args)) if ok else None


def _type_code(hint: Any) -> TypeRef | None:
    """``hint`` as code, when a type expression says it (the tool's argument types)."""
    from .checker import type_code

    try:
        return type_code(hint)
    except Exception:
        return None


def _response(checker: StatePass, agent: AgentSpec) -> TypeRef | None:
    if agent.response_format is None:
        return None
    loc = ("agent", "response_format")
    try:
        tref = resolve_type(agent.response_format)
    except Exception as exc:
        checker.error("E302", f"type `{agent.response_format}` does not resolve: {exc}", loc)
        return None
    obj = tref.obj
    is_model = isinstance(obj, type) and issubclass(obj, BaseModel)
    if not is_model and not typing_extensions.is_typeddict(obj):
        checker.error(
            "E703",
            f"the response type `{agent.response_format}` is {_kind(obj)}, not a pydantic model "
            "or TypedDict",
            loc,
        )
        return None
    return tref


def _kind(obj: Any) -> str:
    if isinstance(obj, type):
        return f"the class `{obj.__name__}`"
    if inspect.isfunction(obj):
        return f"the function `{obj.__name__}`"
    return f"a value of type `{type(obj).__name__}`"
