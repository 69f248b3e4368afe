"""Code generation: checked graph → view model → Jinja → libcst + ruff → files.

Jinja and libcst are imported when first used: they take long to import, and a
process that reads its generated code back from a cache (:mod:`flowc.cache`)
needs neither. The names below are imported on first use too, so that reading
the cache folder's settings (:mod:`flowc.codegen.cachedir`) imports nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowc.runtime._lazy import lazy_names

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
    "GeneratedFile": ".render",
    "render_graph": ".render",
    "TemplateError": ".validation",
    "validate": ".validation",
    "WriteError": ".write",
    "plan": ".write",
    "write_files": ".write",
}


__getattr__ = lazy_names(__name__, _HOMES)


def generate(graph: CheckedGraph) -> list[GeneratedFile]:
    """Every module of ``graph`` (and its subgraphs), rendered, checked and formatted."""
    from .render import render_graph
    from .validation import validate

    return validate(render_graph(graph))
