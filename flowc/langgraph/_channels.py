"""LangGraph's ``DeltaChannel`` state fields, as flowc reducer fields.

``Annotated[list, DeltaChannel(reducer)]`` is a field whose ``reducer`` takes
the current value and a *batch* of writes, and must give the same value
however the writes are batched. flowc applies writes one at a time, so the
field becomes ``Annotated[list, reduce]`` with ``reduce(current, update) ==
reducer(current, [update])`` (an ``Overwrite`` write replaces the value), and a
state class with such fields is remade with those annotations. A checkpoint
then stores the field's whole value, where LangGraph's stores only its writes
(see docs/differences-from-langgraph.md).
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

import typing_extensions

from flowc.dsl.typerules import strip_qualifiers

from . import _objects
from ._adapt import _annotations, _lock

__all__ = ["delta_fields", "is_delta_channel", "with_delta_reducers"]

_DELTA = ("langgraph.channels.delta", "DeltaChannel")


def is_delta_channel(meta: Any) -> bool:
    """Whether an ``Annotated`` extra is a LangGraph ``DeltaChannel`` (an instance)."""
    owner = type(meta)
    return (getattr(owner, "__module__", None), owner.__name__) == _DELTA


def delta_fields(cls: type) -> dict[str, Any]:
    """The fields of ``cls`` kept in a ``DeltaChannel``, each with its channel."""
    out: dict[str, Any] = {}
    for name, tp in _annotations(cls).items():
        tp = strip_qualifiers(tp)
        if get_origin(tp) is Annotated:
            for meta in get_args(tp)[1:]:
                if is_delta_channel(meta):
                    out[name] = meta
    return out


_reducers: dict[int, tuple[Any, Callable[[Any, Any], Any]]] = {}
"""The reducer made for each channel object so far (compiling again reuses its runner)."""


def _reducer_for(channel: Any) -> Callable[[Any, Any], Any]:
    with _lock:
        known = _reducers.get(id(channel))
    if known is not None and known[0] is channel:
        return known[1]
    batch = channel.reducer

    def reduce(current: Any, update: Any) -> Any:
        # an Overwrite write replaces the value, as the channel's `update` does
        if type(update).__name__ == "Overwrite" and hasattr(update, "value"):
            value = update.value
            return channel.typ() if value is None else copy.copy(value)
        return batch(current, [update])

    reduce.__qualname__ = f"delta_{getattr(batch, '__name__', 'reducer')}"
    with _lock:
        _reducers[id(channel)] = (channel, reduce)
    return reduce


_remade: dict[int, tuple[type, type]] = {}


def with_delta_reducers(state: type, channels: dict[str, Any]) -> type:
    """``state`` (a TypedDict) with each ``DeltaChannel`` field a reducer field."""
    with _lock:
        known = _remade.get(id(state))
    if known is not None and known[0] is state:
        return known[1]
    required: frozenset[str] = getattr(state, "__required_keys__", frozenset())
    fields: dict[str, Any] = {}
    for key, tp in _annotations(state).items():
        base = strip_qualifiers(tp)
        if key in channels:
            reduce = _reducer_for(channels[key])
            _objects.serve_import(reduce, "reducer", reduce.__qualname__)
            base = Annotated[get_args(base)[0], reduce]
        wrap = typing.Required if key in required else typing.NotRequired
        fields[key] = wrap[base]
    remade: type = typing_extensions.TypedDict(state.__name__, fields)  # type: ignore[misc]
    remade.__module__ = _objects.MODULE
    remade.__qualname__ = state.__qualname__
    with _lock:
        _remade[id(state)] = (state, remade)
    return remade
