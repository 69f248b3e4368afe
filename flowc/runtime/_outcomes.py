"""What a node or router returned, checked; streams that fail late; small run helpers.

:func:`check_update` and :func:`check_concurrent_writes` check writes as
LangGraph does, :func:`route` checks a router's pick, and :func:`failing`
hands a refused argument's error to the first ``next()``, as LangGraph raises it.
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Final, TypeVar

from .control import as_send
from .errors import InvalidUpdateError
from .events import (
    StreamMode,
)

# asyncio, hashlib, uuid and the worker pool are imported where they are
# used: together they would double what importing a generated module costs,
# and a sync run of a graph without parallel steps needs none of them.
if TYPE_CHECKING:
    pass

from ._task import current_task

T = TypeVar("T")
R = TypeVar("R")


def failing(error: Exception) -> Iterator[Any]:
    """A stream that raises ``error`` when it is first asked for an event.

    A runner starts a run when ``stream()`` is called, and hands back its
    superstep loop itself; arguments it refuses raise here instead, on the
    first ``next()``, as they do in LangGraph.
    """
    yield from ()
    raise error


async def afailing(error: Exception) -> AsyncGenerator[Any, None]:
    """Async twin of :func:`failing`: raises ``error`` on the first ``anext()``."""
    nothing: tuple[Any, ...] = ()
    for item in nothing:
        yield item
    raise error


def drain(events: Generator[T, None, R], sink: Callable[[T], None]) -> R:
    """Send every item of ``events`` to ``sink``; return what the generator returns."""
    while True:
        try:
            item = next(events)
        except StopIteration as stop:
            result: R = stop.value
            return result
        sink(item)


async def adrain(events: AsyncIterator[T], sink: Callable[[T], None]) -> None:
    """Async twin of :func:`drain`."""
    async for item in events:
        sink(item)


def ignore(_: Any) -> None:
    """An ``emit`` that drops events (a task's placeholder until it is scheduled)."""
    return None


def default_mode() -> StreamMode:
    """LangGraph's default ``stream_mode``: ``values`` inside a running task, else ``updates``."""
    return "values" if current_task() is not None else "updates"


_MISSING: Final = object()


def shared_input(state: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys of a dataclass or pydantic state that a subgraph node passes to its graph.

    LangGraph reads them from the instance the node receives: every field of a
    dataclass; of a pydantic model, the fields that are not ``None`` unless set
    or defaulted to something else.
    """
    fields_set = getattr(state, "model_fields_set", None)
    if fields_set is None:
        return {
            key: value for key in keys if (value := getattr(state, key, _MISSING)) is not _MISSING
        }
    defaults = {name: info.default for name, info in type(state).model_fields.items()}
    return {
        key: value
        for key in keys
        if (value := getattr(state, key, _MISSING)) is not _MISSING
        and (value is not None or defaults.get(key, _MISSING) is not None or key in fields_set)
    }


def check_concurrent_writes(
    updates: Sequence[Mapping[str, Any] | None],
    last_value: frozenset[str],
    untracked: frozenset[str] = frozenset(),
) -> None:
    """Fail as LangGraph does when tasks of one superstep wrote the same plain key.

    ``updates`` are the superstep's writes in the order they are applied; the
    key named is the first (in that order) that got a second value.

    Raises:
        InvalidUpdateError: when a key without a reducer was written twice.
    """
    counts: dict[str, int] = {}
    for update in updates:
        if update:
            for key in update.keys():  # noqa: SIM118 (SequencedWrites iterates writes)
                if key in last_value:
                    counts[key] = counts.get(key, 0) + 1
    for key, count in counts.items():
        if count > 1 and key in untracked:
            raise InvalidUpdateError(
                f"At key '{key}': UntrackedValue(guard=True) can receive only one value per "
                "step. Use guard=False if you want to store any one of multiple values."
            )
        if count > 1:
            raise InvalidUpdateError(
                f"At key '{key}': Can receive only one value per step. "
                "Use an Annotated key to handle multiple values.\n"
                "For troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/"
                "errors/INVALID_CONCURRENT_GRAPH_UPDATE"
            )


def check_update(node: str, update: Any, keys: frozenset[str]) -> dict[str, Any] | None:
    """A node's return value as a dict of writes (``None`` for no writes).

    Raises:
        InvalidUpdateError: for anything but a mapping of state keys or ``None``.
    """
    if update is None:
        return None
    writes: dict[str, Any]
    if type(update) is dict:
        writes = update
    elif isinstance(update, Mapping):
        writes = dict(update)
    else:
        raise InvalidUpdateError(
            f"node {node!r} returned {type(update).__name__}; "
            "a node returns a dict of state keys, or None"
        )
    if not writes:
        return None
    if not keys.issuperset(writes):
        unknown = sorted(str(k) for k in writes if k not in keys)
        raise InvalidUpdateError(
            f"node {node!r} wrote {', '.join(repr(k) for k in unknown)}, "
            f"which the state does not have (state keys: {', '.join(sorted(keys))})"
        )
    return writes


_END_NAMES: Final[frozenset[str]] = frozenset(("__end__", "END"))


def route(
    router: str,
    result: Any,
    targets: tuple[str, ...],
    path_map: Mapping[str, str] | None,
) -> tuple[Any, ...]:
    """The nodes a router's return value leads to (END left out), and the ``Send``s it made.

    Raises:
        InvalidUpdateError: if the router named something it may not lead to.
    """
    if isinstance(result, str):
        picks: tuple[Any, ...] = (result,)
    elif isinstance(result, list | tuple):
        picks = tuple(result)
    elif (one := as_send(result)) is not None:
        picks = (one,)
    else:
        raise InvalidUpdateError(
            f"router {router!r} returned {result!r}; a router returns a node name or a list of them"
        )
    out: list[Any] = []
    for pick in picks:
        send = as_send(pick) if not isinstance(pick, str) else None
        if send is not None:
            # a Send names its node itself, whatever the path map (the engine checks it)
            out.append(send)
            continue
        if path_map is not None:
            if pick not in path_map:
                raise InvalidUpdateError(
                    f"router {router!r} returned {pick!r}, which its path map does not map"
                )
            pick = path_map[pick]
        if pick in _END_NAMES:
            continue
        if pick not in targets:
            raise InvalidUpdateError(
                f"router {router!r} returned {pick!r}; it may lead to "
                + ", ".join(repr(t) for t in targets)
            )
        out.append(pick)
    return tuple(out)


def no_sync(node: str) -> TypeError:
    """LangGraph's error for an async-only node reached by a sync run."""
    return TypeError(
        f'No synchronous function provided to "{node}".\n'
        "Either initialize with a synchronous function or invoke via the async API "
        "(ainvoke, astream, etc.)"
    )
