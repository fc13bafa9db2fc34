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
    offset: float | None = None  # where the walkthrough starts on the session clock; None when untimed

    @property
    def last(self) -> DrawnSnapshot:
        return self.drawings[-1]

    def moment(self, finding: DesignFinding) -> float | None:
        """Where on the session clock a finding happened, for its link to the transcript: the sentence it
        quotes, or the save that first drew the part it is about; None when it has no one moment."""
        if self.offset is None:
            return None
        if finding.rule == "explained_not_drawn":
            return self.offset + finding.quote.at if finding.quote.at is not None else None
        if finding.component is None:
            return None
        for drawn in self.drawings:
            if any(c.name == finding.component for c in components_by_box(drawn.snapshot.diagram).values()):
                return drawn.snapshot.at
        return None


def diagram_view(review: Review) -> DiagramView | None:
    """The session's drawings, each held against the walkthrough; None when it kept none."""
    snapshots = kept_snapshots(review.folder, review.notes)
    if not snapshots:
        return None
    walk = review.walkthrough
    said: Design | None = walk.analysis.design if walk is not None and walk.analysis is not None else None
    text = walk.text if walk is not None else ""
    drawings = tuple(DrawnSnapshot(s, tuple(hold_against(s.diagram, said, text, s.at))) for s in snapshots)
    if walk is None or review.typed:
        return DiagramView(drawings, None)
    speech = [(walk.offset + s.start, walk.offset + s.end) for s in walk.segments]
    silent = drawn_while_silent([(s.at, s.diagram) for s in snapshots], speech, walk.start)
    return DiagramView(drawings, silent, walk.offset)


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
