"""View models as canonical JSON: equal views, equal text, in any process.

Takes the frozen view models of :mod:`flowc.codegen.view` (dataclasses of
strings, numbers, booleans and tuples: everything a template writes, computed
in Python); gives one line of JSON with the fields in order of name. The
templates render nothing else, so two graphs whose views have the same text
generate the same modules, and a change that alters a generated module alters
the text. The run cache keys on it (:func:`flowc.cache.cache_key`). A value
that is not plain data (an object, whose only text may be its address) is
refused, so a view can never come to hold one unseen.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

__all__ = ["canonical_json"]


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (see the module docstring).

    Raises:
        TypeError: for a value that is not plain data.
    """
    return json.dumps(_data(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _data(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list):
        return [_data(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted((_data(v) for v in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _data(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _data(getattr(value, f.name))
        return out
    raise TypeError(f"a view holds only plain data, not {type(value).__name__}: {value!r}")
