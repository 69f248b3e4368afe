"""The code of a graph's node policies: a ``PLAN.guard(...)`` line per node that has any.

Each line gives the node its retry policies, its timeout, its cache policy and
whether it is deferred, written with the runtime's own policy classes
(``RetryPolicy(max_attempts=5, retry_on=(ConnectionError,))``) and only the
fields that differ from their defaults, so that the module reads as the spec.
"""

from __future__ import annotations

from flowc.dsl.graph import CheckedGraph, NodeInfo, PolicyInfo, Ref, RetryInfo
from flowc.dsl.types import Import
from flowc.runtime.policies import RetryPolicy

from ._scope import _Scope

__all__ = ["guard_lines"]

_RETRY_DEFAULTS = RetryPolicy()


def guard_lines(graph: CheckedGraph, scope: _Scope, imports: set[Import]) -> tuple[str, ...]:
    """``PLAN.guard(...)`` for each node of ``graph`` that has policies, in node order."""
    lines = []
    for node in graph.nodes:
        if node.policies is not None:
            lines.append(_guard(node, node.policies, scope, imports))
    return tuple(lines)


def _policy_class(name: str, scope: _Scope, imports: set[Import]) -> str:
    imp = scope.add(Import("flowc.runtime.policies", name))
    imports.add(imp)
    return imp.local


def _ref(ref: Ref, scope: _Scope, imports: set[Import]) -> str:
    code, imp = scope.ref(ref)
    imports.add(imp)
    return code


def _retry(policy: RetryInfo, scope: _Scope, imports: set[Import]) -> str:
    args = [
        f"{key}={getattr(policy, key)!r}"
        for key in ("initial_interval", "backoff_factor", "max_interval", "max_attempts", "jitter")
        if getattr(policy, key) != getattr(_RETRY_DEFAULTS, key)
    ]
    on = policy.retry_on
    if isinstance(on, Ref):
        args.append(f"retry_on={_ref(on, scope, imports)}")
    elif on is not None:
        classes = ", ".join(_ref(ref, scope, imports) for ref in on)
        args.append(f"retry_on=({classes},)")
    return f"{_policy_class('RetryPolicy', scope, imports)}({', '.join(args)})"


def _guard(node: NodeInfo, policies: PolicyInfo, scope: _Scope, imports: set[Import]) -> str:
    args = [repr(node.name)]
    if policies.retry:
        retries = ", ".join(_retry(p, scope, imports) for p in policies.retry)
        args.append(f"retry=({retries},)")
    if policies.timeout is not None:
        run, idle = policies.timeout
        given = [f"run_timeout={run!r}"] if run is not None else []
        if idle is not None:
            given.append(f"idle_timeout={idle!r}")
        args.append(f"timeout={_policy_class('TimeoutPolicy', scope, imports)}({', '.join(given)})")
    if policies.cache is not None:
        ttl, key = policies.cache
        given = [] if key is None else [f"key_func={_ref(key, scope, imports)}"]
        if ttl is not None:
            given.append(f"ttl={ttl!r}")
        args.append(f"cache={_policy_class('CachePolicy', scope, imports)}({', '.join(given)})")
        where = node.call.ref.replace(":", ".") if node.call is not None else "__subgraph__"
        args.append(f"cache_ns={('__flowc_writes', where, node.name)!r}")
    if policies.defer:
        args.append("defer=True")
    return f"PLAN.guard({', '.join(args)})"
