"""Up to date: whether ``flowc compile`` may skip a spec whose modules are current.

Takes a spec target and the output folder, tells without checking or
rendering anything whether the spec's modules are current: every module of
the spec and of each of its subgraphs exists, opens with the banner of the
spec's current hash, and is dated after the last change to flowc's code
generator and to the modules the spec names (nodes, routers, reducers, state
and types). A spec that does not load, or that is not a TOML file, is never
known to be current: the caller compiles it. What the named modules import in
turn is not followed; ``flowc compile --force`` regenerates everything.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flowc.dsl.load import is_toml_target, load_subgraph, load_target
from flowc.dsl.spec import REDUCER_ALIASES, GraphSpec

from .view import banner_text

__all__ = ["Found", "current_files", "mark_current"]

_REF = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*):[A-Za-z_]")


@dataclass(frozen=True, slots=True)
class Found:
    """The modules of a spec whose banners carry its current hash (and ``__init__.py``)."""

    files: tuple[Path, ...]
    current: bool
    """Whether they are also newer than everything they were made from."""


def current_files(target: str, out: Path) -> Found | None:
    """The modules ``target`` makes in ``out``, if their banners match the spec."""
    if not is_toml_target(target):
        return None
    loaded, origin = load_target(target)
    if loaded.spec is None or loaded.diagnostics:
        return None
    files: list[Path] = []
    sources: list[Path] = [*_generator_sources()]
    if not _collect(loaded.spec, origin, out, files, sources, set()):
        return None
    init = out / "__init__.py"
    if not init.is_file():
        return None
    try:
        newest_source = max(os.stat(path).st_mtime_ns for path in sources)
        oldest_output = min(os.stat(path).st_mtime_ns for path in files)
    except OSError:
        return None
    # the package's __init__.py is part of the output, but never rewritten: not dated
    return Found((*files, init), oldest_output > newest_source)


def mark_current(files: Iterable[Path]) -> None:
    """Date modules now that a compile found them unchanged, so the next may skip them."""
    for path in files:
        with suppress(OSError):
            os.utime(path)


def _collect(
    spec: GraphSpec,
    origin: str,
    out: Path,
    files: list[Path],
    sources: list[Path],
    seen: set[str],
) -> bool:
    """Add the modules of ``spec`` and its subgraphs, and the files they depend on."""
    if spec.name in seen:
        return True
    seen.add(spec.name)
    expected = "# " + banner_text(origin, spec.digest()) + "\n"
    for name in (f"{spec.name}_types.py", f"{spec.name}.py"):
        path = out / name
        try:
            with path.open(encoding="utf-8") as handle:
                if handle.readline() != expected:
                    return False
        except (OSError, UnicodeDecodeError):
            return False
        files.append(path)
    for module in _modules_named(spec):
        try:
            source = _module_file(module)
        except LookupError:
            return False
        if source is not None:
            sources.append(source)
    for node in spec.nodes:
        if node.subgraph is None:
            continue
        if not is_toml_target(node.subgraph):
            return False
        sub, _, diags, sub_origin = load_subgraph(node.subgraph, origin)
        if sub is None or diags:
            return False
        if not _collect(sub, sub_origin, out, files, sources, seen):
            return False
    return True


def _modules_named(spec: GraphSpec) -> set[str]:
    """Every module that a reference of the spec names (``module:name``, in types too)."""
    texts = [spec.state.class_ref or "", spec.custom_type or ""]
    for f in spec.state.fields:
        texts += [f.type, REDUCER_ALIASES.get(f.reducer or "", f.reducer or "")]
    for node in spec.nodes:
        texts += [node.call or "", node.custom_type or ""]
    texts += [branch.router for branch in spec.branches]
    return {match.group(1) for text in texts for match in _REF.finditer(text)}


def _module_file(module: str) -> Path | None:
    """The source file of ``module`` (``None`` if it has none), found without
    importing it where that can be done.

    Raises:
        LookupError: if there is no such module.
    """
    loaded = sys.modules.get(module)
    origin = getattr(loaded, "__file__", None) if loaded is not None else None
    if loaded is None:
        try:
            found = importlib.util.find_spec(module)
        except (ImportError, ValueError) as exc:
            raise LookupError(module) from exc
        if found is None:
            raise LookupError(module)
        origin = found.origin
    if origin is None or not os.path.isfile(origin):
        return None  # built in, or a namespace package: no file an edit could change
    return Path(origin)


@cache
def _generator_sources() -> tuple[Path, ...]:
    """flowc's code generator: a newer flowc regenerates everything."""
    root = Path(__file__).resolve().parent.parent
    return tuple(
        path
        for folder in ("codegen", "dsl")
        for path in (root / folder).rglob("*")
        if path.suffix in (".py", ".j2")
    )
