"""How long reading and checking a 300-element diagram takes, and what watching a diagram file costs.

Builds an Excalidraw scene of 300 elements (100 labelled boxes, their 100 labels, 100 arrows) and a draw.io
file of the same drawing, then times read + design model + the checks against an answer N times and prints
the median and p95 milliseconds against the goal (50 ms). Then watches the file on its own thread at the
real half-second interval for a while (DiagramWatch.start, as a rehearsal runs it), saving it now and then, and
prints the CPU the watching took (time.process_time, less the saving thread's own) as a share of one core
against the goal (1%). Figures also go as JSON to $BENCH_OUT (default benchmarks/results/).

    python benchmarks/bench_diagram.py [--runs 50] [--watch-seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.diagrams.checks import hold_against  # noqa: E402
from simulator.diagrams.reader import parse_bytes  # noqa: E402
from simulator.diagrams.watch import DiagramWatch  # noqa: E402
from simulator.judging.analysis import analyze_text  # noqa: E402
from simulator.review.diagram_svg import drawing_svg  # noqa: E402

GOAL_MS = 50.0
GOAL_CORE_PERCENT = 1.0
LABELS = ["API servers", "Postgres", "Redis", "Kafka", "Load balancer", "Workers", "S3", "CDN", "ZooKeeper",
          "Elasticsearch"]
ANSWER = ("Clients go through a load balancer to stateless API servers. Writes go to Postgres, reads through "
          "Redis; it is read-heavy. Thumbnails are made asynchronously by workers pulling from Kafka. ") * 20


def excalidraw_scene(boxes: int = 100) -> bytes:
    elements = []
    for i in range(boxes):
        x, y = (i % 10) * 200, (i // 10) * 150
        elements.append({"id": f"b{i}", "type": "rectangle", "x": x, "y": y, "width": 120, "height": 60,
                         "isDeleted": False, "groupIds": [], "frameId": None,
                         "boundElements": [{"type": "text", "id": f"t{i}"}]})
        elements.append({"id": f"t{i}", "type": "text", "x": x + 10, "y": y + 20, "width": 100, "height": 25,
                         "text": f"{LABELS[i % len(LABELS)]} {i}", "containerId": f"b{i}", "isDeleted": False})
        target = (i + 1) % boxes
        tx, ty = (target % 10) * 200, (target // 10) * 150
        elements.append({"id": f"a{i}", "type": "arrow", "x": x + 120, "y": y + 30,
                         "points": [[0, 0], [tx - x - 120, ty - y]], "startBinding": {"elementId": f"b{i}"},
                         "endBinding": None if i % 7 == 0 else {"elementId": f"b{target}"},
                         "endArrowhead": "arrow", "isDeleted": False})
    return json.dumps({"type": "excalidraw", "version": 2, "elements": elements, "appState": {}}).encode()


def drawio_file(boxes: int = 100) -> bytes:
    cells = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
    for i in range(boxes):
        cells.append(f'<mxCell id="v{i}" value="&lt;b&gt;{LABELS[i % len(LABELS)]}&lt;/b&gt; {i}" '
                     f'style="rounded=0;whiteSpace=wrap;html=1;" vertex="1" parent="1">'
                     f'<mxGeometry x="{(i % 10) * 200}" y="{(i // 10) * 150}" width="120" height="60" as="geometry"/>'
                     f'</mxCell>')
        cells.append(f'<mxCell id="e{i}" style="html=1;" edge="1" parent="1" source="v{i}" '
                     f'target="v{(i + 1) % boxes}"><mxGeometry relative="1" as="geometry"/></mxCell>')
    return (f'<mxfile><diagram name="P"><mxGraphModel><root>{"".join(cells)}</root></mxGraphModel>'
            f'</diagram></mxfile>').encode()


def mermaid_chart(boxes: int = 100) -> bytes:
    """A flowchart of boxes in chains of ten, each chain feeding the next: no geometry, so it is laid out."""
    lines = ["flowchart LR"]
    for i in range(boxes):
        lines.append(f"  n{i}[{LABELS[i % len(LABELS)]} {i}]")
        if i % 10:
            lines.append(f"  n{i - 1} --> n{i}")
        elif i:
            lines.append(f"  n{i - 10} --> n{i}")
    return "\n".join(lines).encode("utf-8")


def _timed(work, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


def time_checks(data: bytes, name: str, runs: int, said) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        diagram = parse_bytes(data, name)
        hold_against(diagram, said, ANSWER)
        out.append((time.perf_counter() - start) * 1000)
    return out


def watch_cost(data: bytes, seconds: float, saves: int) -> float:
    """The CPU the watcher's own thread (DiagramWatch.start, as a rehearsal runs it) spent per wall second, as a
    percentage of one core, with the file saved `saves` times evenly over the run: the process's CPU time
    (time.process_time) less this thread's own, which only saves the file and waits."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "design.excalidraw"
        path.write_bytes(data)
        watch = DiagramWatch(path).begin(time.monotonic, Path(folder) / "kept")
        done = threading.Event()
        begin, process, own = time.monotonic(), time.process_time(), time.thread_time()
        watch.start()
        for n in range(saves):
            done.wait(seconds / (saves + 1))
            path.write_bytes(data.replace(b'"API servers 0"', f'"API servers v{n}"'.encode()))
        done.wait(max(0.0, seconds - (time.monotonic() - begin)))
        used = (time.process_time() - process) - (time.thread_time() - own)
        wall = time.monotonic() - begin
        watch.stop()
        return 100.0 * used / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--watch-seconds", type=float, default=10.0)
    args = parser.parse_args()
    said = analyze_text(ANSWER, "design").design
    results = {}
    for name, data in (("excalidraw", excalidraw_scene()), ("drawio", drawio_file())):
        elements = 300
        time_checks(excalidraw_scene(3) if name == "excalidraw" else drawio_file(3), name, 1, said)  # imports done
        cold = time_checks(data.replace(b"API servers", b"API hosts"), f"bench.{name}", 1, said)[0]
        times = sorted(time_checks(data, f"bench.{name}", args.runs, said))
        median, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        verdict = "ok" if p95 <= GOAL_MS else "OVER"
        print(f"{name}: {elements} elements read and checked in {median:.1f} ms median, {p95:.1f} ms p95 "
              f"(goal {GOAL_MS:.0f} ms: {verdict}); the first read of new labels {cold:.1f} ms")
        drawing = parse_bytes(data, f"bench.{name}")
        drawn = sorted(_timed(lambda: drawing_svg(drawing), args.runs))
        print(f"{name}: drawn for the report page in {statistics.median(drawn):.1f} ms median")
        results[name] = {"elements": elements, "median_ms": round(median, 2), "p95_ms": round(p95, 2),
                         "first_ms": round(cold, 2), "svg_median_ms": round(statistics.median(drawn), 2)}
    chart = parse_bytes(mermaid_chart(), "bench.mmd")
    laid = sorted(_timed(lambda: drawing_svg(chart), args.runs))
    print(f"mermaid: {len(chart.boxes)} boxes, {len(chart.edges)} arrows laid out and drawn in "
          f"{statistics.median(laid):.1f} ms median")
    results["mermaid_svg_median_ms"] = round(statistics.median(laid), 2)
    idle = watch_cost(excalidraw_scene(), args.watch_seconds, 0)
    busy = watch_cost(excalidraw_scene(), args.watch_seconds, 2)
    for label, share in (("looking, no save", idle), ("2 saves of the 300-element drawing", busy)):
        print(f"watching ({label}): {share:.2f}% of one core over {args.watch_seconds:g} s "
              f"(goal {GOAL_CORE_PERCENT:g}%: {'ok' if share <= GOAL_CORE_PERCENT else 'OVER'})")
    results["watch_idle_core_percent"] = round(idle, 3)
    results["watch_two_saves_core_percent"] = round(busy, 3)
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    target = out if out.suffix == ".json" else out / "diagram.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"python": platform.python_version(), **results}, indent=2))


if __name__ == "__main__":
    main()
