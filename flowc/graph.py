"""``flowc.Graph``: a graph declared in Python, which compiles itself in memory.

The builder is :class:`flowc.dsl.decorators.Graph`: it records the calls
(``add_node``, ``add_edge``...) with where they were written and lowers them
to a :class:`~flowc.dsl.spec.GraphSpec`. This subclass adds the one method
that needs the code generator, a layer above the front end:
:meth:`Graph.compile`, as LangGraph's ``StateGraph.compile``.
"""

from __future__ import annotations

import types

from flowc.dsl import decorators
from flowc.dsl.decorators import S
from flowc.inmemory import build

__all__ = ["Graph"]


class Graph(decorators.Graph[S]):
    """A graph declared in Python; the arguments are those of
    :class:`flowc.dsl.decorators.Graph`."""

    def compile(self) -> types.ModuleType:
        """Check and generate this graph's runner module, in memory (see :func:`flowc.build`)."""
        return build(self)
