"""The watched diagram: looks stepped by hand on a fake session clock, so no test waits for real time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simulator.diagrams.watch import INDEX_FILE, DiagramWatch, read_snapshots
from tests.support.waiting import wait_for

HERE = Path(__file__).parent / "diagrams"
V1 = "flowchart LR\n  api[API servers] --> db[(Postgres)]\n"
V2 = V1 + "  api --> cache[(Redis)]\n"
V3 = V2 + "  lb[Load balancer] --> api\n"


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def save(path: Path, text: str) -> None:
    """As editors save: a new file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def labels(watch: DiagramWatch) -> list[set[str]]:
    return [{b.label for b in s.diagram.boxes} for s in watch.snapshots]


Setup = tuple[Path, Path, "Clock", list[str]]  # the watched path, the session's diagram folder, the clock, warnings


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return tmp_path / "design.mmd", tmp_path / "session" / "diagram", Clock(), []


def test_the_start_is_read_at_once_and_each_change_once_two_looks_agree(setup: Setup) -> None:
    path, folder, clock, warnings = setup
    save(path, V1)
    watch = DiagramWatch(path, warn=warnings.append).begin(clock, folder)
    assert [s.at for s in watch.snapshots] == [0.0]
    clock.t = 12.0
    save(path, V2)
    assert watch.poll() is None  # seen once: a save may still be under way
    clock.t = 12.5
    snapshot = watch.poll()
    assert snapshot is not None and snapshot.at == 12.5
    assert watch.poll() is None and watch.poll() is None  # nothing new
    clock.t = 40.0
    save(path, V3)
    watch.poll()
    clock.t = 40.5
    watch.poll()
    assert [s.at for s in watch.snapshots] == [0.0, 12.5, 40.5]
    assert "Load balancer" in labels(watch)[-1] and "Redis" not in labels(watch)[0]
    assert warnings == []


def test_snapshots_are_kept_in_the_session_folder_and_read_back_without_the_original(setup: Setup) -> None:
    path, folder, clock, _ = setup
    save(path, V1)
    watch = DiagramWatch(path).begin(clock, folder)
    clock.t = 3.0
    save(path, V2)
    watch.poll()
    watch.poll()
    path.unlink()
    kept = read_snapshots(folder)
    assert [(s.at, s.diagram) for s in kept] == [(s.at, s.diagram) for s in watch.snapshots]
    assert (folder / kept[1].file).read_text() == V2  # the file as it was saved
    assert json.loads((folder / INDEX_FILE).read_text())[1]["at"] == 3.0


def test_a_half_written_or_empty_save_keeps_the_last_good_drawing_and_warns_once(tmp_path: Path) -> None:
    path, clock, warnings = tmp_path / "design.excalidraw", Clock(), []
    good = (HERE / "url-shortener.excalidraw").read_bytes()
    path.write_bytes(good)
    watch = DiagramWatch(path, warn=warnings.append).begin(clock)
    clock.t = 5.0
    path.write_bytes(good[: len(good) // 3])
    for _ in range(4):
        watch.poll()
    assert len(watch.snapshots) == 1 and len(warnings) == 1
    assert "in the middle of its JSON" in warnings[0] and "drawing read at 0:00 is kept" in warnings[0]
    path.write_bytes(b"")
    for _ in range(3):
        watch.poll()
    assert len(watch.snapshots) == 1 and "is empty" in warnings[-1]
    clock.t = 9.0
    path.write_bytes(good.replace(b'"API servers"', b'"API fleet"'))
    watch.poll()
    watch.poll()
    assert len(watch.snapshots) == 2 and watch.snapshots[-1].at == 9.0


def test_a_file_deleted_mid_answer_keeps_the_drawing_and_comes_back(setup: Setup) -> None:
    path, folder, clock, warnings = setup
    save(path, V1)
    watch = DiagramWatch(path, warn=warnings.append).begin(clock, folder)
    path.unlink()
    watch.poll()
    watch.poll()
    assert len(warnings) == 1 and "was removed" in warnings[0] and "is kept" in warnings[0]
    clock.t = 20.0
    save(path, V2)
    watch.poll()
    watch.poll()
    assert [s.at for s in watch.snapshots] == [0.0, 20.0]


def test_a_diagram_that_appears_mid_answer_is_picked_up(setup: Setup) -> None:
    path, folder, clock, warnings = setup
    watch = DiagramWatch(path, warn=warnings.append).begin(clock, folder)
    assert watch.snapshots == [] and watch.poll() is None
    clock.t = 30.0
    save(path, V1)
    watch.poll()
    assert watch.poll() is not None and watch.snapshots[0].at == 30.0
    assert warnings == []


def test_the_path_is_followed_not_the_file_once_opened(setup: Setup) -> None:
    path, _, clock, _ = setup
    save(path, V1)
    before = os.stat(path)
    watch = DiagramWatch(path).begin(clock)
    same_size = V1.replace("API servers", "API fleet!!")  # as long as before
    save(path, same_size)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time: only the inode tells
    watch.poll()
    assert watch.poll() is not None and "API fleet!!" in labels(watch)[-1]


def test_saving_the_same_drawing_again_adds_no_snapshot(setup: Setup) -> None:
    path, _, clock, _ = setup
    save(path, V1)
    watch = DiagramWatch(path).begin(clock)
    save(path, V1 + "  %% a comment\n")
    watch.poll()
    watch.poll()
    assert len(watch.snapshots) == 1


def test_a_session_folder_that_cannot_be_written_costs_a_warning_not_the_drawing(tmp_path: Path) -> None:
    path, clock, warnings = tmp_path / "design.mmd", Clock(), []
    blocker = tmp_path / "session"
    blocker.write_text("a file where the folder should be")
    save(path, V1)
    watch = DiagramWatch(path, warn=warnings.append).begin(clock, blocker / "diagram")
    assert len(watch.snapshots) == 1 and watch.snapshots[0].file is None
    assert len(warnings) == 1 and "Cannot keep the diagram" in warnings[0]


def test_the_thread_looks_on_its_own_and_stop_reads_the_last_save(setup: Setup) -> None:
    path, folder, clock, _ = setup
    save(path, V1)
    watch = DiagramWatch(path, interval=0.01).begin(clock, folder).start()
    try:
        save(path, V2)
        assert wait_for(lambda: len(watch.snapshots) == 2, timeout=10)
    finally:
        watch.stop()
    save(path, V3)
    watch.stop()  # already stopped: one last pair of looks still reads it
    assert len(watch.snapshots) == 3
