""""Your diagram" for every report (the terminal and the page): the drawings the session kept, the last one held
against what was said, and how much of it appeared while the candidate was silent. Read from the session
folder alone, so the original file is not needed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from simulator.diagrams.checks import hold_against
from simulator.diagrams.design import components_by_box
from simulator.diagrams.diagram import Diagram
from simulator.diagrams.timing import DrawnWhileSilent, drawn_while_silent
from simulator.diagrams.watch import DIAGRAM_FOLDER, Snapshot, read_snapshots
from simulator.judging.design.model import Design, DesignFinding
from simulator.review.review import Review

UNLABELLED = {"unlabelled_box", "unlabelled_boxes"}


@dataclass(frozen=True)
class DrawnSnapshot:
    snapshot: Snapshot
    findings: tuple[DesignFinding, ...]  # this drawing held against the whole answer


@dataclass(frozen=True)
class DiagramView:
    drawings: tuple[DrawnSnapshot, ...]
    silent: DrawnWhileSilent | None  # None for a typed answer, which has no timing

    @property
    def last(self) -> DrawnSnapshot:
        return self.drawings[-1]


def diagram_view(review: Review) -> DiagramView | None:
    """The session's drawings, each held against the walkthrough; None when it kept none."""
    snapshots = kept_snapshots(review.folder, review.notes)
    if not snapshots:
        return None
    walk = review.walkthrough
    said: Design | None = walk.analysis.design if walk is not None and walk.analysis is not None else None
    text = walk.text if walk is not None else ""
    drawings = tuple(DrawnSnapshot(s, tuple(hold_against(s.diagram, said, text, s.at))) for s in snapshots)
    silent = None
    if walk is not None and not review.typed:
        speech = [(walk.offset + s.start, walk.offset + s.end) for s in walk.segments]
        silent = drawn_while_silent([(s.at, s.diagram) for s in snapshots], speech, walk.start)
    return DiagramView(drawings, silent)


def kept_snapshots(folder: Path, notes: list[str]) -> list[Snapshot]:
    """The drawings the session kept; none, with a note, when the index cannot be read."""
    try:
        return read_snapshots(folder / DIAGRAM_FOLDER)
    except (OSError, ValueError) as exc:
        notes.append(f"The session's kept diagram cannot be read ({exc}); the report goes on without it.")
        return []


def flagged_boxes(diagram: Diagram, findings: Sequence[DesignFinding]) -> dict[str, str]:
    """Box id → the first finding about it: by the component it stands for, or, for a box with no label, the
    finding that counts such boxes."""
    parts = components_by_box(diagram)
    out: dict[str, str] = {}
    for finding in findings:
        for box in diagram.boxes:
            hit = (finding.component is not None and box.id in parts and parts[box.id].name == finding.component) \
                or (finding.rule in UNLABELLED and not box.label)
            if hit:
                out.setdefault(box.id, finding.detail)
    return out


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
