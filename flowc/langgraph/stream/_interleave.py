"""``GraphRunStream.interleave``: several projections read as one, in push order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .stream_channel import StreamChannel

if TYPE_CHECKING:
    from .run_stream import GraphRunStream

__all__ = ["interleave"]


def _claim(run: GraphRunStream, names: Sequence[str]) -> dict[str, StreamChannel[Any]]:
    channels: dict[str, StreamChannel[Any]] = {}
    try:
        for name in names:
            channel = run.extensions[name]
            if not isinstance(channel, StreamChannel):
                raise TypeError(
                    "interleave() requires StreamChannel projections, "
                    f"got {type(channel).__name__} for {name!r}"
                )
            if channel._is_async is None:
                raise TypeError(
                    f"StreamChannel {name!r} has not been bound yet. "
                    "Register the transformer with a StreamMux first."
                )
            if channel._is_async:
                raise TypeError(
                    f"StreamChannel {name!r} is bound to async mode — "
                    "sync interleave() cannot consume async channels."
                )
            if channel._subscribed:
                raise RuntimeError(
                    f"StreamChannel {name!r} already has a subscriber; use .tee(n) for fan-out."
                )
            channel._subscribed = True
            channels[name] = channel
    except BaseException:
        _release(channels)
        raise
    return channels


def _release(channels: dict[str, StreamChannel[Any]]) -> None:
    for channel in channels.values():
        channel._subscribed = False


def _settle(channels: dict[str, StreamChannel[Any]], done: set[str]) -> None:
    # a closed, drained channel is done (a failed one raises its error)
    for name, channel in channels.items():
        if name not in done and not channel._items and channel._closed:
            if channel._error is not None:
                raise channel._error
            done.add(name)


def interleave(run: GraphRunStream, names: Sequence[str]) -> Iterator[tuple[str, Any]]:
    """Yield the earliest-stamped queued item of ``names``, pumping the run when none is."""
    channels = _claim(run, names)
    try:
        done: set[str] = set()
        while len(done) < len(channels):
            _settle(channels, done)
            queued = [(ch._items[0][0], name) for name, ch in channels.items() if ch._items]
            if queued:
                _, name = min(queued)
                yield name, channels[name]._items.popleft()[1]
                continue
            if len(done) == len(channels):
                break
            pump = run._mux._pump_fn
            if pump is None or not pump():
                before = len(done)
                _settle(channels, done)
                if len(done) == before:
                    break
    finally:
        _release(channels)
