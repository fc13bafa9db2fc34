""""Your design as heard" on the page: the diagram, the components by kind, the flows, the figures with their
checks, the choices and the findings, each with its why. Everything the candidate said is escaped."""

from __future__ import annotations

from html import escape

from simulator.review.design_svg import diagram
from simulator.review.design_view import DesignView, choice_text, figure_text, line, why
from simulator.vocab import Kind


def design_section(view: DesignView | None) -> str:
    if view is None:
        return ""
    parts = [f'<section id="design"><h2>{escape(line("heading"))}</h2>']
    if not view.has_components and view.kind == Kind.DESIGN:
        parts.append(f'<p class="warn">{escape(line("no_components"))}</p>')
    chart = diagram(view.design) if view.kind == Kind.DESIGN else ""
    if chart:
        parts.append(f'<div class="chart diagram">{chart}</div>')
    if view.groups:
        parts.append('<table class="components"><tr><th>kind</th><th>components</th></tr>' + "".join(
            f"<tr><td>{escape(g.title)}</td><td>{escape(', '.join(g.items))}</td></tr>" for g in view.groups) +
            "</table>")
    if view.chains:
        parts.append('<h3>Flows</h3><ul class="flows">' +
                     "".join(f"<li>{escape(' → '.join(c))}</li>" for c in view.chains) + "</ul>")
    if view.figures:
        items = []
        for check in view.figures:
            mark = '<span class="yes">✓</span>' if check.ok else '<span class="no">✗</span>'
            slips = "".join(f"<br>{escape(s.detail)}<br><span class=\"dim\">why: {escape(why(s))}</span>"
                            for s in check.slips)
            items.append(f"<li>{mark} {escape(figure_text(check))}{slips}</li>")
        parts.append(f'<h3>Figures</h3><ul class="figures">{"".join(items)}</ul>')
    if view.kind == Kind.DESIGN and view.design.choices:
        parts.append('<h3>Choices</h3><ul class="choices">' + "".join(
            f"<li>{escape(choice_text(c.chosen, c.over, c.reason))}</li>" for c in view.design.choices) + "</ul>")
    if view.findings:
        parts.append('<h3>What a sharp interviewer would catch</h3><ul class="findings">' + "".join(
            f'<li>{escape(f.detail)}<br><span class="dim">why: {escape(why(f))}</span></li>' for f in view.findings)
            + "</ul>")
    parts.append("</section>")
    return "".join(parts)
