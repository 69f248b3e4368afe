"""Callables adapted to flowc's node and router conventions before lowering.

What can run as a node (runnables, prebuilt nodes), a node's annotations and
metadata, updates returned as objects, the ``runtime`` parameter, and routers
whose path map is keyed by something else than strings.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import sys
import threading
import types
import typing
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, Literal, TypeVar, get_args, get_origin

import typing_extensions

from flowc.dsl.typerules import strip_qualifiers
from flowc.dsl.usercode import is_async
from flowc.runtime.control import Command, as_command

from . import _objects
from ._blueprint import Blueprint

_lock = threading.Lock()

_K = TypeVar("_K")
_V = TypeVar("_V")


class IdentityMemo(Generic[_K, _V]):
    """What was made from each object, by the object's identity.

    The object is kept with what was made from it, so that its id is not reused by another
    while the entry lives.
    """

    def __init__(self) -> None:
        self._made: dict[int, tuple[_K, _V]] = {}

    def get(self, obj: _K) -> _V | None:
        """What was made from ``obj``, or ``None``."""
        with _lock:
            known = self._made.get(id(obj))
        return known[1] if known is not None and known[0] is obj else None

    def put(self, obj: _K, made: _V) -> _V:
        """Remember ``made`` as made from ``obj``; gives ``made``."""
        with _lock:
            self._made[id(obj)] = (obj, made)
        return made


def remade_typeddict(state: type, fields: Mapping[str, Any]) -> type:
    """A TypedDict named as ``state`` (a TypedDict) with ``fields`` (their qualifiers
    stripped), each required where it is in ``state``; served from the drop-in's objects."""
    required: frozenset[str] = getattr(state, "__required_keys__", frozenset())
    annotations = {
        key: (typing.Required if key in required else typing.NotRequired)[strip_qualifiers(tp)]
        for key, tp in fields.items()
    }
    remade: type = typing_extensions.TypedDict(state.__name__, annotations)  # type: ignore[misc]
    remade.__module__ = _objects.MODULE
    remade.__qualname__ = state.__qualname__
    return remade


def is_tool_node(obj: Any) -> bool:
    """A :class:`flowc.langgraph.prebuilt.ToolNode` (checked without importing LangChain)."""
    module = sys.modules.get("flowc.langgraph._tool_node")
    return module is not None and isinstance(obj, module.ToolNode)


def is_compiled_graph(obj: Any) -> bool:
    """A graph compiled by :meth:`flowc.langgraph.StateGraph.compile`."""
    return isinstance(getattr(obj, "blueprint", None), Blueprint)


_PREBUILT_NODES: dict[str, tuple[str, str]] = {
    "ToolNode": (
        "LangGraph's own `ToolNode` cannot run in a flowc graph",
        "import ToolNode from flowc.langgraph.prebuilt (LangGraph's signature and behaviour)",
    ),
    "ValidationNode": (
        "LangGraph's prebuilt `ValidationNode` is not supported by flowc yet",
        "write the node as a function that validates the tool calls of the last AI message "
        "and returns `ToolMessage`s as the update",
    ),
}
"""The messages for LangGraph's prebuilt nodes (``langgraph.prebuilt``) used as nodes."""


def _not_runnable(obj: Any) -> tuple[str, str] | None:
    """Why ``obj`` cannot be a node or router, if it cannot."""
    module = type(obj).__module__ or ""
    if module.startswith("langgraph.") and hasattr(obj, "stream"):
        if any(
            cls.__name__ == "Pregel" and cls.__module__.startswith("langgraph.")
            for cls in type(obj).__mro__
        ):
            return (
                "a graph compiled by LangGraph cannot run inside a flowc graph",
                "build the subgraph with flowc.langgraph.StateGraph too",
            )
        prebuilt = _PREBUILT_NODES.get(type(obj).__name__)
        if module.startswith("langgraph.prebuilt.") and prebuilt is not None:
            return prebuilt
        return (
            f"LangGraph's {type(obj).__name__} as a node is not supported by flowc yet",
            "write the node as a function of the state that returns its update",
        )
    if not callable(obj):
        return f"a {type(obj).__name__} is not callable", "pass a function"
    return None


def is_runnable(obj: Any) -> bool:
    """A LangChain runnable (a chain, a ``RunnableLambda``, a tool, a chat model), checked
    without importing LangChain; LangGraph's own objects are not (they are refused by name)."""
    if (type(obj).__module__ or "").startswith(("langgraph.", "flowc.")):
        return False
    # a class of the user's (a fake or custom chat model) counts when it derives from one
    return any(
        (cls.__module__ or "").startswith(("langchain_core.", "langchain."))
        for cls in type(obj).__mro__[:-1]
    ) and (callable(getattr(obj, "invoke", None)) and callable(getattr(obj, "ainvoke", None)))


def _runnable_call(runnable: Any) -> Callable[..., Any]:
    """A LangChain runnable as a node or router, called as LangGraph calls it: ``invoke``
    (``ainvoke`` for one made of an async function only) with the state and the run's config."""
    only_async = getattr(runnable, "afunc", None) is not None and (
        getattr(runnable, "func", None) is None
    )
    wrapper: Callable[..., Any]
    if only_async:

        async def arunnable(state: Any, config: Any) -> Any:
            return await runnable.ainvoke(state, config)

        wrapper = arunnable
    else:

        def call_runnable(state: Any, config: Any) -> Any:
            return runnable.invoke(state, config)

        wrapper = call_runnable
    name = getattr(runnable, "name", None)
    wrapper.__name__ = name if isinstance(name, str) and name.isidentifier() else "runnable"
    return wrapper


def _annotations(cls: type) -> dict[str, Any]:
    model_fields = getattr(cls, "model_fields", None)
    if isinstance(model_fields, Mapping) and hasattr(cls, "model_validate"):
        out: dict[str, Any] = {}
        for name, info in model_fields.items():
            metadata = tuple(getattr(info, "metadata", ()) or ())
            out[name] = (
                typing.Annotated[(info.annotation, *metadata)] if metadata else info.annotation
            )
        return out
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception:
        return {}


def _metadata(tp: Any) -> tuple[Any, ...]:
    """The ``Annotated`` extras of a field type (under ``Required``/``NotRequired`` too)."""
    while get_origin(tp) in (
        typing.Required,
        typing.NotRequired,
        _loaded("typing_extensions", "ReadOnly"),
    ):
        tp = get_args(tp)[0]
    if get_origin(tp) is typing.Annotated:
        return tuple(getattr(tp, "__metadata__", ()))
    return ()


def _adapted(fn: Any, schema: Any, object_keys: tuple[str, ...] | None) -> Callable[..., Any]:
    """``fn`` adapted to flowc's node conventions.

    Args:
        fn: the node's callable.
        schema: its input schema, if not the state: flowc reads a node's input
            schema from the annotation of its first parameter.
        object_keys: the state's keys, if ``fn`` may return a state object
            (a dataclass or pydantic instance), which then becomes the update
            of those keys, as in LangGraph.
    """
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn  # type: ignore[no-any-return]
    params = list(sig.parameters.values())
    if not params:
        return fn  # type: ignore[no-any-return]
    first = params[0]
    if schema is not None:
        first = first.replace(annotation=schema)
    else:
        schema = _hints(fn).get(first.name, inspect.Parameter.empty)
        first = first.replace(annotation=schema)

    def convert(result: Any) -> Any:
        if object_keys is None or result is None or isinstance(result, Mapping):
            return result
        command = as_command(result)
        if command is not None:
            # a Command's update may be a state object too
            update = command.update
            if update is None or isinstance(update, Mapping | list | tuple):
                return result
            return Command(
                graph=command.graph,
                update=_object_update(update, object_keys),
                resume=command.resume,
                goto=command.goto,
            )
        if not _is_object_class(type(result)):
            return result
        return _object_update(result, object_keys)

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return convert(await fn(*args, **kwargs))

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return convert(fn(*args, **kwargs))

        wrapper = node
    wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
        parameters=[first, *params[1:]], return_annotation=inspect.Signature.empty
    )
    wrapper.__annotations__ = {} if schema is inspect.Parameter.empty else {first.name: schema}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    return wrapper


_MISSING = object()


def _loaded(module: str, name: str) -> Any:
    """``module.name`` if ``module`` is imported, else a value nothing equals.

    pydantic and typing_extensions are not imported by the drop-in until a graph
    needs checking: an object made with one of them exists only once it is imported.
    """
    found = sys.modules.get(module)
    return _MISSING if found is None else getattr(found, name, _MISSING)


def is_typeddict(tp: Any) -> bool:
    """Whether ``tp`` is a TypedDict class, of ``typing``'s or of ``typing_extensions``'."""
    extensions = sys.modules.get("typing_extensions")
    if extensions is None:
        return typing.is_typeddict(tp)
    return bool(extensions.is_typeddict(tp))


def _is_model(cls: type) -> bool:
    """Whether ``cls`` is a pydantic model class."""
    base = _loaded("pydantic", "BaseModel")
    return base is not _MISSING and issubclass(cls, base)


def _object_update(obj: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """The update a returned state object makes, by LangGraph's rule.

    Every state key the object has, except that a pydantic model leaves out
    ``None`` values of fields whose default is ``None`` and that were not set.
    """
    if _is_model(type(obj)):
        kept: set[str] | None = obj.model_fields_set
        defaults = {k: f.default for k, f in type(obj).model_fields.items()}
    else:
        kept, defaults = None, {}
    update = {}
    for key in keys:
        value = getattr(obj, key, _MISSING)
        if value is _MISSING:
            continue
        if (
            value is not None
            or defaults.get(key, _MISSING) is not None
            or (kept is not None and key in kept)
        ):
            update[key] = value
    return update


def _hints(fn: Any) -> dict[str, Any]:
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    try:
        return typing.get_type_hints(target)
    except Exception:
        return {}


def _annotations_resolve(fn: Any) -> bool:
    """Whether ``fn``'s annotations, if it has any, all resolve."""
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    if not getattr(target, "__annotations__", None):
        return True
    try:
        typing.get_type_hints(target)
    except Exception:
        return False
    return True


_RUNTIME_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


_runtime_wrappers: IdentityMemo[Any, Callable[..., Any]] = IdentityMemo()
"""The wrapper made for each callable that takes ``runtime`` or ``store``, so that compiling
the same builder again reuses its runner module."""


def _is_store_annotation(annotation: Any) -> bool:
    """Whether LangGraph injects the store into a ``store`` parameter so annotated: none, or
    ``BaseStore`` (LangGraph's or flowc's), optional or not, or their names in a string."""
    if annotation is inspect.Parameter.empty:
        return True
    if isinstance(annotation, str):
        return annotation in ("BaseStore", "Optional[BaseStore]", "BaseStore | None")
    if getattr(annotation, "__name__", None) == "BaseStore":
        return True
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return len(args) == 1 and getattr(args[0], "__name__", None) == "BaseStore"


def _injected(sig: inspect.Signature) -> dict[str, Callable[[], Any]]:
    """The parameters LangGraph fills in from the run that ``sig`` declares (its first
    parameter is the state), each with what gives its value."""
    params = list(sig.parameters.values())[1:]
    out: dict[str, Callable[[], Any]] = {}
    for param in params:
        if param.kind not in _RUNTIME_KINDS:
            continue
        if param.name == "runtime":
            from .runtime import get_runtime

            out["runtime"] = get_runtime
        elif param.name == "store" and _is_store_annotation(param.annotation):
            from flowc.runtime.store import get_store

            out["store"] = get_store
    return out


def _with_runtime(fn: Any) -> Any:
    """``fn`` given the run's :class:`~flowc.langgraph.runtime.Runtime` when it takes a
    ``runtime`` parameter (LangGraph injects it by that name, whatever its annotation), and
    the graph's store when it takes a ``store`` parameter (``None`` without one).

    The wrapper's signature is ``fn``'s without them, so that flowc's checker sees
    a node (or router) of the state, and of ``config`` and ``writer`` if ``fn`` takes them;
    its annotations are ``fn``'s, resolved where ``fn`` was defined (none if one does not
    resolve, as LangGraph then reads none).
    """
    if is_compiled_graph(fn) or is_tool_node(fn):
        return fn
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn
    inject = _injected(sig)
    if not inject:
        return fn
    known = _runtime_wrappers.get(fn)
    if known is not None:
        return known

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **{k: get() for k, get in inject.items()}, **kwargs)

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **{k: get() for k, get in inject.items()}, **kwargs)

        wrapper = node
    params = [p for p in sig.parameters.values() if p.name not in inject]
    hints = _hints(fn) if _annotations_resolve(fn) else {}
    if not hints:
        params = [p.replace(annotation=inspect.Parameter.empty) for p in params]
    wrapper.__signature__ = sig.replace(  # type: ignore[union-attr]
        parameters=params,
        return_annotation=hints.get("return", inspect.Signature.empty),
    )
    wrapper.__annotations__ = {k: v for k, v in hints.items() if k not in inject}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    return _runtime_wrappers.put(fn, wrapper)


def _unannotated(fn: Any) -> Callable[..., Any]:
    """``fn`` with no annotations (its parameters and their defaults kept)."""
    sig = inspect.signature(fn)
    bare = sig.replace(
        parameters=[p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()],
        return_annotation=inspect.Signature.empty,
    )
    wrapper: Callable[..., Any]
    if is_async(fn):

        async def anode(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **kwargs)

        wrapper = anode
    else:

        def node(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        wrapper = node
    wrapper.__signature__ = bare  # type: ignore[union-attr]
    wrapper.__annotations__ = {}
    wrapper.__name__ = getattr(fn, "__name__", type(fn).__name__)
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    return wrapper


def _is_object_class(cls: Any) -> bool:
    """A dataclass or pydantic class (whose instances a node may return as its update)."""
    return isinstance(cls, type) and (dataclasses.is_dataclass(cls) or _is_model(cls))


def _returns_object(fn: Any) -> bool:
    """Whether ``fn``'s return annotation names a dataclass or pydantic class."""
    ret = _hints(fn).get("return")
    if ret is None:
        return False
    if get_origin(ret) in (typing.Union, types.UnionType):
        options: tuple[Any, ...] = get_args(ret)
    else:
        options = (ret,)
    return any(
        isinstance(o, type) and (dataclasses.is_dataclass(o) or _is_model(o)) for o in options
    )


def _keyed_router(fn: Any, path_map: dict[Hashable, str]) -> Callable[..., Any]:
    """A router that maps ``fn``'s results (booleans, numbers...) through ``path_map``."""

    def pick(result: Any) -> Any:
        if isinstance(result, list | tuple):
            return [path_map[r] for r in result]
        return path_map[result]

    wrapper: Callable[..., Any]
    if is_async(fn):

        async def aroute(*args: Any, **kwargs: Any) -> Any:
            return pick(await fn(*args, **kwargs))

        wrapper = aroute
    else:

        def route(*args: Any, **kwargs: Any) -> Any:
            return pick(fn(*args, **kwargs))

        wrapper = route
    with contextlib.suppress(TypeError, ValueError):
        wrapper.__signature__ = inspect.signature(fn).replace(  # type: ignore[union-attr]
            return_annotation=inspect.Signature.empty
        )
    functools.update_wrapper(wrapper, fn, assigned=("__name__", "__doc__"), updated=())
    # callbacks record what the router returned, before the map (as LangGraph's do)
    vars(wrapper)["path_map"] = path_map
    return wrapper


def _literal_targets(fn: Any) -> tuple[str, ...] | None:
    """The node names a router's ``Literal`` return annotation allows, as LangGraph reads them."""
    target = fn if inspect.isfunction(fn) or inspect.ismethod(fn) else getattr(fn, "__call__", fn)  # noqa: B004
    try:
        hints = typing.get_type_hints(target)
    except Exception:
        return None
    names = _literals(hints.get("return"))
    return tuple(dict.fromkeys(names)) if names else None


def _literals(tp: Any) -> list[str] | None:
    if tp is None:
        return None
    origin = get_origin(tp)
    if origin is Literal:
        return [str(a) for a in get_args(tp)]
    if origin in (typing.Union, types.UnionType):
        out: list[str] = []
        for arg in get_args(tp):
            if arg is type(None):
                continue
            sub = _literals(arg)
            if sub is None:
                return None
            out.extend(sub)
        return out
    if origin is not None and getattr(origin, "__name__", "") in ("list", "Sequence", "tuple"):
        args = get_args(tp)
        return _literals(args[0]) if args else None
    return None
