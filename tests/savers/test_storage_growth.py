"""A conversation's storage grows with what it holds: append-only lists are stored as deltas.

A 200-turn ``add_messages`` conversation runs on a SQLite thread; each turn
adds two messages, which the state's ``messages`` list keeps. Stored whole
at every version, the list would make turn N store about N messages (the
database grows with the square of the conversation); stored as deltas, each
turn stores what it added. The bytes the thread stores per turn (every
blob, checkpoint, metadata and write, summed in SQL) must stay flat from the
first turns to the last, and every checkpoint of the history must read back
exactly.
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
from pathlib import Path
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, HumanMessage

from flowc.langgraph import MessagesState, StateGraph
from flowc.savers.sqlite import SqliteSaver

TURNS = 200


def _reply(state: MessagesState) -> dict[str, Any]:
    last = state["messages"][-1]
    return {"messages": [AIMessage(f"you said: {last.content}", id=f"ai-{last.id}")]}


def _conversation(saver: SqliteSaver) -> Any:
    builder = StateGraph(MessagesState)
    builder.add_node("reply", _reply)
    builder.add_edge("__start__", "reply")
    return builder.compile(checkpointer=saver)


def stored_bytes(path: Path) -> int:
    """Every byte a saver's rows hold (values, checkpoints, metadata, writes)."""
    with sqlite3.connect(path) as conn:
        blobs = conn.execute(
            "SELECT coalesce(sum(length(blob)), 0) FROM checkpoint_blobs"
        ).fetchone()
        checkpoints = conn.execute(
            "SELECT coalesce(sum(length(checkpoint) + length(metadata)), 0) FROM checkpoints"
        ).fetchone()
        writes = conn.execute(
            "SELECT coalesce(sum(length(value)), 0) FROM checkpoint_writes"
        ).fetchone()
    return int(blobs[0] + checkpoints[0] + writes[0])


def test_a_200_turn_conversation_stores_a_bounded_number_of_bytes_per_turn(
    tmp_path: Path,
) -> None:
    path = tmp_path / "chat.db"
    saver = SqliteSaver(path)
    graph = _conversation(saver)
    config: Any = {"configurable": {"thread_id": "chat"}}
    sizes = [stored_bytes(path)]
    for turn in range(TURNS):
        graph.invoke(
            {"messages": [HumanMessage(f"message number {turn:03}", id=f"h{turn:03}")]}, config
        )
        sizes.append(stored_bytes(path))
    per_turn = [after - before for before, after in itertools.pairwise(sizes)]
    early = sum(per_turn[10:60]) / 50
    late = sum(per_turn[150:200]) / 50
    # whole lists would store ~150 more messages per turn at the end than at the start
    assert late <= early * 1.1, (early, late)
    assert max(per_turn[10:]) <= 1.2 * early, (early, max(per_turn[10:]))
    state = graph.get_state(config)
    assert len(state.values["messages"]) == 2 * TURNS
    assert [m.id for m in state.values["messages"][-2:]] == ["h199", "ai-h199"]
    # every checkpoint reads back: the n-th turn's last checkpoint holds 2n messages
    history = list(graph.get_state_history(config))
    assert len(history) == 3 * TURNS
    ends = [s for s in history if s.metadata["source"] == "loop" and not s.next]
    assert [len(s.values["messages"]) for s in ends] == [2 * n for n in range(TURNS, 0, -1)]
    print(f"stored: {sizes[-1]} bytes for {TURNS} turns, {early:.0f} -> {late:.0f} bytes per turn")
    saver.close()


def test_without_deltas_the_same_conversation_grows_with_its_square(tmp_path: Path) -> None:
    # what the deltas save: the same runs with every version stored whole
    path = tmp_path / "whole.db"
    saver = SqliteSaver(path, deltas=False)
    graph = _conversation(saver)
    config: Any = {"configurable": {"thread_id": "chat"}}
    sizes = [stored_bytes(path)]
    for turn in range(60):
        graph.invoke(
            {"messages": [HumanMessage(f"message number {turn:03}", id=f"h{turn:03}")]}, config
        )
        sizes.append(stored_bytes(path))
    per_turn = [after - before for before, after in itertools.pairwise(sizes)]
    assert sum(per_turn[50:60]) > 3 * sum(per_turn[5:15])
    saver.close()


class Log(TypedDict, total=False):
    items: Annotated[list[str], operator.add]


def _append(state: Log) -> dict[str, Any]:
    return {"items": [f"item {len(state['items'])}"]}


def _log_graph(saver: SqliteSaver) -> Any:
    builder = StateGraph(Log)
    builder.add_node("append", _append)
    builder.add_edge("__start__", "append")
    return builder.compile(checkpointer=saver)


def test_forks_prunes_and_a_new_saver_on_the_file_read_delta_lists_back(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    saver = SqliteSaver(path)
    graph = _log_graph(saver)
    config: Any = {"configurable": {"thread_id": "t"}}
    for _ in range(5):
        graph.invoke({"items": ["in"]}, config)
    with sqlite3.connect(path) as conn:
        kinds = dict(
            conn.execute(
                "SELECT type, count(*) FROM checkpoint_blobs WHERE channel = 'items' GROUP BY type"
            )
        )
    assert kinds["delta"] >= 8
    expected = ["in", "item 1", "in", "item 3", "in", "item 5", "in", "item 7", "in", "item 9"]
    assert graph.get_state(config).values["items"] == expected
    # a fork from an older checkpoint: its list is not an extension of the latest one
    old = next(s for s in graph.get_state_history(config) if s.metadata["step"] == 4)
    graph.invoke({"items": ["fork"]}, old.config)
    assert graph.get_state(config).values["items"] == [*expected[:4], "fork", "item 5"]
    # another saver on the file, in the same state
    again = SqliteSaver(path)
    assert _log_graph(again).get_state(config).values["items"] == [*expected[:4], "fork", "item 5"]
    # pruning to the newest checkpoint keeps the versions its list is built from
    saver.prune(["t"])
    assert [s.values["items"] for s in graph.get_state_history(config)] == [
        [*expected[:4], "fork", "item 5"]
    ]
    # a deleted thread starts over: nothing of the old list is referred to
    again.delete_thread("t")
    graph.invoke({"items": ["new"]}, config)
    assert graph.get_state(config).values["items"] == ["new", "item 1"]
    saver.close()
    again.close()
