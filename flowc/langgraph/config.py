"""``langgraph.config`` on flowc: the stream writer and the config of the running node."""

from __future__ import annotations

from flowc.runtime import get_config, get_stream_writer

__all__ = ["get_config", "get_stream_writer"]
