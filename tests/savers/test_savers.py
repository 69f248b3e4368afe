"""Every saver (in-memory, SQLite, Postgres) keeps the checkpointer contract, sync and async.

Each test runs against the three savers (``make_saver`` in conftest.py); the
Postgres ones fail, not skip, when no server can be started.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from flowc.runtime.checkpoint import (
    BaseCheckpointSaver,
    Checkpoint,
    CheckpointMetadata,
    CheckpointSerializationError,
    CheckpointTuple,
    uuid6,
)

from .conftest import SaverFactory

THREAD = {"configurable": {"thread_id": "t1", "checkpoint_ns": ""}}


def checkpoint(values: dict[str, Any], versions: dict[str, Any], **seen: Any) -> Checkpoint:
    return Checkpoint(
        v=1,
        id=str(uuid6()),
        ts="2026-12-01T12:00:00+00:00",
        channel_values=values,
        channel_versions=versions,
        versions_seen=seen,
        updated_channels=sorted(values),
    )


def meta(step: int, source: str = "loop", **extra: Any) -> CheckpointMetadata:
    return {"source": source, "step": step, "parents": {}, **extra}  # type: ignore[typeddict-item]


def chain(
    saver: BaseCheckpointSaver, n: int, thread: str = "t1", ns: str = ""
) -> list[dict[str, Any]]:
    """``n`` checkpoints of one thread, each the child of the one before; their configs."""
    config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": ns}}
    out = []
    for step in range(-1, n - 1):
        cp = checkpoint({"count": step}, {"count": step + 2})
        source = "input" if step == -1 else "loop"
        config = saver.put(config, cp, meta(step, source), {"count": step + 2})
        out.append(config)
    return out


def ids(found: list[CheckpointTuple]) -> list[str]:
    return [t.config["configurable"]["checkpoint_id"] for t in found]


def test_put_then_get_tuple_gives_back_the_checkpoint_exactly(make_saver: SaverFactory) -> None:
    saver = make_saver()
    cp = checkpoint(
        {"topic": "ice cream", "jokes": ["a", "b"]}, {"topic": 1, "jokes": 1}, node={"topic": 1}
    )
    stored = saver.put(THREAD, cp, meta(-1, "input", run_id="run-1"), {"topic": 1, "jokes": 1})

    assert stored == {
        "configurable": {"thread_id": "t1", "checkpoint_ns": "", "checkpoint_id": cp["id"]}
    }
    found = saver.get_tuple(stored)
    assert found == CheckpointTuple(
        config=stored,
        checkpoint=cp,
        metadata={"source": "input", "step": -1, "parents": {}, "run_id": "run-1"},
        parent_config=None,
        pending_writes=[],
    )
    # the channels come back in the checkpoint's order, not the store's
    assert list(found.checkpoint["channel_values"]) == ["topic", "jokes"]  # type: ignore[union-attr]
    # without a checkpoint_id: the thread's latest
    assert saver.get_tuple({"configurable": {"thread_id": "t1"}}) == found
    assert saver.get(stored) == cp


def test_get_tuple_of_an_unknown_thread_or_id_is_none(make_saver: SaverFactory) -> None:
    saver = make_saver()
    chain(saver, 2)
    assert saver.get_tuple({"configurable": {"thread_id": "nobody"}}) is None
    unknown = {"configurable": {"thread_id": "t1", "checkpoint_id": str(uuid6())}}
    assert saver.get_tuple(unknown) is None


def test_each_checkpoint_names_its_parent(make_saver: SaverFactory) -> None:
    saver = make_saver()
    first, second, third = chain(saver, 3)
    assert saver.get_tuple(first).parent_config is None  # type: ignore[union-attr]
    assert saver.get_tuple(third).parent_config == second  # type: ignore[union-attr]
    assert saver.get_tuple(THREAD).config == third  # type: ignore[union-attr]


def test_unchanged_channels_come_from_the_version_stored_earlier(make_saver: SaverFactory) -> None:
    saver = make_saver()
    one = saver.put(
        THREAD, checkpoint({"a": "a1", "b": "b1"}, {"a": 1, "b": 1}), meta(0), {"a": 1, "b": 1}
    )
    # the second checkpoint stores only `a`; `b` is found at version 1
    two = saver.put(one, checkpoint({"a": "a2"}, {"a": 2, "b": 1}), meta(1), {"a": 2})
    # a channel dropped from channel_versions is gone
    three = saver.put(two, checkpoint({}, {"a": 2}), meta(2), {})

    assert saver.get_tuple(one).checkpoint["channel_values"] == {"a": "a1", "b": "b1"}  # type: ignore[union-attr]
    assert saver.get_tuple(two).checkpoint["channel_values"] == {"a": "a2", "b": "b1"}  # type: ignore[union-attr]
    assert saver.get_tuple(three).checkpoint["channel_values"] == {"a": "a2"}  # type: ignore[union-attr]


def test_list_is_newest_first_with_before_limit_and_filter(make_saver: SaverFactory) -> None:
    saver = make_saver()
    configs = chain(saver, 5)  # steps -1 (input), 0, 1, 2, 3 (loop)
    newest_first = [c["configurable"]["checkpoint_id"] for c in reversed(configs)]

    assert ids(list(saver.list(THREAD))) == newest_first
    assert ids(list(saver.list(THREAD, limit=2))) == newest_first[:2]
    assert ids(list(saver.list(THREAD, before=configs[2]))) == newest_first[3:]
    assert ids(list(saver.list(THREAD, before=configs[3], limit=1))) == [newest_first[2]]
    assert ids(list(saver.list(THREAD, filter={"source": "input"}))) == [newest_first[4]]
    # the limit counts what the filter kept, not what was read
    assert ids(list(saver.list(THREAD, filter={"source": "loop"}, limit=3))) == newest_first[:3]
    assert list(saver.list(THREAD, filter={"source": "loop", "step": 7})) == []
    assert [t.metadata["step"] for t in saver.list(THREAD, filter={"step": 1})] == [1]


def test_list_without_a_config_spans_threads_and_respects_namespaces(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    chain(saver, 2, thread="a")
    chain(saver, 1, thread="b")
    chain(saver, 1, thread="a", ns="child:1")

    assert len(list(saver.list(None))) == 4
    everything_of_a = list(saver.list({"configurable": {"thread_id": "a"}}))
    assert sorted(t.config["configurable"]["checkpoint_ns"] for t in everything_of_a) == [
        "",
        "",
        "child:1",
    ]
    child = list(saver.list({"configurable": {"thread_id": "a", "checkpoint_ns": "child:1"}}))
    assert [t.config["configurable"]["checkpoint_ns"] for t in child] == ["child:1"]
    assert [t.metadata["step"] for t in saver.list(None, filter={"step": 0})] == [0]


def test_config_keys_become_metadata_for_filtering(make_saver: SaverFactory) -> None:
    saver = make_saver()
    config = {
        "configurable": {"thread_id": "t1", "checkpoint_ns": "", "user": "ada", "__secret": "x"},
        "metadata": {"attempt": 2, "tags": ["not", "scalar"]},
    }
    saver.put(config, checkpoint({}, {}), meta(0), {})
    [found] = saver.list(THREAD, filter={"user": "ada", "attempt": 2})
    assert found.metadata == {
        "source": "loop",
        "step": 0,
        "parents": {},
        "user": "ada",
        "attempt": 2,
    }


def test_normal_writes_are_kept_once_and_special_writes_are_replaced(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    [config] = chain(saver, 1)
    saver.put_writes(config, [("jokes", "first"), ("__error__", "boom 1")], "task-a")
    # the task is retried: its normal write at index 0 is not doubled nor replaced,
    # its error is the latest one
    saver.put_writes(config, [("jokes", "second"), ("__error__", "boom 2")], "task-a")
    saver.put_writes(config, [("__interrupt__", "ask 1")], "task-b")
    saver.put_writes(config, [("__interrupt__", "ask 2")], "task-b")

    assert saver.get_tuple(config).pending_writes == [  # type: ignore[union-attr]
        ("task-a", "__error__", "boom 2"),
        ("task-a", "jokes", "first"),
        ("task-b", "__interrupt__", "ask 2"),
    ]


def test_pending_writes_come_in_the_order_a_superstep_applies_them(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    [config] = chain(saver, 1)
    saver.put_writes(config, [("x", 1), ("y", 2)], "zz-task", task_path="~__pregel_pull, b")
    saver.put_writes(config, [("x", 3)], "aa-task", task_path="~__pregel_pull, c")
    saver.put_writes(config, [("x", 4)], "mm-task", task_path="~__pregel_pull, a")
    saver.put_writes(config, [("x", 5)], "input-task")  # no path: graph input sorts first

    assert saver.get_tuple(config).pending_writes == [  # type: ignore[union-attr]
        ("input-task", "x", 5),
        ("mm-task", "x", 4),
        ("zz-task", "x", 1),
        ("zz-task", "y", 2),
        ("aa-task", "x", 3),
    ]


def test_writes_belong_to_their_checkpoint(make_saver: SaverFactory) -> None:
    saver = make_saver()
    first, second = chain(saver, 2)
    saver.put_writes(first, [("x", "old")], "t")
    assert saver.get_tuple(second).pending_writes == []  # type: ignore[union-attr]
    assert saver.get_tuple(first).pending_writes == [("t", "x", "old")]  # type: ignore[union-attr]
    [listed] = saver.list(THREAD, limit=1, before=second)
    assert listed.pending_writes == [("t", "x", "old")]


def test_delete_thread_removes_every_namespace_and_keeps_other_threads(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    [root] = chain(saver, 1, thread="gone")
    chain(saver, 1, thread="gone", ns="child:1")
    [kept] = chain(saver, 1, thread="kept")
    saver.put_writes(root, [("x", 1)], "t")

    saver.delete_thread("gone")
    saver.delete_thread("never-existed")

    assert saver.get_tuple({"configurable": {"thread_id": "gone"}}) is None
    assert list(saver.list({"configurable": {"thread_id": "gone"}})) == []
    assert saver.get_tuple(kept) is not None
    # a new thread of the same id starts empty (no writes or blobs left behind)
    again = saver.put(root, checkpoint({}, {"count": 1}), meta(0), {})
    assert saver.get_tuple(again).checkpoint["channel_values"] == {}  # type: ignore[union-attr]
    assert saver.get_tuple(again).pending_writes == []  # type: ignore[union-attr]


def test_next_versions_increase_and_sort_as_strings(make_saver: SaverFactory) -> None:
    saver = make_saver()
    versions: list[str] = []
    current: str | None = None
    for _ in range(12):
        current = saver.get_next_version(current)
        versions.append(current)
    assert [int(v.split(".")[0]) for v in versions] == list(range(1, 13))
    assert sorted(versions) == versions
    assert saver.get_next_version(7).split(".")[0] == "8".zfill(32)


def test_async_twins_do_what_the_sync_methods_do(make_saver: SaverFactory) -> None:
    saver = make_saver()

    async def scenario() -> None:
        one = await saver.aput(THREAD, checkpoint({"a": 1}, {"a": 1}), meta(-1, "input"), {"a": 1})
        two = await saver.aput(one, checkpoint({"a": 2}, {"a": 2}), meta(0), {"a": 2})
        await saver.aput_writes(two, [("a", 3), ("__error__", "e1")], "task")
        await saver.aput_writes(two, [("a", 4), ("__error__", "e2")], "task")

        found = await saver.aget_tuple(THREAD)
        assert found is not None
        assert found.config == two
        assert found.parent_config == one
        assert found.checkpoint["channel_values"] == {"a": 2}
        assert found.pending_writes == [("task", "__error__", "e2"), ("task", "a", 3)]
        assert await saver.aget(one) == saver.get(one)
        assert [t.config async for t in saver.alist(THREAD)] == [two, one]
        assert [t.config async for t in saver.alist(THREAD, limit=1)] == [two]
        assert [t.config async for t in saver.alist(THREAD, before=two)] == [one]
        assert [t.config async for t in saver.alist(THREAD, filter={"source": "input"})] == [one]

        await saver.adelete_thread("t1")
        assert await saver.aget_tuple(THREAD) is None
        # Postgres: its async pool belongs to this loop
        aclose = getattr(saver, "aclose", None)
        if aclose is not None:
            await aclose()

    asyncio.run(scenario())


def test_a_value_that_cannot_be_stored_names_its_channel_and_stores_nothing(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    cp = checkpoint({"ok": 1, "bad": {"inner": [object()]}}, {"ok": 1, "bad": 1})
    with pytest.raises(CheckpointSerializationError) as failed:
        saver.put(THREAD, cp, meta(0), {"ok": 1, "bad": 1})
    message = str(failed.value)
    assert message.startswith(
        f"cannot encode channel 'bad' of checkpoint {cp['id']}: at $.inner[0]:"
    )
    assert "builtins.object" in message
    assert saver.get_tuple(THREAD) is None

    [config] = chain(saver, 1)
    with pytest.raises(
        CheckpointSerializationError, match=r"channel 'out' of checkpoint .* \(task t9\)"
    ):
        saver.put_writes(config, [("fine", 1), ("out", {1, object()})], "t9")
    assert saver.get_tuple(config).pending_writes == []  # type: ignore[union-attr]


def test_configs_without_a_thread_or_checkpoint_get_a_clear_error(make_saver: SaverFactory) -> None:
    saver = make_saver()
    with pytest.raises(ValueError, match="a checkpointer needs a thread_id"):
        saver.get_tuple({"configurable": {}})
    with pytest.raises(ValueError, match="needs a config with a 'configurable' mapping"):
        saver.put({}, checkpoint({}, {}), meta(0), {})
    with pytest.raises(ValueError, match="put_writes needs the config of a stored checkpoint"):
        saver.put_writes(THREAD, [("x", 1)], "t")


def two_runs(saver: BaseCheckpointSaver) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run A stores channels a and b; run B's checkpoint changes only a (b stays at A's blob)."""
    one = saver.put(
        THREAD,
        checkpoint({"a": "a1", "b": "b1"}, {"a": 1, "b": 1}),
        meta(0, run_id="run-A"),
        {"a": 1, "b": 1},
    )
    saver.put_writes(one, [("a", "from A")], "task-A")
    two = saver.put(
        one, checkpoint({"a": "a2"}, {"a": 2, "b": 1}), meta(1, run_id="run-B"), {"a": 2}
    )
    saver.put_writes(two, [("a", "from B")], "task-B")
    return one, two


def test_delete_for_runs_keeps_other_runs_and_the_values_they_still_use(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    one, two = two_runs(saver)
    [other] = chain(saver, 1, thread="other")

    saver.delete_for_runs(["run-A", "run-that-never-was"])
    saver.delete_for_runs([])

    assert saver.get_tuple(one) is None
    kept = saver.get_tuple(two)
    assert kept is not None
    # b's value was stored by run A's checkpoint: B's still needs it
    assert kept.checkpoint["channel_values"] == {"a": "a2", "b": "b1"}
    assert kept.pending_writes == [("task-B", "a", "from B")]
    assert saver.get_tuple(other) is not None


def test_prune_keeps_each_namespaces_newest_checkpoint_with_its_writes_and_values(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    _, two = two_runs(saver)
    child = chain(saver, 3, ns="child:1")
    [other] = chain(saver, 2, thread="other")[-1:]

    saver.prune(["t1"], strategy="keep_latest")

    assert ids(list(saver.list(THREAD))) == [two["configurable"]["checkpoint_id"]]
    kept = saver.get_tuple(two)
    assert kept is not None
    assert kept.checkpoint["channel_values"] == {"a": "a2", "b": "b1"}
    assert kept.pending_writes == [("task-B", "a", "from B")]
    child_left = list(saver.list({"configurable": {"thread_id": "t1", "checkpoint_ns": "child:1"}}))
    assert ids(child_left) == [child[-1]["configurable"]["checkpoint_id"]]
    assert len(list(saver.list({"configurable": {"thread_id": "other"}}))) == 2

    saver.prune(["t1", "other"], strategy="delete")
    assert list(saver.list(None)) == []
    with pytest.raises(ValueError, match="unknown prune strategy 'oldest'"):
        saver.prune(["t1"], strategy="oldest")
    assert saver.get_tuple(other) is None


def test_copy_thread_copies_every_checkpoint_and_write_and_keeps_what_the_target_has(
    make_saver: SaverFactory,
) -> None:
    saver = make_saver()
    one, two = two_runs(saver)
    chain(saver, 1, ns="child:1")
    [own] = chain(saver, 1, thread="copy")

    saver.copy_thread("t1", "copy")
    saver.copy_thread("no-such-thread", "copy")

    def as_copy(config: dict[str, Any]) -> dict[str, Any]:
        return {"configurable": {**config["configurable"], "thread_id": "copy"}}

    for config in (one, two):
        original, copied = saver.get_tuple(config), saver.get_tuple(as_copy(config))
        assert original is not None and copied is not None
        assert copied.checkpoint == original.checkpoint
        assert copied.metadata == original.metadata
        assert copied.pending_writes == original.pending_writes
        assert copied.parent_config == (
            as_copy(original.parent_config) if original.parent_config else None
        )
    copied_all = list(saver.list({"configurable": {"thread_id": "copy"}}))
    assert len(copied_all) == 4  # its own checkpoint, and the three copied
    assert saver.get_tuple(own) is not None
    assert len(list(saver.list({"configurable": {"thread_id": "t1"}}))) == 3  # source unchanged


def test_async_maintenance_twins_do_what_the_sync_methods_do(make_saver: SaverFactory) -> None:
    saver = make_saver()
    one, two = two_runs(saver)

    async def scenario() -> None:
        await saver.acopy_thread("t1", "copy")
        await saver.aprune(["copy"], strategy="keep_latest")
        left = [t.config async for t in saver.alist({"configurable": {"thread_id": "copy"}})]
        assert left == [{"configurable": {**two["configurable"], "thread_id": "copy"}}]
        # a run's checkpoints go in every thread: the original and the copy
        await saver.adelete_for_runs(["run-B"])
        assert await saver.aget_tuple(two) is None
        assert (await saver.aget_tuple(one)) is not None
        assert [t.config async for t in saver.alist({"configurable": {"thread_id": "copy"}})] == []
        aclose = getattr(saver, "aclose", None)
        if aclose is not None:
            await aclose()

    asyncio.run(scenario())
