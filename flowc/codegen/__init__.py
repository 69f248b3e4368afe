"""Code generation: checked graph → view model → Jinja → libcst + ruff → files.

The stages are imported when first used: Jinja and libcst take long to import,
and a process that only reads generated code back from a cache
(:mod:`flowc.cache`) never needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowc.dsl.graph import CheckedGraph

    from .render import GeneratedFile, render_graph
    from .validate import TemplateError, validate
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

_LAZY = {
    "GeneratedFile": "render",
    "render_graph": "render",
    "TemplateError": "validate",
    "validate": "validate",
    "WriteError": "write",
    "plan": "write",
    "write_files": "write",
}


def _stage(stage: str) -> Any:
    """Import a stage and bind its names here, over the submodule attribute importing it set
    (the stage ``validate`` and its function ``validate`` share a name)."""
    import importlib

    module = importlib.import_module(f"{__name__}.{stage}")
    for name, owner in _LAZY.items():
        if owner == stage:
            globals()[name] = getattr(module, name)
    return module


def __getattr__(name: str) -> Any:
    stage = _LAZY.get(name)
    if stage is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(_stage(stage), name)


def generate(graph: CheckedGraph) -> list[GeneratedFile]:
    """Every module of ``graph`` (and its subgraphs), rendered, checked and formatted."""
    render_graph = _stage("render").render_graph
    validate = _stage("validate").validate
    return validate(render_graph(graph))  # type: ignore[no-any-return]
