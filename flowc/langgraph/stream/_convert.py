"""A v2 stream part as a v3 :class:`ProtocolEvent` (``langgraph.stream._convert``)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ._types import ProtocolEvent, _ProtocolEventParams

__all__ = ["convert_to_protocol_event"]


def convert_to_protocol_event(part: Mapping[str, Any]) -> ProtocolEvent:
    """``{"type", "ns", "data"[, "interrupts"]}`` as an event (no ``seq`` yet: the mux's)."""
    params: _ProtocolEventParams = {
        "namespace": list(part["ns"]),
        "timestamp": int(time.time() * 1000),
        "data": part["data"],
    }
    if "interrupts" in part:
        params["interrupts"] = part["interrupts"]
    return {"type": "event", "method": part["type"], "params": params}
