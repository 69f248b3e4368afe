"""The chunks and results of a run in LangGraph's shapes: what ``stream`` yields and ``invoke`` returns."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flowc.runtime._sequenced import SequencedWrites
from flowc.runtime.events import InterruptEvent

from ._roots import ROOT
from ._run_options import _KEY_ACCESS

OutputT = TypeVar("OutputT")


_INTERRUPT = "__interrupt__"


@dataclass(frozen=True)
class GraphOutput(Generic[OutputT]):
    """What ``invoke`` / ``ainvoke`` return with ``version="v2"``: LangGraph's ``GraphOutput``.

    Attributes:
        value: the final state (a dict, or the dataclass / pydantic state's class).
        interrupts: the interrupts the run stopped at (``Interrupt`` s), else ``()``.
    """

    value: OutputT
    interrupts: tuple[Any, ...] = ()

    def __getitem__(self, key: str) -> Any:
        """Deprecated in LangGraph too: ``result[key]`` reads ``value`` (or the interrupts)."""
        warnings.warn(_KEY_ACCESS, DeprecationWarning, stacklevel=2)
        if key == _INTERRUPT:
            return self.interrupts
        if isinstance(self.value, dict):
            return self.value[key]
        try:
            return getattr(self.value, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        """Deprecated in LangGraph too: ``key in result`` looks in ``value``."""
        warnings.warn(
            _KEY_ACCESS.replace("`result[key]`", "`key in result`"),
            DeprecationWarning,
            stacklevel=2,
        )
        if key == _INTERRUPT:
            return bool(self.interrupts)
        if isinstance(self.value, dict):
            return key in self.value
        return isinstance(key, str) and hasattr(self.value, key)


_UNSET = object()


def _output_chunks(
    chunks: Iterator[Any],
    stream_mode: Any,
    version: str,
    keys: tuple[str, ...],
    input: Any,
    subgraphs: bool = False,
) -> Iterator[Any]:
    """The chunks ``invoke`` returns when the output keys are not the state's, as LangGraph
    reads them: an update shows the output keys it wrote (``None`` if none), and a values
    chunk comes only after a step that wrote an output key, with those keys only.

    Whether a step wrote an output key is seen from the values themselves: a key whose value
    is the same object as in the chunk before was not written (a node that writes back the
    very object it read is the one case this misses). A subgraph's chunks (``subgraphs=True``)
    are its own, and kept as they are.
    """
    written = set(input) if isinstance(input, Mapping) else set(keys)
    previous: dict[str, Any] | None = None
    for chunk in chunks:
        ns: tuple[str, ...] = ()
        if version == "v2":
            ns, mode, data = chunk["ns"], chunk["type"], chunk["data"]
        elif subgraphs:
            ns, *rest = chunk
            mode, data = (stream_mode, rest[0]) if isinstance(stream_mode, str) else rest
        elif isinstance(stream_mode, str):
            mode, data = stream_mode, chunk
        else:
            mode, data = chunk
        if ns:
            yield chunk
        elif mode == "updates" and isinstance(data, dict):
            data = {
                node: {k: v for k, v in update.items() if k in keys} or None
                if isinstance(update, dict)
                else update
                for node, update in data.items()
            }
        elif mode == "values" and isinstance(data, dict):
            if previous is None:
                fresh = any(k in written for k in keys)
            else:
                fresh = any(data.get(k, _UNSET) is not previous.get(k, _UNSET) for k in keys)
            previous = data
            if not fresh:
                continue
            data = {k: data[k] for k in keys if k in data}
        if ns:
            continue
        if version == "v2":
            yield {**chunk, "data": data}
        elif subgraphs:
            yield (ns, data) if isinstance(stream_mode, str) else (ns, mode, data)
        elif isinstance(stream_mode, str):
            yield data
        else:
            yield (mode, data)


def _root_value(state: Any) -> Any:
    return state.get(ROOT) if isinstance(state, dict) else state


def _root_result(result: Any) -> Any:
    # a task's writes: LangGraph names the root channel `__root__`
    if isinstance(result, dict) and ROOT in result:
        return {"__root__": result[ROOT], **{k: v for k, v in result.items() if k != ROOT}}
    return result


def _root_task(payload: Any) -> Any:
    """A tasks (or debug) payload of a root-state graph, as LangGraph shows it."""
    if not isinstance(payload, dict):
        return payload
    out = dict(payload)
    if "input" in out:
        out["input"] = _root_value(out["input"])
    if "result" in out:
        out["result"] = _root_result(out["result"])
    if "values" in out:
        out["values"] = _root_value(out["values"])
    if isinstance(out.get("tasks"), list):
        out["tasks"] = [_root_task(t) for t in out["tasks"]]
    return out


def _root_data(mode: str, data: Any) -> Any:
    """A chunk's data of a root-state graph: the value where flowc has its one key."""
    if mode == "values":
        if isinstance(data, dict) and _INTERRUPT in data:
            # LangGraph's values chunk of an interrupt holds the interrupts alone
            return {_INTERRUPT: data[_INTERRUPT]}
        return _root_value(data)
    if mode == "updates" and isinstance(data, dict):
        return {
            node: [_root_value(u) for u in update]
            if type(update) is SequencedWrites
            else _root_value(update)
            for node, update in data.items()
        }
    if mode in ("tasks", "checkpoints"):
        return _root_task(data)
    if mode == "debug" and isinstance(data, dict) and "payload" in data:
        return {**data, "payload": _root_task(data["payload"])}
    return data


def _root_part_data(part: Any) -> Any:
    """A v2 part's data of a root-state graph. LangGraph's values part of an interrupt has
    ``{}`` for its data (a TypedDict state's has the values)."""
    if part["type"] == "values" and part.get("interrupts"):
        return {}
    return _root_data(part["type"], part["data"])


def _root_chunks(
    chunks: Iterator[Any], stream_mode: Any, version: str, subgraphs: bool
) -> Iterator[Any]:
    """The chunks of a root-state graph, in every shape ``stream`` gives them.

    With a tuple of modes LangGraph's chunks carry no mode: they were asked for as a list
    (see :func:`_tagged`), and lose their mode here.
    """
    single = "updates" if stream_mode is None else stream_mode
    untag = isinstance(stream_mode, tuple)
    for chunk in chunks:
        if version == "v2":
            yield {**chunk, "data": _root_part_data(chunk)}
        elif subgraphs and isinstance(single, str):
            yield (chunk[0], _root_data(single, chunk[1]))
        elif subgraphs:
            data = _root_data(chunk[1], chunk[2])
            yield (chunk[0], data) if untag else (chunk[0], chunk[1], data)
        elif isinstance(single, str):
            yield _root_data(single, chunk)
        else:
            data = _root_data(chunk[0], chunk[1])
            yield data if untag else (chunk[0], data)


def _tagged(stream_mode: Any, root: bool) -> Any:
    """The modes to ask the runner for: a tuple as a list for a root state, whose chunks are
    reshaped by mode."""
    return list(stream_mode) if root and isinstance(stream_mode, tuple) else stream_mode


async def _aroot_chunks(
    chunks: AsyncIterator[Any], stream_mode: Any, version: str, subgraphs: bool
) -> AsyncIterator[Any]:
    try:
        async for chunk in chunks:
            for out in _root_chunks(iter((chunk,)), stream_mode, version, subgraphs):
                yield out
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()


def _result(chunks: list[Any], stream_mode: str, version: str) -> Any:
    """What ``invoke`` returns, given every chunk of its run (already shaped for the output)."""
    if stream_mode != "values":
        return chunks
    # v2 (a v1 run in "values" mode reads events, not chunks): values parts carry interrupts
    latest = chunks[-1]["data"] if chunks else None
    interrupts = tuple(i for chunk in chunks for i in chunk.get("interrupts", ()))
    return GraphOutput(latest, interrupts)


def _latest(events: list[Any]) -> Any:
    """What a v1 ``invoke`` in ``values`` mode returns: the last state, with its interrupts.

    As LangGraph's: the interrupts of every ``{"__interrupt__": ...}`` update,
    as a list under ``"__interrupt__"`` (none for a breakpoint's empty one).
    """
    latest = None
    interrupts: list[Any] = []
    for event in events:
        if event.mode == "values":
            latest = event.chunk()
        elif type(event) is InterruptEvent:
            interrupts.extend(event.interrupts)
    if interrupts:
        return (
            {**latest, _INTERRUPT: interrupts}
            if isinstance(latest, dict)
            else {_INTERRUPT: interrupts}
        )
    return latest
