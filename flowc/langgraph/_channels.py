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
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

from flowc.dsl.typerules import strip_qualifiers

from . import _objects
from ._adapt import IdentityMemo, _annotations, remade_typeddict

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


_reducers: IdentityMemo[Any, Callable[[Any, Any], Any]] = IdentityMemo()
"""The reducer made for each channel object so far (compiling again reuses its runner)."""


def _reducer_for(channel: Any) -> Callable[[Any, Any], Any]:
    known = _reducers.get(channel)
    if known is not None:
        return known
    batch = channel.reducer

    def reduce(current: Any, update: Any) -> Any:
        # an Overwrite write replaces the value, as the channel's `update` does
        if type(update).__name__ == "Overwrite" and hasattr(update, "value"):
            value = update.value
            return channel.typ() if value is None else copy.copy(value)
        return batch(current, [update])

    reduce.__qualname__ = f"delta_{getattr(batch, '__name__', 'reducer')}"
    return _reducers.put(channel, reduce)


_remade: IdentityMemo[type, type] = IdentityMemo()


def with_delta_reducers(state: type, channels: dict[str, Any]) -> type:
    """``state`` (a TypedDict) with each ``DeltaChannel`` field a reducer field."""
    known = _remade.get(state)
    if known is not None:
        return known
    fields: dict[str, Any] = {}
    for key, tp in _annotations(state).items():
        if key in channels:
            reduce = _reducer_for(channels[key])
            _objects.serve_import(reduce, "reducer", reduce.__qualname__)
            tp = Annotated[get_args(strip_qualifiers(tp))[0], reduce]
        fields[key] = tp
    return _remade.put(state, remade_typeddict(state, fields))
