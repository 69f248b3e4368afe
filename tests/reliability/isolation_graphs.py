"""Graphs of the isolation tests: nodes that block until released, meet at
barriers, or count how many of them run at once.

The recorders are module-level; ``reset()`` clears them between tests.
"""

from __future__ import annotations

import asyncio
import operator
import threading
from typing import Annotated, Any, TypedDict

from flowc import START, Graph, get_stream_writer

PATIENCE = 30.0
"""How long a held node waits for HOLD before it gives up (a broken test ends then)."""
HOLD = threading.Event()
"""Set by a test to release the held nodes."""
HELD: list[str] = []
"""Held nodes that started waiting."""
LET_GO: list[str] = []
"""Held nodes that stopped waiting, released or out of patience."""
WIDTH = 8

MEET = threading.Barrier(WIDTH)
"""Every node of ``meeting`` waits here: it passes only once all of them run at once."""
LINGER = 0.1
"""How long a node of ``pairs`` gives a third node the chance to start beside it."""
_counted = threading.Condition()
_running = 0
MOST_RUNNING: list[int] = [0]
"""The most nodes of ``pairs`` that ran at one moment."""
STARTED: list[str] = []
"""Nodes of ``pairs`` in the order they started."""


class LogState(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def reset() -> None:
    """Clear the recorders and barriers (HOLD is cleared too)."""
    HOLD.clear()
    HELD.clear()
    LET_GO.clear()
    MEET.reset()
    STARTED.clear()
    MOST_RUNNING[0] = 0


def _name() -> str:
    from flowc.runtime import current_task

    task = current_task()
    assert task is not None
    return task.name


def held(state: LogState) -> dict[str, Any]:
    """Say so (a ``custom`` event), then wait for HOLD (at most PATIENCE seconds)."""
    name = _name()
    HELD.append(name)
    get_stream_writer()({"held": name})
    try:
        HOLD.wait(PATIENCE)
    finally:
        LET_GO.append(name)
    return {"log": [name]}


blocking = Graph("blocking", LogState)
for _i in range(WIDTH):
    blocking.node(held, name=f"held{_i}")
blocking.edge(START, [f"held{_i}" for _i in range(WIDTH)])


def quick(state: LogState) -> dict[str, Any]:
    return {"log": [_name()]}


unrelated = Graph("unrelated", LogState)
for _name_ in ("q1", "q2", "q3"):
    unrelated.node(quick, name=_name_)
unrelated.edge(START, ["q1", "q2", "q3"])


def talk(state: LogState) -> dict[str, Any]:
    writer = get_stream_writer()
    for i in range(3):
        writer({"said": i})
    return {"log": ["talk"]}


live = Graph("live", LogState)
live.node(talk)
live.edge(START, "talk")


def meet(state: LogState) -> dict[str, Any]:
    """Pass only once all WIDTH nodes wait here at the same time."""
    MEET.wait(PATIENCE)
    return {"log": [_name()]}


meeting = Graph("meeting", LogState)
for _i in range(WIDTH):
    meeting.node(meet, name=f"meet{_i}")
meeting.edge(START, [f"meet{_i}" for _i in range(WIDTH)])


def _linger(name: str) -> None:
    # count this node running for LINGER seconds, or until a third one runs beside
    # it: a run that let more than two run at once shows it, whatever the timing
    global _running
    with _counted:
        STARTED.append(name)
        _running += 1
        MOST_RUNNING[0] = max(MOST_RUNNING[0], _running)
        _counted.notify_all()
        _counted.wait_for(lambda: _running > 2, LINGER)
        _running -= 1


def pair(state: LogState) -> dict[str, Any]:
    """Run for LINGER seconds (less if two others run meanwhile)."""
    name = _name()
    _linger(name)
    return {"log": [name]}


async def apair(state: LogState) -> dict[str, Any]:
    """The async twin of ``pair`` (it lingers on a thread of its own)."""
    name = _name()
    await asyncio.to_thread(_linger, name)
    return {"log": [name]}


PAIR_NODES = tuple(f"p{_i}" for _i in range(6))
pairs = Graph("pairs", LogState)
for _name_ in PAIR_NODES:
    pairs.node(pair, name=_name_)
pairs.edge(START, list(PAIR_NODES))

# p0, p2, p4 are async, p1, p3, p5 sync: one limit counts both kinds
mixed_pairs = Graph("mixed_pairs", LogState)
for _i, _name_ in enumerate(PAIR_NODES):
    mixed_pairs.node(apair if _i % 2 == 0 else pair, name=_name_)
mixed_pairs.edge(START, list(PAIR_NODES))


# a subgraph node: the nested run of ``pairs`` gets the parent run's limit
nesting = Graph("nesting", LogState)
nesting.subgraph("inner", pairs)
nesting.edge(START, "inner")
