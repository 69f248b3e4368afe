"""LangGraph's ``debug=True`` and ``print_mode=``: a run's chunks printed to stdout as they come.

LangGraph prints each chunk of a printed mode as ``[mode] payload`` (the mode in bold, the
payload's ``repr``), and a subgraph's chunk, when ``subgraphs=True``, with its namespace in
yellow between them (``[mode] [graph=('child:<id>',)] payload``). ``debug=True`` (on
``compile`` or on a run) prints the ``updates`` and ``values`` modes, whatever ``print_mode``
says. A printed mode is streamed too, but only the chunks of the asked modes are yielded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from ._chunks import _root_data

__all__ = ["aprinted", "print_event", "print_modes", "printed", "run_modes"]

_BOLD = "\033[1m{}\033[0m"
_YELLOW = "\033[1;30;33m{}\033[0m"
"""``get_bolded_text`` and ``get_colored_text(..., "yellow")`` of ``langgraph.pregel.debug``."""


def print_modes(debug: bool | None, print_mode: Any) -> tuple[str, ...]:
    """The modes a run prints: ``updates`` and ``values`` with ``debug``, else ``print_mode``'s."""
    if debug:
        return ("updates", "values")
    if not print_mode:
        return ()
    return (print_mode,) if isinstance(print_mode, str) else tuple(print_mode)


def _asked(stream_mode: Any) -> tuple[str, ...]:
    if stream_mode is None:
        return ("updates",)
    return (stream_mode,) if isinstance(stream_mode, str) else tuple(stream_mode)


def run_modes(stream_mode: Any, printing: Sequence[str]) -> list[str]:
    """The modes to run with: the asked ones, then the printed ones, each once, as a list."""
    return list(dict.fromkeys((*_asked(stream_mode), *printing)))


def _print(ns: tuple[str, ...], mode: str, payload: Any, subgraphs: bool) -> None:
    parts = [_BOLD.format(f"[{mode}]")]
    if subgraphs and ns:
        parts.append(_YELLOW.format(f"[graph={ns}]"))
    parts.append(repr(payload))
    print(" ".join(parts))


def print_event(event: Any, root: bool) -> None:
    """Print one of a run's events (a v1 ``invoke`` reads events, not chunks)."""
    payload = event.chunk()
    _print(event.ns, event.mode, _root_data(event.mode, payload) if root else payload, False)


def _shaped(
    chunk: Any,
    stream_mode: Any,
    subgraphs: bool,
    version: str,
    printing: Sequence[str],
    root: bool,
) -> tuple[bool, Any]:
    """Print ``chunk`` (of a run with :func:`run_modes` as a list) if its mode is printed;
    whether it is of an asked mode, and its shape for the asked ``stream_mode``.

    ``root``: the chunk is a root-state graph's as the runner gives it, printed as LangGraph
    shows it (:func:`~._chunks._root_data`) but passed on as it is.
    """
    if version == "v2":
        ns, mode, payload = chunk["ns"], chunk["type"], chunk["data"]
        if mode == "values" and chunk.get("interrupts") and isinstance(payload, dict):
            payload = {**payload, "__interrupt__": chunk["interrupts"]}
    elif subgraphs:
        ns, mode, payload = chunk
    else:
        ns, (mode, payload) = (), chunk
    if mode in printing:
        _print(ns, mode, _root_data(mode, payload) if root else payload, subgraphs)
    if mode not in _asked(stream_mode):
        return False, None
    if version == "v2":
        return True, chunk
    tagged = isinstance(stream_mode, list)
    if subgraphs:
        return True, (ns, mode, payload) if tagged else (ns, payload)
    return True, (mode, payload) if tagged else payload


def printed(
    chunks: Iterator[Any],
    stream_mode: Any,
    subgraphs: bool,
    version: str,
    printing: Sequence[str],
    root: bool = False,
) -> Iterator[Any]:
    """``chunks`` of a run with :func:`run_modes`, printed and shaped as ``stream_mode`` asks."""
    for chunk in chunks:
        asked, shaped = _shaped(chunk, stream_mode, subgraphs, version, printing, root)
        if asked:
            yield shaped


async def aprinted(
    chunks: AsyncIterator[Any],
    stream_mode: Any,
    subgraphs: bool,
    version: str,
    printing: Sequence[str],
    root: bool = False,
) -> AsyncIterator[Any]:
    """Async twin of :func:`printed`."""
    try:
        async for chunk in chunks:
            asked, shaped = _shaped(chunk, stream_mode, subgraphs, version, printing, root)
            if asked:
                yield shaped
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]
