"""Front-end dispatch: a target (``spec.toml`` or ``module:attribute``) → spec.

This is the only place in the front half that reads files. A TOML target is
read and handed to :mod:`flowc.dsl.toml_loader`; a ``module:attribute`` target
is imported and must be a :class:`flowc.dsl.decorators.Graph` (or a
:class:`GraphSpec`).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from .check import CheckResult, check
from .diagnostics import Diagnostic, SourceMap, Span
from .spec import GraphSpec
from .toml_loader import LoadResult, load_toml
from .types import RefError, parse_ref

__all__ = ["check_target", "is_toml_target", "load_subgraph", "load_target"]


def is_toml_target(target: str) -> bool:
    """True for a TOML spec path (as opposed to ``module:attribute``)."""
    return target.endswith(".toml") or os.sep in target or Path(target).is_file()


def load_target(target: str) -> tuple[LoadResult, str]:
    """Load a spec from a path or a ``module:attribute``; returns it and its origin."""
    if is_toml_target(target):
        path = Path(target)
        smap = SourceMap(target)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return LoadResult(None, smap, (Diagnostic.error("E000", f"no such file: {target}", None),)), target
        except OSError as exc:
            return LoadResult(None, smap, (Diagnostic.error("E000", f"cannot read {target}: {exc.strerror}", None),)), target
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            diag = Diagnostic.error("E001", "invalid TOML: the file is not UTF-8 text", Span(target, line, col))
            return LoadResult(None, smap, (diag,)), target
        return load_toml(text, target), target
    return _load_python(target), target


def _load_python(target: str) -> LoadResult:
    from .decorators import Graph

    smap = SourceMap(target)
    try:
        module_name, attr = parse_ref(target)
    except RefError as exc:
        return LoadResult(None, smap, (Diagnostic.error("E000", str(exc), None),))
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj: object = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except Exception as exc:
        msg = f"cannot load `{target}`: {type(exc).__name__}: {exc}"
        return LoadResult(None, smap, (Diagnostic.error("E000", msg, None),))
    if isinstance(obj, Graph):
        spec, gmap, diags = obj.to_spec()
        return LoadResult(spec, gmap, diags)
    if isinstance(obj, GraphSpec):
        return LoadResult(obj, smap, ())
    msg = f"`{target}` is a {type(obj).__name__}, not a flowc Graph"
    return LoadResult(None, smap, (Diagnostic.error("E000", msg, None),))


def load_subgraph(
    ref: str, from_origin: str
) -> tuple[GraphSpec | None, SourceMap, tuple[Diagnostic, ...], str]:
    """Load the spec a subgraph node names, relative to the spec that names it."""
    if is_toml_target(ref) and is_toml_target(from_origin):
        ref = os.path.normpath(os.path.join(os.path.dirname(from_origin), ref))
    result, origin = load_target(ref)
    return result.spec, result.source_map, result.diagnostics, origin


def check_target(target: str) -> CheckResult:
    """Load and check one target."""
    loaded, origin = load_target(target)
    if loaded.spec is None:
        return CheckResult(None, loaded.diagnostics, loaded.source_map)
    result = check(loaded.spec, loaded.source_map, origin, load_subgraph=load_subgraph)
    return CheckResult(result.graph, (*loaded.diagnostics, *result.diagnostics), result.source_map)
