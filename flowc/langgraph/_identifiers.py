"""The names of a builder's graphs in generated code: one module per graph of the tree."""

from __future__ import annotations

import keyword
import re

from ._adapt import is_compiled_graph
from ._blueprint import Blueprint

__all__ = ["graph_identifier", "graph_names"]

_NON_IDENT = re.compile(r"\W+")
_ASCII_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def graph_identifier(name: str) -> str:
    """A graph's name as a Python identifier (it names generated modules)."""
    ident = _NON_IDENT.sub("_", name).strip("_") or "graph"
    if ident[0].isdigit():
        ident = f"graph_{ident}"
    plain = (
        _ASCII_IDENT.fullmatch(ident) is not None
        and not keyword.iskeyword(ident)
        and not keyword.issoftkeyword(ident)
    )
    return ident if plain else f"{ident}_"


def graph_names(root: Blueprint) -> dict[int, str]:
    """A distinct module name for every graph of the tree (the root keeps its own)."""
    names: dict[int, str] = {}
    taken: set[str] = set()

    def visit(bp: Blueprint) -> None:
        if id(bp) in names:
            return
        base = graph_identifier(bp.name)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        names[id(bp)] = name
        for node in bp.nodes:
            if is_compiled_graph(node.action):
                visit(node.action.blueprint)

    visit(root)
    return names
