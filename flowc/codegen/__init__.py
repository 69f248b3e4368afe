"""Code generation: checked graph → view model → Jinja → libcst + ruff → files.

Jinja and libcst are imported when first used: they take long to import, and a
process that reads its generated code back from a cache (:mod:`flowc.cache`)
needs neither. The names below are imported on first use too, so that reading
the cache folder's settings (:mod:`flowc.codegen.cachedir`) imports nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowc.dsl.graph import CheckedGraph

    from .render import GeneratedFile, render_graph
    from .validation import TemplateError, validate
    from .write import WriteError, plan, write_files

__all__ = [
    "GeneratedFile",
    "TemplateError",
    "WriteError",
    "generate",
    "plan",
    "render_graph",
    "validate",
    "write_files",
]

_HOMES = {
    "GeneratedFile": "render",
    "render_graph": "render",
    "TemplateError": "validation",
    "validate": "validation",
    "WriteError": "write",
    "plan": "write",
    "write_files": "write",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def generate(graph: CheckedGraph) -> list[GeneratedFile]:
    """Every module of ``graph`` (and its subgraphs), rendered, checked and formatted."""
    from .render import render_graph
    from .validation import validate

    return validate(render_graph(graph))
