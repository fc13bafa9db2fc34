""""Your design as heard" as a candidate reads it: in the terminal, at the end of a rehearsal and on the page,
with the diagram's SVG checked as text (boxes, cylinders, arrows, columns, escaping). Built from hand-made
designs, so each test says exactly what was heard."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from simulator.judging.design.model import (
    Choice,
    Component,
    ComponentKind,
    Design,
    DesignFinding,
    Figure,
    Flow,
)
from simulator.review.design_page import design_section
from simulator.review.design_svg import diagram, layout
from simulator.review.design_view import amount, build_view, design_lines

from .support.designs import ESTIMATE, FLOW, HOSTILE, STORE, said, shortener, slips

SVG = "{http://www.w3.org/2000/svg}"


def test_the_report_lists_components_by_kind_flows_figures_choices_and_findings_with_why() -> None:
    lines = design_lines(build_view("design", shortener(), slips()))
    text = "\n".join(lines)
    assert lines[0] == "Your design as heard"
    assert "  services: API servers (×3), key service" in lines
    assert "  caches: Redis (replicas)" in lines
    assert "  databases: DynamoDB (×1)" in lines
    # callers before storage
    assert text.index("clients:") < text.index("load balancers:") < text.index("services:") < text.index("databases:")
    assert "  flow: clients → load balancer → API servers → Redis → DynamoDB" in lines
    # the estimate it starts from holds, with its rate per second; the conclusion is the slip, with its why
    assert "  ✓ 100 million new links a day (≈ 1,160 a second)" in lines
    slip = lines.index("  ✗ about 100 writes a second")
    assert lines[slip + 1].strip() == "100 million a day is about 1,160 a second, not 100."
    assert lines[slip + 2].strip() == f"why: arithmetic: “{ESTIMATE}”"
    assert "  choice: DynamoDB over Postgres: the access pattern is a single key lookup" in lines
    assert "  choice: Redis: no reason given" in lines
    finding = lines.index("  • DynamoDB is named once, with nothing said about failover.")
    assert lines[finding + 1].strip() == f"why: lone_stateful: “{STORE}”"
    assert text.count("1,160 a second, not 100") == 1  # a figure's slip is shown beside it, not again


def test_a_figure_with_no_unit_is_kept_as_said_and_said_to_have_none() -> None:
    design = Design(components=[Component("API servers", ComponentKind.SERVICE, said(FLOW))],
                    figures=[Figure(5000, "", None, said("We need about 5000."), "about 5000")])
    assert "  ✓ about 5000 (no unit said)" in design_lines(build_view("design", design))


def test_an_answer_with_no_components_says_so_in_one_line() -> None:
    lines = design_lines(build_view("design", Design()))
    assert lines == ["Your design as heard",
                     "  No components were named: say what you would build and how the parts talk."]


def test_an_experience_answer_shows_nothing_or_only_its_components() -> None:
    assert build_view("experience", Design()) is None
    story = Design(components=[Component("Kafka", ComponentKind.QUEUE, said("We moved the events onto Kafka."))],
                   choices=[Choice("Kafka", (), None, said("We moved the events onto Kafka."))],
                   figures=[Figure(3, "weeks", None, said("It took 3 weeks."), "3 weeks")])
    assert design_lines(build_view("experience", story)) == ["Your design as heard", "  queues and logs: Kafka"]
    assert "<svg" not in design_section(build_view("experience", story))


def test_no_design_shows_nothing() -> None:
    from rich.console import Console

    from simulator.review.report import print_design

    assert build_view("design", None) is None and design_section(None) == ""
    out = io.StringIO()
    print_design(Console(file=out, width=200), None)
    assert out.getvalue() == ""


def test_the_terminal_prints_the_section_with_markup_in_names_kept_as_text() -> None:
    from rich.console import Console

    from simulator.review.report import print_design

    design = shortener()
    design.components.append(Component("[bold]evil[/bold]", ComponentKind.OTHER, said(FLOW)))
    out = io.StringIO()
    print_design(Console(file=out, width=200, color_system=None), build_view("design", design, slips()))
    printed = out.getvalue()
    assert "Your design as heard" in printed and "other parts: [bold]evil[/bold]" in printed
    assert "✗ about 100 writes a second" in printed


def test_amounts_read_as_a_person_says_them() -> None:
    assert [amount(v) for v in (1157.4, 2.5e6, 3e9, 12.0, 0.0386)] == ["1,160", "2.5 million", "3 billion", "12",
                                                                        "0.039"]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed, or this raises


def test_the_diagram_draws_a_box_per_component_a_cylinder_per_database_and_an_arrow_per_flow() -> None:
    svg = diagram(shortener())
    root = parsed(svg)
    groups = [g for g in root.iter(f"{SVG}g") if "component" in g.get("class", "")]
    assert len(groups) == 6
    shapes = {g.findtext(f"{SVG}text"): g.get("class") for g in groups}
    assert shapes["DynamoDB"] == "component cylinder"
    assert shapes["Redis"] == "component box" and shapes["clients"] == "component box"
    flows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "flow"]
    assert len(flows) == 4
    assert all(any(e.get("marker-end") == "url(#design-arrow)" for e in g) for g in flows)
    assert root.find(f".//{SVG}marker[@id='design-arrow']") is not None
    assert "on a miss" in svg and "<script" not in svg


def column_of(design: Design) -> dict[str, int]:
    return {n.name: n.column for n in layout(design)}


def test_the_diagram_runs_left_to_right_from_clients_to_storage() -> None:
    columns = column_of(shortener())
    assert columns["clients"] < columns["load balancer"] < columns["API servers"] < columns["Redis"] \
        < columns["DynamoDB"]
    assert columns["key service"] == columns["API servers"]  # same kind, no flow: stacked in one column


def test_a_flow_against_the_kinds_order_still_points_right_and_a_circle_ends() -> None:
    cdc = "A worker reads the change log of Postgres and feeds the search index."
    design = Design(components=[Component("Postgres", ComponentKind.DATABASE, said(cdc)),
                                Component("indexer", ComponentKind.WORKER, said(cdc)),
                                Component("Elasticsearch", ComponentKind.SEARCH_INDEX, said(cdc))],
                    flows=[Flow("Postgres", "indexer", None, said(cdc)),
                           Flow("indexer", "Elasticsearch", None, said(cdc)),
                           Flow("Elasticsearch", "Postgres", None, said(cdc))])
    columns = column_of(design)
    assert columns["Postgres"] < columns["indexer"] < columns["Elasticsearch"]
    assert len([g for g in parsed(diagram(design)).iter(f"{SVG}g") if g.get("class") == "flow"]) == 3


def test_a_flow_end_that_names_no_component_still_gets_a_box() -> None:
    design = Design(flows=[Flow("mobile app", "API gateway", None, said("The mobile app calls the API gateway."))])
    names = [g.findtext(f"{SVG}text") for g in parsed(diagram(design)).iter(f"{SVG}g")
             if "component" in g.get("class", "")]
    assert names == ["mobile app", "API gateway"]
    assert diagram(Design()) == ""


def test_a_hostile_or_long_component_name_stays_text_in_the_diagram() -> None:
    design = Design(components=[Component(HOSTILE, ComponentKind.SERVICE, said(HOSTILE)),
                                Component("a very long component name that cannot fit", ComponentKind.DATABASE,
                                          said(FLOW))],
                    flows=[Flow(HOSTILE, "a very long component name that cannot fit", '"><script>', said(FLOW))])
    svg = diagram(design)
    root = parsed(svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert f"{HOSTILE} (services)" in titles  # the whole name on hover
    shown = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "name"]
    assert all(len(name) <= 20 for name in shown) and shown[1].endswith("…")


def test_the_page_section_has_the_diagram_the_checks_and_the_why_all_escaped() -> None:
    design = shortener()
    design.components.append(Component(HOSTILE, ComponentKind.OTHER, said(HOSTILE)))
    html = design_section(build_view("design", design, slips()))
    assert html.startswith('<section id="design"><h2>Your design as heard</h2>')
    assert html.count("<svg") == 1 and "<script" not in html
    assert '<span class="yes">✓</span> 100 million new links a day' in html
    assert '<span class="no">✗</span> about 100 writes a second' in html
    assert re.search(r"why: lone_stateful: “Reads go to Redis first, then DynamoDB\.”", html)
    assert "Redis: no reason given" in html
    assert "No components were named" in design_section(build_view("design", Design()))


def test_a_figure_check_sits_beside_the_figure_it_names() -> None:
    both = "Let's say 10 thousand writes a second, which is 100 million a day."
    design = Design(components=[Component("API servers", ComponentKind.SERVICE, said(FLOW))],
                    figures=[Figure(1e4, "writes", "second", said(both), "10 thousand writes a second"),
                             Figure(1e8, "", "day", said(both), "100 million a day")])
    finding = DesignFinding("arithmetic", None, "“10 thousand writes a second” does not follow from “100 million a "
                                                "day”: that is about 1,160 a second.", said(both),
                            said="10 thousand writes a second")
    view = build_view("design", design, [finding])
    assert [c.ok for c in view.figures] == [False, True] and view.findings == ()


def test_a_long_chain_widens_the_drawing_rather_than_squeeze_its_boxes() -> None:
    names = [f"service {i}" for i in range(12)]
    design = Design(components=[Component(n, ComponentKind.SERVICE, said(FLOW)) for n in names],
                    flows=[Flow(a, b, None, said(FLOW)) for a, b in zip(names, names[1:])])
    root = parsed(diagram(design))
    assert sorted(column_of(design).values()) == list(range(12))
    rects = [r for r in root.iter(f"{SVG}rect")]
    xs = sorted(float(r.get("x")) for r in rects)
    width = float(rects[0].get("width"))
    assert len(rects) == 12 and width >= 92 and all(b - a >= width + 40 for a, b in zip(xs, xs[1:]))
    assert float(root.get("viewBox").split()[2]) > 720  # the page scales it down to fit
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "name"] == names


def test_an_arrow_is_labelled_only_where_the_label_says_more_than_the_arrow() -> None:
    said_it = said("Clients call the API servers, which write to Postgres.")
    design = Design(components=[Component("clients", ComponentKind.CLIENT, said_it),
                                Component("API servers", ComponentKind.SERVICE, said_it),
                                Component("Postgres", ComponentKind.DATABASE, said_it)],
                    flows=[Flow("clients", "API servers", "calls", said_it),
                           Flow("API servers", "Postgres", "writes to", said_it)])
    root = parsed(diagram(design))
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "flow-label"] == ["writes to"]
    assert "clients → API servers: calls" in [t.text for t in root.iter(f"{SVG}title")]
