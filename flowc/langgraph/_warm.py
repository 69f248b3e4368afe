"""The drop-in's warm start: a builder's key before any check, and its runner read back.

Takes a frozen builder (:class:`Blueprint`), gives the key of its generated
modules in the drop-in's disk cache (:func:`warm_key`), computed without
lowering, checking or generating anything, so that a process that finds the
modules there imports neither the checker, nor pydantic, nor the code
generator. The key is a hash of:

- what the builder recorded (node names, edges, routers, path maps, metadata,
  policies, the places of the calls), and the subgraphs' builders;
- the source identity of every object the checker or the stream analysis
  (:mod:`flowc.dsl.streams`) may read: each function's compiled code, defaults
  and annotations, the functions and classes it refers to by name (followed
  through globals, closures and module attributes), each class's bases,
  annotations and constructor; and the text of each source file they come
  from (so an edited helper, state class or type invalidates the entry);
- the Python version and a stamp of every source file of flowc itself (its
  version, names, sizes and modification times): another flowc never reads
  this one's entries.

Installed code (under ``site-packages``) is described by its compiled code, its
file's text and its package's version and first file, not followed further: it
changes when the package is upgraded or reinstalled, which changes those.

What cannot be described this way (an object of unknown kind, a chain of
references too deep or too wide) makes no key: such a builder is checked and
its code is keyed after the check (:func:`flowc.cache.cache_key`), as before.
Values that are not callable (a closure's number, a module's constants) are
described by their type only: the checker and the analysis read no more of
them, and the generated code binds the objects of the process that runs it.

A generated module imports the builder's nodes and routers from
:mod:`flowc.langgraph._objects` by the names they were registered under; an
entry records each name with where its object sits in the builder
(:func:`object_paths`), so that a hit registers this process's objects under
the same names (:func:`adopt`).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import marshal
import os
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any

try:  # the builtin module: hashlib loads OpenSSL first, a tenth of the drop-in's warm start
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (an interpreter built without it)
    from hashlib import blake2b

from . import _objects
from ._adapt import _annotations, _metadata, is_compiled_graph
from ._blueprint import Blueprint

__all__ = ["adopt", "object_paths", "resolve_paths", "warm_key"]

_FORMAT = "flowc-dropin-warm-1"
_MAX_DEPTH = 24
"""References followed this deep at most (the stream analysis follows 8 calls)."""
_MAX_OBJECTS = 2000
"""Objects described at most: a builder reaching further is checked instead."""
_STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
_THIRD_PARTY = ("site-packages", "dist-packages")


_ABSENT = object()


class _Opaque(Exception):
    """Something the key cannot describe: no key for this builder."""


def warm_key(bp: Blueprint, stateful: bool) -> str | None:
    """The key of ``bp``'s generated modules, or ``None`` if it cannot be made unchecked."""
    describer = _Describer()
    try:
        root = describer.token(bp, 0)
    except Exception:
        # _Opaque, a RecursionError, or a user object that fails to be looked at: no key,
        # and the builder is checked as it always was
        return None
    digest = blake2b(digest_size=16)
    for part in (_FORMAT, sys.version, flowc_stamp(), repr(stateful), root, *describer.defs):
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:32]


@functools.cache
def flowc_stamp() -> str:
    """flowc's version and the name, size and modification time of each of its sources."""
    import flowc

    root = os.path.dirname(flowc.__file__)
    rows = [getattr(flowc, "__version__", "")]
    todo = [root]
    while todo:
        folder = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        todo.append(entry.path)
                elif entry.name.endswith((".py", ".j2", ".pyi", ".toml")):
                    info = entry.stat()
                    rel = entry.path[len(root) :]
                    rows.append(f"{rel}:{info.st_size}:{info.st_mtime_ns}")
    rows[1:] = sorted(rows[1:])
    return blake2b("\n".join(rows).encode(), digest_size=16).hexdigest()


_file_digests: dict[str, tuple[int, int, str]] = {}


def _file_token(path: str | None) -> str:
    """The digest of a source file's text (or of the lines ``linecache`` holds for it)."""
    if not path:
        return "nofile"
    if path.startswith("<"):
        # code without a file: its lines, if something registered them (IPython does)
        linecache = sys.modules.get("linecache")
        lines = None if linecache is None else linecache.cache.get(path)
        if not lines or not isinstance(lines, tuple) or len(lines) < 3:
            return f"{path}:none"
        text = "".join(lines[2])
        return f"{path}:{blake2b(text.encode(), digest_size=12).hexdigest()}"
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}:missing"
    known = _file_digests.get(path)
    if known is not None and known[:2] == (info.st_mtime_ns, info.st_size):
        return f"{path}:{known[2]}"
    try:
        with open(path, "rb") as handle:
            digest = blake2b(handle.read(), digest_size=12).hexdigest()
    except OSError:
        return f"{path}:unreadable"
    _file_digests[path] = (info.st_mtime_ns, info.st_size, digest)
    return f"{path}:{digest}"


def _root(module: str | None) -> str:
    return (module or "").partition(".")[0]


def _module_file(module: str | None) -> str | None:
    found = sys.modules.get(module or "")
    path = getattr(found, "__file__", None)
    return path if isinstance(path, str) else None


def _package_token(module: str | None) -> str:
    top = sys.modules.get(_root(module))
    version = getattr(top, "__version__", None)
    return f"{_root(module)}:{version if isinstance(version, str) else ''}:" + _file_token(
        getattr(top, "__file__", None)
    )


def _code_names(code: types.CodeType) -> set[str]:
    """Every name the code (or code nested in it) looks up: globals, attributes, methods."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


_TYPING_MODULES = frozenset({"typing", "typing_extensions", "types", "collections.abc"})


class _Describer:
    """One key's walk: each object is described once; later references name it by number."""

    def __init__(self) -> None:
        self.defs: list[str] = []
        self._seen: dict[int, str] = {}
        self._alive: list[Any] = []
        """The objects described, kept so that no id is reused during the walk."""

    def token(self, obj: Any, depth: int) -> str:
        if obj is None or isinstance(obj, bool | int | float | complex | str | bytes):
            return repr(obj)
        if isinstance(obj, enum.Enum):
            return f"enum({self.token(type(obj), depth + 1)}.{obj.name})"
        known = self._seen.get(id(obj))
        if known is not None:
            return known
        if depth > _MAX_DEPTH or len(self.defs) >= _MAX_OBJECTS:
            raise _Opaque
        ref = f"@{len(self.defs)}"
        self._seen[id(obj)] = ref
        self._alive.append(obj)
        self.defs.append("")
        self.defs[int(ref[1:])] = self._describe(obj, depth + 1)
        return ref

    def _many(self, items: Any, depth: int) -> str:
        return ",".join(self.token(item, depth) for item in items)

    def _describe(self, obj: Any, depth: int) -> str:
        if is_compiled_graph(obj):
            stateful = bool(getattr(obj, "stateful", False))
            if getattr(obj, "checkpointless", False):
                return f"graph({self.token(obj.blueprint, depth)},{stateful},checkpointless)"
            return f"graph({self.token(obj.blueprint, depth)},{stateful})"
        if isinstance(obj, Blueprint) or (
            dataclasses.is_dataclass(obj) and not isinstance(obj, type)
        ):
            fields = ",".join(
                f"{f.name}={self.token(getattr(obj, f.name), depth)}"
                for f in dataclasses.fields(obj)
            )
            return f"data({self._class(type(obj), depth)};{fields})"
        if isinstance(obj, list | tuple):
            kind = type(obj)
            head = kind.__name__ if kind in (list, tuple) else self.token(kind, depth)
            return f"{head}({self._many(obj, depth)})"
        if isinstance(obj, dict):
            items = ",".join(
                f"{self.token(k, depth)}:{self.token(v, depth)}" for k, v in obj.items()
            )
            return f"dict({items})"
        if isinstance(obj, set | frozenset):
            return f"set({','.join(sorted(self.token(item, depth) for item in obj))})"
        if isinstance(obj, types.ModuleType):
            if _root(obj.__name__) in _STDLIB or _root(obj.__name__) == "flowc":
                return f"module({obj.__name__})"
            return f"module({obj.__name__};{_file_token(getattr(obj, '__file__', None))})"
        if isinstance(obj, types.FunctionType):
            return self._function(obj, depth)
        if isinstance(obj, types.MethodType):
            return (
                f"method({self.token(obj.__func__, depth)};{self.token(type(obj.__self__), depth)})"
            )
        if isinstance(obj, functools.partial):
            args = ",".join(self._callable_or_type(a, depth) for a in obj.args)
            keywords = ",".join(
                f"{k}={self._callable_or_type(v, depth)}" for k, v in obj.keywords.items()
            )
            return f"partial({self.token(obj.func, depth)};{args};{keywords})"
        if isinstance(obj, type):
            return self._class(obj, depth)
        if isinstance(obj, staticmethod | classmethod):
            return f"{type(obj).__name__}({self.token(obj.__func__, depth)})"
        if isinstance(obj, property):
            return f"property({self._many((obj.fget, obj.fset, obj.fdel), depth)})"
        if isinstance(obj, types.BuiltinFunctionType | types.BuiltinMethodType):
            owner = getattr(obj, "__self__", None)
            if owner is not None and not isinstance(owner, types.ModuleType):
                raise _Opaque  # a method bound to some object
            return f"builtin({obj.__module__}.{obj.__qualname__})"
        typed = self._typing(obj, depth)
        if typed is not None:
            return typed
        if callable(obj):
            # the checker reads the signature of its class's __call__, the analysis
            # counts any such object as streaming: its state changes neither; an object
            # whose lowering reads its state (a tool node's tools) names that state
            parts = getattr(type(obj), "warm_parts", None)
            state = "" if parts is None else ";" + self.token(parts(obj), depth)
            return f"instance({self.token(type(obj), depth)}{state})"
        raise _Opaque

    def _callable_or_type(self, value: Any, depth: int) -> str:
        if callable(value) or isinstance(value, types.ModuleType):
            return self.token(value, depth)
        return f"value({type(value).__module__}.{type(value).__qualname__})"

    def _function(self, fn: types.FunctionType, depth: int) -> str:
        module = fn.__module__
        head = f"fn({module}.{fn.__qualname__}"
        if _root(module) in _STDLIB or _root(module) == "flowc":
            return head + ")"  # fixed by the Python version, or by flowc's stamp
        code = fn.__code__
        # version 2: no back-references, whose use depends on reference counts
        compiled = blake2b(marshal.dumps(code, 2), digest_size=12).hexdigest()
        if any(part in code.co_filename for part in _THIRD_PARTY):
            # installed code: its file, and its package's version and first file, which an
            # upgrade changes; what it calls in turn is not followed
            return f"{head};{compiled};{_file_token(code.co_filename)};{_package_token(module)})"
        parts = [
            head,
            compiled,
            _file_token(code.co_filename),
            self.token(fn.__defaults__, depth),
            self.token(fn.__kwdefaults__, depth),
            self._annotations_of(fn, depth),
        ]
        for name, cell in zip(code.co_freevars, fn.__closure__ or (), strict=False):
            try:
                value = cell.cell_contents
            except ValueError:
                parts.append(f"{name}=empty")
                continue
            parts.append(f"{name}={self._callable_or_type(value, depth)}")
        scope = fn.__globals__
        names = sorted(_code_names(code))
        for name in names:
            if name in scope:
                value = scope[name]
                parts.append(f"{name}={self._callable_or_type(value, depth)}")
                parts.extend(self._attributes(value, names, depth, 0))
        return ";".join(parts) + ")"

    def _attributes(self, owner: Any, names: list[str], depth: int, level: int) -> list[str]:
        """The attributes of a module or class that the code may read (``mod.helper()``,
        ``mod.Class.make()``): the analysis follows such paths."""
        if not isinstance(owner, types.ModuleType | type) or level > 4:
            return []
        home = owner.__name__ if isinstance(owner, types.ModuleType) else owner.__module__
        if _root(home) in _STDLIB or _root(home) == "flowc":
            return []
        out = []
        for name in names:
            if isinstance(owner, types.ModuleType):
                value = vars(owner).get(name, _ABSENT)
            else:
                value = next((vars(c)[name] for c in owner.__mro__ if name in vars(c)), _ABSENT)
            if value is _ABSENT or value is owner:
                continue
            out.append(f".{name}={self._callable_or_type(value, depth)}")
            out.extend(self._attributes(value, names, depth, level + 1))
        return out

    def _annotations_of(self, obj: Any, depth: int) -> str:
        try:
            hints = typing.get_type_hints(obj, include_extras=True)
        except Exception:
            hints = dict(getattr(obj, "__annotations__", None) or {})
        return "ann(" + ",".join(f"{k}:{self.token(v, depth)}" for k, v in hints.items()) + ")"

    def _class(self, cls: type, depth: int) -> str:
        module = cls.__module__
        head = f"class({module}.{cls.__qualname__}"
        if _root(module) in _STDLIB or _root(module) == "flowc":
            return head + ")"
        path = _module_file(module)
        parts = [head, _file_token(path)]
        parts.extend(self.token(base, depth) for base in cls.__mro__[1:] if base is not object)
        if path is not None and any(part in path for part in _THIRD_PARTY):
            # installed code changes with its files, each of which is in the key
            return ";".join([*parts, _package_token(module)]) + ")"
        parts.append(self._annotations_of(cls, depth))
        for name in ("__new__", "__init__", "__post_init__", "__call__"):
            method = vars(cls).get(name)
            if isinstance(method, staticmethod | classmethod):
                method = method.__func__
            if isinstance(method, types.FunctionType):
                parts.append(f"{name}={self.token(method, depth)}")
        return ";".join(parts) + ")"

    def _typing(self, obj: Any, depth: int) -> str | None:
        """A type expression (``list[int]``, ``Annotated[...]``, a ``TypeVar``), or ``None``."""
        origin = typing.get_origin(obj)
        if origin is not None:
            metadata = getattr(obj, "__metadata__", None)
            args = typing.get_args(obj)
            extra = "" if metadata is None else f";meta({self._many(metadata, depth)})"
            return f"tp({self._typing_name(origin, depth)};{self._many(args, depth)}{extra})"
        if type(obj).__module__ not in _TYPING_MODULES:
            return None
        if isinstance(obj, typing.TypeVar):
            bound = self.token(obj.__bound__, depth)
            return f"typevar({obj.__name__};{bound};{self._many(obj.__constraints__, depth)})"
        if isinstance(obj, typing.ForwardRef):
            return f"forward({obj.__forward_arg__!r})"
        text = repr(obj)
        if " at 0x" in text:
            raise _Opaque
        return f"typing({text})"

    def _typing_name(self, origin: Any, depth: int) -> str:
        if isinstance(origin, type):
            return self.token(origin, depth)
        text = repr(origin)
        if " at 0x" in text:
            raise _Opaque
        return text


# -- where the registered objects sit in a builder ------------------------------------------


def _candidates(bp: Blueprint, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every object of ``bp`` (and of its subgraphs) a runner may import, with its place."""
    here = "/".join(map(str, prefix))
    yield f"{here}/state", bp.state
    if bp.input_schema is not None:
        yield f"{here}/input", bp.input_schema
    if bp.output_schema is not None:
        yield f"{here}/output", bp.output_schema
    if isinstance(bp.state, type):
        for name, tp in _annotations(bp.state).items():
            for index, meta in enumerate(_metadata(tp)):
                yield f"{here}/meta/{name}/{index}", meta
    for index, record in enumerate(bp.nodes):
        if is_compiled_graph(record.action):
            yield from _candidates(record.action.blueprint, (*prefix, "sub", index))
            continue
        yield f"{here}/node/{index}", record.action
        if record.input_schema is not None:
            yield f"{here}/in/{index}", record.input_schema
    for index, branch in enumerate(bp.branches):
        yield f"{here}/branch/{index}", branch.path


def object_paths(bp: Blueprint, names: list[str]) -> list[tuple[str, str]] | None:
    """Each registered name with the place of its object in ``bp``; ``None`` if one is not
    an object of the builder (a wrapper lowering made, which a new process cannot name)."""
    places: dict[int, str] = {}
    for place, obj in _candidates(bp):
        places.setdefault(id(obj), place)
    out: list[tuple[str, str]] = []
    for name in names:
        obj = _objects.registered(name)
        found = places.get(id(obj)) if obj is not None else None
        if found is None:
            return None
        out.append((name, found))
    return out


def resolve_paths(bp: Blueprint, paths: list[tuple[str, str]]) -> list[tuple[str, Any]] | None:
    """The objects of ``bp`` at the recorded places, or ``None`` if one is missing."""
    found = dict(_candidates(bp))
    out = []
    for name, place in paths:
        if place not in found:
            return None
        out.append((name, found[place]))
    return out


def adopt(objects: list[tuple[str, Any]]) -> bool:
    """Register each object under its recorded name; ``False`` if a name is another's."""
    return _objects.adopt(objects)
