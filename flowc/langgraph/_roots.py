"""The root state of a graph whose nodes take other schemas: channels, stand-ins and narrowed calls.

A builder whose nodes read an ``input_schema``, private channels or a schema of
their own is lowered over one combined state class (:data:`ROOT`); the
functions here make that class and wrap each node and router so that it is
called with just the keys it declares.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any

from flowc.dsl.ends import END
from flowc.dsl.usercode import is_async
from flowc.runtime.control import Command, Send, as_command, as_send

from . import _objects
from ._adapt import _annotations, _hints, _lock, is_compiled_graph, is_typeddict
from ._blueprint import Blueprint, NodeRecord

ROOT = "root"
"""The one key of the state a root-state graph is lowered to."""


def is_root_state(schema: Any) -> bool:
    """LangGraph's rule: a state schema without annotations (``dict``, ``list[str]``,
    ``Annotated[list, operator.add]``), or whose one annotated key is ``__root__``, is one
    value, its ``__root__`` channel."""
    annotations = getattr(schema, "__annotations__", None)
    return annotations is None or (isinstance(schema, type) and list(annotations) == ["__root__"])


def root_type(schema: Any) -> Any:
    """The type of a root state's value (:func:`is_root_state`): the schema itself, or the
    annotation of its ``__root__`` key, reducer and all."""
    if not hasattr(schema, "__annotations__"):
        return schema
    return typing.get_type_hints(schema, include_extras=True)["__root__"]


_roots: dict[int, tuple[Any, type]] = {}
"""The state classes made for root states so far, so that compiling again reuses a runner."""


def _root_class(schema: Any) -> type:
    """A TypedDict of the one key :data:`ROOT`, typed (and reduced) as the root state."""
    with _lock:
        known = _roots.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    import typing_extensions

    make: Any = typing_extensions.TypedDict
    root: type = make("Root", {ROOT: schema})
    root.__module__ = _objects.MODULE
    with _lock:
        _roots[id(schema)] = (schema, root)
    return root


def _rooted(value: Any) -> Any:
    """A Send's argument, a Command's update and Sends, as the root state's key."""
    send = as_send(value)
    if send is not None:
        return Send(send.node, {ROOT: send.arg})
    command = as_command(value)
    if command is not None:
        goto = command.goto
        if isinstance(goto, list | tuple):
            goto = [_rooted(g) for g in goto]
        elif goto is not None and not isinstance(goto, str):
            goto = _rooted(goto)
        update = command.update
        return Command(
            graph=command.graph,
            update=None if update is None else {ROOT: update},
            resume=command.resume,
            goto=goto,
        )
    return value


def _root_value(state: Any) -> Any:
    return state[ROOT] if isinstance(state, Mapping) and ROOT in state else None


def _root_call(fn: Any, result: Callable[[Any], Any]) -> Callable[..., Any]:
    """``fn`` called with the root state's value, its result passed through ``result``."""
    return _called_with(fn, _root_value, result)


def _called_with(
    fn: Any, value_of: Callable[[Any], Any], result: Callable[[Any], Any]
) -> Callable[..., Any]:
    """``fn`` called with ``value_of(state)`` and its other arguments, its result passed
    through ``result``; the signature kept, without annotations."""
    try:
        sig: inspect.Signature | None = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(state: Any, *args: Any, **kwargs: Any) -> Any:
            return result(await fn(value_of(state), *args, **kwargs))

        wrapper = anode
    else:

        def node(state: Any, *args: Any, **kwargs: Any) -> Any:
            return result(fn(value_of(state), *args, **kwargs))

        wrapper = node
    if sig is not None and sig.parameters:
        params = list(sig.parameters.values())
        bare = [p.replace(annotation=inspect.Parameter.empty) for p in params]
        wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
            parameters=bare, return_annotation=inspect.Signature.empty
        )
    wrapper.__annotations__ = {}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    return wrapper


def _narrowed_router(fn: Any, keys: tuple[str, ...]) -> Callable[..., Any]:
    """``fn`` called with the keys of its schema only (those the state has values for)."""

    def narrowed(state: Any) -> Any:
        if not isinstance(state, Mapping):
            return state
        return {k: state[k] for k in keys if k in state}

    return _called_with(fn, narrowed, lambda result: result)


def _root_node(fn: Any) -> Callable[..., Any]:
    """A node of a root-state graph: takes the value, returns the new value (or a Command)."""

    def update(result: Any) -> Any:
        if result is None:
            return None
        if as_command(result) is not None:
            return _rooted(result)
        if isinstance(result, list | tuple) and any(as_command(r) is not None for r in result):
            # each item a Command or a value of the state
            return [_rooted(r) if as_command(r) is not None else {ROOT: r} for r in result]
        return {ROOT: result}

    return _root_call(fn, update)


def _root_router(fn: Any) -> Callable[..., Any]:
    """A router of a root-state graph: takes the value; its Sends carry values."""

    def route(result: Any) -> Any:
        if isinstance(result, list | tuple):
            return [_rooted(r) for r in result]
        return _rooted(result)

    return _root_call(fn, route)


def _narrowing_schema(bp: Blueprint) -> str | None:
    """``input_schema`` or ``output_schema`` if ``bp`` has one whose keys are not its state's."""
    state = set(_annotations(bp.state)) if isinstance(bp.state, type) else set()
    for option, schema in (("input_schema", bp.input_schema), ("output_schema", bp.output_schema)):
        if schema is not None and set(_annotations(schema)) != state:
            return option
    return None


def _node_schema(record: NodeRecord) -> Any:
    """The schema a node reads, if not the state: ``input_schema=`` or its first
    parameter's annotation, as LangGraph infers it."""
    if record.input_schema is not None:
        return record.input_schema
    return _param_schema(record.action)


def _param_schema(action: Any) -> Any:
    """The class annotating ``action``'s first parameter, if it is one with fields."""
    if is_compiled_graph(action) or not callable(action):
        return None
    try:
        first = next(iter(inspect.signature(action).parameters), None)
    except (TypeError, ValueError):
        return None
    hint = _hints(action).get(first) if first is not None else None
    return hint if isinstance(hint, type) and _annotations(hint) else None


def _private_channels(bp: Blueprint) -> dict[str, Any]:
    """The keys of the graph's input and output schemas and of node and router schemas
    (TypedDicts) that a TypedDict state has not, with their types.

    LangGraph makes each a channel of the graph: written and read like a state key, streamed
    in ``values``, but not in the graph's output.
    """
    state = bp.state
    if not (isinstance(state, type) and is_typeddict(state)):
        return {}
    keys = _annotations(state)
    out: dict[str, Any] = {}
    # the graph's input and output schemas and a router's schema make channels too, as in
    # LangGraph's StateGraph() and add_conditional_edges
    schemas = [
        bp.input_schema,
        bp.output_schema,
        *(_node_schema(r) for r in bp.nodes),
        *(_param_schema(b.path) for b in bp.branches),
    ]
    for schema in schemas:
        if schema is None or schema is state or not is_typeddict(schema):
            continue
        for key, tp in _annotations(schema).items():
            if key not in keys and key not in out:
                out[key] = tp
    return out


_combined: dict[tuple[int, tuple[tuple[str, int], ...]], tuple[type, dict[str, Any], type]] = {}
"""The combined classes made so far, so that compiling a builder again reuses its runner."""


def _with_channels(state: type, private: dict[str, Any]) -> type:
    """``state`` with the private channels as keys no input needs (the graph's channels)."""
    memo = (id(state), tuple((k, id(tp)) for k, tp in private.items()))
    with _lock:
        known = _combined.get(memo)
    if known is not None and known[0] is state and known[1] == private:
        return known[2]
    import typing_extensions

    from flowc.dsl.typerules import strip_qualifiers

    required: frozenset[str] = getattr(state, "__required_keys__", frozenset())
    fields: dict[str, Any] = {}
    for key, tp in _annotations(state).items():
        wrap = typing.Required if key in required else typing.NotRequired
        fields[key] = wrap[strip_qualifiers(tp)]
    for key, tp in private.items():
        fields[key] = typing.NotRequired[strip_qualifiers(tp)]
    combined: type = typing_extensions.TypedDict(state.__name__, fields)  # type: ignore[misc]
    combined.__module__ = _objects.MODULE
    combined.__qualname__ = state.__qualname__
    with _lock:
        _combined[memo] = (state, dict(private), combined)
    return combined


def _stand_in(state: Any) -> None:
    """Takes the place of a node that cannot be lowered, so that its problem is reported once."""
    return None


def _stand_in_router(state: Any) -> str:
    """Takes the place of a router that cannot be lowered."""
    return END


_STAND_IN = f"{__name__}:_stand_in"


_STAND_IN_ROUTER = f"{__name__}:_stand_in_router"
