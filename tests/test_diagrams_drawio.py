"""draw.io files: pages inline and compressed, wrappers, containers, styles and HTML labels."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from simulator.diagrams.diagram import Diagram, DiagramError, Heads, Shape
from simulator.diagrams.reader import parse_bytes, read_diagram

HERE = Path(__file__).parent / "diagrams"


@pytest.fixture(scope="module")
def drawn() -> Diagram:
    return read_diagram(HERE / "job-scheduler.drawio")


def ends(diagram: Diagram) -> dict[str, tuple[str | None, str | None, Heads, str]]:
    return {e.id: (e.source, e.target, e.heads, e.label) for e in diagram.edges}


def test_html_labels_are_plain_text_and_wrappers_give_id_and_label(drawn: Diagram) -> None:
    by_id = {b.id: b for b in drawn.boxes}
    assert by_id["web"].label == "Web & mobile clients"  # &amp; inside HTML, <br> a space
    assert by_id["gw"].label == "API gateway"  # a <UserObject>
    assert by_id["sched"].label == "Scheduler service"  # an <object>
    assert by_id["w-workers"].label == "Workers <x3>"  # an escaped tag in HTML stays text


def test_styles_give_shapes_and_a_cylinder_is_a_database(drawn: Diagram) -> None:
    by_id = {b.id: b for b in drawn.boxes}
    assert by_id["pg"].shape == Shape.CYLINDER
    assert by_id["zk"].shape == Shape.ELLIPSE
    assert by_id["gw"].shape == Shape.ROUNDED
    assert by_id["web"].shape == Shape.ACTOR


def test_coordinates_are_made_absolute_through_their_parents(drawn: Diagram) -> None:
    gw = drawn.box("gw")
    assert gw is not None and gw.rect is not None and (gw.rect.x, gw.rect.y) == (200.0, 200.0)  # 160+40, 80+120
    workers = drawn.box("w-workers")
    assert workers is not None and workers.rect is not None and (workers.rect.x, workers.rect.y) == (220.0, 50.0)


def test_edges_keep_direction_labels_and_the_lack_of_a_head(drawn: Diagram) -> None:
    found = ends(drawn)
    assert found["e2"] == ("gw", "sched", Heads.FORWARD, "POST /jobs")
    assert found["e3"][2] == Heads.NONE  # endArrow=none
    assert found["e4"] == ("sched", "kafka", Heads.FORWARD, "enqueue due jobs")  # the label is a child cell
    assert found["e5"][:3] == ("sched", "zk", Heads.FORWARD)  # drawn from zk with its head at the start
    assert found["w-e2"][2] == Heads.BOTH


def test_loose_edge_ends_attach_by_geometry_or_to_nothing(drawn: Diagram) -> None:
    found = ends(drawn)
    assert found["e6"][:2] == (None, None)
    assert found["e7"][:2] == ("kafka", "blank")  # its free end lies 2 px under Kafka


def test_containers_are_zones_and_text_cells_are_notes(drawn: Diagram) -> None:
    zones = {z.id: z for z in drawn.zones}
    assert zones["vpc"].label == "Region us-east-1"
    assert set(zones["vpc"].members) == {"gw", "sched", "pg", "zk", "kafka", "blank"}
    assert set(zones["w-grp"].members) == {"w-workers", "w-dlq"}
    assert drawn.notes == ("~1,200 jobs/s at peak",)


def test_every_page_is_read_the_compressed_one_too(drawn: Diagram) -> None:
    assert {"w-kafka", "w-workers", "w-dlq"} <= {b.id for b in drawn.boxes}
    assert ends(drawn)["w-e1"] == ("w-kafka", "w-workers", Heads.FORWARD, "pull")


def _compressed(model: str) -> str:
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(deflate.compress(quote(model).encode()) + deflate.flush()).decode()


def test_a_bare_graph_model_and_a_drawio_svg_read_too() -> None:
    model = ('<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="a" value="Cache" '
             'style="ellipse" vertex="1" parent="1"><mxGeometry x="0" y="0" width="10" height="10" as="geometry"/>'
             '</mxCell></root></mxGraphModel>')
    assert [b.label for b in parse_bytes(model.encode(), "bare.xml").boxes] == ["Cache"]
    content = f'<mxfile><diagram name="P">{_compressed(model)}</diagram></mxfile>'
    escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" content="{escaped}"><g/></svg>'
    assert [b.label for b in parse_bytes(svg.encode(), "x.drawio.svg").boxes] == ["Cache"]


def test_a_compressed_page_that_unpacks_huge_is_refused() -> None:
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = base64.b64encode(deflate.compress(b"a" * (40 * 1024 * 1024)) + deflate.flush()).decode()
    with pytest.raises(DiagramError, match="unpacks to more than"):
        parse_bytes(f'<mxfile><diagram name="P">{bomb}</diagram></mxfile>'.encode(), "bomb.drawio")


def test_a_damaged_compressed_page_is_one_sentence() -> None:
    with pytest.raises(DiagramError, match="cannot be unpacked"):
        parse_bytes(b'<mxfile><diagram name="P">bm90IGRlZmxhdGU=</diagram></mxfile>', "bad.drawio")
