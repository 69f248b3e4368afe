"""Make parallel nodes finish in a chosen order, so that streams are repeatable.

Parallel tasks run on threads (or asyncio tasks), and the order in which they
finish decides the order of their ``updates`` chunks. Example graphs that show
this take turns through a :class:`Relay`: each node waits for its turn, and
gives the previous node a moment to be reported finished first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

__all__ = ["Relay"]

_GAP = 0.02
"""How long a node waits after its turn comes, so the previous node's return is seen first.

The previous node hands the turn on just before it returns; its thread needs
this long, even on a busy machine, to return and be reported finished.
"""
_PATIENCE = 5.0
"""Longest wait for a turn; a run that never gives the turn (run sequentially) still ends."""


class Relay:
    """Lets the nodes named in ``order`` finish one after the other, in that order."""

    def __init__(self, order: Sequence[str]) -> None:
        self.order = tuple(order)
        self._turn = 0
        self._cond = threading.Condition()

    def wait_turn(self, name: str) -> None:
        """Block until it is ``name``'s turn to finish."""
        with self._cond:
            self._cond.wait_for(lambda: self.order[self._turn] == name, timeout=_PATIENCE)
        time.sleep(_GAP)

    def done(self) -> None:
        """Pass the turn on (the last node hands it back to the first, for the next run)."""
        with self._cond:
            self._turn = (self._turn + 1) % len(self.order)
            self._cond.notify_all()
