"""What a node or router uses of LangGraph that flowc cannot run.

A node that still calls LangGraph's own ``interrupt()`` or
``get_stream_writer`` would only fail (or silently stream nothing) while the
graph runs. To refuse them at ``compile()``, the names a callable's code
refers to (and those of the module functions it calls, a few levels deep) are
looked up in its globals and closure and compared with LangGraph's objects.
Nothing is imported here: if a LangGraph module is not loaded, nothing can
refer to its objects.
"""

from __future__ import annotations

import builtins
import dis
import functools
import inspect
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Use", "calls_interrupt", "invoked_graph", "unsupported_params", "unsupported_uses"]


@dataclass(frozen=True, slots=True)
class Use:
    """Something LangGraph-specific a callable refers to."""

    name: str
    """How the code spells it (``Send``, ``langgraph.types.interrupt``...)."""
    message: str
    """What is wrong, for the diagnostic."""
    hint: str


_WATCHED: dict[tuple[str, str], tuple[str, str]] = {
    ("langgraph.types", "interrupt"): (
        "LangGraph's `interrupt()` does not see a flowc run",
        "import it from flowc.langgraph: `from flowc.langgraph import interrupt`",
    ),
    ("langgraph.config", "get_stream_writer"): (
        "LangGraph's `get_stream_writer` does not write to a flowc run",
        "import it from flowc.langgraph: `from flowc.langgraph import get_stream_writer`",
    ),
    ("langgraph.config", "get_config"): (
        "LangGraph's `get_config` does not see a flowc run",
        "take a `config` parameter, or use `flowc.langgraph.get_config`",
    ),
    ("langgraph.config", "get_store"): (
        "LangGraph's `get_store` does not see a flowc run",
        "import it from flowc.langgraph.config: `from flowc.langgraph.config import get_store`",
    ),
    ("langgraph.runtime", "get_runtime"): (
        "LangGraph's `get_runtime` does not see a flowc run",
        "import it from flowc.langgraph.runtime: `from flowc.langgraph.runtime import get_runtime`",
    ),
}

_PARAMS: dict[str, tuple[str, str]] = {
    "previous": (
        "`previous` (the last return value of an entrypoint) is not supported by flowc yet",
        "keep what the node needs in the state",
    ),
}

_MAX_DEPTH = 3


def _watched() -> dict[int, tuple[str, str, str]]:
    """id of each loaded LangGraph object → (spelling, message, hint)."""
    out: dict[int, tuple[str, str, str]] = {}
    for (module, attr), (message, hint) in _WATCHED.items():
        loaded = sys.modules.get(module)
        obj = getattr(loaded, attr, None) if loaded is not None else None
        if obj is not None:
            out[id(obj)] = (attr, message, hint)
    return out


def _watched_modules() -> dict[int, str]:
    return {id(sys.modules[m]): m for m in {m for m, _ in _WATCHED} if m in sys.modules}


def closure_values(fn: types.FunctionType) -> dict[str, Any]:
    """``fn``'s closure variables by name (those not assigned yet left out)."""
    out: dict[str, Any] = {}
    for var, cell in zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=False):
        try:
            out[var] = cell.cell_contents
        except ValueError:
            continue
    return out


def _functions_of(obj: Any) -> Iterator[types.FunctionType]:
    """The Python functions that run when ``obj`` is called."""
    seen = 0
    while seen < 5:
        seen += 1
        if isinstance(obj, types.FunctionType):
            yield obj
            return
        if isinstance(obj, types.MethodType):
            obj = obj.__func__
            continue
        if isinstance(obj, functools.partial):
            obj = obj.func
            continue
        call = getattr(type(obj), "__call__", None)  # noqa: B004
        if isinstance(call, types.FunctionType):
            yield call
        return


_VARIABLE_LOADS = frozenset(("LOAD_GLOBAL", "LOAD_NAME", "LOAD_DEREF", "LOAD_CLASSDEREF"))
_ATTRIBUTE_LOADS = frozenset(("LOAD_ATTR", "LOAD_METHOD"))


def _code_names(code: types.CodeType) -> tuple[set[str], set[str]]:
    """Global or closure names the code reads, and attribute names it reads (nested code too)."""
    variables: set[str] = set()
    attributes: set[str] = set()
    for ins in dis.get_instructions(code):
        if ins.opname in _VARIABLE_LOADS and isinstance(ins.argval, str):
            variables.add(ins.argval)
        elif ins.opname in _ATTRIBUTE_LOADS and isinstance(ins.argval, str):
            attributes.add(ins.argval)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            inner_vars, inner_attrs = _code_names(const)
            variables |= inner_vars
            attributes |= inner_attrs
    return variables, attributes


def unsupported_uses(obj: Any) -> list[Use]:
    """What ``obj``'s code (and the module functions it calls) uses that flowc cannot run."""
    watched = _watched()
    if not watched:
        return []
    return _uses(obj, watched, _watched_modules())


def calls_interrupt(obj: Any) -> str | None:
    """How ``obj``'s code (or a module function it calls) spells flowc's ``interrupt``, if it does."""
    from flowc.runtime import interrupts

    found = _uses(
        obj,
        {id(interrupts.interrupt): ("interrupt", "", "")},
        {id(interrupts): interrupts.__name__},
    )
    return found[0].name if found else None


def _uses(obj: Any, watched: dict[int, tuple[str, str, str]], modules: dict[int, str]) -> list[Use]:
    found: dict[str, Use] = {}
    visited: set[int] = set()

    def visit(fn: types.FunctionType, depth: int) -> None:
        if id(fn) in visited or depth > _MAX_DEPTH:
            return
        visited.add(id(fn))
        names, attributes = _code_names(fn.__code__)
        closure = closure_values(fn)
        scope = fn.__globals__
        for name in sorted(names):
            if name in closure:
                value = closure[name]
            elif name in scope:
                value = scope[name]
            else:
                value = getattr(builtins, name, None)
            hit = watched.get(id(value))
            if hit is not None:
                found.setdefault(hit[0], Use(name, hit[1], hit[2]))
            elif id(value) in modules:
                # `import langgraph.types as lt` ... `lt.Send(...)`
                module = sys.modules[modules[id(value)]]
                for attr in sorted(attributes):
                    inner = watched.get(id(getattr(module, attr, None)))
                    if inner is not None:
                        found.setdefault(inner[0], Use(f"{name}.{attr}", inner[1], inner[2]))
            elif isinstance(value, types.FunctionType) and value.__globals__ is scope:
                visit(value, depth + 1)

    for fn in _functions_of(obj):
        visit(fn, 0)
    return list(found.values())


def invoked_graph(obj: Any) -> Any:
    """The first compiled graph ``obj``'s code names (a global or a closure variable), if any:
    the graph a node function runs, whose checkpoints its task's state is, as LangGraph finds
    it (a graph compiled with ``checkpointer=False`` keeps none and does not count)."""
    from ._adapt import is_compiled_graph

    for fn in _functions_of(obj):
        closure = closure_values(fn)
        for ins in dis.get_instructions(fn.__code__):
            if ins.opname not in _VARIABLE_LOADS or not isinstance(ins.argval, str):
                continue
            value = closure.get(ins.argval, fn.__globals__.get(ins.argval))
            if is_compiled_graph(value) and not getattr(value, "checkpointless", False):
                return value
    return None


def unsupported_params(obj: Any) -> list[tuple[str, str, str]]:
    """Parameters LangGraph would inject that flowc cannot: (name, message, hint)."""
    try:
        params = list(inspect.signature(obj).parameters.values())
    except (TypeError, ValueError):
        return []
    out = []
    for param in params[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        problem = _PARAMS.get(param.name)
        if problem is not None:
            out.append((param.name, *problem))
    return out
