"""Bad diagram files: each is one sentence saying what is wrong and what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.diagrams.diagram import DiagramError, PartialDiagram
from simulator.diagrams.limits import MAX_FILE_BYTES
from simulator.diagrams.reader import MissingDiagram, parse_bytes, read_diagram
from simulator.diagrams.watch import open_diagram

HERE = Path(__file__).parent / "diagrams"


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text.endswith((".", ")")) and "Traceback" not in text
    return text


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(MissingDiagram) as caught:
        read_diagram(tmp_path / "design.excalidraw")
    assert "no diagram at" in one_line(caught.value)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DiagramError, match="folder of the diagram .* does not exist"):
        read_diagram(tmp_path / "nowhere" / "design.drawio")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DiagramError, match="is a folder") as caught:
        read_diagram(tmp_path)
    one_line(caught.value)


def test_an_empty_file_is_waited_for_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "design.excalidraw"
    path.write_bytes(b"")
    with pytest.raises(PartialDiagram, match="is empty"):
        read_diagram(path)
    diagram, notice = open_diagram(path)
    assert diagram is None and notice is not None and "read again once it is saved whole" in notice


def test_a_missing_file_at_the_start_is_a_notice(tmp_path: Path) -> None:
    diagram, notice = open_diagram(tmp_path / "later.drawio")
    assert diagram is None and notice is not None and "read as soon as you save it" in notice


@pytest.mark.parametrize("content, expected", [
    (b'{"name": "my package", "version": "1.0"}', "not an Excalidraw scene"),
    (b"<html><body>hi</body></html>", "not a draw.io diagram"),
    (b"Just some notes about my design.\n", "not a diagram this program reads"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
    (b"sequenceDiagram\n  A->>B: hi\n", "not a diagram this program reads"),
])
def test_other_formats_are_named_as_such(content: bytes, expected: str) -> None:
    with pytest.raises(DiagramError) as caught:
        parse_bytes(content, "design.excalidraw")
    assert expected in one_line(caught.value)


@pytest.mark.parametrize("fixture", ["url-shortener.excalidraw", "job-scheduler.drawio", "excalidraw-saved.excalidraw"])
def test_a_half_written_save_is_partial(fixture: str) -> None:
    data = (HERE / fixture).read_bytes()
    with pytest.raises(PartialDiagram) as caught:
        parse_bytes(data[: len(data) // 2], fixture)
    assert "in the middle of" in one_line(caught.value)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.excalidraw"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk spent
    with pytest.raises(DiagramError, match="is not read") as caught:
        read_diagram(path)
    one_line(caught.value)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<mxfile><diagram name="P"><mxGraphModel><root><mxCell id="a" value="&lol9;" vertex="1"/></root></mxGraphModel>
</diagram></mxfile>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE mxfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<mxfile><diagram name="P"><mxGraphModel><root><mxCell id="a" value="&secret;" vertex="1"/></root></mxGraphModel>
</diagram></mxfile>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE mxfile [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<mxfile/>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY,
                                     b'<!DOCTYPE mxfile SYSTEM "http://127.0.0.1:9/x.dtd"><mxfile/>'])
def test_hostile_xml_is_refused_at_its_dtd(hostile: bytes) -> None:
    with pytest.raises(DiagramError, match="declares a DTD") as caught:
        parse_bytes(hostile, "evil.drawio")
    one_line(caught.value)


def test_hostile_xml_inside_a_compressed_page_is_refused_too() -> None:
    import base64
    import zlib
    from urllib.parse import quote

    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    page = base64.b64encode(deflate.compress(quote(EXTERNAL_ENTITY.decode()).encode()) + deflate.flush()).decode()
    with pytest.raises(DiagramError, match="declares a DTD"):
        parse_bytes(f'<mxfile><diagram name="P">{page}</diagram></mxfile>'.encode(), "evil.drawio")


def test_drawio_backups_are_not_read(tmp_path: Path) -> None:
    backup = tmp_path / "~$design.drawio.bkp"
    backup.write_bytes((HERE / "job-scheduler.drawio").read_bytes())
    with pytest.raises(DiagramError, match="backup"):
        read_diagram(backup)


@pytest.mark.parametrize("fixture", ["url-shortener.excalidraw", "job-scheduler.drawio",
                                     "url-shortener.excalidraw.svg", "excalidraw-saved.excalidraw",
                                     "excalidraw-saved.excalidraw.svg"])
def test_a_save_cut_anywhere_in_its_data_is_read_as_half_written(fixture: str) -> None:
    data = (HERE / fixture).read_bytes()
    end = data.index(b"payload-end") if fixture.endswith(".svg") else len(data)  # past it the scene is whole
    start = data.index(b"payload-start") + 20 if fixture.endswith(".svg") else 1
    for cut in range(start, end, 13):
        with pytest.raises(PartialDiagram):
            parse_bytes(data[:cut], fixture)


@pytest.mark.parametrize("fixture", sorted(p.name for p in HERE.iterdir() if p.is_file()))
def test_damaged_bytes_anywhere_are_one_sentence_or_a_drawing(fixture: str) -> None:
    import random

    data = (HERE / fixture).read_bytes()
    rng = random.Random(fixture)
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(3):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            parse_bytes(bytes(damaged), fixture)
        except DiagramError as exc:
            one_line(exc)
