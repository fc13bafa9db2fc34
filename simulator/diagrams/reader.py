"""A diagram file read, whatever its name: the format is told from the content, every failure is one sentence.

The name is only ever used in messages: `.excalidraw` files saved as `.json`, draw.io's `.xml`, and Mermaid in
`.md` or `.txt` all read the same. Bad input is a DiagramError (a PartialDiagram for a file that looks cut
short, which a watcher waits out), never a traceback.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from simulator.diagrams.diagram import Diagram, DiagramError, PartialDiagram
from simulator.diagrams.limits import MAX_FILE_BYTES
from simulator.errors import first_line

FORMATS = "Excalidraw (.excalidraw, .excalidraw.svg), draw.io (.drawio) or a Mermaid flowchart (.mmd, .md)"


class MissingDiagram(DiagramError):
    """No file at the path (yet): at the start of a rehearsal the candidate may still be about to save it."""


@dataclass(frozen=True)
class FileRead:
    """What one look at the path found: its bytes and the signature that tells a new save from the same one."""

    data: bytes
    signature: tuple[int, int, int]  # inode, size, mtime in ns: a save that replaces the file changes them


def signature(path: Path) -> tuple[int, int, int] | None:
    """The path's (inode, size, mtime) as it is now, following the path, not a file once opened; None when
    there is no file there."""
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise DiagramError(f"Cannot look at the diagram {path} ({exc.strerror or first_line(exc)}); check the "
                           "path and its permissions.") from None
    if stat.S_ISDIR(found.st_mode):
        raise DiagramError(f"The diagram path {path} is a folder; give the file you save the drawing to.")
    return found.st_ino, found.st_size, found.st_mtime_ns


def check_path(path: Path) -> None:
    """The refusals that do not depend on what the file holds: a backup, a folder, a missing folder."""
    name = path.name
    if name.startswith("~$") or name.endswith(".bkp") or name.endswith(".dtmp"):
        raise DiagramError(f"{path} is draw.io's backup or temporary copy; give the .drawio file itself.")
    if not path.parent.is_dir():
        raise DiagramError(f"The folder of the diagram {path} does not exist; check the path.")
    signature(path)


def read_bytes(path: Path) -> FileRead:
    """The file's bytes, capped: MissingDiagram when it is not there, DiagramError when it cannot be read."""
    check_path(path)
    try:
        with open(path, "rb") as f:
            found = os.fstat(f.fileno())
            if found.st_size > MAX_FILE_BYTES:
                raise DiagramError(f"The diagram {path} is {found.st_size / 1e6:.0f} MB; a drawing over "
                                   f"{MAX_FILE_BYTES // (1024 * 1024)} MB is not read (embedded images?). Save it "
                                   "without them.")
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise MissingDiagram(f"There is no diagram at {path}; save the drawing there, or check the path.") from None
    except IsADirectoryError:
        raise DiagramError(f"The diagram path {path} is a folder; give the file you save the drawing to.") from None
    except OSError as exc:
        raise DiagramError(f"Cannot read the diagram {path} ({exc.strerror or first_line(exc)}); check its "
                           "permissions.") from None
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise PartialDiagram(f"The diagram {path} grew past {MAX_FILE_BYTES // (1024 * 1024)} MB while it was read.")
    return FileRead(data, (found.st_ino, found.st_size, found.st_mtime_ns))


def read_diagram(path: Path) -> Diagram:
    """The diagram in the file at path."""
    return parse_bytes(read_bytes(path).data, str(path))


def parse_bytes(data: bytes, name: str) -> Diagram:
    """The diagram in a file's content, its format told from the content."""
    if not data.strip():
        raise PartialDiagram(f"The diagram {name} is empty; draw something and save it.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DiagramError(f"{name} is not a text file, so not a diagram this program reads: {FORMATS}. (A PNG "
                           "export holds only a picture; save the drawing itself.)") from None
    head = text.lstrip()
    if head.startswith("{"):
        return _json(text, name)
    if head.startswith("<"):
        return _xml(text, name)
    from simulator.diagrams.mermaid import looks_like_flowchart, parse_mermaid

    if looks_like_flowchart(text):
        return parse_mermaid(text, name)
    raise DiagramError(f"{name} is not a diagram this program reads: {FORMATS}.")


def _json(text: str, name: str) -> Diagram:
    from simulator.diagrams.excalidraw import parse_scene

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or not text.rstrip().endswith("}"):
            raise PartialDiagram(f"{name} ends in the middle of its JSON (a save still being written?).") from None
        raise DiagramError(f"{name} is not valid JSON ({exc.msg} at line {exc.lineno}); save it again from "
                           "Excalidraw.") from None
    except RecursionError:
        raise DiagramError(f"{name} nests its JSON too deeply to be a drawing.") from None
    return parse_scene(data, name)


def _xml(text: str, name: str) -> Diagram:
    from simulator.diagrams.excalidraw import SVG_MARK, parse_scene, scene_from_svg

    if SVG_MARK in text:
        return parse_scene(scene_from_svg(text, name), name)
    from simulator.diagrams.drawio import parse_drawio, svg_content
    from simulator.diagrams.safexml import parse_xml

    root = parse_xml(text, name)
    if root.tag.rpartition("}")[2] == "svg":
        embedded = svg_content(root, name)
        return parse_drawio(parse_xml(embedded, name), name)
    return parse_drawio(root, name)
