"""Front ends and checks: TOML or decorators → :class:`GraphSpec` → checked graph."""

from __future__ import annotations

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
