"""The drawing as the design model, and the drawing held against what was said."""

from __future__ import annotations

from pathlib import Path

from simulator.diagrams.checks import hold_against
from simulator.diagrams.design import design_from_diagram
from simulator.diagrams.diagram import Box, Diagram, DiagramFormat, Edge, Heads, Shape
from simulator.diagrams.reader import parse_bytes, read_diagram
from simulator.judging.analysis import analyze_text
from simulator.judging.design.model import ComponentKind, Source

HERE = Path(__file__).parent / "diagrams"


def mermaid(text: str) -> Diagram:
    return parse_bytes(("flowchart LR\n" + text).encode(), "test.mmd")


def rules(diagram: Diagram, said: str) -> list[str]:
    return [f.rule for f in hold_against(diagram, analyze_text(said, "design").design, said)]


def test_labels_become_components_under_the_names_speech_uses() -> None:
    design = design_from_diagram(read_diagram(HERE / "job-scheduler.drawio"), at=12.0)
    kinds = {c.name: c.kind for c in design.components}
    assert kinds["Postgres"] == ComponentKind.DATABASE and kinds["ZooKeeper"] == ComponentKind.COORDINATION
    assert kinds["Kafka"] == ComponentKind.QUEUE and kinds["clients"] == ComponentKind.CLIENT
    assert all(c.source == Source.DIAGRAM and c.quote.at == 12.0 for c in design.components)
    assert design.named("Postgres").quote.text == "Postgres"  # type: ignore[union-attr]


def test_an_unknown_label_is_kept_as_written_and_a_cylinder_is_a_database() -> None:
    design = design_from_diagram(mermaid("  svc[Ledger service] --> db[(Ledger store)]\n  u((Mobile users)) --> svc\n"))
    kinds = {c.name: c.kind for c in design.components}
    assert kinds["Ledger store"] == ComponentKind.DATABASE
    assert kinds["Mobile users"] == ComponentKind.CLIENT


def test_arrows_are_flows_and_a_name_drawn_twice_counts_two() -> None:
    design = design_from_diagram(mermaid("  api[API servers] --> a[(Postgres)]\n  api --> b[(Postgres replica)]\n"))
    assert [(f.source, f.target) for f in design.flows] == [("API servers", "Postgres"), ("API servers", "Postgres")]
    assert design.named("Postgres").count == 2  # type: ignore[union-attr]
    assert [s.kind for s in design.guarded("Postgres")] == ["replicas"]


def test_drawn_but_not_said_and_said_but_not_drawn() -> None:
    drawing = mermaid("  lb[Load balancer] --> api[API servers] --> q[Kafka]\n")
    found = hold_against(drawing, analyze_text("A load balancer spreads traffic over the API servers, which "
                                               "store links in Postgres.", "design").design, "")
    assert [(f.rule, f.component) for f in found if f.rule.endswith(("explained", "drawn"))] == [
        ("drawn_not_explained", "Kafka"), ("explained_not_drawn", "Postgres")]


def test_a_generic_label_and_a_specific_name_said_are_the_same_part() -> None:
    drawing = mermaid("  c[Clients] --> a[API] --> s[Shortener] --> db[(DB)]\n  a --> r[Cache]\n")
    said = ("Clients call the API servers. The shortener service writes links to Postgres, and reads go "
            "through Redis first.")
    found = [(f.rule, f.component) for f in hold_against(drawing, analyze_text(said, "design").design, said)]
    assert not [f for f in found if f[0] in ("drawn_not_explained", "explained_not_drawn")], found


def test_a_specific_part_drawn_is_the_generic_one_said_but_a_generic_name_explains_no_other_part() -> None:
    drawing = mermaid("  a[API servers] --> q[Kafka] --> w[Workers]\n  a --> x[Analytics service]\n")
    said = "The API servers put jobs on a queue, and workers pull them."
    found = [(f.rule, f.component) for f in hold_against(drawing, analyze_text(said, "design").design, said)]
    assert [f for f in found if f[0] in ("drawn_not_explained", "explained_not_drawn")] == [
        ("drawn_not_explained", "analytics service")]


def test_a_replica_said_under_the_specific_name_answers_a_lone_generic_box() -> None:
    lone = mermaid("  a[Order service] --> db[(Database)]\n  b[Billing service] --> db\n")
    said = "The order service and the billing service keep their rows in Postgres."
    assert "lone_stateful" in rules(lone, said)
    assert "lone_stateful" not in rules(lone, said + " Postgres has a standby replica that we fail over to.")


def test_a_lone_database_is_found_and_a_replica_drawn_or_said_answers_it() -> None:
    lone = mermaid("  a[Order service] --> db[(Postgres)]\n  b[Billing service] --> db\n")
    said = "The order service and the billing service keep their rows in Postgres."
    assert "lone_stateful" in rules(lone, said)
    assert "lone_stateful" not in rules(lone, said + " Postgres has a standby replica that we fail over to.")
    drawn = mermaid("  a[Order service] --> db[(Postgres primary)]\n  b[Billing service] --> db\n"
                    "  db -->|replication| r[(Postgres replica)]\n")
    assert "lone_stateful" not in rules(drawn, said)


def test_several_services_on_one_database_and_clients_straight_to_it() -> None:
    drawing = mermaid("  a[Order service] --> db[(Postgres)]\n  b[Billing service] --> db\n  c[Clients] --> db\n")
    found = {f.rule: f for f in hold_against(drawing, None, "")}
    assert "Billing service" in found["shared_database"].detail and "Order service" in found["shared_database"].detail
    assert found["client_to_database"].quote.text == "Clients → Postgres"


def test_loose_arrows_blank_boxes_and_lines_without_heads() -> None:
    drawing = Diagram(DiagramFormat.EXCALIDRAW,
                      (Box("a", "API servers"), Box("b", ""), Box("c", "Redis", Shape.ELLIPSE)),
                      (Edge("e1", "a", None, "writes"), Edge("e2", "a", "c", "", Heads.NONE)))
    found = {f.rule: f.detail for f in hold_against(drawing, None, "")}
    assert 'labelled "writes" is attached to nothing at its end' in found["arrow_to_nothing"]
    assert "One of your boxes has no label" in found["unlabelled_box"]
    assert "API servers — Redis" in found["undirected"]


def test_read_heavy_wants_a_cache_and_async_wants_a_queue_drawn() -> None:
    bare = mermaid("  api[API servers] --> db[(Postgres)]\n")
    said = "Reads outnumber writes a hundred to one, it is read-heavy. Emails go out asynchronously."
    found = {f.rule: f for f in hold_against(bare, None, said)}
    assert found["read_heavy_no_cache"].quote.text == "Reads outnumber writes a hundred to one, it is read-heavy."
    assert found["async_no_queue"].quote.text == "Emails go out asynchronously."
    full = mermaid("  api[API servers] --> c[(Redis)] & q[Kafka]\n")
    assert not {"read_heavy_no_cache", "async_no_queue"} & set(rules(full, said))


def test_the_same_drawing_and_answer_give_the_same_findings() -> None:
    drawing = read_diagram(HERE / "url-shortener.excalidraw")
    said = "Clients hit a load balancer, then API servers, then Postgres. It is read-heavy."
    assert hold_against(drawing, analyze_text(said, "design").design, said) == \
        hold_against(drawing, analyze_text(said, "design").design, said)
