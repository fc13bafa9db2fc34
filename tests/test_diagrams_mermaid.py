"""Mermaid flowcharts, in a .mmd file and as the first mermaid block of Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.diagrams.diagram import Diagram, DiagramError, Heads, Shape
from simulator.diagrams.reader import parse_bytes, read_diagram

HERE = Path(__file__).parent / "diagrams"


@pytest.fixture(scope="module")
def drawn() -> Diagram:
    return read_diagram(HERE / "news-feed.mmd")


def pairs(diagram: Diagram) -> list[tuple[str | None, str | None, Heads, str]]:
    return [(e.source, e.target, e.heads, e.label) for e in diagram.edges]


def test_shapes_and_labels(drawn: Diagram) -> None:
    by_id = {b.id: b for b in drawn.boxes}
    assert (by_id["cache"].label, by_id["cache"].shape) == ("Redis timelines", Shape.CYLINDER)
    assert (by_id["media"].label, by_id["media"].shape) == ("Object store", Shape.CYLINDER)  # @{ shape: cyl }
    assert by_id["lb"].shape == Shape.DIAMOND and by_id["users"].shape == Shape.ELLIPSE
    assert by_id["fanout"].label == "Fan-out workers"  # quoted, inside [[ ]]
    assert by_id["q"].label == "Kafka topic"
    assert by_id["orphan"].label == ""


def test_ampersands_fan_in(drawn: Diagram) -> None:
    assert ("users", "lb", Heads.FORWARD, "") in pairs(drawn)
    assert ("web", "lb", Heads.FORWARD, "") in pairs(drawn)


def test_labels_in_pipes_and_inside_the_link(drawn: Diagram) -> None:
    assert ("lb", "api", Heads.FORWARD, "HTTPS") in pairs(drawn)
    assert ("fanout", "cache", Heads.FORWARD, "writes timelines") in pairs(drawn)


def test_chains_semicolons_dotted_thick_and_headless_links(drawn: Diagram) -> None:
    found = pairs(drawn)
    assert ("api", "cache", Heads.FORWARD, "") in found and ("cache", "api2", Heads.FORWARD, "") in found
    assert ("api2", "users", Heads.FORWARD, "") in found
    assert ("api", "posts", Heads.FORWARD, "") in found  # -.->
    assert ("api", "media", Heads.NONE, "") in found  # ---
    assert ("fanout", "q", Heads.FORWARD, "") in found  # an edge id: e1@-->


def test_invisible_links_styling_and_comments_add_nothing(drawn: Diagram) -> None:
    assert len(drawn.edges) == 11
    assert {b.id for b in drawn.boxes}.isdisjoint({"classDef", "class", "style", "linkStyle", "click", "edge"})


def test_subgraphs_are_zones(drawn: Diagram) -> None:
    zones = {z.id: z for z in drawn.zones}
    # a node named inside a subgraph is drawn in it, as Mermaid draws it, even when first named outside
    assert zones["core"].label == "Feed service" and set(zones["core"].members) == {"api", "fanout", "cache"}
    assert zones["storage"].label == "Storage" and set(zones["storage"].members) == {"posts", "media"}


def test_the_first_mermaid_block_of_markdown() -> None:
    found = read_diagram(HERE / "design-notes.md")
    assert {b.label for b in found.boxes} >= {"Client", "Rate limiter", "Redis counters"}
    assert ("limiter", "redis", Heads.BOTH, "") in pairs(found)
    assert ("svc", "audit", Heads.FORWARD, "") in pairs(found)  # --o: a circle head still points


def test_markdown_whose_first_block_is_not_a_flowchart_says_so() -> None:
    text = "# x\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n"
    with pytest.raises(DiagramError, match="sequenceDiagram, not a flowchart"):
        parse_bytes(text.encode(), "notes.md")


def test_markdown_without_a_mermaid_block_is_not_a_diagram() -> None:
    with pytest.raises(DiagramError, match="not a diagram this program reads"):
        parse_bytes(b"# Just notes\n\nNo drawing here.\n", "notes.md")
