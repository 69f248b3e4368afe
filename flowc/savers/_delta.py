"""Append-only list channels stored as deltas: a thread's storage grows with what it holds.

A list channel with an append-only reducer (``operator.add``, ``add_messages``
appending) gets a new version each step that extends the last one. Storing
each version whole makes a conversation of N turns store O(N²) items; a
saver using this module stores such a version as a *delta*: the version it
extends and the items it adds (blob type ``"delta"``). Nothing needs to know
the reducer: a version is stored as a delta exactly when the saver's last
stored version of that channel is a prefix of it (the items are the same
objects, or equal), else whole.

Reading rebuilds a delta's value from its base's, which may be a delta too,
down to a whole value; :func:`resolve` does it for all the deltas of a read
with one lookup per channel. A delta's base is always stored in the same
thread and namespace; the savers keep bases alive when they delete unused
values (:func:`bases`), and check in the writing transaction that the base
is still there (another process may have deleted the thread).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flowc.runtime.checkpoint import SerializerProtocol, decode_value, encode_value

__all__ = ["DECODED", "DELTA", "DeltaCache", "base_of", "encode_delta", "resolve"]

DELTA = "delta"
"""Blob type of a list version stored as its base version and the items it adds."""
DECODED = "<decoded>"
"""A value :func:`resolve` rebuilt (passed to ``assemble`` as it is, not decoded again)."""

_Key = tuple[str, str, str]  # (thread_id, checkpoint_ns, channel)


class DeltaCache:
    """Per (thread, namespace, channel): the last version a saver stored of a list, and the list.

    Bounded (least recently used entries are dropped: their next version is
    stored whole) and safe across threads.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[_Key, tuple[str, list[Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def base(self, key: _Key, value: list[Any]) -> tuple[str, int] | None:
        """``(base version, its length)`` when the last stored version of ``key`` starts ``value``."""
        with self._lock:
            found = self._entries.get(key)
        if found is None:
            return None
        version, items = found
        if not items or len(items) > len(value):
            return None
        for old, new in zip(items, value, strict=False):
            if old is not new and old != new:
                return None
        return version, len(items)

    def remember(self, key: _Key, version: str, value: list[Any]) -> None:
        """``version`` of ``key`` is stored now: the next one may extend it."""
        with self._lock:
            self._entries[key] = (version, list(value))
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, thread_id: str | None = None) -> None:
        """Drop a thread's entries (every entry without one): its rows may be gone."""
        with self._lock:
            if thread_id is None:
                self._entries.clear()
            else:
                for key in [k for k in self._entries if k[0] == thread_id]:
                    del self._entries[key]


def encode_delta(
    serde: SerializerProtocol,
    base: str,
    items: list[Any],
    *,
    channel: str,
    checkpoint_id: str,
) -> bytes:
    """A delta blob: the base version, the items' type, then the encoded items."""
    kind, data = encode_value(serde, items, channel=channel, checkpoint_id=checkpoint_id)
    return f"{base}\n{kind}\n".encode() + data


def base_of(data: bytes) -> str:
    """The version a delta blob extends."""
    return bytes(data).split(b"\n", 1)[0].decode()


def _parts(data: bytes) -> tuple[str, str, bytes]:
    base, kind, items = bytes(data).split(b"\n", 2)
    return base.decode(), kind.decode(), items


def resolve(
    serde: SerializerProtocol,
    rows: Iterable[tuple[str, str, str, bytes]],
    fetch: Callable[[str], Iterable[tuple[str, str, bytes]]],
    checkpoint_id: str,
) -> list[tuple[str, str, str, Any]]:
    """``rows`` (``(channel, version, type, data)``) with each delta's value rebuilt.

    A rebuilt row has type :data:`DECODED` and the value itself as its data.
    ``fetch(channel)`` gives every stored ``(version, type, data)`` of that
    channel in the rows' thread and namespace.
    """
    rows = list(rows)
    if not any(kind == DELTA for _, _, kind, _ in rows):
        return rows
    stored: dict[str, Mapping[str, tuple[str, bytes]]] = {}
    built: dict[tuple[str, str], list[Any]] = {}

    def value(channel: str, version: str) -> list[Any]:
        chain: list[tuple[str, str, bytes]] = []
        versions = stored[channel]
        current = version
        while (channel, current) not in built:
            found = versions.get(current)
            if found is None:
                raise ValueError(
                    f"cannot decode channel {channel!r} of checkpoint {checkpoint_id}: "
                    f"version {current} of the list it extends is not stored"
                )
            kind, data = found
            if kind != DELTA:
                whole = decode_value(
                    serde, (kind, data), channel=channel, checkpoint_id=checkpoint_id
                )
                built[(channel, current)] = list(whole)
                break
            base, items_kind, items = _parts(data)
            chain.append((current, items_kind, items))
            current = base
        head = built[(channel, current)]
        for version_, items_kind, items in reversed(chain):
            added = decode_value(
                serde, (items_kind, items), channel=channel, checkpoint_id=checkpoint_id
            )
            head = head + list(added)
            built[(channel, version_)] = head
        return built[(channel, version)]

    out: list[tuple[str, str, str, Any]] = []
    for channel, version, kind, data in rows:
        if kind != DELTA:
            out.append((channel, version, kind, data))
            continue
        if channel not in stored:
            stored[channel] = {v: (k, d) for v, k, d in fetch(channel)}
        # a copy: two checkpoints sharing a version must not share one list object
        out.append((channel, version, DECODED, list(value(channel, version))))
    return out
