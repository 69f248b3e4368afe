"""flowc: a typed dataflow DSL that compiles graphs into plain, typed Python runners.

Declare a graph in TOML or with :class:`Graph`, check it (``flowc check``),
compile it (``flowc compile``) and import the generated module, whose
``stream`` yields typed events in LangGraph's stream modes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowc.runtime import StreamWriter, get_config, get_stream_writer
from flowc.runtime import interrupts as _interrupts
from flowc.runtime._lazy import lazy_names

if TYPE_CHECKING:
    from flowc.dsl import END, START, Agent, GraphSpec
    from flowc.graph import Graph
    from flowc.inmemory import build

__all__ = [
    "END",
    "START",
    "Agent",
    "Graph",
    "GraphSpec",
    "StreamWriter",
    "build",
    "get_config",
    "get_stream_writer",
]

__version__ = "0.1.0"


def _type_adapter(cls: Any) -> Any:
    """The validator ``interrupt(..., response_schema=cls)`` checks an answer with."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


# the runtime imports only the standard library: the package lends it pydantic's validator
_interrupts.schema_validator = _type_adapter

# Generated runner modules import `flowc.runtime`, which imports this package
# first: the compiler's names (pydantic, Jinja, libcst behind them) load on
# first use, so that a runner's import costs only the runtime's.
_LAZY = {
    "build": "flowc.inmemory",
    "END": "flowc.dsl",
    "START": "flowc.dsl",
    "Agent": "flowc.dsl",
    "Graph": "flowc.graph",
    "GraphSpec": "flowc.dsl",
}


__getattr__ = lazy_names(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
