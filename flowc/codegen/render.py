"""Render: view models → module texts, through Jinja templates.

Takes a :class:`CheckedGraph`, gives one :class:`GeneratedFile` per module
(a runner and a types module per graph, subgraphs included). Templates only
place what :mod:`flowc.codegen.view` computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from flowc.dsl.graph import CheckedGraph

from .view import GraphView, tree_views

if TYPE_CHECKING:
    import jinja2

__all__ = ["GeneratedFile", "render_graph"]


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """One generated module: its file name, its text and the template that made it."""

    name: str
    text: str
    template: str

    @property
    def module(self) -> str:
        """The module's name within its package."""
        return self.name.removesuffix(".py")


@cache
def _env() -> jinja2.Environment:
    # imported here: a process that reads its modules from the cache renders nothing
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("flowc.codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _render(template: str, view: GraphView) -> str:
    return _env().get_template(template).render(g=view)


def render_graph(graph: CheckedGraph) -> list[GeneratedFile]:
    """Every module of ``graph`` and of its subgraphs (children first)."""
    out: list[GeneratedFile] = []
    for view in tree_views(graph):
        out.append(
            GeneratedFile(f"{view.types_module}.py", _render("types.py.j2", view), "types.py.j2")
        )
        out.append(
            GeneratedFile(f"{view.module}.py", _render("runner.py.j2", view), "runner.py.j2")
        )
    return out
