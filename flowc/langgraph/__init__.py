"""LangGraph's builder API on flowc: change the imports, get a checked, compiled graph.

.. code-block:: python

    # from langgraph.graph import StateGraph, START, END
    # from langgraph.config import get_stream_writer
    from flowc.langgraph import END, START, StateGraph, get_stream_writer

    graph = StateGraph(State).add_node(refine_topic).add_edge(START, "refine_topic").compile()
    for chunk in graph.stream({"topic": "ice cream"}, stream_mode="updates"):
        print(chunk)

``add_messages`` and ``MessagesState`` are flowc's (LangGraph's merge by
message id). ``compile()`` runs flowc's checks (one :class:`GraphCompileError` lists every
problem, each at the builder call it is about), generates a runner module and
returns a graph whose ``stream``, ``astream``, ``invoke`` and ``ainvoke``
produce LangGraph's chunks and results (v1's, or with ``version="v2"``
its stream parts and :class:`GraphOutput`; the conformance tests compare them with LangGraph's,
and docs/differences-from-langgraph.md lists what differs), and whose ``get_graph()``,
``get_input_jsonschema()`` and ``get_output_jsonschema()`` describe it as
LangGraph does. ``Send``, ``Command``, ``interrupt``, ``Interrupt`` and the node policies
``RetryPolicy``, ``CachePolicy`` and ``TimeoutPolicy`` are flowc's (also in
:mod:`flowc.langgraph.types`); ``Runtime`` and ``get_runtime`` are in
:mod:`flowc.langgraph.runtime`, the node caches in ``flowc.langgraph.cache``, the stores
(``compile(store=...)``, ``get_store``) in ``flowc.langgraph.store``. LangGraph's prebuilt agent and tool node
(``create_react_agent``, ``ToolNode``, ``tools_condition``) are in
:mod:`flowc.langgraph.prebuilt`, as in ``langgraph.prebuilt``. LangGraph features flowc
does not support yet fail at ``compile()`` (node options at ``add_node``) with
an :class:`UnsupportedFeatureError` or a diagnostic naming the feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowc.dsl.ends import END, START
from flowc.reducers import add_messages
from flowc.runtime import StreamWriter, get_config, get_stream_writer
from flowc.runtime._overwrite import Overwrite
from flowc.runtime.control import Command, Send
from flowc.runtime.interrupts import Interrupt, interrupt
from flowc.runtime.policies import CachePolicy, RetryPolicy, TimeoutPolicy

from ._builder import StateGraph
from ._compiled import CompiledStateGraph, GraphOutput
from ._errors import GraphCompileError, UnsupportedFeatureError
from ._tracing import TracePolicy

if TYPE_CHECKING:
    from flowc.runtime.store import get_store

    from ._draw import DrawableGraph

__all__ = [
    "END",
    "START",
    "CachePolicy",
    "Command",
    "CompiledStateGraph",
    "DrawableGraph",
    "GraphCompileError",
    "GraphOutput",
    "Interrupt",
    "MessagesState",
    "Overwrite",
    "RetryPolicy",
    "Send",
    "StateGraph",
    "StreamWriter",
    "TimeoutPolicy",
    "TracePolicy",
    "UnsupportedFeatureError",
    "add_messages",
    "get_config",
    "get_store",
    "get_stream_writer",
    "interrupt",
]

_NOT_YET: dict[str, tuple[str, str | None]] = {
    "MessageGraph": ("`MessageGraph` (removed from LangGraph 1.x too) is", "use StateGraph"),
}
"""LangGraph names flowc does not offer: the start of the sentence that refuses the
feature, and the flowc way if there is one."""


def _not_yet(module: str, name: str, feature: str, hint: str | None) -> ImportError:
    # the error of importing `name` from `module`: the feature, then the flowc way
    message = f"{module} has no {name}: {feature} not supported by flowc yet"
    return ImportError(message if hint is None else f"{message}; {hint}", name=name)


def _unknown(module: str, name: str) -> ImportError | AttributeError:
    """The error of asking ``module`` for a name it lacks (naming the feature if LangGraph's)."""
    what = _NOT_YET.get(name)
    if what is not None:
        return _not_yet(module, name, *what)
    return AttributeError(f"module {module!r} has no attribute {name!r}")


_SAVERS = frozenset(("InMemorySaver", "MemorySaver"))
"""Checkpointers: LangGraph has them in ``langgraph.checkpoint``, not here."""

_PREBUILT = frozenset(("create_react_agent", "ToolNode", "tools_condition"))
"""Names LangGraph has in ``langgraph.prebuilt``, where flowc has them too."""


def __getattr__(name: str) -> Any:
    if name in _PREBUILT:
        raise ImportError(
            f"{__name__} has no {name}: import it from flowc.langgraph.prebuilt, "
            "as LangGraph's is imported from langgraph.prebuilt",
            name=name,
        )
    if name in _SAVERS:
        raise ImportError(
            f"{__name__} has no {name}: LangGraph has it in langgraph.checkpoint.memory; "
            "keep that import, or use flowc's own savers (flowc.savers.memory.InMemorySaver, "
            "flowc.savers.sqlite.SqliteSaver, flowc.savers.postgres.PostgresSaver)",
            name=name,
        )
    if name == "MessagesState":
        from ._messages import MessagesState

        return MessagesState
    # imported on first use: a process that only runs a cached graph needs neither
    if name == "get_store":
        from flowc.runtime.store import get_store

        return get_store
    if name == "DrawableGraph":
        from ._draw import DrawableGraph

        return DrawableGraph
    raise _unknown(__name__, name)
