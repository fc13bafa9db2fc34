"""The candidate's drawing on the report page: drawn from the file's own geometry (Mermaid laid out in
layers), databases as cylinders, arrows with heads, labels escaped, findings in red, one drawing per save behind
a slider, and the share drawn in silence."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from simulator.diagrams.diagram import Box, Diagram, DiagramFormat, Edge, Heads, Rect, Shape
from simulator.diagrams.reader import read_diagram
from simulator.diagrams.timing import drawn_while_silent
from simulator.diagrams.watch import DIAGRAM_FOLDER, INDEX_FILE, Snapshot
from simulator.review.diagram_svg import drawing_svg, placed
from simulator.review.html import render
from simulator.review.review import build_review
from simulator.sessions.store import Store

from .support.sessions import spoken_session

FIXTURES = Path(__file__).parent / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed, or the browser would show nothing


def test_an_excalidraw_drawing_is_drawn_where_the_candidate_put_it() -> None:
    drawn = read_diagram(FIXTURES / "url-shortener.excalidraw")
    svg = drawing_svg(drawn)
    root = parsed(svg)
    boxes = root.findall(f".//{SVG}g[@class]")
    labelled = {b.label for b in drawn.boxes if b.label}
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert labelled <= texts or all(any(t and t.rstrip("…") in label for t in texts) for label in labelled)
    first = next(b for b in drawn.boxes if b.rect is not None)
    group = next(g for g in boxes if g.get("data-id") == first.id)
    shape = group[1]
    x = float(shape.get("x") or float(shape.get("cx", 0)) - float(shape.get("rx", 0)))
    assert abs(x - first.rect.x) < 0.2  # the file's own coordinates, not a layout of ours
    assert root.findall(f".//{SVG}polyline[@marker-end]")  # arrows with heads


def test_a_drawio_database_is_a_cylinder_and_a_line_has_no_head() -> None:
    drawn = read_diagram(FIXTURES / "job-scheduler.drawio")
    svg = drawing_svg(drawn)
    cylinders = [b for b in drawn.boxes if b.shape == Shape.CYLINDER]
    assert cylinders and svg.count('class="box cylinder') == len(cylinders)
    plain = [e for e in drawn.edges if e.heads == Heads.NONE]
    assert plain and len(re.findall(r'data-heads="none"><polyline (?![^>]*marker)[^>]*/>', svg)) == len(plain)


def test_mermaid_is_laid_out_in_layers_from_the_callers() -> None:
    drawn = read_diagram(FIXTURES / "news-feed.mmd")
    rects = placed(drawn)
    assert len(rects) == len(drawn.boxes)
    assert len({(r.x, r.y) for r in rects.values()}) == len(rects)  # no two boxes on top of each other
    by_label = {b.label: rects[b.id] for b in drawn.boxes}
    assert by_label["Load balancer"].x < by_label["Feed API"].x < by_label["Fan-out workers"].x
    parsed(drawing_svg(drawn))


def test_a_script_label_stays_text_and_a_flagged_box_is_red() -> None:
    hostile = Diagram(DiagramFormat.EXCALIDRAW, (
        Box("a", "<script>alert(1)</script>", Shape.BOX, Rect(0, 0, 120, 60)),
        Box("b", "Postgres", Shape.CYLINDER, Rect(300, 0, 120, 60))),
        (Edge("e", "a", "b", 'x" onload="alert(2)', Heads.BOTH, ((120, 30), (300, 30))),))
    svg = drawing_svg(hostile, {"b": "a single <b>database</b>"})
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'onload="' not in svg
    root = parsed(svg)
    red = [g for g in root.iter(f"{SVG}g") if "flagged" in (g.get("class") or "")]
    assert [g.get("data-id") for g in red] == ["b"]
    assert "a single <b>database</b>" in red[0].find(f"{SVG}title").text
    line = root.find(f".//{SVG}polyline")
    assert line.get("marker-start") and line.get("marker-end")


def test_drawing_in_silence_counts_the_parts_added_between_the_words() -> None:
    one = Diagram(DiagramFormat.MERMAID, (Box("a", "API"),))
    two = Diagram(DiagramFormat.MERMAID, (Box("a", "API"), Box("b", "DB")), (Edge("e", "a", "b"),))
    three = Diagram(DiagramFormat.MERMAID, (*two.boxes, Box("c", "Cache")), two.edges)
    speech = [(10.0, 20.0), (30.0, 40.0)]
    figure = drawn_while_silent([(5.0, one), (25.0, two), (35.0, three)], speech, answer_start=10.0)
    assert (figure.parts, figure.silent, figure.saves, figure.silent_saves) == (3, 2, 2, 1)
    assert figure.sentence().startswith("2 of 3 parts of your drawing (67%) appeared while you were silent")
    # a save read within a second of the last word was made while talking
    assert drawn_while_silent([(20.8, one)], speech, 10.0).silent == 0


def test_the_page_shows_each_kept_drawing_behind_a_slider_without_the_original(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path / "home")
    early = read_diagram(FIXTURES / "news-feed.mmd")
    late = Diagram(early.format, (*early.boxes, Box("ghost", "")), early.edges, early.zones)
    kept = folder / DIAGRAM_FOLDER
    kept.mkdir()
    (kept / INDEX_FILE).write_text(json.dumps([Snapshot(8.0, early).to_json(), Snapshot(30.0, late).to_json()]))
    review = build_review(Store(tmp_path / "home").find(folder.name).read())
    html = render(review)
    section = html[html.index('<section id="diagram">'):]
    section = section[:section.index("</section>") + len("</section>")]
    assert section.count('<figure class="snapshot"') == 2
    assert section.count(" hidden>") == 1  # the last drawing shows without a script
    markers = re.findall(r'<marker id="([^"]+)"', section)
    assert len(markers) == 2 and len(set(markers)) == 2  # a hidden drawing's arrowheads are not borrowed
    for figure in section.split('<figure class="snapshot"')[1:]:
        own = re.search(r'<marker id="([^"]+)"', figure).group(1)
        assert set(re.findall(r'url\(#([^)]+)\)', figure)) <= {own}
    assert 'type="range" id="diagram-at" min="0" max="1"' in section
    assert 'class="box other flagged"' in section or "flagged" in section  # the unlabelled box is marked
    assert "One of your boxes has no label" in section
    assert "appeared while you were silent" in section


def test_the_terminal_report_lists_the_drawings_findings_and_the_silent_share(tmp_path: Path) -> None:
    from rich.console import Console

    from simulator.review.report import print_report

    folder = spoken_session(tmp_path / "home")
    drawn = Diagram(DiagramFormat.MERMAID, (Box("c", "Clients"), Box("p", "Postgres", Shape.CYLINDER), Box("x", "")),
                    (Edge("e", "c", "p"),))
    kept = folder / DIAGRAM_FOLDER
    kept.mkdir()
    (kept / INDEX_FILE).write_text(json.dumps([Snapshot(25.5, drawn).to_json()]))
    console = Console(record=True, width=250)
    print_report(console, build_review(Store(tmp_path / "home").find(folder.name).read()))
    text = console.export_text()
    assert "Your diagram (1 save; at the end 3 boxes, 1 arrow)" in text
    assert "Clients is wired straight to Postgres" in text
    assert "One of your boxes has no label" in text
    assert re.search(r"\d+ of 4 parts of your drawing \(\d+%\) appeared while you were silent", text)


def test_arrows_alone_are_drawn_where_they_were_and_a_finding_links_to_its_moment(tmp_path: Path) -> None:
    loose = Diagram(DiagramFormat.EXCALIDRAW, (), (Edge("e", None, None, "to S3", Heads.FORWARD, ((0, 0), (90, 40))),))
    svg = drawing_svg(loose)
    assert 'class="edge loose"' in svg and 'points="0.0,0.0 90.0,40.0"' in svg

    folder = spoken_session(tmp_path / "home")
    drawn = Diagram(DiagramFormat.MERMAID, (Box("c", "Clients"), Box("k", "Kafka", Shape.BOX)), (Edge("e", "c", "k"),))
    kept = folder / DIAGRAM_FOLDER
    kept.mkdir()
    (kept / INDEX_FILE).write_text(json.dumps([Snapshot(12.25, drawn).to_json()]))
    html = render(build_review(Store(tmp_path / "home").find(folder.name).read()))
    assert re.search(r'You drew Kafka but never said[^<]*<button type="button" class="seek" data-seek="12.25">at 0:12'
                     r'</button>', html)


def test_an_arrow_back_does_not_push_a_mermaid_loop_off_to_the_right() -> None:
    loop = Diagram(DiagramFormat.MERMAID, (Box("c", "Clients"), Box("a", "API"), Box("d", "DB", Shape.CYLINDER),
                                                                  Box("x", "Notes")),
                   (Edge("1", "c", "a"), Edge("2", "a", "d"), Edge("3", "d", "c")))
    rects = placed(loop)
    assert rects["c"].x < rects["a"].x < rects["d"].x
    assert rects["d"].x == 2 * (rects["a"].x - rects["c"].x)  # three columns, none skipped
    assert drawing_svg(loop).count("<polyline") == 3  # the arrow back is still drawn


def test_an_arrow_from_centre_to_centre_ends_at_the_box_edge_where_its_head_shows() -> None:
    drawn = Diagram(DiagramFormat.DRAWIO, (Box("a", "API", Shape.BOX, Rect(0, 0, 100, 40)),
                                           Box("b", "DB", Shape.CYLINDER, Rect(200, 0, 100, 40))),
                    (Edge("e", "a", "b", points=((50, 20), (250, 20))),))
    assert 'points="100.0,20.0 200.0,20.0"' in drawing_svg(drawn)
