"""Objects that generated runner modules of drop-in graphs import from here.

Generated runner modules import every node, router, state class and reducer
as ``from module import name``. Closures, lambdas, bound methods, callable
objects and classes defined inside functions have no such name, and a module
function's name may later name another function (a notebook cell run again),
so the drop-in builder registers every node and router here (and state
classes and reducers that have no name), and a spec names them
``flowc.langgraph._objects:<name>``; this module's ``__getattr__`` serves
them. A name is given once per object and never reused, so a runner module
always imports the very object it was generated for. A name is made of what the
object is (its kind, a hint, a hash of its module and qualified name), numbered
only among objects of the same identity: a process names an object alike whatever
else it registered before.
"""

from __future__ import annotations

import re
import threading
from typing import Any

try:  # the builtin module: hashlib loads OpenSSL first, which the drop-in's warm start skips
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (an interpreter built without it)
    from hashlib import blake2b

__all__ = ["MODULE", "adopt", "ref", "register", "registered", "serve_import"]

MODULE = __name__

_lock = threading.Lock()
_objects: dict[str, Any] = {}
_names: dict[int, str] = {}
_UNSAFE = re.compile(r"[^A-Za-z0-9_]+")


def register(obj: Any, kind: str, hint: str) -> str:
    """The name ``obj`` is served under (registered on first use).

    Args:
        obj: any object.
        kind: what it is (``node``, ``router``, ``state``...), the name's prefix.
        hint: a readable part of the name (a node name, a ``__qualname__``).
    """
    with _lock:
        name = _names.get(id(obj))
        if name is not None and _objects[name] is obj:
            return name
        stem = _UNSAFE.sub("_", hint).strip("_")[:40] or "obj"
        # named after what the object is, not after how many came before it: a process that
        # reads some runners back from the disk cache registers fewer objects than the one that
        # generated them, and must still name the others as that one did (so that their
        # generated text, and its cache entry, is the same)
        base = name = f"{kind}_{stem}_{_identity(obj)}"
        count = 2
        while name in _objects:  # another object of the same identity (closures of one factory)
            name = f"{base}_{count}"
            count += 1
        _objects[name] = obj
        _names[id(obj)] = name
    return name


def _identity(obj: Any) -> str:
    """A short hash of where ``obj`` is defined: its module and qualified name (its class's,
    for an instance)."""
    owner = obj if hasattr(obj, "__qualname__") else type(obj)
    where = f"{getattr(owner, '__module__', '')}:{getattr(owner, '__qualname__', '')}"
    return blake2b(where.encode(), digest_size=4).hexdigest()


def registered(name: str) -> Any:
    """The object registered under ``name``, or ``None``."""
    with _lock:
        return _objects.get(name)


def adopt(objects: list[tuple[str, Any]]) -> bool:
    """Register each object under the name a cached runner module imports it by.

    Returns ``False`` (and registers nothing) if one of the names is another object's:
    that runner cannot be used in this process.
    """
    with _lock:
        if any(_objects.get(name, obj) is not obj for name, obj in objects):
            return False
        for name, obj in objects:
            _objects[name] = obj
            current = _names.get(id(obj))
            if current is None or _objects.get(current) is not obj:
                _names[id(obj)] = name
    return True


def ref(obj: Any, kind: str, hint: str) -> str:
    """``flowc.langgraph._objects:<name>`` for ``obj``."""
    return f"{MODULE}:{register(obj, kind, hint)}"


def serve_import(obj: Any, kind: str, hint: str) -> None:
    """Register ``obj`` and tell the checker's ``import_of`` where generated code finds it.

    For the classes and reducers the checker reads from a state class, which
    it names through ``import_of`` rather than through a spec reference.
    """
    from flowc.dsl.types import serve

    serve(obj, MODULE, register(obj, kind, hint))


def __getattr__(name: str) -> Any:
    try:
        return _objects[name]
    except KeyError:
        raise AttributeError(f"module {MODULE!r} has no registered object {name!r}") from None
