"""Subgraph discovery from ``tasks`` events: :class:`LifecycleTransformer` (the ``lifecycle``
channel) and :class:`SubgraphTransformer` (``run.subgraphs`` handles).

A namespace below the transformer's scope is *started* at its first task event; it ends
(completed, failed, interrupted) with the result of the parent task that runs it, or when
the run ends. ``tasks`` events themselves stay out of the main log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, NotRequired

from typing_extensions import TypedDict

from flowc.langgraph.errors import GraphDrained
from flowc.langgraph.types import GraphInterrupt

from ._types import ProtocolEvent, StreamTransformer
from .run_stream import AsyncSubgraphRunStream, SubgraphRunStream
from .stream_channel import StreamChannel

if TYPE_CHECKING:
    from ._mux import StreamMux

__all__ = [
    "LifecycleCause",
    "LifecyclePayload",
    "LifecycleTransformer",
    "SubgraphStatus",
    "SubgraphTransformer",
]

_logger = logging.getLogger(__name__)

SubgraphStatus = Literal["started", "completed", "failed", "interrupted", "drained"]

_Transition = tuple[tuple[str, ...], SubgraphStatus, "str | None"]


class LifecycleCause(TypedDict):
    """What started a subagent: the tool call whose task runs it."""

    type: Literal["toolCall"]
    tool_call_id: str


class LifecyclePayload(TypedDict, total=False):
    """An item of the ``lifecycle`` channel (and of its ``lifecycle`` events)."""

    event: SubgraphStatus
    namespace: list[str]
    graph_name: NotRequired[str]
    trigger_call_id: NotRequired[str]
    cause: NotRequired[LifecycleCause]
    error: NotRequired[str]


def _split_segment(segment: str) -> tuple[str, str | None]:
    name, colon, task_id = segment.partition(":")
    return name, task_id if colon else None


def _status_from_exception(err: BaseException) -> tuple[SubgraphStatus, str | None]:
    if isinstance(err, GraphDrained):
        return "drained", None
    if isinstance(err, GraphInterrupt):
        return "interrupted", None
    return "failed", str(err)


def _status_from_result(data: dict[str, Any]) -> tuple[SubgraphStatus, str | None]:
    # an interrupt shows as interrupts, not as an error: it wins
    if data.get("interrupts"):
        return "interrupted", None
    if data.get("error"):
        return "failed", str(data["error"])
    return "completed", None


def _tool_call_id(payload: Any) -> str | None:
    if isinstance(payload, dict) and isinstance(payload.get("tool_call"), dict):
        candidate = payload["tool_call"].get("id")
        return candidate if isinstance(candidate, str) else None
    if isinstance(payload, list):
        for call in payload:
            if isinstance(call, dict) and isinstance(call.get("id"), str):
                return str(call["id"])
    return None


class _TasksLifecycleBase(StreamTransformer):
    """The bookkeeping both lifecycle views share; subclasses say what to track and do."""

    required_stream_modes = ("tasks",)

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        super().__init__(scope)
        self._seen: set[tuple[str, ...]] = set()
        # tracked namespace -> id of the parent task whose result ends it
        self._open: dict[tuple[str, ...], str] = {}
        self._lc_by_ns: dict[tuple[str, ...], str | None] = {}
        # task id -> the tool call it runs (a subagent's cause)
        self._pending_tool_calls: dict[str, str] = {}
        self._pending_cause: LifecycleCause | None = None

    def _should_track(self, ns: tuple[str, ...]) -> bool:
        raise NotImplementedError

    def _on_started(
        self, ns: tuple[str, ...], graph_name: str | None, trigger_call_id: str | None
    ) -> None:
        raise NotImplementedError

    def _on_terminal(self, ns: tuple[str, ...], status: SubgraphStatus, error: str | None) -> None:
        raise NotImplementedError

    def process(self, event: ProtocolEvent) -> bool:
        if event["method"] != "tasks":
            return True
        ns = tuple(event["params"]["namespace"])
        data = event["params"]["data"]
        if "result" in data:
            for child, status, error in self._pop_terminal_transitions(ns, data):
                self._on_terminal(child, status, error)
        else:
            self._observe_start(ns, data)
        return False

    def _observe_start(self, ns: tuple[str, ...], data: dict[str, Any]) -> None:
        self._record_identity(ns, data)
        self._record_pending_tool_calls(data)
        self._handle_task_start(ns, data)

    def _record_identity(self, ns: tuple[str, ...], data: dict[str, Any]) -> None:
        if ns not in self._lc_by_ns:
            self._lc_by_ns[ns] = (data.get("metadata") or {}).get("lc_agent_name")

    def _record_pending_tool_calls(self, data: dict[str, Any]) -> None:
        task_id = data.get("id")
        if isinstance(task_id, str):
            call_id = _tool_call_id(data.get("input"))
            if call_id is not None:
                self._pending_tool_calls[task_id] = call_id

    def _handle_task_start(self, ns: tuple[str, ...], data: dict[str, Any]) -> None:
        if not self._should_track(ns) or ns in self._seen:
            return
        self._seen.add(ns)
        name, trigger = _split_segment(ns[-1])
        agent = (data.get("metadata") or {}).get("lc_agent_name")
        cause: LifecycleCause | None = None
        if agent is not None and trigger is not None:
            call_id = self._pending_tool_calls.get(trigger)
            if call_id:
                cause = {"type": "toolCall", "tool_call_id": str(call_id)}
        self._pending_cause = cause
        self._on_started(ns, agent if agent is not None else (name or None), trigger)
        if trigger is not None:
            self._open[ns] = trigger

    def _pop_terminal_transitions(
        self, ns: tuple[str, ...], data: dict[str, Any]
    ) -> list[_Transition]:
        result_id = data.get("id")
        if not result_id:
            return []
        ended: list[_Transition] = []
        for child, parent_task in list(self._open.items()):
            if child[:-1] == ns and parent_task == result_id:
                status, error = _status_from_result(data)
                ended.append((child, status, error))
                del self._open[child]
        return ended

    def finalize(self) -> None:
        for ns in list(self._open):
            self._on_terminal(ns, "completed", None)
        self._open.clear()

    def fail(self, err: BaseException) -> None:
        status, error = _status_from_exception(err)
        for ns in list(self._open):
            self._on_terminal(ns, status, error)
        self._open.clear()


class LifecycleTransformer(_TasksLifecycleBase):
    """``run.lifecycle``: started / terminal payloads of subgraphs at every depth below."""

    _native = True

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        super().__init__(scope)
        self._channel: StreamChannel[LifecyclePayload] = StreamChannel("lifecycle")

    def init(self) -> dict[str, Any]:
        return {"lifecycle": self._channel}

    def _should_track(self, ns: tuple[str, ...]) -> bool:
        depth = len(self.scope)
        return len(ns) > depth and ns[:depth] == self.scope

    def _on_started(
        self, ns: tuple[str, ...], graph_name: str | None, trigger_call_id: str | None
    ) -> None:
        if trigger_call_id is None:
            return  # nothing would end it: finalize/fail close it
        payload: LifecyclePayload = {"event": "started", "namespace": list(ns)}
        if graph_name:
            payload["graph_name"] = graph_name
        payload["trigger_call_id"] = trigger_call_id
        if self._pending_cause is not None:
            payload["cause"] = self._pending_cause
        self._channel.push(payload)

    def _on_terminal(self, ns: tuple[str, ...], status: SubgraphStatus, error: str | None) -> None:
        payload: LifecyclePayload = {"event": status, "namespace": list(ns)}
        if error is not None:
            payload["error"] = error
        self._channel.push(payload)


_Handle = SubgraphRunStream | AsyncSubgraphRunStream


class SubgraphTransformer(_TasksLifecycleBase):
    """``run.subgraphs``: a handle per direct child subgraph, with its own projections."""

    _native = True
    supports_sync = True

    def __init__(self, scope: tuple[str, ...] = ()) -> None:
        super().__init__(scope)
        self._log: StreamChannel[_Handle] = StreamChannel()
        self._handles: dict[tuple[str, ...], _Handle] = {}
        self._mux: StreamMux | None = None

    def init(self) -> dict[str, Any]:
        return {"subgraphs": self._log}

    def _on_register(self, mux: Any) -> None:
        self._mux = mux

    def _should_track(self, ns: tuple[str, ...]) -> bool:
        depth = len(self.scope)  # grandchildren are the child handle's
        return len(ns) == depth + 1 and ns[:depth] == self.scope

    def _on_started(
        self, ns: tuple[str, ...], graph_name: str | None, trigger_call_id: str | None
    ) -> None:
        if self._mux is None:
            return
        try:
            child = self._mux._make_child(ns)
        except RuntimeError:
            return
        handle_cls = AsyncSubgraphRunStream if child.is_async else SubgraphRunStream
        handle = handle_cls(
            mux=child, path=ns, graph_name=graph_name, trigger_call_id=trigger_call_id
        )
        self._handles[ns] = handle
        self._log.push(handle)

    def _mark_terminal(self, handle: _Handle, status: SubgraphStatus, error: str | None) -> bool:
        if handle._seen_terminal:
            return False
        handle.status = status
        if error is not None and handle.error is None:
            handle.error = error
        handle._seen_terminal = True
        return True

    def _on_terminal(self, ns: tuple[str, ...], status: SubgraphStatus, error: str | None) -> None:
        handle = self._handles.get(ns)
        if handle is not None and self._mark_terminal(handle, status, error):
            self._end_handle(handle, status, error)

    async def _aon_terminal(
        self, ns: tuple[str, ...], status: SubgraphStatus, error: str | None
    ) -> None:
        handle = self._handles.get(ns)
        if handle is not None and self._mark_terminal(handle, status, error):
            await self._aend_handle(handle, status, error)

    def _end_handle(self, handle: _Handle, status: SubgraphStatus, error: str | None) -> None:
        if handle._mux._events._closed:
            return
        if status == "failed":
            handle._mux.fail(RuntimeError(error or "Subgraph failed"))
        else:
            handle._mux.close()

    async def _aend_handle(
        self, handle: _Handle, status: SubgraphStatus, error: str | None
    ) -> None:
        if handle._mux._events._closed:
            return
        if status == "failed":
            await handle._mux.afail(RuntimeError(error or "Subgraph failed"))
        else:
            await handle._mux.aclose()

    def _handle_for_event(self, event: ProtocolEvent) -> _Handle | None:
        ns = tuple(event["params"]["namespace"])
        depth = len(self.scope)
        if len(ns) <= depth:
            return None
        handle = self._handles.get(ns[: depth + 1])
        if handle is None or handle._mux._events._closed:
            return None
        return handle

    def process(self, event: ProtocolEvent) -> bool:
        keep = super().process(event)  # a started handle exists before it gets the event
        handle = self._handle_for_event(event)
        if handle is not None:
            handle._observe_event(event)
            handle._mux.push(event)
        return keep

    async def aprocess(self, event: ProtocolEvent) -> bool:
        keep = True
        if event["method"] == "tasks":
            ns = tuple(event["params"]["namespace"])
            data = event["params"]["data"]
            if "result" in data:
                for child, status, error in self._pop_terminal_transitions(ns, data):
                    await self._aon_terminal(child, status, error)
            else:
                self._observe_start(ns, data)
            keep = False
        handle = self._handle_for_event(event)
        if handle is not None:
            handle._observe_event(event)
            await handle._mux.apush(event)
        return keep

    def _open_handles(self) -> list[tuple[tuple[str, ...] | None, _Handle | None]]:
        pending: list[tuple[tuple[str, ...] | None, _Handle | None]] = [
            (ns, None) for ns in self._open
        ]
        self._open.clear()
        pending.extend((None, handle) for handle in self._handles.values())
        return pending

    def finalize(self) -> None:
        first: BaseException | None = None
        for ns, handle in self._open_handles():
            try:
                if ns is not None:
                    self._on_terminal(ns, "completed", None)
                elif handle is not None and self._mark_terminal(handle, "completed", None):
                    self._end_handle(handle, "completed", None)
            except BaseException as exc:
                first = first or exc
        if first is not None:
            raise first

    async def afinalize(self) -> None:
        first: BaseException | None = None
        for ns, handle in self._open_handles():
            try:
                if ns is not None:
                    await self._aon_terminal(ns, "completed", None)
                elif handle is not None and self._mark_terminal(handle, "completed", None):
                    await self._aend_handle(handle, "completed", None)
            except BaseException as exc:
                first = first or exc
        if first is not None:
            raise first

    def _failing_handles(self, err: BaseException) -> Iterator[_Handle]:
        """Mark each handle ended by ``err``, yielding those whose mux is still open."""
        status, error = _status_from_exception(err)
        self._open.clear()
        for handle in self._handles.values():
            self._mark_terminal(handle, status, error)
            if not handle._mux._events._closed:
                yield handle

    def fail(self, err: BaseException) -> None:
        for handle in self._failing_handles(err):
            try:
                handle._mux.fail(err)
            except Exception:
                _logger.warning("Error failing subgraph mux at %s", handle.path, exc_info=True)

    async def afail(self, err: BaseException) -> None:
        for handle in self._failing_handles(err):
            try:
                await handle._mux.afail(err)
            except Exception:
                _logger.warning("Error failing subgraph mux at %s", handle.path, exc_info=True)
