"""The in-memory saver's rows and how it keeps values: copies, or encodings (see :mod:`.memory`)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from flowc.runtime.checkpoint import Checkpoint, SerializerProtocol, decode_value, encode_value

_Key = tuple[str, str]  # (thread_id, checkpoint_ns)

_KEPT: Final = "<kept>"
"""The kind of a stored value kept as it is (immutable), not encoded."""
_EMPTY: Final = "empty"
"""The kind of a channel version without a value (the channel was cleared)."""
_DELTA: Final = "<delta>"
"""The kind of a list version kept as ``(base version, the added items as stored)``."""
_IMMUTABLE: Final = frozenset({type(None), bool, int, float, str, bytes})
_NONE: Final[frozenset[str]] = frozenset()

_Stored = tuple[str, Any]
"""A stored value: ``(_KEPT, value)`` or the serializer's ``(type, bytes)``."""
_Chain = list[_Stored]
"""A channel version's stored value, whole first, then the deltas that extend it."""
_Body = dict[str, Any]
"""A checkpoint without its values; entries the saver could not copy are ``_Stored`` encodings."""


@dataclass(slots=True, eq=False)
class _Row:
    """One stored checkpoint: its body and metadata as copies, its values by channel version."""

    thread_id: str
    ns: str
    checkpoint_id: str
    parent_id: str | None
    body: _Body
    encoded: frozenset[str]
    """The keys of ``body`` stored encoded (``(type, bytes)``), not copied."""
    metadata: _Stored


@dataclass(slots=True, eq=False)
class _Write:
    """One pending write: its value kept as :meth:`_Keeping._keep` keeps it."""

    task_id: str
    idx: int
    channel: str
    value: _Stored
    task_path: str


class _Keeping:
    """How :class:`~.memory.InMemorySaver` keeps values, bodies and metadata, and reads them back."""

    serde: SerializerProtocol
    _plain: bool
    """Whether the saver's serializer is the default one: only then are values kept as they are."""
    _extra: tuple[Any, Any, _Stored] | None

    def _keep(self, value: Any, channel: str, checkpoint_id: str) -> _Stored:
        if self._plain and type(value) in _IMMUTABLE:
            return _KEPT, value
        return encode_value(self.serde, value, channel=channel, checkpoint_id=checkpoint_id)

    def _load_value(self, stored: _Stored, channel: str, checkpoint_id: str) -> Any:
        kind, data = stored
        if kind == _KEPT:
            return data
        return decode_value(self.serde, stored, channel=channel, checkpoint_id=checkpoint_id)

    def _copy_body(self, checkpoint: Checkpoint) -> tuple[_Body, frozenset[str]]:
        """The checkpoint without its values, copied; what cannot be copied is encoded.

        Versions are kept as they are: the protocol has them as strings or numbers.
        """
        cid = checkpoint["id"]
        body: _Body = {}
        encoded: frozenset[str] = _NONE
        plain = self._plain
        entries: Mapping[str, Any] = checkpoint
        for key, value in entries.items():
            if key == "channel_values":
                continue
            kind = type(value)
            if plain:
                if kind in _IMMUTABLE:
                    body[key] = value
                    continue
                if kind is dict and key == "channel_versions":
                    body[key] = dict(value)
                    continue
                if kind is dict and key == "versions_seen":
                    try:
                        body[key] = {node: dict(seen) for node, seen in value.items()}
                    except (TypeError, ValueError):
                        pass
                    else:
                        continue
                if kind is list and key == "updated_channels":
                    body[key] = list(value)
                    continue
            body[key] = self._encode_extra(key, value, cid)
            encoded = encoded | {key}
        return body, encoded

    def _encode_extra(self, key: str, value: Any, checkpoint_id: str) -> _Stored:
        # a flowc graph's schema record is one object, equal in every checkpoint: encode it once
        last = self._extra
        if last is not None and last[0] is value and last[1] == value:
            return last[2]
        stored = encode_value(self.serde, value, channel=f"<{key}>", checkpoint_id=checkpoint_id)
        self._extra = (value, self._load_value(stored, key, checkpoint_id), stored)
        return stored

    def _body_of(self, row: _Row) -> dict[str, Any]:
        """A copy of a stored body, as the checkpoint had it."""
        out: dict[str, Any] = {}
        for key, value in row.body.items():
            if key in row.encoded:
                out[key] = self._load_value(value, f"<{key}>", row.checkpoint_id)
            elif key == "versions_seen":
                out[key] = {node: dict(versions) for node, versions in value.items()}
            elif key == "channel_versions" or key == "updated_channels":
                out[key] = copy.copy(value)
            elif type(value) in _IMMUTABLE:
                out[key] = value
            else:
                # another entry handed over (a flowc graph's schema record): a copy of its own
                out[key] = copy.deepcopy(value)
        return out

    def _keep_metadata(self, metadata: dict[str, Any], checkpoint_id: str) -> _Stored:
        if self._plain:
            copied: dict[str, Any] = {}
            for key, value in metadata.items():
                if type(key) is not str:
                    break
                if type(value) in _IMMUTABLE:
                    copied[key] = value
                elif type(value) is dict and _IMMUTABLE.issuperset(map(type, value.values())):
                    copied[key] = dict(value)
                else:
                    break
            else:
                return _KEPT, copied
        return encode_value(self.serde, metadata, channel="<metadata>", checkpoint_id=checkpoint_id)

    def _metadata_of(self, row: _Row) -> dict[str, Any]:
        kind, data = row.metadata
        if kind == _KEPT:
            return {
                key: v if type(v) in _IMMUTABLE else copy.deepcopy(v) for key, v in data.items()
            }
        return dict(self._load_value(row.metadata, "<metadata>", row.checkpoint_id))
