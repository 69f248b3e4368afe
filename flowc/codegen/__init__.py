"""Code generation: checked graph → view model → Jinja → libcst + ruff → files.

Jinja and libcst are imported when first used: they take long to import, and a
process that reads its generated code back from a cache (:mod:`flowc.cache`)
needs neither.
"""

from __future__ import annotations

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


def generate(graph: CheckedGraph) -> list[GeneratedFile]:
    """Every module of ``graph`` (and its subgraphs), rendered, checked and formatted."""
    return validate(render_graph(graph))
