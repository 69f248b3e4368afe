"""Whether a node can stream while it runs: the analysis behind running it inline.

A sync stream delivers a node's custom events (and the events of a graph the
node runs) while the node still runs only if the node runs on another
thread: the caller's code runs between the stream's ``next()`` calls. A
thread hand-over costs tens of microseconds, so a node that can never emit
anything while it runs is better called right in the superstep loop, in
every mode.

:func:`may_stream` proves a node quiet from its source: every call it makes,
followed through the functions it refers to, is to something known not to
stream (builtins, the standard library, methods of builtin values, state
classes, other functions proven quiet). Anything it cannot see through — a
call of a parameter, a method of an unknown object, a third-party function,
code without source, dynamic lookups — counts as streaming: the node then
runs live, as before. So the analysis can make a node slower than it could
be, never deliver an event late.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import functools
import inspect
import sys
import textwrap
import types
from typing import is_typeddict

__all__ = ["may_block", "may_stream"]

_MAX_DEPTH = 8
"""How many functions deep calls are followed before the analysis gives up."""

_DYNAMIC = frozenset(
    {
        "__import__",
        "breakpoint",
        "compile",
        "eval",
        "exec",
        "getattr",
        "globals",
        "input",
        "locals",
        "vars",
    }
)
"""Builtins through which code can reach anything: a call of one counts as streaming."""

_METHODS = frozenset(
    """
    add append appendleft as_integer_ratio bit_length capitalize casefold center clear conjugate
    copy count decode difference difference_update discard encode endswith expandtabs extend
    extendleft find findall finditer format format_map fromkeys fullmatch get group groupdict
    groups hex index insert intersection intersection_update is_integer isalnum isalpha isascii
    isdecimal isdigit isdisjoint isidentifier islower isnumeric isoformat isprintable isspace
    issubset issuperset istitle isupper items join keys ljust lower lstrip match model_copy
    model_dump model_dump_json most_common partition pop popitem popleft remove removeprefix
    removesuffix replace reverse rfind rindex rjust rpartition rsplit rstrip search setdefault
    sort split splitlines startswith strftime strip sub subn swapcase symmetric_difference
    symmetric_difference_update timestamp title to_bytes total_seconds translate union update
    upper values zfill
    """.split()  # noqa: SIM905 (a list literal would take a hundred lines)
)
"""Methods of builtin values (and of regular expressions, dates, pydantic models)
that run no code of the caller's: a call of another method of an unknown
object counts as streaming."""

_STDLIB = frozenset(sys.stdlib_module_names)

_QUIET_FLOWC = frozenset({"flowc.runtime.control", "flowc.langgraph.types"})
"""flowc modules whose classes only hold values (``Send``, ``Command``)."""


def may_stream(*functions: object) -> bool:
    """Whether any of ``functions`` (a node and its routers) might emit while running.

    ``True`` unless each is proven quiet; see the module docstring.
    """
    scan = _Scan()
    return not all(scan.quiet_callable(fn, 0) for fn in functions)


def may_block(*functions: object) -> bool:
    """Whether any of ``functions`` (a sync node and its sync routers) might wait while running.

    An async run calls a sync node on the event loop's thread only when this
    is ``False``: then the node cannot hold up the other runs on the loop for
    longer than its own computation. The scan is :func:`may_stream`'s, made
    stricter: what the node calls must be a builtin that does no I/O, a
    function or class of a standard module that cannot wait (:data:`_CALM_STDLIB`,
    :data:`_CALM_FUNCTIONS`), a method of a builtin value that cannot wait
    (``get`` and ``join`` only on a parameter or a literal, since a queue's
    ``get`` and a thread's ``join`` wait), a state class, or a function
    itself proven so. ``time.sleep``, ``print``, sockets, files, locks,
    third-party clients, anything unknown: the node may block, and runs on a
    worker thread.
    """
    scan = _BlockScan()
    return not all(scan.quiet_callable(fn, 0) for fn in functions)


class _Scan:
    """One analysis: functions already proven quiet (or being proven) are not read twice."""

    _noisy_builtins: frozenset[str] = _DYNAMIC
    """The builtins a call of which is not proven quiet."""
    _waiting_methods: frozenset[str] = frozenset()
    """Methods of builtin values proven quiet only on a value known not to be a queue or thread."""

    def __init__(self) -> None:
        self._done: set[types.CodeType] = set()

    def quiet_callable(self, obj: object, depth: int) -> bool:
        """Whether calling ``obj`` surely emits nothing."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(obj, types.BuiltinFunctionType | types.BuiltinMethodType):
            module = getattr(obj, "__module__", None) or ""
            if module == "builtins":
                return obj.__name__ not in self._noisy_builtins
            return self._quiet_compiled(module, obj.__name__)
        if isinstance(obj, functools.partial):
            return self.quiet_callable(obj.func, depth + 1) and all(
                self.quiet_value(arg, depth + 1) for arg in (*obj.args, *obj.keywords.values())
            )
        if isinstance(obj, types.MethodType):
            return self.quiet_callable(obj.__func__, depth)
        if isinstance(obj, type):
            return self.quiet_class(obj, depth)
        if isinstance(obj, types.FunctionType):
            return self.quiet_function(obj, depth)
        return False

    def _quiet_compiled(self, module: str, name: str) -> bool:
        """Whether the function ``name`` of ``module``, written in C, surely emits nothing."""
        return module.partition(".")[0] in _STDLIB

    def quiet_value(self, obj: object, depth: int) -> bool:
        """Whether ``obj``, handed to code that may call it, surely emits nothing."""
        if isinstance(obj, types.ModuleType) or not callable(obj):
            return True
        return self.quiet_callable(obj, depth)

    def quiet_class(self, cls: type, depth: int) -> bool:
        """Whether making an instance of ``cls`` surely emits nothing."""
        root = (cls.__module__ or "").partition(".")[0]
        if root in _STDLIB or is_typeddict(cls) or cls.__module__ in _QUIET_FLOWC:
            return True
        generated = dataclasses.is_dataclass(cls) or any(
            base.__module__.partition(".")[0] == "pydantic" for base in cls.__mro__[1:]
        )
        for name in ("__new__", "__init__", "__post_init__"):
            for base in cls.__mro__:
                if name not in vars(base):
                    continue
                if base.__module__.partition(".")[0] in _STDLIB | {"pydantic", "typing_extensions"}:
                    break
                method = vars(base)[name]
                if isinstance(method, staticmethod | classmethod):
                    method = method.__func__
                if generated and name == "__init__" and base is cls:
                    break  # written by dataclasses or pydantic from the fields
                if not self.quiet_callable(method, depth + 1):
                    return False
                break
        return True

    def quiet_function(self, fn: types.FunctionType, depth: int) -> bool:
        """Whether ``fn``'s own code surely emits nothing (and calls only quiet things)."""
        code = fn.__code__
        if code in self._done:
            return True
        root = (fn.__module__ or "").partition(".")[0]
        if root in _STDLIB:
            return True
        if root == "flowc" or code.co_flags & (inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR):
            return False
        tree = _definition(fn)
        if tree is None:
            return False
        self._done.add(code)
        if not self._quiet_body(fn, tree, depth):
            self._done.discard(code)
            return False
        return True

    def _quiet_body(self, fn: types.FunctionType, tree: ast.AST, depth: int) -> bool:
        local = _local_names(tree)
        nested = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node is not tree
        }
        for node in (node for part in _body(tree) for node in ast.walk(part)):
            if isinstance(node, ast.Yield | ast.YieldFrom | ast.Import | ast.ImportFrom):
                return False
            if isinstance(node, ast.Call):
                if not self._quiet_call(fn, node.func, local, nested, depth):
                    return False
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                if node.id in local:
                    continue
                found, value = _lookup(fn, node.id)
                if found and not self.quiet_value(value, depth + 1):
                    return False
        return True

    def _quiet_call(
        self,
        fn: types.FunctionType,
        func: ast.expr,
        local: set[str],
        nested: set[str],
        depth: int,
    ) -> bool:
        if isinstance(func, ast.Name):
            if func.id in local:
                # a function defined right here is read with the rest; a parameter is unknown
                return func.id in nested
            found, value = _lookup(fn, func.id)
            return found and self.quiet_callable(value, depth + 1)
        if isinstance(func, ast.Attribute):
            if func.attr in self._waiting_methods and not _plain_receiver(fn, func, local):
                return False  # a queue's get, a thread's join
            path = _dotted(func)
            value = _module_or_class(fn, path, local)
            if path is not None and value is not None:
                for attr in path[1:]:
                    value = getattr(value, attr, _MISSING)
                    if value is _MISSING:
                        return False
                return self.quiet_callable(value, depth + 1)
            return func.attr in _METHODS
        return False


_MISSING = object()


_CALM_STDLIB = frozenset(
    """
    abc base64 binascii bisect cmath collections copy dataclasses datetime decimal difflib enum
    fractions functools hashlib heapq itertools json keyword math numbers operator random re
    statistics string struct textwrap types typing unicodedata uuid
    """.split()  # noqa: SIM905
)
"""Standard modules whose functions and classes compute and return: none of them waits."""

_CALM_FUNCTIONS = frozenset(
    {"time.time", "time.time_ns", "time.monotonic", "time.monotonic_ns", "time.perf_counter"}
)
"""Functions of other standard modules that read a clock and return."""

_NOISY_BUILTINS = _DYNAMIC | {"open", "print", "help"}
"""Builtins that may wait (on a file, a terminal) or reach anything."""

_WAITING_METHODS = frozenset({"get", "join"})
"""Methods of builtin values whose namesakes wait (a queue's ``get``, a thread's ``join``)."""


class _BlockScan(_Scan):
    """:class:`_Scan` asking whether code may wait rather than whether it may stream."""

    _noisy_builtins = _NOISY_BUILTINS
    _waiting_methods = _WAITING_METHODS

    def _quiet_compiled(self, module: str, name: str) -> bool:
        return _calm_module(module) or f"{module}.{name}" in _CALM_FUNCTIONS

    def quiet_class(self, cls: type, depth: int) -> bool:
        if _is_stdlib(cls.__module__) and not _calm_module(cls.__module__):
            return False
        return super().quiet_class(cls, depth)

    def quiet_function(self, fn: types.FunctionType, depth: int) -> bool:
        module = fn.__module__ or ""
        if _is_stdlib(module):
            return self._quiet_compiled(module, fn.__name__)
        return super().quiet_function(fn, depth)


def _plain_receiver(fn: types.FunctionType, func: ast.Attribute, local: set[str]) -> bool:
    """Whether the method ``func`` is looked up on a literal, a parameter of ``fn`` (a node's
    state or config, a router's state: values, not queues) or a module or class."""
    receiver = func.value
    if isinstance(receiver, ast.Constant | ast.Dict | ast.List | ast.Set | ast.Tuple):
        return True
    if isinstance(receiver, ast.Name) and receiver.id in _parameters(fn):
        return True
    return _module_or_class(fn, _dotted(func), local) is not None


def _is_stdlib(module: str) -> bool:
    # the builtins' classes (dict, list, str, ...) compute and return: not "standard" here
    return module != "builtins" and module.partition(".")[0] in _STDLIB


def _calm_module(module: str) -> bool:
    return module.lstrip("_").partition(".")[0] in _CALM_STDLIB


def _parameters(fn: types.FunctionType) -> set[str]:
    code = fn.__code__
    count = code.co_argcount + code.co_kwonlyargcount
    return set(code.co_varnames[:count])


def _definition(fn: types.FunctionType) -> ast.AST | None:
    """The ``def`` or ``lambda`` of ``fn`` in its source file, or ``None`` if not found for sure."""
    try:
        lines, first = inspect.getsourcelines(fn)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return None
    ast.increment_lineno(tree, first - 1)
    code = fn.__code__
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines_of = [node.lineno, *(d.lineno for d in node.decorator_list)]
            if node.name == code.co_name and code.co_firstlineno in lines_of:
                found.append(node)
        elif (
            isinstance(node, ast.Lambda)
            and code.co_name == "<lambda>"
            and node.lineno == code.co_firstlineno
        ):
            found.append(node)
    return found[0] if len(found) == 1 else None


def _local_names(tree: ast.AST) -> set[str]:
    """Every name the function (or a function inside it) binds: parameters, assignments, defs."""
    names: set[str] = set()
    for node in ast.walk(tree):
        bound: str | None = None
        if node is tree:
            continue  # its own name is a global (or a cell) in its body
        if isinstance(node, ast.arg):
            bound = node.arg
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound = node.id
        elif isinstance(
            node,
            ast.FunctionDef
            | ast.AsyncFunctionDef
            | ast.ClassDef
            | ast.ExceptHandler
            | ast.MatchAs
            | ast.MatchStar,
        ):
            bound = node.name
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
        if bound:
            names.add(bound)
    return names


def _body(tree: ast.AST) -> list[ast.AST]:
    """What runs when the function is called: its body (not its decorators or defaults)."""
    if isinstance(tree, ast.Lambda):
        return [tree.body]
    if isinstance(tree, ast.FunctionDef | ast.AsyncFunctionDef):
        return list(tree.body)
    return [tree]


def _lookup(fn: types.FunctionType, name: str) -> tuple[bool, object]:
    """What ``name`` is when ``fn`` runs: a closure's cell, a global or a builtin."""
    code = fn.__code__
    if fn.__closure__ and name in code.co_freevars:
        cell = fn.__closure__[code.co_freevars.index(name)]
        try:
            return True, cell.cell_contents
        except ValueError:
            return False, None
    if name in fn.__globals__:
        return True, fn.__globals__[name]
    if hasattr(builtins, name):
        return True, getattr(builtins, name)
    return False, None


def _module_or_class(fn: types.FunctionType, path: list[str] | None, local: set[str]) -> object:
    """The module or class the first name of a dotted ``path`` is in ``fn``'s globals (or
    closure), or ``None`` when it names something else (a local, or nothing)."""
    if path is None or path[0] in local:
        return None
    found, value = _lookup(fn, path[0])
    return value if found and isinstance(value, types.ModuleType | type) else None


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; ``None`` for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]
