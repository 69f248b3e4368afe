"""Any flowc saver as LangGraph's ``BaseCheckpointSaver`` (needs the ``conformance`` extra).

LangGraph's own programs, and LangGraph's checkpointer conformance suite, talk
to savers through ``langgraph.checkpoint.base.BaseCheckpointSaver``. The
adapter forwards each call to a flowc saver and turns flowc's
:class:`~flowc.runtime.checkpoint.CheckpointTuple` into LangGraph's; the
values are encoded by the flowc saver's serializer. This is the only module
of flowc's savers that imports LangGraph.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver as LangGraphBaseSaver
from langgraph.checkpoint.base import ChannelVersions
from langgraph.checkpoint.base import Checkpoint as LangGraphCheckpoint
from langgraph.checkpoint.base import CheckpointMetadata as LangGraphMetadata
from langgraph.checkpoint.base import CheckpointTuple as LangGraphTuple

from flowc.runtime.checkpoint import BaseCheckpointSaver, CheckpointTuple

__all__ = ["LangGraphSaver"]


def _to_langgraph(found: CheckpointTuple | None) -> LangGraphTuple | None:
    if found is None:
        return None
    return LangGraphTuple(
        config=found.config,  # type: ignore[arg-type]
        checkpoint=found.checkpoint,
        metadata=found.metadata,  # type: ignore[arg-type]
        parent_config=found.parent_config,  # type: ignore[arg-type]
        pending_writes=found.pending_writes,
    )


class LangGraphSaver(LangGraphBaseSaver[str]):
    """A flowc saver presented as LangGraph's ``BaseCheckpointSaver``.

    ``LangGraphSaver(SqliteSaver("runs.db"))`` can be given to a LangGraph
    graph's ``compile(checkpointer=...)``.
    """

    def __init__(self, saver: BaseCheckpointSaver) -> None:
        super().__init__()
        self.saver = saver

    def get_tuple(self, config: RunnableConfig) -> LangGraphTuple | None:
        return _to_langgraph(self.saver.get_tuple(config))

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[LangGraphTuple]:
        for found in self.saver.list(config, filter=filter, before=before, limit=limit):
            converted = _to_langgraph(found)
            assert converted is not None
            yield converted

    def put(
        self,
        config: RunnableConfig,
        checkpoint: LangGraphCheckpoint,
        metadata: LangGraphMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self.saver.put(config, checkpoint, metadata, new_versions)  # type: ignore[arg-type,return-value]

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self.saver.put_writes(config, writes, task_id, task_path)

    def delete_thread(self, thread_id: str) -> None:
        self.saver.delete_thread(thread_id)

    async def aget_tuple(self, config: RunnableConfig) -> LangGraphTuple | None:
        return _to_langgraph(await self.saver.aget_tuple(config))

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[LangGraphTuple]:
        async for found in self.saver.alist(config, filter=filter, before=before, limit=limit):
            converted = _to_langgraph(found)
            assert converted is not None
            yield converted

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: LangGraphCheckpoint,
        metadata: LangGraphMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return await self.saver.aput(config, checkpoint, metadata, new_versions)  # type: ignore[arg-type,return-value]

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await self.saver.aput_writes(config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        await self.saver.adelete_thread(thread_id)

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        self.saver.delete_for_runs(run_ids)

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        self.saver.copy_thread(source_thread_id, target_thread_id)

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        self.saver.prune(thread_ids, strategy=strategy)

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        await self.saver.adelete_for_runs(run_ids)

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        await self.saver.acopy_thread(source_thread_id, target_thread_id)

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        await self.saver.aprune(thread_ids, strategy=strategy)

    def get_next_version(self, current: str | None, channel: None = None) -> str:
        return self.saver.get_next_version(current)
