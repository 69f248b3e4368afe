"""LangGraph's managed values in a state: ``RemainingSteps`` and ``IsLastStep``.

A managed key is no channel of the graph: nothing stores it, an input or a node's
write of it is ignored (LangGraph logs the write), and no output shows it; nodes and
routers find it in the state they read, computed for the superstep they run in
(:func:`flowc.runtime.remaining_steps`). The drop-in lowers a state with managed keys
to the state without them and wraps each node and router to add them to what it reads.
LangGraph's own annotations (``langgraph.managed``) and the drop-in's
(``flowc.langgraph.managed``) are both recognised, by their managers' names.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any

from flowc.dsl.usercode import is_async, resolve_annotations
from flowc.runtime import remaining_steps
from flowc.runtime.control import Command, as_command

from ._adapt import IdentityMemo, _annotations, _metadata, remade_typeddict

__all__ = [
    "channels_of",
    "managed_fields",
    "refuse_managed_io",
    "with_managed",
    "without_managed",
]

_MANAGERS = {"RemainingStepsManager": "remaining", "IsLastStepManager": "last"}
"""LangGraph's managers (``langgraph.managed.is_last_step``), by class name, and what each
gives."""

_MODULES = ("langgraph.managed", "flowc.langgraph.managed")

_logger = logging.getLogger("flowc.langgraph")


def manager_kind(meta: Any) -> str | None:
    """``"remaining"`` or ``"last"`` if ``meta`` (an ``Annotated`` extra) is a manager."""
    if not isinstance(meta, type):
        return None
    module = getattr(meta, "__module__", "") or ""
    if not module.startswith(_MODULES):
        return None
    return _MANAGERS.get(meta.__name__)


def is_manager(meta: Any) -> bool:
    """Whether an ``Annotated`` extra is LangGraph's ``ManagedValue`` class (any of them)."""
    module = getattr(meta, "__module__", "") or ""
    return isinstance(meta, type) and module.startswith(_MODULES)


def managed_fields(schema: Any) -> dict[str, type]:
    """The managed keys of a state class, each with its manager (as ``builder.managed``)."""
    if not isinstance(schema, type):
        return {}
    out: dict[str, type] = {}
    for name, tp in _annotations(schema).items():
        for meta in _metadata(tp):
            if is_manager(meta):
                out[name] = meta
                break
    return out


def channels_of(state: Any, *schemas: Any) -> dict[str, Any]:
    """``builder.channels``: the keys of the state and the graph's input and output schemas,
    managed values left out, as LangGraph's; each with its annotation, where LangGraph has a
    channel object."""
    managed = managed_fields(state)
    out: dict[str, Any] = {}
    for schema in (state, *schemas):
        if isinstance(schema, type):
            for key, tp in _annotations(schema).items():
                if key not in managed:
                    out.setdefault(key, tp)
    return out


def refuse_managed_io(state: Any, *schemas: Any) -> None:
    """LangGraph's refusal (its error and words) of managed values in an input or output
    schema other than the state."""
    for schema in schemas:
        managed = managed_fields(schema) if schema is not state else {}
        if managed:
            raise ValueError(
                f"Invalid managed channels detected in {getattr(schema, '__name__', '')}: "
                f"{', '.join(managed)}. Managed channels are not permitted in Input/Output "
                "schema."
            )


_remade: IdentityMemo[type, type] = IdentityMemo()
"""The state classes remade without their managed keys, by the class's id."""


def without_managed(state: type, names: Mapping[str, Any]) -> type:
    """``state`` (a TypedDict) without its managed keys."""
    known = _remade.get(state)
    if known is not None:
        return known
    fields = {key: tp for key, tp in _annotations(state).items() if key not in names}
    return _remade.put(state, remade_typeddict(state, fields))


def _values(kinds: Mapping[str, str]) -> Callable[[Any], Any]:
    def read(state: Any) -> Any:
        if not isinstance(state, Mapping):
            return state
        remaining = remaining_steps()
        shown = dict(state)
        for key, kind in kinds.items():
            shown[key] = remaining if kind == "remaining" else remaining == 1
        return shown

    return read


def _dropped(name: str, kinds: Mapping[str, str]) -> Callable[[Any], Any]:
    def drop(update: Any) -> Any:
        if isinstance(update, Mapping):
            written = [key for key in kinds if key in update]
            if not written:
                return update
            for key in written:
                _logger.warning("Node %s wrote to managed value %s, ignoring it.", name, key)
            return {k: v for k, v in update.items() if k not in kinds}
        command = as_command(update)
        if command is not None and isinstance(command.update, Mapping):
            return Command(
                graph=command.graph,
                update=drop(command.update),
                resume=command.resume,
                goto=command.goto,
            )
        if isinstance(update, list | tuple) and not isinstance(update, str):
            return type(update)(drop(item) for item in update)
        return update

    return drop


def with_managed(fn: Any, kinds: Mapping[str, str], node: str | None) -> Callable[..., Any]:
    """``fn`` (a node, or a router when ``node`` is ``None``) reading the managed keys too;
    a node's writes of them dropped. The wrapper shows ``fn``'s signature and annotations,
    so that flowc reads the same node or router from it."""
    read = _values(kinds)
    drop = _dropped(node, kinds) if node is not None else None
    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(state: Any, *args: Any, **kwargs: Any) -> Any:
            out = await fn(read(state), *args, **kwargs)
            return out if drop is None else drop(out)

        wrapper = anode
    else:

        def call(state: Any, *args: Any, **kwargs: Any) -> Any:
            out = fn(read(state), *args, **kwargs)
            return out if drop is None else drop(out)

        wrapper = call
    # the state parameter's annotation (the state class, managed keys and all) is left out:
    # what the wrapper is called with is the state without them
    # (resolved here: the wrapper's module is not fn's)
    annotations = dict(resolve_annotations(fn)[0])
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None
    if sig is not None and sig.parameters:
        first, *rest = sig.parameters.values()
        annotations.pop(first.name, None)
        bare = first.replace(annotation=inspect.Parameter.empty)
        wrapper.__signature__ = sig.replace(parameters=[bare, *rest])  # type: ignore[union-attr]
    wrapper.__annotations__ = annotations
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    wrapper.__module__ = getattr(fn, "__module__", None) or __name__
    return wrapper
