"""The candidate's diagram file, watched while they talk: each new drawing kept with its time on the session clock.

The path is looked at every half second (its inode, size and modification time, nothing read); a change is
read once two looks in a row agree, so a save still being written is not read half-way. A read that is
empty, cut short or unreadable keeps the last good drawing and says so once. The path is followed, not the
file once opened: editors save by writing a new file and renaming it over the old one. Each new drawing is
copied into the session folder (the file as saved, and the diagram as read, in snapshots.json), so the
session can be reviewed without the original.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.diagrams.diagram import Diagram, DiagramError
from simulator.diagrams.reader import MissingDiagram, PartialDiagram, parse_bytes, read_bytes, signature

POLL_SECONDS = 0.5
INDEX_FILE = "snapshots.json"
DIAGRAM_FOLDER = "diagram"  # in the session folder: each drawing as saved, and snapshots.json


@dataclass(frozen=True)
class Snapshot:
    at: float  # seconds on the session clock when the drawing was read
    diagram: Diagram
    file: str | None = None  # the copy in the session folder, when it was kept

    def to_json(self) -> dict[str, Any]:
        return {"at": round(self.at, 2), "file": self.file, "diagram": self.diagram.to_json()}


def open_diagram(path: Path) -> tuple[Diagram | None, str | None]:
    """The diagram at the start: the drawing, or None with a notice when there is nothing to read yet (no
    file in an existing folder, an empty file, a save under way), to be picked up once it is saved.
    DiagramError for anything else wrong, which the command reports before the session starts."""
    path = path.expanduser()
    try:
        read = read_bytes(path)
        return parse_bytes(read.data, str(path)), None
    except MissingDiagram:
        return None, f"No diagram at {path} yet; it is read as soon as you save it there."
    except PartialDiagram as exc:
        return None, f"{exc} It is read again once it is saved whole."


class DiagramWatch:
    """Watches one path; poll() is one look, so tests step it by hand and the thread only times the looks."""

    def __init__(self, path: Path, warn: Callable[[str], None] = lambda message: None,
                 interval: float = POLL_SECONDS) -> None:
        self.path = path.expanduser()
        self.warn = warn
        self.interval = interval
        self.snapshots: list[Snapshot] = []
        self._now: Callable[[], float] = lambda: 0.0
        self._folder: Path | None = None
        self._seen: tuple[int, int, int] | None = None  # the signature last read (good or not)
        self._pending: tuple[int, int, int] | None = None  # a change seen once, waiting for a second look
        self._existed = False
        self._warned: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._begun = False

    @property
    def latest(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None

    def begin(self, now: Callable[[], float], folder: Path | None = None) -> DiagramWatch:
        """Start keeping drawings: times from now() (the session clock), copies in folder. The file as it is
        at the start is read at once, without waiting for a second look."""
        self._now, self._folder, self._begun = now, folder, True
        with self._lock:
            self._read(None)
        return self

    def start(self) -> DiagramWatch:
        """Look every interval on a thread of its own until stop()."""
        self._thread = threading.Thread(target=self._run, name="diagram-watch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop looking; a save made in the last moment is still read."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._begun:
            self.poll()
            self.poll()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def poll(self) -> Snapshot | None:
        """One look at the path; the new snapshot when this look read a new drawing."""
        with self._lock:
            try:
                now = signature(self.path)
            except DiagramError as exc:
                self._say(str(exc))
                return None
            if now is None:
                if self._existed:
                    self._existed = False
                    self._pending = None
                    self._say(self._removed())
                return None
            self._existed = True
            if now == self._seen:
                self._pending = None
                return None
            if now != self._pending:
                self._pending = now  # changed since the last look: read it once the next look agrees
                return None
            self._pending = None
            return self._read(now)

    def _read(self, expected: tuple[int, int, int] | None) -> Snapshot | None:
        try:
            read = read_bytes(self.path)
        except MissingDiagram:
            return None
        except DiagramError as exc:
            self._say(str(exc))
            return None
        self._existed = True
        if expected is not None and read.signature != expected:
            self._pending = read.signature  # it changed again while being read
            return None
        self._seen = read.signature
        try:
            diagram = parse_bytes(read.data, str(self.path))
        except DiagramError as exc:
            kept = self.latest
            self._say(f"{exc} " + (f"The drawing read at {_clock(kept.at)} is kept." if kept else
                                   "It is read again at its next save."))
            return None
        self._warned.clear()
        if self.latest is not None and self.latest.diagram == diagram:
            return None  # saved again with nothing changed
        snapshot = Snapshot(max(self._now(), 0.0), diagram)
        snapshot = self._keep(snapshot, read.data)
        self.snapshots.append(snapshot)
        return snapshot

    def _keep(self, snapshot: Snapshot, data: bytes) -> Snapshot:
        """The file as saved and the index of every snapshot, in the session folder; a disk that refuses costs
        one warning, never the answer."""
        if self._folder is None:
            return snapshot
        suffix = ".excalidraw.svg" if self.path.name.endswith(".excalidraw.svg") else self.path.suffix or ".txt"
        name = f"{len(self.snapshots) + 1:03d}{suffix}"
        kept = Snapshot(snapshot.at, snapshot.diagram, name)
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self._folder / name, data)
            index = [s.to_json() for s in [*self.snapshots, kept]]
            _write_atomic(self._folder / INDEX_FILE, json.dumps(index, indent=1).encode("utf-8"))
        except OSError as exc:
            self._say(f"Cannot keep the diagram in {self._folder} ({exc.strerror or exc}); it is still read.")
            return snapshot
        return kept

    def _removed(self) -> str:
        kept = self.latest
        return (f"The diagram {self.path} was removed; " +
                (f"the drawing read at {_clock(kept.at)} is kept." if kept else "it is read again once saved."))

    def _say(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warn(message)


def read_snapshots(folder: Path) -> list[Snapshot]:
    """The drawings a session kept, in order; none when it kept none. ValueError for an index that is not
    this program's."""
    try:
        data = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    if not isinstance(data, list):
        raise ValueError(f"{folder / INDEX_FILE} is not a list of snapshots")
    out = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("at"), (int, float)):
            raise ValueError(f"{folder / INDEX_FILE} holds a snapshot without its time")
        out.append(Snapshot(float(item["at"]), Diagram.from_json(item.get("diagram")),
                            item.get("file") if isinstance(item.get("file"), str) else None))
    return out


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
