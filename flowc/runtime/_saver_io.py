"""How a run on a thread calls its saver: synchronously, or through the async twins.

A sync run calls the saver's methods as it goes. An async run hands a saver
that is not flowc's its stores through ``aput`` and ``aput_writes``, as
LangGraph's async loop does (LangGraph's async savers refuse sync calls from
the event loop's thread): :class:`_Storing` queues them in
:attr:`_Storing.outbox` and the async driver awaits them in order
(:func:`put_through`). A thread's reads are requests of a sans-I/O procedure
(:data:`Read`), answered by :func:`read_sync` or :func:`read_async`.
flowc's own savers are called through their sync methods in both: their
async twins only hand the sync ones to a worker thread, which a run need not
pay for. Standard library only.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["DURABILITY", "HANDOVER", "Read", "awaits", "put_through", "read_async", "read_sync"]

DURABILITY: Final = "__pregel_durability"
"""The ``configurable`` key of a run's durability (LangGraph's ``CONFIG_KEY_DURABILITY``)."""
HANDOVER: Final = "__flowc_handover"
"""The ``configurable`` key of a put that hands the checkpoint over (``checkpoint.HANDOVER``;
the protocol module is imported by the first run on a thread, not with every runner)."""

Read = tuple[str, tuple[Any, ...]]
"""What a thread's procedure asks its driver to read: ``("get_tuple", (saver, config))`` or
``("earlier", (saver, config, before))`` (the latest checkpoint before ``before``, or ``None``)."""


def awaits(saver: Any) -> bool:
    """Whether an async run awaits ``saver``'s async twins: a saver that is not flowc's."""
    from .checkpoint import BaseCheckpointSaver

    return not isinstance(saver, BaseCheckpointSaver)


def read_sync(op: str, args: tuple[Any, ...]) -> Any:
    """Answer a thread's :data:`Read` by calling its saver."""
    saver, config = args[0], args[1]
    if op == "get_tuple":
        return saver.get_tuple(config)
    for saved in saver.list(config, before=args[2], limit=1):
        return saved
    return None


async def read_async(op: str, args: tuple[Any, ...]) -> Any:
    """Answer a thread's :data:`Read` by awaiting its saver (see :func:`awaits`)."""
    saver, config = args[0], args[1]
    if not awaits(saver):
        return read_sync(op, args)
    if op == "get_tuple":
        return await saver.aget_tuple(config)
    async for saved in saver.alist(config, before=args[2], limit=1):
        return saved
    return None


_PATHLESS: dict[tuple[type, str], bool] = {}
"""Per saver class and method: whether its ``put_writes`` (``aput_writes``) takes no
``task_path`` (a saver written before LangGraph added it)."""


def _pathless(saver: Any, method: str) -> bool:
    key = (type(saver), method)
    found = _PATHLESS.get(key)
    if found is not None:
        return found
    import inspect

    try:
        found = "task_path" not in inspect.signature(getattr(saver, method)).parameters
    except (TypeError, ValueError):
        found = False
    # a method set on the instance is its own: not kept for the class
    if method not in getattr(saver, "__dict__", ()):
        _PATHLESS[key] = found
    return found


class _Storing:
    """A thread's stores: made at once, or queued for the async driver (a base of ``Thread``)."""

    __slots__ = ("outbox", "saver", "told")
    thread_id: str
    ns: str

    saver: Any
    outbox: list[tuple[str, tuple[Any, ...]]] | None
    """An async run's stores its saver awaits; ``None``: the saver's sync methods are called."""
    durability: str
    relaxed: bool
    handover: bool
    told: tuple[dict[str, Any], dict[str, Any]] | None
    deferred_writes: list[tuple[list[tuple[str, Any]], str]]
    config: dict[str, Any]

    def _told(self, config: dict[str, Any]) -> dict[str, Any]:
        """``config``, with the run's durability for a saver that takes it into account and
        ``HANDOVER`` for one that is handed the checkpoints (configs are never changed once
        made: the latest answer is kept, as a step's writes and checkpoint both ask)."""
        told = self.told
        if told is not None and told[0] is config:
            return told[1]
        extra: dict[str, Any] = {}
        if self.relaxed:
            extra[DURABILITY] = self.durability
        if self.handover:
            extra[HANDOVER] = True
        answer = {"configurable": {**config["configurable"], **extra}} if extra else config
        self.told = (config, answer)
        return answer

    def config_of(self, checkpoint_id: str | None) -> dict[str, Any]:
        """The config naming checkpoint ``checkpoint_id`` of this thread (its latest for ``None``)."""
        configurable: dict[str, Any] = {"thread_id": self.thread_id, "checkpoint_ns": self.ns}
        if checkpoint_id is not None:
            configurable["checkpoint_id"] = checkpoint_id
        return {"configurable": configurable}

    def _put_writes(self, writes: list[tuple[str, Any]], tid: str) -> None:
        if self.durability == "exit":
            self.deferred_writes.append((writes, tid))
        else:
            self._store_writes(self._told(self.config), writes, tid)

    def _store_writes(
        self, config: dict[str, Any], writes: list[tuple[str, Any]], tid: str
    ) -> None:
        outbox = self.outbox
        method = "put_writes" if outbox is None else "aput_writes"
        # as LangGraph: `task_path` only for a saver whose method takes it
        args = (config, writes, tid) if _pathless(self.saver, method) else (config, writes, tid, "")
        if outbox is None:
            self.saver.put_writes(*args)
        else:
            outbox.append((method, args))

    def _store(
        self,
        config: dict[str, Any],
        checkpoint: dict[str, Any],
        metadata: dict[str, Any],
        new_versions: dict[str, Any],
    ) -> dict[str, Any]:
        """Store ``checkpoint``; the config naming it (the parent of the next one)."""
        outbox = self.outbox
        if outbox is None:
            return dict(self.saver.put(config, checkpoint, metadata, new_versions))
        outbox.append(("aput", (config, checkpoint, metadata, new_versions)))
        # LangGraph's async loop names the checkpoint itself, without waiting for the saver
        return self.config_of(checkpoint["id"])


async def put_through(thread: _Storing) -> None:
    """Await the stores ``thread`` queued for its saver, in order (see :class:`_Storing`).

    A store that fails drops the ones after it and raises its error, as LangGraph's does.
    """
    outbox = thread.outbox
    if not outbox:
        return
    saver = thread.saver
    queued = list(outbox)
    outbox.clear()
    for op, args in queued:
        await getattr(saver, op)(*args)
