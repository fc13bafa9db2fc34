""""Your diagram" on the page: the drawing the session kept, drawn from its own geometry, the boxes a finding is
about in red, a slider to see it as it was at each save, the findings with their why, and how much of it was
drawn in silence. Read from the session folder alone, so the original file is not needed."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from simulator.diagrams.checks import hold_against
from simulator.diagrams.design import components_by_box
from simulator.diagrams.diagram import Diagram
from simulator.diagrams.timing import DrawnWhileSilent, drawn_while_silent
from simulator.diagrams.watch import DIAGRAM_FOLDER, Snapshot, read_snapshots
from simulator.judging.design.model import Design, DesignFinding
from simulator.review.design_view import why
from simulator.review.diagram_svg import drawing_svg
from simulator.review.review import Review

UNLABELLED = {"unlabelled_box", "unlabelled_boxes"}


def kept_snapshots(folder: Path, notes: list[str]) -> list[Snapshot]:
    """The drawings the session kept; none, with a note, when the index cannot be read."""
    try:
        return read_snapshots(folder / DIAGRAM_FOLDER)
    except (OSError, ValueError) as exc:
        notes.append(f"The session's kept diagram cannot be read ({exc}); the page shows it without.")
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


def diagram_section(review: Review) -> str:
    snapshots = kept_snapshots(review.folder, review.notes)
    if not snapshots:
        return ""
    walk = review.walkthrough
    said: Design | None = walk.analysis.design if walk is not None and walk.analysis is not None else None
    text = walk.text if walk is not None else ""
    figures = []
    for number, snap in enumerate(snapshots):
        found = hold_against(snap.diagram, said, text, snap.at)
        chart = drawing_svg(snap.diagram, flagged_boxes(snap.diagram, found), f"Your diagram at {_clock(snap.at)}")
        hidden = "" if number == len(snapshots) - 1 else " hidden"
        figures.append(f'<figure class="snapshot" data-at="{snap.at:.2f}"{hidden}>'
                       f'{chart or "<p class=dim>An empty drawing.</p>"}'
                       f'<figcaption class="dim">{escape(snap.diagram.summary())}, read at {_clock(snap.at)}'
                       f'</figcaption></figure>')
        last = found
    parts = ['<section id="diagram"><h2>Your diagram</h2>']
    if len(snapshots) > 1:
        parts.append(f'<p><label for="diagram-at">As it was at each save: </label>'
                     f'<input type="range" id="diagram-at" min="0" max="{len(snapshots) - 1}" step="1" '
                     f'value="{len(snapshots) - 1}"> <output id="diagram-when" for="diagram-at">'
                     f'{_clock(snapshots[-1].at)}</output></p>')
    parts.append(f'<div class="chart drawing">{"".join(figures)}</div>')
    if walk is not None and not review.typed:
        figure = silent_figure(snapshots, review)
        parts.append(f'<p class="silent">{escape(figure.sentence())}</p>')
    if last:
        parts.append('<h3>Held against what you said</h3><ul class="diagram-findings">' + "".join(
            f'<li>{escape(f.detail)}<br><span class="dim">why: {escape(why(f))}</span></li>' for f in last)
            + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def silent_figure(snapshots: Sequence[Snapshot], review: Review) -> DrawnWhileSilent:
    """The walkthrough's speech on the session clock against the times the drawing changed."""
    walk = review.walkthrough
    assert walk is not None
    speech = [(walk.offset + s.start, walk.offset + s.end) for s in walk.segments]
    return drawn_while_silent([(s.at, s.diagram) for s in snapshots], speech, walk.start)


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
