"""Finish sessions whose rehearsal was killed: repair their audio and mark them `recovered`.

A rehearsal that dies without closing (SIGKILL, power cut, a crash) leaves
its session `recording` with the answer's samples on disk but a WAV header
that may count none of them. Every command that opens the data folder runs
recover() first, so such a session is made whole the next time the program
starts, the way a recorder recovers an unsaved take on its next launch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from simulator.config import format_duration
from simulator.errors import UserError
from simulator.sessions.record import Role, SessionRecord, Status
from simulator.sessions.store import LOCK_FILE, SessionFolder, Store


@dataclass(frozen=True)
class Recovered:
    """One session made whole: how much answer audio it kept, in how many answers."""

    id: str
    path: Path
    question_id: str
    answers: int
    answer_seconds: float
    audio: tuple[str, ...]

    def line(self) -> str:
        """What the user reads: what happened, what was kept, and how to get a transcript."""
        kept = (f"kept {format_duration(self.answer_seconds)} of answer audio in "
                f"{self.answers} answer{'s' if self.answers != 1 else ''}" if self.answers
                else "no answer had been recorded yet")
        hint = ""
        if self.audio:
            hint = (f"; to transcribe it, run `mock-interview rehearse --question {self.question_id} --no-voice "
                    f"--followups 0 --answer-file {self.path / self.audio[0]}`")
        return f"Recovered session {self.id}: the rehearsal stopped without closing; {kept}, not transcribed{hint}."


def recover(store: Store) -> list[Recovered]:
    """Repair every session left `recording` by a process that is gone; live rehearsals are left alone."""
    done = []
    for path, record in store.all():
        if record is None or record.status != Status.RECORDING:
            continue
        result = recover_folder(SessionFolder(path))
        if result is not None:
            done.append(result)
    return done


def recover_folder(folder: SessionFolder) -> Recovered | None:
    """Recover one session if its owner is gone; None when it is live or already finished."""
    try:
        lock = folder.lock()
    except OSError:
        return None  # a read-only data folder: leave the session for a command that can write
    if lock is None:
        return None  # a rehearsal in another terminal still owns it
    try:
        try:
            record = folder.load()  # again, under the lock: the owner may have finished meanwhile
        except UserError:
            return None
        if record.status != Status.RECORDING:
            return None
        kept = _repair_answers(folder, record)
        record.status = Status.RECOVERED
        record.ended_at = record.ended_at or _last_write(folder)
        try:
            folder.save(record)
        except OSError:
            return None  # a full or read-only disk: it stays `recording` and is tried again next time
        seconds = sum(t.seconds for t in record.answers() if t.audio in kept)
        return Recovered(record.id, folder.path, record.question.id, len(kept), seconds, tuple(kept))
    finally:
        lock.release()


def _repair_answers(folder: SessionFolder, record: SessionRecord) -> list[str]:
    """Fix each turn's WAV and set an answer's end from the audio it really holds; the files kept."""
    from simulator.audio import repair_wav  # numpy comes with it; only a session being recovered needs it

    kept = []
    for turn in record.turns:
        if not turn.audio:
            continue
        path = folder.file(turn.audio)
        if not path.is_file() or Path(turn.audio).name != turn.audio:
            seconds = 0.0
        else:
            try:
                seconds = repair_wav(path)
            except (OSError, UserError):
                continue  # leave a file that is not ours untouched, and the turn's times as they were
        if turn.role == Role.CANDIDATE:
            turn.end = round(turn.start + seconds, 3)
            if seconds > 0:
                kept.append(turn.audio)
    return kept


def _last_write(folder: SessionFolder) -> str:
    """When the killed rehearsal last wrote anything: the newest file in its folder."""
    times = [p.stat().st_mtime for p in folder.path.iterdir() if p.is_file() and p.name != LOCK_FILE]
    when = datetime.fromtimestamp(max(times)) if times else datetime.now()
    return when.astimezone().isoformat(timespec="seconds")
