"""flowc: a typed dataflow DSL that compiles graphs into plain, typed Python runners.

Declare a graph in TOML or with :class:`Graph`, check it (``flowc check``),
compile it (``flowc compile``) and import the generated module, whose
``stream`` yields typed events in LangGraph's stream modes.
"""

from __future__ import annotations

from flowc.build import build
from flowc.dsl import END, START, Graph, GraphSpec
from flowc.runtime import StreamWriter, get_config, get_stream_writer

__all__ = [
    "END",
    "START",
    "Graph",
    "GraphSpec",
    "StreamWriter",
    "build",
    "get_config",
    "get_stream_writer",
]

__version__ = "0.1.0"
