"""A node's trace policy: what its task's chain run records to tracers, as LangGraph's.

``process_inputs`` / ``process_outputs`` (LangGraph's ``TracePolicy``) transform the
node's input and output before tracers (``BaseTracer`` s that are no stream
handlers) record them; other handlers, and ``astream_events`` / ``astream_log``,
get the real values. A processor that raises is logged and the real value recorded:
a policy never changes what the node receives or returns.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from langchain_core.tracers._streaming import _StreamingCallbackHandler
from langchain_core.tracers.base import BaseTracer

__all__ = ["aend", "astart", "end", "start"]

logger = logging.getLogger("flowc.integrations")


def _payload(value: Any, transform: Callable[[Any], Any] | None) -> Any:
    if transform is None:
        return value
    try:
        return transform(value)
    except Exception:
        logger.exception("trace input/output processor raised; recording untransformed payload")
        return value


def _split(manager: Any) -> tuple[Any, Any]:
    """``manager`` twice: with its handlers that are no tracers, and with its tracers."""
    real, tracers = copy.copy(manager), copy.copy(manager)
    tracers.handlers = [
        h
        for h in manager.handlers
        if isinstance(h, BaseTracer) and _StreamingCallbackHandler not in type(h).__mro__
    ]
    real.handlers = [h for h in manager.handlers if h not in tracers.handlers]
    return real, tracers


def start(manager: Any, inp: Any, name: str, policy: Any) -> Any:
    """Start the chain run of a task named ``name`` on ``inp``; its run manager."""
    recorded = _payload(inp, getattr(policy, "process_inputs", None))
    if recorded is inp:
        return manager.on_chain_start(None, inp, name=name)
    real, tracers = _split(manager)
    run = real.on_chain_start(None, inp, name=name)
    tracers.on_chain_start(None, recorded, name=name, run_id=run.run_id)
    run.handlers = manager.handlers
    return run


async def astart(manager: Any, inp: Any, name: str, policy: Any) -> Any:
    """Async twin of :func:`start`."""
    recorded = _payload(inp, getattr(policy, "process_inputs", None))
    if recorded is inp:
        return await manager.on_chain_start(None, inp, name=name)
    real, tracers = _split(manager)
    # tracers start last: a cancellation before then leaves no tracer run open
    run = await real.on_chain_start(None, inp, name=name)
    await tracers.on_chain_start(None, recorded, name=name, run_id=run.run_id)
    run.handlers = manager.handlers
    return run


def end(run: Any, output: Any, policy: Any) -> None:
    """End a task's chain run with ``output``."""
    recorded = _payload(output, getattr(policy, "process_outputs", None))
    if recorded is output:
        run.on_chain_end(output)
        return
    real, tracers = _split(run)
    real.on_chain_end(output)
    tracers.on_chain_end(recorded)


async def aend(run: Any, output: Any, policy: Any) -> None:
    """Async twin of :func:`end`."""
    recorded = _payload(output, getattr(policy, "process_outputs", None))
    if recorded is output:
        await run.on_chain_end(output)
        return
    real, tracers = _split(run)
    await real.on_chain_end(output)
    await tracers.on_chain_end(recorded)
