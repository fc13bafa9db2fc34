"""Session folders: one per interview, holding its audio, transcript and session.json."""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import UserError, first_line
from .transcript import as_seconds

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
    reply_latency: float | None = None  # a follow-up's wait: from the answer's end to the voice starting

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
    def from_json(cls, data: Any) -> SessionRecord:
        """A record as session.json holds it; ValueError saying what is wrong with anything else."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        question = _required(data, "question", dict)
        if not all(isinstance(v, str) for v in question.values()):
            raise ValueError("question holds a value that is not a string")
        turns = _optional(data, "turns", list) or []
        return cls(id=_required(data, "id", str), question=dict(question),
                   started_at=_required(data, "started_at", str), status=_optional(data, "status", str) or "complete",
                   model=_optional(data, "model", str), turns=[_turn(t) for t in turns],
                   ended_at=_optional(data, "ended_at", str),
                   input_overflows=_optional(data, "input_overflows", int) or 0,
                   schema_version=_optional(data, "schema_version", int) or SCHEMA_VERSION)


def _turn(data: Any) -> Turn:
    if not isinstance(data, dict):
        raise ValueError("a turn is not an object")
    audio = _optional(data, "audio", str)
    if audio is not None and not is_plain_name(audio):
        raise ValueError(f"a turn's audio {audio!r:.60} points outside the session folder")
    start, end = as_seconds(_required(data, "start", (int, float))), as_seconds(_required(data, "end", (int, float)))
    return Turn(_required(data, "role", str), _optional(data, "text", str) or "", audio, start, end,
                _optional(data, "target", str), _whole_analysis(data.get("analysis")),
                _optional(data, "reply_latency", (int, float)))


def _whole_analysis(data: Any) -> dict[str, Any] | None:
    """A stored analysis in the shape `analyze --json` gives, else None: it is worked out again from the
    transcript when needed, so a damaged one costs nothing and must not break a report."""
    number = (int, float)

    def num(value: Any, optional: bool = True) -> bool:
        return (value is None and optional) or (isinstance(value, number) and not isinstance(value, bool))

    def counts(value: Any) -> bool:
        return isinstance(value, dict) and all(isinstance(k, str) and num(v, False) for k, v in value.items())

    try:
        steps, mistakes, delivery = data["steps"], data["mistakes"], data["delivery"]
        whole = (isinstance(data["kind"], str) and isinstance(steps, dict)
                 and all(isinstance(v, dict) and isinstance(v["covered"], bool) and num(v.get("first_at"))
                         and num(v.get("seconds")) and isinstance(v.get("evidence") or "", str)
                         for v in steps.values())
                 and isinstance(mistakes, list)
                 and all(isinstance(m["code"], str) and isinstance(m["detail"], str) for m in mistakes)
                 and num(delivery["words"], False) and num(delivery.get("wpm"))
                 and num(delivery.get("speaking_seconds")) and num(delivery["filler_rate"], False)
                 and counts(delivery["fillers"]) and counts(delivery["hedges"])
                 and isinstance(delivery["long_pauses"], list)
                 and all(isinstance(p, dict) and all(num(v, False) for v in p.values())
                         for p in delivery["long_pauses"]))
    except (KeyError, TypeError, AttributeError):
        return None
    return data if whole else None


def _required(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if data.get(key) is None:
        raise ValueError(f"no {key}")
    return _optional(data, key, kind)


def _optional(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
        raise ValueError(f"{key} is not {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", dict: "an object", list: "a list", float: "a number"}
    return names[kind] if isinstance(kind, type) else "a number"


def is_plain_name(name: str) -> bool:
    """A bare file name that stays in its folder: no separators, no `..`, not absolute."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\0")


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
                            f"{_write_fix(exc)}.") from None
        raise UserError(f"Too many sessions named {base} in {self.sessions_dir}; wait a second and try again.")

    def all(self) -> list[tuple[Path, SessionRecord | None]]:
        """Every session folder, oldest first, with its record (None when it cannot be read or lies outside)."""
        if not self.sessions_dir.is_dir():
            return []
        try:
            folders = sorted(p for p in self.sessions_dir.iterdir() if p.is_dir())
        except OSError as exc:
            raise UserError(f"Cannot read {self.sessions_dir} ({exc.strerror}); make it readable or pick "
                            "another folder with --home.") from None
        found = []
        for folder in folders:
            try:
                found.append((folder, self._inside(SessionFolder(folder)).load()))
            except UserError:
                found.append((folder, None))
        return found

    def find(self, ref: str) -> SessionFolder:
        """A session by id, unique id prefix, `last`, or folder path; never a folder outside the data folder."""
        folders = [folder for folder, _ in self.all()]
        if ref == "last":
            if not folders:
                raise UserError("There are no sessions yet; start one with `mock-interview rehearse`.")
            return self._inside(SessionFolder(max(folders, key=lambda f: f.name)))
        if "\0" not in ref and _is_dir(Path(ref)) and ("/" in ref or ref.startswith(".")):
            return self._inside(SessionFolder(Path(ref)))
        if "/" in ref or "\\" in ref or "\0" in ref or ref.startswith(".") or not ref:
            raise UserError(f"{ref!r:.80} is not a session id; see `mock-interview sessions` for the ids.")
        matches = [f for f in folders if f.name.startswith(ref)]
        exact = [f for f in matches if f.name == ref]
        if exact or len(matches) == 1:
            return self._inside(SessionFolder((exact or matches)[0]))
        if not matches:
            raise UserError(f"There is no session {ref!r:.80}; see `mock-interview sessions` for the ids.")
        raise UserError(f"{ref!r} matches {len(matches)} sessions; give more of the id.")

    def _inside(self, folder: SessionFolder) -> SessionFolder:
        """The folder itself if it is a session folder of this data folder, not a link or a path leading out."""
        if folder.path.is_symlink():
            raise UserError(f"{folder.path} is a link to {folder.path.resolve()}, outside the data folder; "
                            f"move that session into {self.sessions_dir} instead of linking it.")
        if folder.path.resolve().parent != self.sessions_dir.resolve():
            raise UserError(f"{folder.path} is not a session folder in {self.sessions_dir}; pass a session id "
                            "(see `mock-interview sessions`).")
        return folder


def _write_fix(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on that disk or pick another folder with --home"
    return "make it writable or pick another folder with --home"


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long for the file system is no folder
        return False


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
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise UserError(f"Cannot write to {folder} ({exc.strerror}); {_write_fix(exc)}.") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is for people reading the file; the flock is the lock
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
        """A file in this session folder; a name or link that would lead outside it is refused."""
        path = self.path / name
        if not is_plain_name(name) or (path.is_symlink() and path.resolve().parent != self.path.resolve()):
            raise UserError(f"{path} leads outside its session folder; remove it, the session's own files "
                            "are never links.")
        return path

    def save(self, record: SessionRecord) -> None:
        self._write_json(SESSION_FILE, record.to_json())

    def save_transcript(self, data: dict[str, Any]) -> None:
        self._write_json(TRANSCRIPT_FILE, data)

    def _write_json(self, name: str, data: Any) -> None:
        path = self.file(name)
        try:
            write_json_atomic(path, data)
        except OSError as exc:
            raise UserError(f"Cannot write {path} ({exc.strerror or first_line(exc)}); {_write_fix(exc)}.") from None

    def discard_if_empty(self) -> None:
        """Remove a folder that never got its session.json, so a refused start leaves nothing behind."""
        try:
            if [p.name for p in self.path.iterdir()] == [LOCK_FILE]:
                self.file(LOCK_FILE).unlink()
            if not any(self.path.iterdir()):
                self.path.rmdir()
        except OSError:
            pass

    def load(self) -> SessionRecord:
        path = self.file(SESSION_FILE)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{self.path} has no {SESSION_FILE}; it is not a session folder.") from None
        except (OSError, ValueError, RecursionError) as exc:
            raise UserError(f"{path} is unreadable ({first_line(exc):.100}); the session's audio files are "
                            "still in its folder.") from None
        version = data.get("schema_version") if isinstance(data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            raise UserError(f"{path} was written by a newer version of mock-interview (schema {version}); "
                            "upgrade mock-interview to read it.")
        try:
            return SessionRecord.from_json(data)
        except ValueError as exc:
            raise UserError(f"{path} is unreadable ({first_line(exc)}); the session's audio files are "
                            "still in its folder.") from None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "session"
