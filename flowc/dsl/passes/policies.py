"""The policy pass: a node's retry, timeout, cache and defer keys → its :class:`PolicyInfo`.

A retry policy's ``retry_on`` must name exception classes (or one function
that decides from the exception), and a cache policy's ``key`` a function
that takes the node's input: what each names is imported and checked here,
so that a wrong name fails at ``flowc check`` and not at the first failure.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..diagnostics import Loc
from ..graph import PolicyInfo, Ref, RetryInfo
from ..spec import NodeSpec
from ..types import RefError, parse_ref, resolve_ref
from .report import Pass, name_of, ref_hint

__all__ = ["check_policies"]


def check_policies(check: Pass, node: NodeSpec) -> PolicyInfo | None:
    """The node's checked policies (``None`` if it has none); errors go to ``check``."""
    if not (node.retry or node.timeout or node.cache or node.defer):
        return None
    loc: Loc = ("nodes", node.name)
    retry = []
    for i, policy in enumerate(node.retry):
        where = (*loc, "retry", i) if len(node.retry) > 1 else (*loc, "retry")
        retry_on = _retry_on(check, node.name, policy.retry_on, (*where, "retry_on"))
        retry.append(
            RetryInfo(
                initial_interval=policy.initial_interval,
                backoff_factor=policy.backoff_factor,
                max_interval=policy.max_interval,
                max_attempts=policy.max_attempts,
                jitter=policy.jitter,
                retry_on=retry_on,
            )
        )
    timeout = None
    if node.timeout is not None:
        timeout = (node.timeout.run_timeout, node.timeout.idle_timeout)
        for key, seconds in zip(("run_timeout", "idle_timeout"), timeout, strict=True):
            if seconds is not None and not seconds > 0:
                check.error(
                    "E321",
                    f"node `{node.name}`: `{key}` is {seconds!r} seconds; a timeout is greater than 0",
                    (*loc, "timeout"),
                )
        if timeout == (None, None):
            check.error(
                "E321",
                f"node `{node.name}`: a timeout needs `run_timeout` or `idle_timeout`",
                (*loc, "timeout"),
            )
    cache = None
    if node.cache is not None:
        key_fn = None
        if node.cache.key is not None:
            key_fn = _function(
                check, node.name, node.cache.key, (*loc, "cache", "key"), "cache key"
            )
        cache = (node.cache.ttl, key_fn)
    return PolicyInfo(retry=tuple(retry), timeout=timeout, cache=cache, defer=node.defer)


def _resolved(check: Pass, node: str, ref: str, loc: Loc) -> Ref | None:
    try:
        obj = resolve_ref(ref)
        module, attr = parse_ref(ref)
    except RefError as exc:
        check.error("E301", f"node `{node}`: {exc}", loc, exc.hint or ref_hint(ref))
        return None
    return Ref(module, attr, obj)


def _takes_one(fn: Any) -> bool:
    try:
        inspect.signature(fn).bind(object())
    except TypeError:
        return False
    except ValueError:
        # no signature to read (a builtin): it is called and its error speaks
        return True
    return True


def _function(check: Pass, node: str, ref: str, loc: Loc, what: str) -> Ref | None:
    found = _resolved(check, node, ref, loc)
    if found is None:
        return None
    if isinstance(found.obj, type) or not callable(found.obj) or not _takes_one(found.obj):
        check.error(
            "E320",
            f"node `{node}`: the {what} `{ref}` must be a function of one argument, "
            f"not {_what(found.obj)}",
            loc,
        )
        return None
    return found


def _retry_on(
    check: Pass, node: str, given: tuple[str, ...] | None, loc: Loc
) -> tuple[Ref, ...] | Ref | None:
    if given is None:
        return None
    refs = [_resolved(check, node, ref, loc) for ref in given]
    classes = [
        ref
        for ref in refs
        if ref is not None and isinstance(ref.obj, type) and issubclass(ref.obj, BaseException)
    ]
    if len(refs) == len(classes):
        return tuple(classes)
    if len(given) == 1 and refs[0] is not None and not isinstance(refs[0].obj, type):
        # one function deciding from the exception
        return _function(check, node, given[0], loc, "`retry_on` function")
    for ref, name in zip(refs, given, strict=True):
        if ref is not None and ref not in classes:
            check.error(
                "E320",
                f"node `{node}`: `retry_on` names `{name}`, which is {_what(ref.obj)}, "
                "not an exception class",
                loc,
                "list exception classes, or name one function that takes the exception",
            )
    return None


def _what(obj: Any) -> str:
    if isinstance(obj, type):
        return f"the class `{obj.__name__}`"
    if callable(obj):
        return f"`{name_of(obj)}`"
    return f"a {type(obj).__name__}"
