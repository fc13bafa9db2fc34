"""Session folders: one per interview, holding its audio, transcript.json and session.json.

The only module that opens those two files; what it reads is handed on as the dataclasses of record.py.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from simulator.errors import UserError, first_line
from simulator.json_shape import is_kind
from simulator.sessions.record import SCHEMA_VERSION, SavedSession, SessionRecord, Transcript, is_plain_name

SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.json"
LOCK_FILE = ".owner.lock"
T = TypeVar("T")


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so a crash leaves either the old file or the new one, never half of one."""
    def dump(out: IO[str]) -> None:
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")

    _write_atomic(path, dump, durable=True)


def write_page(path: Path, text: str) -> None:
    """Write a page readable by the user alone (it may hold their recordings), whole or not at all."""
    try:
        _write_atomic(path, lambda out: out.write(text), durable=False)
    except OSError as exc:
        raise UserError(f"Cannot write {path} ({exc.strerror or type(exc).__name__}); make the folder writable "
                        "or free some disk space.") from None


def _write_atomic(path: Path, write: Callable[[IO[str]], Any], durable: bool) -> None:
    """Write a temporary file beside `path` and rename it over; `durable` also syncs it to the disk, for
    records a crash must not lose (a page can be written again)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            write(out)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    if durable:
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

    @contextmanager
    def open(self, question_id: str, record: Callable[[str], SessionRecord],
             when: datetime | None = None) -> Iterator[tuple[SessionFolder, SessionRecord]]:
        """A new session, claimed by this process and saved with its first record, until the block ends.

        `record` makes the first record from the new folder's id. When that first save fails (a full or
        read-only data folder) no empty session is left behind; once it is saved, the session stays
        whatever happens in the block.
        """
        folder = self.create(question_id, when)
        # held until the block ends, so another command never "recovers" a live rehearsal
        lock = None
        try:
            lock = folder.lock()
            first = record(folder.id)
            folder.save(first)
        except BaseException:
            if lock is not None:
                lock.release()
            folder.discard_if_empty()
            raise
        try:
            yield folder, first
        finally:
            if lock is not None:
                lock.release()

    def folders(self) -> list[Path]:
        """Every session folder, oldest first, without reading any of them."""
        if not self.sessions_dir.is_dir():
            return []
        try:
            return sorted(p for p in self.sessions_dir.iterdir() if p.is_dir())
        except OSError as exc:
            raise UserError(f"Cannot read {self.sessions_dir} ({exc.strerror}); make it readable or pick "
                            "another folder with --home.") from None

    def all(self) -> list[tuple[Path, SessionRecord | None]]:
        """Every session folder, oldest first, with its record (None when it cannot be read or lies outside)."""
        return self._each(SessionFolder.load)

    def read_all(self) -> list[tuple[Path, SavedSession | None]]:
        """Every session, oldest first, read whole (None when it cannot be read or lies outside)."""
        return self._each(SessionFolder.read)

    def _each(self, read: Callable[[SessionFolder], T]) -> list[tuple[Path, T | None]]:
        found: list[tuple[Path, T | None]] = []
        for folder in self.folders():
            try:
                found.append((folder, read(self._inside(SessionFolder(folder)))))
            except UserError:
                found.append((folder, None))
        return found

    def find(self, ref: str) -> SessionFolder:
        """A session by id, unique id prefix, `last`, or folder path; never a folder outside the data folder."""
        folders = self.folders()
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

    def save_transcript(self, transcript: Transcript) -> None:
        self._write_json(TRANSCRIPT_FILE, transcript.to_json())

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
        if is_kind(version, int) and version > SCHEMA_VERSION:
            raise UserError(f"{path} was written by a newer version of mock-interview (schema {version}); "
                            "upgrade mock-interview to read it.")
        try:
            return SessionRecord.from_json(data)
        except ValueError as exc:
            raise UserError(f"{path} is unreadable ({first_line(exc)}); the session's audio files are "
                            "still in its folder.") from None

    def read(self) -> SavedSession:
        """The record, each answer's transcript and the audio files there, in one pass. A transcript.json
        that is missing or damaged costs the answers' times, never the session: it becomes a note."""
        record = self.load()
        transcript, notes = self._transcript()
        audio = {t.audio: self.file(t.audio) for t in record.turns if t.audio}
        return SavedSession.of(self.path, record, transcript, {n: p for n, p in audio.items() if p.is_file()},
                               notes)

    def _transcript(self) -> tuple[Transcript | None, tuple[str, ...]]:
        path = self.file(TRANSCRIPT_FILE)  # refuses a transcript.json that links outside the session
        if not path.exists():
            return None, ()
        try:
            return Transcript.from_json(json.loads(path.read_text(encoding="utf-8"))), ()
        except (OSError, ValueError, RecursionError) as exc:
            return None, (f"{TRANSCRIPT_FILE} is unreadable ({type(exc).__name__}); answer times come from "
                          f"{SESSION_FILE} alone.",)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "session"
