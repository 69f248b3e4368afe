"""What a :class:`~flowc.langgraph.StateGraph` has recorded, made into its frozen
:class:`Blueprint`: the nodes with ``set_node_defaults``' policies applied, and the
problems ``compile()`` reports of them; and the builder's ``managed`` and ``channels``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flowc.dsl.diagnostics import Diagnostic, Span

from ._adapt import is_compiled_graph
from ._blueprint import Blueprint, BranchRecord, EdgeRecord, NodePolicies, NodeRecord
from ._managed import channels_of, managed_fields

DEFAULT_ERROR_HANDLER = "__default_error_handler__"
"""The name ``set_node_defaults(error_handler=...)``'s handler runs under, as in LangGraph."""


class _Recording:
    """The calls a builder has recorded, and the blueprint they make."""

    state_schema: Any
    input_schema: Any
    output_schema: Any
    _span: Span | None
    _nodes: list[NodeRecord]
    _edges: list[EdgeRecord]
    _branches: list[BranchRecord]
    _problems: list[Diagnostic]
    _defaults: dict[str, Any]

    @property
    def managed(self) -> dict[str, type]:
        """The state's managed values (``RemainingSteps``...), each with its manager."""
        return managed_fields(self.state_schema)

    @property
    def channels(self) -> dict[str, Any]:
        """The graph's keys, managed values left out (see :func:`._managed.channels_of`)."""
        return channels_of(self.state_schema, self.input_schema, self.output_schema)

    def _blueprint(
        self, name: str | None, compile_span: Span | None, problems: list[Diagnostic]
    ) -> Blueprint:
        return Blueprint(
            name=name or "LangGraph",
            state=self.state_schema,
            state_span=self._span,
            compile_span=compile_span,
            nodes=tuple(self._with_defaults(n) for n in self._nodes),
            edges=tuple(self._edges),
            branches=tuple(self._branches),
            problems=(*self._problems, *problems),
            input_schema=None if self.input_schema is self.state_schema else self.input_schema,
            output_schema=None if self.output_schema is self.state_schema else self.output_schema,
        )

    def _with_defaults(self, record: NodeRecord) -> NodeRecord:
        defaults = self._defaults
        own = record.policies or NodePolicies()
        retry = defaults.get("retry_policy") if own.retry is None else own.retry
        cache = defaults.get("cache_policy") if own.cache is None else own.cache
        handler = own.error_handler
        if handler is None and "error_handler" in defaults:
            handler = (DEFAULT_ERROR_HANDLER, defaults["error_handler"], None)
        if handler is not None:
            # the retry defaults apply to error handlers too, as in LangGraph
            handler = (handler[0], handler[1], defaults.get("retry_policy"))
        timeout = defaults.get("timeout") if own.timeout is None else own.timeout
        if (
            retry is own.retry
            and cache is own.cache
            and handler == own.error_handler
            and timeout is own.timeout
        ):
            return record
        return dataclasses.replace(
            record,
            policies=dataclasses.replace(
                own, retry=retry, cache=cache, error_handler=handler, timeout=timeout
            ),
        )

    def _unresumable(self) -> list[Diagnostic]:
        """Nodes that call ``interrupt()`` in a graph compiled without a checkpointer (E604).

        Not a compile error: run as a subgraph, the graph takes its parent's
        checkpointer, as in LangGraph. A run of it as a root graph reports them.
        """
        from ._scan import calls_interrupt

        out = []
        spellings: dict[int, str | None] = {}  # a function added as ten nodes is read once
        for record in self._nodes:
            if is_compiled_graph(record.action) or not callable(record.action):
                continue
            key = id(record.action)
            if key not in spellings:
                spellings[key] = calls_interrupt(record.action)
            spelled = spellings[key]
            if spelled is not None:
                out.append(
                    Diagnostic.error(
                        "E604",
                        f"node `{record.name}` calls `{spelled}()`, but the graph is compiled "
                        "without a checkpointer and runs as a root graph: nothing could resume "
                        "the run it stops",
                        record.span,
                        "compile with checkpointer=... (flowc.savers or a LangGraph saver) and "
                        "run on a thread, or run the graph as a subgraph of one that has a "
                        "checkpointer",
                    )
                )
        return out
