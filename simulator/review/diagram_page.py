""""Your diagram" on the page: the drawing the session kept, drawn from its own geometry, the boxes a finding is
about in red, a slider to see it as it was at each save, the findings with their why, and how much of it was
drawn in silence."""

from __future__ import annotations

from html import escape

from simulator.review.design_view import why
from simulator.review.diagram_svg import drawing_svg
from simulator.review.diagram_view import DiagramView, clock, flagged_boxes


def diagram_section(view: DiagramView | None) -> str:
    if view is None:
        return ""
    figures = []
    for number, drawn in enumerate(view.drawings):
        snap = drawn.snapshot
        chart = drawing_svg(snap.diagram, flagged_boxes(snap.diagram, drawn.findings),
                            f"Your diagram at {clock(snap.at)}", key=str(number + 1))
        hidden = "" if number == len(view.drawings) - 1 else " hidden"
        figures.append(f'<figure class="snapshot" data-at="{snap.at:.2f}"{hidden}>'
                       f'{chart or "<p class=dim>An empty drawing.</p>"}'
                       f'<figcaption class="dim">{escape(snap.diagram.summary())}, read at {clock(snap.at)}'
                       f'</figcaption></figure>')
    parts = ['<section id="diagram"><h2>Your diagram</h2>']
    if len(view.drawings) > 1:
        parts.append(f'<p><label for="diagram-at">As it was at each save: </label>'
                     f'<input type="range" id="diagram-at" min="0" max="{len(view.drawings) - 1}" step="1" '
                     f'value="{len(view.drawings) - 1}"> <output id="diagram-when" for="diagram-at">'
                     f'{clock(view.last.snapshot.at)}</output></p>')
    parts.append(f'<div class="chart drawing">{"".join(figures)}</div>')
    if view.silent is not None:
        parts.append(f'<p class="silent">{escape(view.silent.sentence())}</p>')
    if view.last.findings:
        parts.append('<h3>Held against what you said</h3><ul class="diagram-findings">' + "".join(
            f'<li>{escape(f.detail)}{_seek(view.moment(f))}<br><span class="dim">why: {escape(why(f))}</span></li>'
            for f in view.last.findings) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _seek(at: float | None) -> str:
    """A button to the finding's moment in the transcript (the page's script seeks there)."""
    if at is None:
        return ""
    return f' <button type="button" class="seek" data-seek="{at:.2f}">at {clock(at)}</button>'
