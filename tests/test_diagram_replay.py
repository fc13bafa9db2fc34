"""The replay shows the candidate's drawing growing: each kept save as a line at its time, among the words."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.diagrams.diagram import Box, Diagram, DiagramFormat, Edge
from simulator.diagrams.watch import DIAGRAM_FOLDER, INDEX_FILE, Snapshot
from simulator.review.replay import Replayer, plan_replay
from simulator.review.review import build_review
from simulator.sessions.store import Store

from .support.fakes import FakeClock
from .support.sessions import spoken_session


def test_each_save_of_the_drawing_shows_at_its_time_among_the_lines(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path / "home")
    first = Diagram(DiagramFormat.MERMAID, (Box("c", "Clients"), Box("a", "API servers")), (Edge("e1", "c", "a"),))
    second = Diagram(first.format, (*first.boxes, Box("p", "Postgres")), (*first.edges, Edge("e2", "a", "p")))
    kept = folder / DIAGRAM_FOLDER
    kept.mkdir()
    (kept / INDEX_FILE).write_text(json.dumps([Snapshot(0.2, first).to_json(), Snapshot(21.0, second).to_json()]))
    shown: list[str] = []
    Replayer(plan_replay(build_review(Store(tmp_path / "home").find(folder.name).read())), player=None,
             clock=FakeClock(), show=shown.append, fast=True).run()
    drawings = [line for line in shown if "drawing" in line]
    assert drawings == ["[0:00] (drawing: 2 boxes, 1 arrow)", "[0:21] (drawing saved: 3 boxes, 2 arrows)"]
    times = [line[1:line.index("]")] for line in shown[1:-1]]
    assert times == sorted(times, key=lambda t: tuple(int(x) for x in t.split(":")))  # in order on the clock
    assert shown.index(drawings[1]) < len(shown) - 1 and any("You:" in line for line in shown[:shown.index(drawings[1])])


def test_a_session_without_a_drawing_replays_no_drawing_line(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path / "home")
    shown: list[str] = []
    Replayer(plan_replay(build_review(Store(tmp_path / "home").find(folder.name).read())), player=None,
             clock=FakeClock(), show=shown.append, fast=True).run()
    assert shown and not [line for line in shown if "(drawing" in line]
