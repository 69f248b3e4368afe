"""``langgraph.config`` on flowc: the stream writer, the config and the store of the running node."""

from __future__ import annotations

from flowc.runtime import get_config, get_stream_writer
from flowc.runtime.store import get_store

__all__ = ["get_config", "get_store", "get_stream_writer"]
