"""Front ends and checks: TOML or decorators → :class:`GraphSpec` → checked graph.

The names below are imported on first use: the checker, pydantic and the TOML
models take long to import, and a process that only runs cached code (a
drop-in graph read back from the disk cache) imports a few of the light
modules here (``diagnostics``, ``usercode``) and never the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowc.runtime._lazy import lazy_names

if TYPE_CHECKING:
    from .checker import check
    from .decorators import Agent, Graph, field
    from .diagnostics import Diagnostic, DiagnosticError, SourceMap, Span, render, render_all
    from .graph import CheckedGraph, CheckResult
    from .load import check_target, load_target
    from .spec import END, START, GraphSpec

__all__ = [
    "END",
    "START",
    "Agent",
    "CheckResult",
    "CheckedGraph",
    "Diagnostic",
    "DiagnosticError",
    "Graph",
    "GraphSpec",
    "SourceMap",
    "Span",
    "check",
    "check_target",
    "field",
    "load_target",
    "render",
    "render_all",
]

_HOMES = {
    "check": ".checker",
    "Agent": ".decorators",
    "Graph": ".decorators",
    "field": ".decorators",
    "Diagnostic": ".diagnostics",
    "DiagnosticError": ".diagnostics",
    "SourceMap": ".diagnostics",
    "Span": ".diagnostics",
    "render": ".diagnostics",
    "render_all": ".diagnostics",
    "CheckedGraph": ".graph",
    "CheckResult": ".graph",
    "check_target": ".load",
    "load_target": ".load",
    "END": ".spec",
    "START": ".spec",
    "GraphSpec": ".spec",
}


__getattr__ = lazy_names(__name__, _HOMES)
