"""Sessions saved by earlier versions of the program read back and write out byte for byte.

tests/saved_sessions/ holds real session folders (their JSON only) made by the program before the
question, the practice and the round were typed: a spoken design answer, typed ones, an experience
answer tailored to a role, company and level, a drill, a résumé question and a round of two.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator.sessions.context import AskedQuestion, Practice, RoundPlace
from simulator.sessions.record import SessionRecord, Transcript
from simulator.sessions.store import SESSION_FILE, TRANSCRIPT_FILE, SessionFolder, Store
from simulator.vocab import Kind

SAVED = Path(__file__).resolve().parent / "saved_sessions"
FOLDERS = sorted(p.name for p in SAVED.iterdir() if p.is_dir())


def _copy(name: str, home: Path) -> SessionFolder:
    target = home / "sessions" / name
    shutil.copytree(SAVED / name, target)
    return SessionFolder(target)


def test_there_are_saved_sessions_of_every_shape() -> None:
    records = [SessionRecord.from_json(json.loads((SAVED / n / SESSION_FILE).read_text("utf-8"))) for n in FOLDERS]
    assert {r.question.kind for r in records} == {Kind.DESIGN, Kind.EXPERIENCE}
    practices = [r.practice for r in records if r.practice is not None]
    assert any(p.round is not None for p in practices)
    assert any(p.role is not None and p.company is not None for p in practices)
    assert any(p.drill is not None for p in practices) and any(p.resume for p in practices)
    assert any(t.audio for r in records for t in r.turns)  # a spoken one, with its transcript's segments


@pytest.mark.parametrize("name", FOLDERS)
def test_a_saved_session_reads_and_writes_back_byte_for_byte(name: str, tmp_path: Path) -> None:
    folder = _copy(name, tmp_path)
    before = {f: (folder.path / f).read_bytes() for f in (SESSION_FILE, TRANSCRIPT_FILE)}
    saved = Store(tmp_path).find(name).read()
    assert saved.record.question.text and saved.record.question.id
    folder.save(saved.record)
    folder.save_transcript(Transcript.from_json(json.loads(before[TRANSCRIPT_FILE])))
    for file, data in before.items():
        assert (folder.path / file).read_bytes() == data, file


def test_a_round_place_and_a_practice_write_their_keys_in_the_saved_order() -> None:
    practice = Practice("backend", "amazon", "staff", "clarify", RoundPlace("round-1", 2, 3), True)
    assert list(practice.to_json()) == ["level", "role", "company", "drill", "round", "resume"]
    assert list(practice.to_json()["round"]) == ["id", "index", "of"]
    assert Practice.from_json(practice.to_json()) == practice
    assert Practice().to_json() == {"level": "senior"}


def test_a_question_reads_as_the_readers_always_took_it() -> None:
    assert AskedQuestion.from_json({"id": "q", "kind": "experience", "text": "T"}) == \
        AskedQuestion("q", Kind.EXPERIENCE, "T")
    assert AskedQuestion.from_json({"text": "T"}) == AskedQuestion("", Kind.DESIGN, "T")
    with pytest.raises(ValueError, match="not a string"):
        AskedQuestion.from_json({"id": 3})


def test_a_damaged_round_place_keeps_the_round_id_but_not_the_bad_numbers() -> None:
    assert RoundPlace.from_json({"id": "r", "index": "2", "of": True}) == RoundPlace("r", None, None)
    assert RoundPlace.from_json({"index": 2}) is None
    assert Practice.from_json({"level": "galactic", "round": []}) == Practice()


def test_a_record_built_from_a_question_dict_holds_the_typed_question() -> None:
    record = SessionRecord(id="s", question={"id": "q", "kind": "design", "text": "Design Q."}, started_at="t",
                           practice={"level": "mid", "round": {"id": "r", "index": 1, "of": 2}})
    assert record.question == AskedQuestion("q", Kind.DESIGN, "Design Q.")
    assert record.practice == Practice(level="mid", round=RoundPlace("r", 1, 2))
