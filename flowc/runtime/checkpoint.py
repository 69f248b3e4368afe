"""The checkpointer protocol: what a durable run stores, and the interface of a saver.

The data has LangGraph's shape (``Checkpoint``, ``CheckpointMetadata``,
``CheckpointTuple`` with its pending writes) so that a LangGraph program's
state and a saver written for LangGraph map one to one. :class:`BaseCheckpointSaver`
is what every saver of :mod:`flowc.savers` implements: the sync methods are
the contract, and the async twins run them in a worker thread unless a saver
has a native async path (Postgres does).

Serialisation is pluggable (:class:`SerializerProtocol`, LangGraph's
``dumps_typed``/``loads_typed`` shape). The default, :class:`JsonSerializer`,
writes JSON for JSON values and a tagged JSON form for the rest; it unpickles
nothing unless pickle was opted into. A value that cannot be encoded or
decoded raises :class:`CheckpointSerializationError` naming the channel and the
checkpoint, never a silent ``None``.

Standard library only, like the rest of the runtime. The superstep engine
writes checkpoints through this interface on runs on a thread (:mod:`._persist`).
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import random
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypedDict

from ._serde import (
    CheckpointSerializationError,
    JsonSerializer,
    SerializerProtocol,
    decode_value,
    encode_json,
    encode_value,
    plain_json,
)
from ._thread_keys import config_metadata, with_config_metadata

__all__ = [
    "ERROR",
    "HANDOVER",
    "INTERRUPT",
    "RESUME",
    "SCHEDULED",
    "WRITES_IDX_MAP",
    "BaseCheckpointSaver",
    "ChannelVersions",
    "Checkpoint",
    "CheckpointConfig",
    "CheckpointMetadata",
    "CheckpointSerializationError",
    "CheckpointSource",
    "CheckpointTuple",
    "JsonSerializer",
    "PendingWrite",
    "SerializerProtocol",
    "check_prune_strategy",
    "checkpoint_config",
    "checkpoint_metadata",
    "decode_value",
    "empty_checkpoint",
    "encode_json",
    "encode_value",
    "metadata_matches",
    "next_version",
    "plain_json",
    "thread_of",
    "timestamp_text",
    "uuid6",
    "uuid6_text",
    "version_count",
    "version_tie_break",
    "write_index",
    "writes_sort_key",
]

ChannelVersions = dict[str, str | int | float]
"""Channel name → its version (monotonically increasing within a thread)."""

PendingWrite = tuple[str, str, Any]
"""``(task_id, channel, value)``: one write a task made after a checkpoint."""

CheckpointConfig = Mapping[str, Any]
"""A run config: its ``configurable`` holds ``thread_id``, ``checkpoint_ns``, ``checkpoint_id``."""

CheckpointSource = Literal["input", "loop", "update", "fork"]

HANDOVER = "__flowc_handover"
"""The ``configurable`` key of a ``put`` whose caller hands the checkpoint over: it never
changes the checkpoint, or any part of it, afterwards (the engine's puts, for a saver whose
``handover`` is true), so the saver may keep its parts without copying them."""

ERROR = "__error__"
SCHEDULED = "__scheduled__"
INTERRUPT = "__interrupt__"
RESUME = "__resume__"

WRITES_IDX_MAP: Mapping[str, int] = {ERROR: -1, SCHEDULED: -2, INTERRUPT: -3, RESUME: -4}
"""The fixed (negative) index of each special write.

A special write replaces an earlier one of its task (an upsert): a retried
task records its latest error or interrupt. A normal write is stored at its
position in the task's list and never replaced, so a task retried after a
crash cannot double a write.
"""


class Checkpoint(TypedDict):
    """The state of a thread at one step: channel values and versions."""

    v: int
    """Format version of the checkpoint (1)."""
    id: str
    """Unique and monotonically increasing (a uuid6): sorting ids sorts checkpoints."""
    ts: str
    """ISO 8601 time of the checkpoint."""
    channel_values: dict[str, Any]
    channel_versions: ChannelVersions
    versions_seen: dict[str, ChannelVersions]
    """Node → channel → the version of that channel the node last ran on."""
    updated_channels: list[str] | None
    pending_sends: NotRequired[list[Any]]
    """Legacy (LangGraph < 0.4); kept when present."""


class CheckpointMetadata(TypedDict, total=False):
    """What is known about a checkpoint besides the state."""

    source: CheckpointSource
    """``input`` (from a run's input), ``loop`` (a superstep), ``update`` (``update_state``), ``fork``."""
    step: int
    """-1 for the input checkpoint, then 0, 1, …"""
    parents: dict[str, str]
    """Checkpoint namespace → id of the parent graph's checkpoint (subgraphs)."""
    run_id: str


@dataclass(frozen=True, slots=True)
class CheckpointTuple:
    """A stored checkpoint with its config, metadata, parent and pending writes."""

    config: dict[str, Any]
    checkpoint: Checkpoint
    metadata: CheckpointMetadata
    parent_config: dict[str, Any] | None = None
    pending_writes: list[PendingWrite] | None = None


def writes_sort_key(task_path: str, task_id: str = "", idx: int = 0) -> tuple[str, str, int]:
    """The order a superstep applies its tasks' writes in; ``pending_writes`` follow it."""
    return (task_path, task_id, idx)


def write_index(channel: str, position: int) -> int:
    """Index a write is stored under: its position, or the special channel's fixed index."""
    return WRITES_IDX_MAP.get(channel, position)


# --- ids and versions --------------------------------------------------------------------

_UUID_EPOCH_100NS = 0x01B21DD213814000  # 1582-10-15 → 1970-01-01 in 100 ns units
_last_timestamp = 0
_id_lock = threading.Lock()


def _uuid6_timestamp() -> int:
    global _last_timestamp
    with _id_lock:
        timestamp = time.time_ns() // 100 + _UUID_EPOCH_100NS
        if timestamp <= _last_timestamp:
            timestamp = _last_timestamp + 1
        _last_timestamp = timestamp
    return timestamp


def _uuid6_int(clock_seq: int | None) -> int:
    timestamp = _uuid6_timestamp()
    if clock_seq is None:
        clock_seq = random.getrandbits(14)
    node = random.getrandbits(48)
    time_high_mid = (timestamp >> 12) & 0xFFFF_FFFF_FFFF
    time_low = timestamp & 0x0FFF
    value = (time_high_mid << 80) | (0x6 << 76) | (time_low << 64)
    return value | (0b10 << 62) | ((clock_seq & 0x3FFF) << 48) | node


def uuid6(clock_seq: int | None = None) -> uuid.UUID:
    """A version 6 UUID (RFC 9562): time-ordered, so its string sorts by creation.

    Within a process the timestamp strictly increases, even for ids made in the
    same 100 ns, so ids made one after the other always sort in that order.
    """
    return uuid.UUID(int=_uuid6_int(clock_seq))


def uuid6_text(clock_seq: int | None = None) -> str:
    """``str(uuid6(clock_seq))``, made without a ``UUID`` object (a checkpoint's id, per step)."""
    timestamp = _uuid6_timestamp()
    if clock_seq is None:
        clock_seq = random.getrandbits(14)
    high_mid = (timestamp >> 12) & 0xFFFF_FFFF_FFFF
    return (
        f"{high_mid >> 16:08x}-{high_mid & 0xFFFF:04x}-6{timestamp & 0x0FFF:03x}-"
        f"{0x8000 | (clock_seq & 0x3FFF):04x}-{random.getrandbits(48):012x}"
    )


_stamp_second: tuple[int, str] = (-1, "")
"""The last second :func:`timestamp_text` formatted, and its text up to the seconds."""


def timestamp_text() -> str:
    """``datetime.now(UTC).isoformat()`` (a checkpoint's ``ts``), the date and time of day
    formatted once per second."""
    global _stamp_second
    micros = time.time_ns() // 1000
    second, micro = divmod(micros, 1_000_000)
    last, text = _stamp_second
    if second != last:
        text = _dt.datetime.fromtimestamp(second, _dt.UTC).isoformat()[:19]
        _stamp_second = (second, text)
    if micro:
        return f"{text}.{micro:06}+00:00"
    return text + "+00:00"


def version_count(current: str | int | float | None) -> int:
    """The counter a version starts with (0 for none): what :func:`next_version` adds one to."""
    if current is None:
        return 0
    if isinstance(current, (int, float)):
        return int(current)
    return int(current.split(".")[0])


def version_tie_break() -> str:
    """A version's random tie-break (``.`` and 16 characters), as :func:`next_version` makes it.

    A run on a thread draws one and gives it to every version it makes (their
    counters differ): two forks of one thread still never share a version.
    """
    return f".{random.random():016}"


def next_version(current: str | int | float | None) -> str:
    """The version after ``current``: a zero-padded counter and a random tie-break.

    Strings compare like the counters they start with, so versions sort
    correctly in SQL too; the random part keeps two forks of one thread from
    reusing a version for different values.
    """
    return f"{version_count(current) + 1:032}{version_tie_break()}"


def empty_checkpoint() -> Checkpoint:
    """A checkpoint with no channels, a new id and the current time."""
    return Checkpoint(
        v=1,
        id=str(uuid6(clock_seq=-2)),
        ts=_dt.datetime.now(_dt.UTC).isoformat(),
        channel_values={},
        channel_versions={},
        versions_seen={},
        updated_channels=None,
    )


# --- configs and metadata ----------------------------------------------------------------

_CONFIG_KEYS_OF_A_PUT = frozenset(
    {"thread_id", "checkpoint_ns", "checkpoint_id", HANDOVER, "__pregel_durability"}
)
"""The keys of the config of a run's put, none of which its metadata keeps."""


def checkpoint_config(
    thread_id: str, checkpoint_ns: str, checkpoint_id: str | None
) -> dict[str, Any]:
    """The config that names one checkpoint (or the latest of a thread, without an id)."""
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": checkpoint_ns}
    if checkpoint_id is not None:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _configurable(config: CheckpointConfig) -> Mapping[str, Any]:
    configurable = config.get("configurable")
    if type(configurable) is not dict and not isinstance(configurable, Mapping):
        raise ValueError(
            "a checkpointer needs a config with a 'configurable' mapping holding a thread_id, "
            f"as {{'configurable': {{'thread_id': '1'}}}}; got {dict(config)!r}"
        )
    return configurable


def thread_of(config: CheckpointConfig) -> tuple[str, str, str | None]:
    """``(thread_id, checkpoint_ns, checkpoint_id)`` of a config; a clear error without a thread."""
    configurable = config.get("configurable")
    if type(configurable) is dict:
        # every put and put_writes asks: the usual config (strings in a dict) answers at once
        thread_id = configurable.get("thread_id")
        ns = configurable.get("checkpoint_ns", "")
        if type(thread_id) is str and thread_id and type(ns) is str:
            return thread_id, ns, configurable.get("checkpoint_id") or None
    configurable = _configurable(config)
    thread_id = configurable.get("thread_id")
    if thread_id is None or thread_id == "":
        raise ValueError(
            "a checkpointer needs a thread_id: pass config={'configurable': {'thread_id': ...}}"
        )
    checkpoint_id = configurable.get("checkpoint_id")
    return str(thread_id), str(configurable.get("checkpoint_ns", "")), checkpoint_id or None


def _has_nul(metadata: CheckpointMetadata) -> bool:
    """Whether a string of ``metadata`` holds a NUL (Postgres cannot store one in text)."""
    # a loop, not any() over a generator: every put asks
    for value in metadata.values():  # noqa: SIM110
        if isinstance(value, str) and "\x00" in value:
            return True
    return False


def checkpoint_metadata(config: CheckpointConfig, metadata: CheckpointMetadata) -> dict[str, Any]:
    """The metadata stored with a checkpoint: ``metadata`` plus the run's scalar config keys.

    As LangGraph does, a config's ``metadata`` and ``configurable`` keys that are
    strings, numbers or booleans are kept (except the checkpointer's own and
    ``__``-prefixed ones), so ``list(filter=...)`` can find runs by them. NUL
    characters are dropped from strings: Postgres cannot store them in text.
    """
    configurable = config.get("configurable")
    if (
        len(config) == 1
        and type(configurable) is dict
        and _CONFIG_KEYS_OF_A_PUT.issuperset(configurable)
        and "writes" not in metadata
        and not _has_nul(metadata)
    ):
        # a run's put (its config names the checkpoint only): the metadata as it is
        return dict(metadata)
    out: dict[str, Any] = {
        key: value.replace("\x00", "") if isinstance(value, str) else value
        for key, value in metadata.items()
        if key != "writes"
    }
    return with_config_metadata(out, config_metadata(config))


def metadata_matches(metadata: Mapping[str, Any], filter: Mapping[str, Any] | None) -> bool:
    """Whether every key of ``filter`` is in ``metadata`` with an equal value."""
    if not filter:
        return True
    return all(key in metadata and metadata[key] == value for key, value in filter.items())


# --- the saver interface -----------------------------------------------------------------


class BaseCheckpointSaver:
    """What a checkpointer does: store checkpoints and writes per thread, list and delete them.

    Subclasses implement the sync methods; the async twins run those in a
    worker thread (so they never block the event loop) unless overridden.
    """

    serde: SerializerProtocol

    def __init__(self, *, serde: SerializerProtocol | None = None) -> None:
        self.serde = serde if serde is not None else JsonSerializer()

    # sync --------------------------------------------------------------------------------

    def get_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """The checkpoint ``config`` names (the thread's latest without a ``checkpoint_id``)."""
        raise NotImplementedError

    def get(self, config: CheckpointConfig) -> Checkpoint | None:
        """The checkpoint alone of :meth:`get_tuple`."""
        found = self.get_tuple(config)
        return found.checkpoint if found is not None else None

    def list(
        self,
        config: CheckpointConfig | None,
        *,
        filter: Mapping[str, Any] | None = None,
        before: CheckpointConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        """Checkpoints newest first: of ``config``'s thread (and namespace, if given), or all.

        Args:
            config: Whose checkpoints: ``thread_id``, optionally ``checkpoint_ns``
                and ``checkpoint_id``; ``None`` lists every thread's.
            filter: Metadata keys and the values they must equal.
            before: Only checkpoints older than the one this config names.
            limit: At most this many.
        """
        raise NotImplementedError

    def put(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Store ``checkpoint`` as the child of the one ``config`` names; its config.

        Only the channels in ``new_versions`` have new values to store; the
        others are found by their version in earlier checkpoints.
        """
        raise NotImplementedError

    def put_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes against the checkpoint ``config`` names.

        Special writes (``__error__``, ``__interrupt__``, ``__resume__``,
        ``__scheduled__``) replace the task's earlier one; normal writes are kept
        once per (thread, namespace, checkpoint, task, index).
        """
        raise NotImplementedError

    def delete_thread(self, thread_id: str) -> None:
        """Delete every checkpoint and write of a thread, in every namespace."""
        raise NotImplementedError

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Delete the checkpoints (and their writes) whose metadata's ``run_id`` is one of these."""
        raise NotImplementedError

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy a thread's checkpoints and writes, every namespace, to another thread id.

        What the target already holds is kept: a checkpoint it has is not overwritten.
        """
        raise NotImplementedError

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Thin out threads: ``"keep_latest"`` keeps each namespace's newest checkpoint
        (and its writes), ``"delete"`` deletes the threads."""
        raise NotImplementedError

    def get_next_version(self, current: str | int | float | None, channel: None = None) -> str:
        """The version after ``current`` (see :func:`next_version`)."""
        return next_version(current)

    # async -------------------------------------------------------------------------------

    async def aget_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """Async :meth:`get_tuple`."""
        return await asyncio.to_thread(self.get_tuple, config)

    async def aget(self, config: CheckpointConfig) -> Checkpoint | None:
        """Async :meth:`get`."""
        found = await self.aget_tuple(config)
        return found.checkpoint if found is not None else None

    async def alist(
        self,
        config: CheckpointConfig | None,
        *,
        filter: Mapping[str, Any] | None = None,
        before: CheckpointConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Async :meth:`list`."""

        def collect() -> list[CheckpointTuple]:
            return list(self.list(config, filter=filter, before=before, limit=limit))

        for item in await asyncio.to_thread(collect):
            yield item

    async def aput(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Async :meth:`put`."""
        return await asyncio.to_thread(self.put, config, checkpoint, metadata, new_versions)

    async def aput_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Async :meth:`put_writes`."""
        await asyncio.to_thread(self.put_writes, config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        """Async :meth:`delete_thread`."""
        await asyncio.to_thread(self.delete_thread, thread_id)

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Async :meth:`delete_for_runs`."""
        await asyncio.to_thread(self.delete_for_runs, run_ids)

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Async :meth:`copy_thread`."""
        await asyncio.to_thread(self.copy_thread, source_thread_id, target_thread_id)

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Async :meth:`prune`."""
        await asyncio.to_thread(lambda: self.prune(thread_ids, strategy=strategy))


PRUNE_STRATEGIES = ("keep_latest", "delete")


def check_prune_strategy(strategy: str) -> None:
    """A clear error for a strategy :meth:`BaseCheckpointSaver.prune` does not know."""
    if strategy not in PRUNE_STRATEGIES:
        raise ValueError(f"unknown prune strategy {strategy!r}: use 'keep_latest' or 'delete'")
