"""Importing the user's code: the only module of the front end that edits ``sys.path``.

Takes a spec's origin and the objects a spec names; gives the folders that
make a spec's modules importable (for as long as it is checked, or, for a
graph named by file, from then on), the annotations of a function or class
resolved one by one (so that one bad annotation neither hides the others nor
goes unreported), a callable's positional parameters, and whether it is async. Resolving a ``module:name``
reference is :func:`flowc.dsl.types.resolve_ref`'s job; this module decides
where it looks. (Above the front end, the command line adds a project's
``python-path`` folders for the length of a command, and the run cache its
own folder.)
"""

from __future__ import annotations

import inspect
import sys
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

__all__ = ["add_to_path", "import_root", "is_async", "positional_parameters", "resolve_annotations"]


def add_to_path(folder: str) -> None:
    """Put ``folder`` first on ``sys.path`` unless it is there already (for good)."""
    if folder not in sys.path:
        sys.path.insert(0, folder)


@contextmanager
def import_root(origin: str) -> Iterator[None]:
    """Make modules next to a spec file importable while checking it."""
    from pathlib import Path

    path = Path(origin)
    folder = str(path.parent.resolve()) if path.suffix == ".toml" else None
    added = folder is not None and folder not in sys.path
    if added:
        assert folder is not None
        sys.path.insert(0, folder)
    try:
        yield
    finally:
        if added:
            with suppress(ValueError):
                sys.path.remove(folder)  # type: ignore[arg-type]


def resolve_annotations(
    obj: Any, localns: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The annotations of a function or class, each resolved on its own.

    Returns the ones that resolve, and for the others why not, so that one bad
    annotation neither hides the rest nor goes unreported.
    """
    target = obj
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or isinstance(obj, type)):
        target = getattr(obj, "__call__", obj)  # noqa: B004 - a callable object's own signature
    with suppress(ValueError):
        target = inspect.unwrap(target)
    try:
        return typing.get_type_hints(target, localns=dict(localns or {}), include_extras=True), {}
    except Exception:
        pass
    hints: dict[str, Any] = {}
    failures: dict[str, str] = {}
    if isinstance(target, type):
        owners = [c for c in reversed(target.__mro__) if c is not object]
        items = [(c, n, a) for c in owners for n, a in vars(c).get("__annotations__", {}).items()]
    else:
        items = [(target, n, a) for n, a in getattr(target, "__annotations__", {}).items()]
    for owner, name, ann in items:
        module = sys.modules.get(getattr(owner, "__module__", ""), None)
        globalns = getattr(target, "__globals__", None) or (vars(module) if module else {})
        probe = _AnnotationProbe({name: ann})
        try:
            hints[name] = typing.get_type_hints(
                probe, globalns=dict(globalns), localns=dict(localns or {}), include_extras=True
            )[name]
            failures.pop(name, None)
        except Exception as exc:
            failures[name] = _exc_text(exc)
    return hints, failures


class _AnnotationProbe:
    """A stand-in object carrying one annotation, to resolve it alone."""

    def __init__(self, annotations: dict[str, Any]) -> None:
        self.__annotations__ = annotations


def _exc_text(exc: BaseException) -> str:
    if isinstance(exc, NameError) and exc.name:
        return f"name `{exc.name}` is not defined"
    return f"{type(exc).__name__}: {exc}"


def positional_parameters(fn: Any) -> list[inspect.Parameter] | None:
    """The parameters ``fn`` takes one by one by position (not ``*args``), or ``None`` when
    its signature cannot be read."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    return [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def is_async(fn: Any) -> bool:
    """Whether calling ``fn`` (a function or a callable object) gives a coroutine."""
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004 - a callable object's own method
    return call is not None and inspect.iscoroutinefunction(call)
