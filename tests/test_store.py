"""Session folders and session.json: written whole, read back, refused when unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.errors import UserError
from simulator.sessions.record import SessionRecord, Turn
from simulator.sessions.store import SessionFolder, Store, write_json_atomic


def record(session_id: str) -> SessionRecord:
    return SessionRecord(id=session_id, question={"id": "q", "kind": "design", "text": "Design Q."},
                         started_at="2026-11-21T10:00:00+00:00", status="complete",
                         turns=[Turn("interviewer", "Design Q.", "prompt-01.wav", 0.0, 2.0),
                                Turn("candidate", "An answer.", "answer-01.wav", 2.5, 600.5)])


def test_a_session_round_trips_and_is_private(tmp_path: Path) -> None:
    store = Store(tmp_path)
    folder = store.create("url-shortener")
    folder.save(record(folder.id))
    loaded = folder.load()
    assert loaded == record(folder.id)
    assert loaded.answer_seconds() == pytest.approx(598.0)
    assert folder.path.stat().st_mode & 0o077 == 0
    assert [r.id for _, r in store.all() if r] == [folder.id]


def test_two_sessions_in_one_second_get_distinct_ids(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.create("q").id != store.create("q").id


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    write_json_atomic(path, {"a": 1})
    write_json_atomic(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]


@pytest.mark.parametrize("text, words", [
    ("{not json", "unreadable"),
    ('{"id": "x"}', "unreadable"),
])
def test_a_corrupt_session_json_is_one_line(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "session.json").write_text(text)
    with pytest.raises(UserError, match=words):
        SessionFolder(tmp_path).load()


def test_a_future_schema_asks_for_an_upgrade(tmp_path: Path) -> None:
    data = record("x").to_json()
    data["schema_version"] = 99
    (tmp_path / "session.json").write_text(json.dumps(data))
    with pytest.raises(UserError, match="newer version"):
        SessionFolder(tmp_path).load()


def test_an_unreadable_session_is_listed_not_fatal(tmp_path: Path) -> None:
    store = Store(tmp_path)
    good = store.create("a")
    good.save(record(good.id))
    bad = store.create("b")
    bad.file("session.json").write_text("{")
    found = {folder.name: rec for folder, rec in store.all()}
    assert found[good.id] is not None and found[bad.id] is None


def test_an_open_session_is_saved_and_claimed_until_its_block_ends(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        with store.open("url-shortener", record) as (folder, first):
            assert SessionFolder(folder.path).load().id == first.id == folder.id, "saved before the block runs"
            assert folder.lock() is None, "another command cannot claim a live session"
            raise KeyboardInterrupt
    assert folder.path.is_dir() and folder.load().id == first.id, "what was saved stays, however the block ends"
    again = folder.lock()
    assert again is not None, "the claim ends with the block"
    again.release()


def test_a_session_whose_first_record_cannot_be_saved_leaves_nothing_behind(tmp_path: Path) -> None:
    def unsaveable(session_id: str) -> SessionRecord:
        raise UserError("Cannot write session.json (No space left on device); free some space.")

    store = Store(tmp_path)
    with pytest.raises(UserError):
        with store.open("url-shortener", unsaveable):
            pytest.fail("the block never runs")
    assert store.folders() == []
