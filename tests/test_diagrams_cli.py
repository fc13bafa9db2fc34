"""--diagram on rehearse and analyze: read at the start, watched through the answer, kept with the session."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli
from simulator.diagrams.watch import DIAGRAM_FOLDER, DiagramWatch, read_snapshots
from simulator.sessions.store import Store
from tests.support.fakes import FakeClock, RecordingScreen, RecordingVoice
from tests.support.interviews import QUESTION, interview

HERE = Path(__file__).parent / "diagrams"
ANSWER = ("First I'd clarify the scope: who shortens links and how many. Then clients go through a load balancer "
          "to stateless API servers, which write to Postgres and read through Redis.\n")
V1 = "flowchart LR\n  lb[Load balancer] --> api[API servers]\n"
V2 = V1 + "  api --> db[(Postgres)]\n"


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def session_folder(home: Path) -> Path:
    (folder,) = (home / "sessions").iterdir()
    return folder


def test_a_typed_rehearsal_keeps_the_diagram_it_read(tmp_path: Path) -> None:
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--home", str(tmp_path / "h"),
                    "--diagram", str(HERE / "url-shortener.excalidraw"), input=ANSWER)
    assert result.exit_code == 0, result.output
    assert "(excalidraw: 6 boxes, 7 arrows, 1 zone) is watched while you answer" in result.output
    assert "Your diagram: 1 drawing kept with the session" in result.output
    assert "Your diagram, held against what you said:" in result.output
    assert "You drew Redis but never said" not in result.output  # said: "read through Redis"
    assert "An arrow is attached to nothing at either end" in result.output
    (kept,) = read_snapshots(session_folder(tmp_path / "h") / DIAGRAM_FOLDER)
    assert kept.at < 1.0 and {b.label for b in kept.diagram.boxes} >= {"Clients", "Redis", "Postgres"}  # at the start


def test_labels_that_look_like_markup_are_printed_as_drawn(tmp_path: Path) -> None:
    drawing = _write(tmp_path / "design.mmd", b'flowchart LR\n  a["[bold]Ledger[/bold] <script>x</script>"] --> b[(Postgres)]\n')
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--home", str(tmp_path / "h"),
                    "--diagram", str(drawing), input=ANSWER)
    assert result.exit_code == 0, result.output
    assert "You drew [bold]Ledger[/bold] x but never said" in result.output


def test_a_diagram_not_saved_yet_is_a_notice_and_the_session_runs(tmp_path: Path) -> None:
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--home", str(tmp_path / "h"),
                    "--diagram", str(tmp_path / "later.mmd"), input=ANSWER)
    assert result.exit_code == 0, result.output
    assert "No diagram at" in result.output and "read as soon as you save it" in result.output


@pytest.mark.parametrize("make, words", [
    (lambda p: p / "nowhere" / "design.excalidraw", "does not exist"),
    (lambda p: p, "is a folder"),
    (lambda p: _write(p / "notes.txt", b"just words\n"), "not a diagram this program reads"),
    (lambda p: _write(p / "evil.drawio", b'<!DOCTYPE x [<!ENTITY a "b">]><mxfile/>'), "declares a DTD"),
])
@pytest.mark.parametrize("command", ["rehearse", "analyze"])
def test_a_bad_diagram_is_one_line_and_nothing_starts(tmp_path: Path, make: Callable[[Path], Path], words: str,
                                                      command: str) -> None:
    path = make(tmp_path)
    home = tmp_path / "home"
    args = (["rehearse", "--type", "--no-voice", "--question", "url-shortener"] if command == "rehearse" else
            ["analyze", str(_write(tmp_path / "answer.txt", ANSWER.encode()))])
    result = CliRunner().invoke(cli, [*args, "--home", str(home), "--diagram", str(path)], input=ANSWER)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert not (home / "sessions").exists() or not any((home / "sessions").iterdir())


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_analyze_shows_the_diagram_and_puts_it_in_the_json(tmp_path: Path) -> None:
    answer = _write(tmp_path / "answer.txt", ANSWER.encode())
    data = json.loads(invoke("analyze", str(answer), "--json", "--home", str(tmp_path),
                             "--diagram", str(HERE / "job-scheduler.drawio")).stdout)
    assert data["diagram"]["format"] == "drawio"
    assert {"Postgres", "Kafka", "ZooKeeper"} <= {b["label"] for b in data["diagram"]["boxes"]}
    held = {f["rule"]: f for f in data["diagram"]["findings"]}
    unexplained = {f["component"] for f in data["diagram"]["findings"] if f["rule"] == "drawn_not_explained"}
    assert {"API gateway", "Kafka", "ZooKeeper"} <= unexplained and "Postgres" not in unexplained  # Postgres was said
    assert "arrow_to_nothing" in held and "undirected" in held
    text = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["analyze", str(answer), "--home", str(tmp_path),
                                                          "--diagram", str(HERE / "news-feed.mmd")]).stdout
    assert "Your diagram (mermaid: 11 boxes, 11 arrows, 2 zones)" in text
    assert "Fan-out workers -> Redis timelines (writes timelines)" in text
    assert "Feed API -- Object store" in text
    assert "Held against what you said" in text and "You drew Kafka topic but never said" in text


def test_analyze_of_a_session_uses_the_drawing_it_kept_even_when_the_original_is_gone(tmp_path: Path) -> None:
    drawing = _write(tmp_path / "design.mmd", V2.encode())
    home = tmp_path / "h"
    assert invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--home", str(home),
                  "--diagram", str(drawing), input=ANSWER).exit_code == 0
    drawing.unlink()
    data = json.loads(invoke("analyze", "last", "--json", "--home", str(home)).stdout)
    assert {b["label"] for b in data["diagram"]["boxes"]} == {"Load balancer", "API servers", "Postgres"}


def test_a_drawing_changed_during_the_answer_is_kept_at_its_time(tmp_path: Path) -> None:
    path = _write(tmp_path / "design.mmd", V1.encode())
    clock = FakeClock()
    watch = DiagramWatch(path)
    drawn_at: list[float] = []

    def typist(on_line):  # type: ignore[no-untyped-def]
        clock.advance(42.0)  # the candidate draws the database 42 s into the session, while answering
        tmp = path.with_name("design.mmd.new")
        tmp.write_text(V2)
        os.replace(tmp, path)
        drawn_at.append(session.log.elapsed())
        watch.poll()
        watch.poll()
        on_line(ANSWER.strip())
        return ANSWER

    session = interview(Store(tmp_path / "h"), QUESTION, voice=RecordingVoice(clock), clock=clock,
                        screen=RecordingScreen(), typist=typist, diagram=watch)
    session.run()
    kept = read_snapshots(session.folder.file(DIAGRAM_FOLDER))
    assert [s.at for s in kept] == [0.0, pytest.approx(drawn_at[0])] and drawn_at[0] > 42
    assert "Postgres" in {b.label for b in kept[-1].diagram.boxes}
    assert watch._thread is None  # the session stopped watching when it ended
