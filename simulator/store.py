"""Session folders: one per interview, holding its audio, transcript and session.json."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import UserError

SCHEMA_VERSION = 1
SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.json"
LOCK_FILE = ".owner.lock"
# recording: a rehearsal is running (or was killed; the next command recovers it);
# recovered: it was killed and its audio repaired afterwards, so its answers have no transcript.
STATUSES = ("recording", "complete", "interrupted", "recovered")


@dataclass
class Turn:
    """One spoken turn; start and end are seconds from the session start."""

    role: str  # "interviewer" | "candidate"
    text: str
    audio: str | None
    start: float
    end: float
    target: str | None = None  # what an interviewer's follow-up aims at (a step id or mistake code)
    analysis: dict[str, Any] | None = None  # a candidate turn's analysis, as `analyze --json` gives it

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass
class SessionRecord:
    id: str
    question: dict[str, str]
    started_at: str
    status: str = "recording"
    model: str | None = None
    turns: list[Turn] = field(default_factory=list)
    ended_at: str | None = None
    input_overflows: int = 0  # times the microphone delivered faster than the program read it
    schema_version: int = SCHEMA_VERSION

    def answers(self) -> list[Turn]:
        return [t for t in self.turns if t.role == "candidate"]

    def answer_seconds(self) -> float:
        """Length of the first answer, the walkthrough that the 8–12 minute target is about."""
        answers = self.answers()
        return answers[0].seconds if answers else 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["turns"] = [asdict(t) for t in self.turns]
        return {"schema_version": data.pop("schema_version"), **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionRecord:
        turns = [Turn(str(t["role"]), str(t.get("text", "")), t.get("audio"), float(t["start"]), float(t["end"]),
                      t.get("target"), t.get("analysis"))
                 for t in data.get("turns", [])]
        question = data["question"]
        return cls(id=str(data["id"]), question={k: str(v) for k, v in question.items()},
                   started_at=str(data["started_at"]), status=str(data.get("status", "complete")),
                   model=data.get("model"), turns=turns, ended_at=data.get("ended_at"),
                   input_overflows=int(data.get("input_overflows", 0) or 0),
                   schema_version=int(data.get("schema_version", SCHEMA_VERSION)))


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so a crash leaves either the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, ensure_ascii=False)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Store:
    """The data folder: <home>/sessions/<id>/ per session."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self.sessions_dir = self.home / "sessions"

    def create(self, question_id: str, when: datetime | None = None) -> SessionFolder:
        """A new, empty session folder readable by the user alone."""
        when = when or datetime.now().astimezone()
        base = f"{when:%Y%m%d-%H%M%S}-{_slug(question_id)}"
        try:
            self.sessions_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            for n in range(1, 1000):
                session_id = base if n == 1 else f"{base}-{n}"
                try:
                    (self.sessions_dir / session_id).mkdir(mode=0o700)
                except FileExistsError:
                    continue
                return SessionFolder(self.sessions_dir / session_id)
        except OSError as exc:
            raise UserError(f"Cannot create a session in {self.sessions_dir} ({exc.strerror}); "
                            "make it writable or pick another folder with --home.") from None
        raise UserError(f"Too many sessions named {base} in {self.sessions_dir}; wait a second and try again.")

    def all(self) -> list[tuple[Path, SessionRecord | None]]:
        """Every session folder, oldest first, with its record (None when it cannot be read)."""
        if not self.sessions_dir.is_dir():
            return []
        found = []
        for folder in sorted(p for p in self.sessions_dir.iterdir() if p.is_dir()):
            try:
                found.append((folder, SessionFolder(folder).load()))
            except UserError:
                found.append((folder, None))
        return found


    def find(self, ref: str) -> SessionFolder:
        """A session by id, unique id prefix, `last`, or folder path; never a path outside the data folder."""
        folders = [folder for folder, _ in self.all()]
        if ref == "last":
            if not folders:
                raise UserError("There are no sessions yet; start one with `mock-interview rehearse`.")
            return SessionFolder(max(folders, key=lambda f: f.name))
        path = Path(ref)
        if path.is_dir() and (path / SESSION_FILE).exists():
            return SessionFolder(path)
        if "/" in ref or ref.startswith(".") or not ref:
            raise UserError(f"{ref!r} is not a session id; see `mock-interview sessions`.")
        matches = [f for f in folders if f.name.startswith(ref)]
        exact = [f for f in matches if f.name == ref]
        if exact or len(matches) == 1:
            return SessionFolder((exact or matches)[0])
        if not matches:
            raise UserError(f"There is no session {ref!r}; see `mock-interview sessions` for the ids.")
        raise UserError(f"{ref!r} matches {len(matches)} sessions; give more of the id.")


class SessionLock:
    """An exclusive flock on the session's lock file, held while a rehearsal writes the session.

    The kernel drops it when its process dies however it dies, so a session
    still `recording` whose lock can be taken belongs to no running process.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def take(cls, folder: Path) -> SessionLock | None:
        """The lock, or None when another process holds it."""
        import fcntl

        path = Path(folder) / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return cls(path, fd)

    def release(self) -> None:
        """Remove the lock file, then let go of it; safe to call twice."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # a lock file left behind is harmless: the next taker gets it at once
        os.close(self._fd)
        self._fd = None


class SessionFolder:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def lock(self) -> SessionLock | None:
        """Claim the session for this process; None when a live process owns it."""
        return SessionLock.take(self.path)

    @property
    def id(self) -> str:
        return self.path.name

    def file(self, name: str) -> Path:
        return self.path / name

    def save(self, record: SessionRecord) -> None:
        write_json_atomic(self.file(SESSION_FILE), record.to_json())

    def save_transcript(self, data: dict[str, Any]) -> None:
        write_json_atomic(self.file(TRANSCRIPT_FILE), data)

    def load(self) -> SessionRecord:
        path = self.file(SESSION_FILE)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            record = SessionRecord.from_json(data)
        except FileNotFoundError:
            raise UserError(f"{self.path} has no {SESSION_FILE}; it is not a session folder.") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UserError(f"{path} is unreadable ({type(exc).__name__}); the session's audio files are "
                            "still in its folder.") from None
        if record.schema_version > SCHEMA_VERSION:
            raise UserError(f"{path} was written by a newer version of mock-interview; upgrade to read it.")
        return record


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "session"
