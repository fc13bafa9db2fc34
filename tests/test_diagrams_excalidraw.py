"""Excalidraw scenes, as saved (.excalidraw) and as exported with the scene embedded (.excalidraw.svg)."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest

from simulator.diagrams.diagram import Diagram, DiagramError, Heads, Shape
from simulator.diagrams.reader import parse_bytes, read_diagram

HERE = Path(__file__).parent / "diagrams"
SCENE = HERE / "url-shortener.excalidraw"


def labels(diagram: Diagram) -> dict[str, str]:
    return {b.id: b.label for b in diagram.boxes}


def edge_ends(diagram: Diagram) -> dict[str, tuple[str | None, str | None, Heads]]:
    return {e.id: (e.source, e.target, e.heads) for e in diagram.edges}


@pytest.fixture(scope="module")
def drawn() -> Diagram:
    return read_diagram(SCENE)


def test_boxes_take_their_bound_labels_and_shapes(drawn: Diagram) -> None:
    assert labels(drawn)["box-clients"] == "Clients"
    assert labels(drawn)["box-api"] == "API servers"
    lb = drawn.box("box-lb")
    assert lb is not None and lb.shape == Shape.DIAMOND and lb.label == "Load balancer"


def test_a_label_dropped_on_a_box_or_grouped_with_it_is_its_label(drawn: Diagram) -> None:
    assert labels(drawn)["box-redis"] == "Redis"  # loose text over the ellipse
    assert labels(drawn)["box-pg"] == "Postgres"  # grouped with the box, never bound
    assert "Redis" not in drawn.notes and "Postgres" not in drawn.notes


def test_deleted_elements_are_gone(drawn: Diagram) -> None:
    assert "box-old" not in labels(drawn)
    assert all("Memcached" not in b.label for b in drawn.boxes) and "Memcached" not in drawn.notes


def test_both_binding_shapes_connect_arrows(drawn: Diagram) -> None:
    ends = edge_ends(drawn)
    assert ends["arr-1"] == ("box-clients", "box-lb", Heads.FORWARD)  # {elementId, focus, gap}
    assert ends["arr-2"] == ("box-lb", "box-api", Heads.FORWARD)  # {elementId, fixedPoint, mode}


def test_unbound_ends_near_a_box_attach_to_it(drawn: Diagram) -> None:
    assert edge_ends(drawn)["arr-3"] == ("box-api", "box-redis", Heads.FORWARD)


def test_an_arrow_far_from_every_box_connects_nothing(drawn: Diagram) -> None:
    assert edge_ends(drawn)["arr-6"] == (None, None, Heads.FORWARD)


def test_arrow_labels_lines_and_backward_arrows(drawn: Diagram) -> None:
    by_id = {e.id: e for e in drawn.edges}
    assert by_id["arr-4"].label == "writes"
    assert by_id["arr-5"].heads == Heads.NONE and not by_id["arr-5"].directed
    # its only head is at its start, on the API box: it points from Redis's side to... the API
    assert (by_id["arr-7"].source, by_id["arr-7"].target) == ("box-api", "box-redis")


def test_frames_are_zones_with_their_members_and_free_text_is_a_note(drawn: Diagram) -> None:
    (zone,) = drawn.zones
    assert zone.label == "Backend"
    assert set(zone.members) == {"box-lb", "box-api", "box-redis", "box-pg", "box-blank"}
    assert drawn.notes == ("100M new links a day",)


def test_unlabelled_box_reads_as_unlabelled(drawn: Diagram) -> None:
    assert labels(drawn)["box-blank"] == ""


def test_the_svg_export_with_its_scene_reads_the_same(drawn: Diagram) -> None:
    assert read_diagram(HERE / "url-shortener.excalidraw.svg") == drawn


def test_svg_payload_version_1_is_plain_base64_json() -> None:
    scene = json.loads(SCENE.read_text())
    payload = base64.b64encode(json.dumps(scene).encode()).decode()
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg'><metadata><!-- payload-type:application/vnd.excalidraw+json -->"
           f"<!-- payload-version:1 --><!-- payload-start -->{payload}<!-- payload-end --></metadata></svg>")
    assert labels(parse_bytes(svg.encode(), "v1.svg"))["box-api"] == "API servers"


def test_an_svg_exported_without_its_scene_says_how_to_export_it() -> None:
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'><!-- payload-type:application/vnd.excalidraw+json --></svg>"
    with pytest.raises(DiagramError, match="Embed scene"):
        parse_bytes(svg, "plain.svg")


def test_an_svg_whose_scene_unpacks_huge_is_refused() -> None:
    bomb = zlib.compress(b"[" * (40 * 1024 * 1024))
    envelope = {"version": "1", "encoding": "bstring", "compressed": True, "encoded": bomb.decode("latin-1")}
    payload = base64.b64encode(json.dumps(envelope).encode("latin-1")).decode()
    svg = (f"<svg><!-- payload-type:application/vnd.excalidraw+json --><!-- payload-version:2 -->"
           f"<!-- payload-start -->{payload}<!-- payload-end --></svg>")
    with pytest.raises(DiagramError, match="unpacks to more than"):
        parse_bytes(svg.encode(), "bomb.excalidraw.svg")


def test_clipboard_json_and_a_json_named_file_read_by_content(tmp_path: Path) -> None:
    scene = json.loads(SCENE.read_text())
    scene["type"] = "excalidraw/clipboard"
    path = tmp_path / "whiteboard.json"
    path.write_text(json.dumps(scene))
    assert labels(read_diagram(path))["box-lb"] == "Load balancer"


# Saved by Excalidraw's own code (tests/diagrams/tools/excalidraw.mjs): serializeAsJSON as "Save to" writes it,
# exportToSvg with the scene embedded as "Export image" writes it.
SAVED = HERE / "excalidraw-saved.excalidraw"


@pytest.mark.parametrize("name", [SAVED.name, SAVED.name + ".svg"])
def test_a_scene_saved_by_excalidraws_own_serializer(name: str) -> None:
    drawn = read_diagram(HERE / name)
    assert {b.id: (b.label, b.shape) for b in drawn.boxes} == {
        "clients": ("Clients", Shape.ELLIPSE), "lb": ("Load balancer", Shape.BOX), "api": ("API servers", Shape.BOX),
        "redis": ("Redis", Shape.BOX), "pg": ("Postgres", Shape.BOX), "kafka": ("Kafka", Shape.DIAMOND)}
    assert {e.id: (e.source, e.target, e.heads, e.label) for e in drawn.edges} == {
        "a1": ("clients", "lb", Heads.FORWARD, ""), "a2": ("lb", "api", Heads.FORWARD, ""),
        "a3": ("api", "redis", Heads.FORWARD, "cache reads"), "a4": ("api", "pg", Heads.FORWARD, "writes"),
        "a5": ("api", "kafka", Heads.FORWARD, "click events")}
    assert [(z.label, set(z.members)) for z in drawn.zones] == [("Storage", {"redis", "pg"})]
    assert drawn.notes == ("Links never expire",)


def test_the_serializer_wrote_both_binding_shapes_and_the_svg_a_compressed_scene() -> None:
    """What the test above reads really has both shapes of binding and a version-2 (deflated) embedded scene."""
    bindings = {e["id"]: e["endBinding"] for e in json.loads(SAVED.read_text())["elements"] if e["type"] == "arrow"}
    assert "fixedPoint" in bindings["a5"] and "fixedPoint" not in bindings["a1"] and "focus" in bindings["a1"]
    svg = (HERE / (SAVED.name + ".svg")).read_text()
    payload = svg.split("payload-start")[1].split("payload-end")[0]
    assert "payload-version:2" in svg and "Links never expire" not in payload  # packed, not plain JSON
