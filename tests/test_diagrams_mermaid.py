"""Mermaid flowcharts, in a .mmd file and as the first mermaid block of Markdown."""

from __future__ import annotations

import json
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


# Examples in the form Mermaid's own flowchart documentation gives them, with what they draw.
DOC_EXAMPLES = [
    ("A-- This is the text! ---B", [("A", "B", Heads.NONE, "This is the text!")]),
    ("A---|This is the text|B", [("A", "B", Heads.NONE, "This is the text")]),
    ("A-- text -->B", [("A", "B", Heads.FORWARD, "text")]),
    ("A-.->B;", [("A", "B", Heads.FORWARD, "")]),
    ("A-. text .-> B", [("A", "B", Heads.FORWARD, "text")]),
    ("A == text ==> B", [("A", "B", Heads.FORWARD, "text")]),
    ("A ~~~ B", []),
    ("A -- text --> B -- text2 --> C", [("A", "B", Heads.FORWARD, "text"), ("B", "C", Heads.FORWARD, "text2")]),
    ("a --> b & c--> d", [("a", "b", Heads.FORWARD, ""), ("a", "c", Heads.FORWARD, ""),
                          ("b", "d", Heads.FORWARD, ""), ("c", "d", Heads.FORWARD, "")]),
    ("A o--o B\nB <--> C\nC x--x D", [("A", "B", Heads.BOTH, ""), ("B", "C", Heads.BOTH, ""),
                                     ("C", "D", Heads.BOTH, "")]),
    ("B ---->|No| E[End]", [("B", "E", Heads.FORWARD, "No")]),
    ("B -- No ----> E[End]", [("B", "E", Heads.FORWARD, "No")]),
    ("A -...-> B\nC -..- D", [("A", "B", Heads.FORWARD, ""), ("C", "D", Heads.NONE, "")]),
    ("A:::foo & B:::bar --> C:::foobar\nclassDef foo stroke:#f00", [("A", "C", Heads.FORWARD, ""),
                                                                  ("B", "C", Heads.FORWARD, "")]),
    ("A-->B\nclick A callback \"Tooltip for a callback\"\nclick B \"https://www.github.com\" \"tip\"",
     [("A", "B", Heads.FORWARD, "")]),
]


@pytest.mark.parametrize("body, expected", DOC_EXAMPLES, ids=[b.splitlines()[0] for b, _ in DOC_EXAMPLES])
def test_the_documentations_link_forms(body: str, expected: list[tuple[str, str, Heads, str]]) -> None:
    assert pairs(parse_bytes(f"flowchart LR\n    {body}\n".encode(), "doc.mmd")) == expected


def test_the_documentations_labels_shapes_entities_and_markdown_strings() -> None:
    text = """%%{init: {"flowchart": {"htmlLabels": false}} }%%
flowchart LR
    id1["This is the (text) in the box"] --> A["A double quote:#quot;"] --> B["A dec char:#9829;"]
    t1[/Christmas\\] --> t2[\\Go shopping/] --> dc(((Double circle)))
    md("`The **cat**
    in the hat`") -- "edge label" --> hog{{"`The **dog** in the hog`"}}
    F["fa:fa-twitter for peace"] --> S[AAA<span>BBB</span>]
"""
    found = {b.id: b for b in parse_bytes(text.encode(), "doc.mmd").boxes}
    assert found["id1"].label == "This is the (text) in the box"
    assert found["A"].label == 'A double quote:"' and found["B"].label == "A dec char:\u2665"
    assert found["t1"].shape == Shape.PARALLELOGRAM and found["dc"].shape == Shape.ELLIPSE
    assert found["md"].label == "The cat in the hat" and found["hog"].shape == Shape.HEXAGON
    assert found["F"].label == "for peace" and found["S"].label == "AAABBB"


def test_links_to_subgraphs_end_at_the_zone_not_at_a_new_box() -> None:
    text = """flowchart TB
    c1-->a2
    subgraph one
    a1-->a2
    end
    subgraph two
    b1-->b2
    end
    subgraph three
    c1-->c2
    end
    one --> two
    three --> two
    two --> c2
"""
    found = parse_bytes(text.encode(), "doc.mmd")
    assert {b.id for b in found.boxes} == {"c1", "a1", "a2", "b1", "b2", "c2"}
    assert ("one", "two", Heads.FORWARD, "") in pairs(found)
    zones = {z.id: set(z.members) for z in found.zones}
    assert zones == {"one": {"a1", "a2"}, "two": {"b1", "b2"}, "three": {"c1", "c2"}}  # named inside: drawn inside


# Mermaid's own parser's reading of each example (tests/diagrams/tools/mermaid.mjs, run once with npm; the tests
# need only its saved output): its heads as the drawing's, its shapes as the page's.
PARSED = json.loads((HERE / "mermaid-parsed.json").read_text())["examples"]
MERMAID_HEADS = {"arrow_open": Heads.NONE, "arrow_point": Heads.FORWARD, "arrow_circle": Heads.FORWARD,
                 "arrow_cross": Heads.FORWARD, "double_arrow_point": Heads.BOTH, "double_arrow_circle": Heads.BOTH,
                 "double_arrow_cross": Heads.BOTH}
MERMAID_SHAPES = {"cylinder": Shape.CYLINDER, "cyl": Shape.CYLINDER, "das": Shape.CYLINDER, "circle": Shape.ELLIPSE,
                  "diamond": Shape.DIAMOND, "hexagon": Shape.HEXAGON, "lean_right": Shape.PARALLELOGRAM,
                  "stadium": Shape.ROUNDED, "round": Shape.ROUNDED, "square": Shape.BOX, "subroutine": Shape.BOX}


@pytest.mark.parametrize("example", PARSED, ids=[e["name"] for e in PARSED])
def test_each_example_reads_as_mermaids_own_parser_reads_it(example: dict) -> None:  # type: ignore[type-arg]
    found = parse_bytes(example["text"].encode(), f"{example['name']}.mmd")
    assert {b.id: b.label for b in found.boxes} == {n["id"]: n["text"].strip() for n in example["nodes"]}
    shapes = {b.id: b.shape for b in found.boxes}
    assert {n["id"]: shapes[n["id"]] for n in example["nodes"] if n["shape"] in MERMAID_SHAPES} == \
        {n["id"]: MERMAID_SHAPES[n["shape"]] for n in example["nodes"] if n["shape"] in MERMAID_SHAPES}
    links = [(e["start"], e["end"], MERMAID_HEADS[e["type"]], e["text"].strip()) for e in example["links"]
             if e["stroke"] != "invisible"]
    assert sorted(pairs(found), key=str) == sorted(links, key=str)
    nodes = {n["id"] for n in example["nodes"]}
    zones = {z.id: (z.label, {m for m in z.members if m in nodes}) for z in found.zones}
    assert zones == {s["id"]: (s["title"], {m for m in s["nodes"] if m in nodes}) for s in example["subgraphs"]}
