"""A root run without a checkpointer that may stop: on a scratch thread of its own.

LangGraph lets a graph compiled without a checkpointer stop at ``interrupt()``
or at a breakpoint: ``invoke`` returns the state with the ``__interrupt__``
(a breakpoint's with none), the stream ends with the ``__interrupt__`` update,
and nothing can resume the run (``Command(resume=...)`` raises). flowc's
engine records interrupts on a thread, so such a run gets a thread no one
else sees: a fresh in-memory saver, a random ``thread_id``, its checkpoint
stored only as the run ends, and no checkpoint streamed (the runtime's
``SCRATCH``). A graph that can stop neither way runs as before, without one.
"""

from __future__ import annotations

from typing import Any

from flowc.runtime._onthread import SCRATCH
from flowc.runtime._persist import CHECKPOINTER, DURABILITY

from ._adapt import is_compiled_graph

__all__ = ["may_stop", "on_scratch_thread", "stopping"]


def may_stop(unresumable: Any, nodes: Any) -> bool:
    """Whether a graph compiled without a checkpointer may stop a run of it.

    Args:
        unresumable: its nodes that call ``interrupt()`` (the E604 diagnostics
            the builder found).
        nodes: its node records: a subgraph node whose graph may stop stops
            the run too.
    """
    if unresumable:
        return True
    for record in nodes:
        action = record.action
        if is_compiled_graph(action) and (
            action.may_stop or action.interrupt_before_nodes or action.interrupt_after_nodes
        ):
            return True
    return False


def on_scratch_thread(config: Any) -> dict[str, Any]:
    """``config`` with a scratch thread: a saver and a thread of the run's own."""
    from uuid import uuid4  # only a run that may stop pays for the import

    from flowc.savers.memory import InMemorySaver

    out = dict(config or {})
    out["configurable"] = {
        **out.get("configurable", {}),
        CHECKPOINTER: InMemorySaver(),
        "thread_id": f"scratch-{uuid4().hex}",
        DURABILITY: "exit",
        SCRATCH: True,
    }
    return out


def stopping(config: Any) -> bool:
    """Whether a run's config puts it on a scratch thread (its result keeps ``__interrupt__``)."""
    return config is not None and SCRATCH in config.get("configurable", ())
