"""The HTML pages in a real headless Chromium, opened over file:// as a user opens them: charts render,
clicking a transcript line seeks the conversation audio there and highlights it, and text from a transcript,
question or file name never runs as script."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.questions import Question
from simulator.transcript import Segment

from .support.designs import HOSTILE, SHORTENER, shortener, slips
from .support.sessions import FOLLOWUP, WALKTHROUGH, spoken_session, typed_session

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]



def wait_until(page: Any, condition: str, timeout: float = 10.0) -> None:
    """Poll a condition from outside the page: page.wait_for_function compiles its predicate with eval,
    which the report's own content security policy forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"not true within {timeout:g} s: {condition}"
        time.sleep(0.05)

def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; scripts/system-packages.sh test installs it")
    pytest.skip(f"{reason}; run make test to install it")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    tab.problems = []  # console errors and uncaught exceptions
    tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.problems.append(str(e)))
    yield tab
    context.close()


def report_html(folder: Path, home: Path) -> Path:
    from click.testing import CliRunner

    from simulator.cli.main import cli

    result = CliRunner().invoke(cli, ["report", str(folder), "--html", "--home", str(home)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def box(locator: Any) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, "not rendered"
    return found


def test_the_report_page_plays_seeks_and_highlights(tmp_path: Path, page: Any) -> None:
    folder = spoken_session(tmp_path / "home", [WALKTHROUGH, FOLLOWUP])
    path = report_html(folder, tmp_path / "home")
    page.goto(path.as_uri())

    for chart in ("#timeline svg", "#pace svg"):
        size = box(page.locator(chart))
        assert size["width"] > 300 and size["height"] > 40, chart
    bars = page.locator("#timeline svg rect.bar")
    assert bars.count() >= 8  # the said stretches and the four budget phases
    assert all(box(bars.nth(i))["width"] > 0 for i in range(bars.count()))
    assert box(page.locator("#pace svg polyline").first)["width"] > 100

    wait_until(page, "document.getElementById('conversation').readyState >= 1")
    duration = page.evaluate("document.getElementById('conversation').duration")
    session = json.loads((folder / "session.json").read_text())
    assert duration == pytest.approx(session["turns"][-1]["end"], abs=0.1)

    lines = page.locator("#transcript li")
    target = lines.nth(5)
    start = float(target.get_attribute("data-start"))
    assert start > 20
    target.click()
    wait_until(page, f"Math.abs(document.getElementById('conversation').currentTime - {start}) < 0.3")
    assert "current" in target.get_attribute("class")
    assert page.locator("#transcript li.current").count() == 1

    # moving the player along (as playing does) moves the highlight to the line being spoken
    later = lines.nth(9)
    later_start = float(later.get_attribute("data-start"))
    page.evaluate(f"document.getElementById('conversation').currentTime = {later_start + 0.2}")
    wait_until(page, "document.querySelectorAll('#transcript li')[9].classList.contains('current')")
    assert page.locator("#transcript li.current").count() == 1

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.problems == []


HOSTILE = ("<script>window.__pwned = 1; document.title = 'pwned';</script>"
           "<img src=x onerror=\"window.__pwned = 2; document.title = 'pwned'\">")


def test_text_from_a_session_never_runs_as_script(tmp_path: Path, page: Any) -> None:
    question = Question("hostile", "design", "Hostile", f"Design {HOSTILE} a URL shortener.")
    answers = [[Segment(0.5, 4.0, f"Who are the users? {HOSTILE}"),
                Segment(4.5, 8.0, "</title></li></ol><svg onload=\"window.__pwned = 3\"></svg>")]]
    folder = spoken_session(tmp_path / "home", answers, question=question, followups=0)
    record = json.loads((folder / "session.json").read_text())
    # a file name that is itself markup (and missing); names with a slash are refused before any report
    record["turns"][0]["audio"] = "<img src=x onerror=\"window.__pwned = 4; document.title = 'pwned'\">.wav"
    (folder / "session.json").write_text(json.dumps(record))
    path = report_html(folder, tmp_path / "home")

    page.goto(path.as_uri())
    line = page.locator("#transcript li").nth(1)
    start = float(line.get_attribute("data-start"))
    line.click()
    # the click has been handled once its line is marked and the player has moved to it
    wait_until(page, "document.querySelectorAll('#transcript li')[1].classList.contains('current') && "
                     f"Math.abs(document.getElementById('conversation').currentTime - {start}) < 0.3")
    assert page.evaluate("window.__pwned") is None
    assert page.title() == f"Design {HOSTILE} a URL shortener. · {folder.name}"  # the words, never set by them
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1
    assert page.locator("#transcript svg").count() == 0
    text = page.inner_text("body")
    assert HOSTILE in text and "<svg onload" in text  # shown as the words they are
    assert page.problems == []


def test_the_history_page_draws_its_trend_charts(tmp_path: Path, page: Any) -> None:
    from click.testing import CliRunner

    from simulator.cli.main import cli

    home = tmp_path / "home"
    spoken_session(home, [WALKTHROUGH[:3], FOLLOWUP])
    spoken_session(home, [WALKTHROUGH, FOLLOWUP])
    typed_session(home, "Before I design anything, who are the users?")
    result = CliRunner().invoke(cli, ["history", "--html", "--home", str(home)], catch_exceptions=False)
    page.goto(Path(result.stdout.strip()).as_uri())
    charts = page.locator("svg")
    assert charts.count() == 4
    for i in range(4):
        assert box(charts.nth(i))["height"] > 100
        assert box(charts.nth(i).locator("polyline").first)["width"] > 100
    # a typed answer has steps and fillers but no length or pace, so it is no point on those charts
    assert [charts.nth(i).locator("circle.point").count() for i in range(4)] == [2, 3, 2, 3]
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
    assert page.problems == []


def test_the_report_page_shows_the_level_verdict_and_the_round_page_links_each_report(tmp_path: Path,
                                                                                      page: Any) -> None:
    from click.testing import CliRunner

    from simulator.cli.main import cli

    home = tmp_path / "home"
    strong = (Path(__file__).resolve().parent / "corpus" / "d01-url-shortener-strong.txt").read_text()
    answers = f"{strong}\n---\nI led it. <script>document.title='x'</script>"
    result = CliRunner().invoke(cli, ["rehearse", "--type", "--no-voice", "--round", "2", "--level", "senior",
                                      "--home", str(home)], input=answers)
    assert result.exit_code == 0, result.output
    found = json.loads(CliRunner().invoke(cli, ["round", "--json", "--home", str(home)]).stdout)
    first = home / "sessions" / found["questions"][0]["session"] / "report.html"
    page.goto(first.as_uri())
    section = page.locator("#practice")
    assert box(section)["height"] > 40
    text = section.inner_text()
    assert "Senior bar: AT the bar" in text and "Expected:" in text
    assert page.locator("#practice li q").count() >= 2

    page.goto((home / "rounds" / f"{found['id']}.html").as_uri())
    assert page.title() != "x" and not page.problems
    rows = page.locator("table tr")
    assert rows.count() == 3
    page.locator("table tr a").first.click()
    page.wait_for_load_state()
    assert page.url == first.as_uri()


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (inner["x"] >= outer["x"] - 0.5 and inner["y"] >= outer["y"] - 0.5
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5)


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_the_design_diagram_draws_readable_boxes_and_arrows(tmp_path: Path, page: Any) -> None:
    from simulator.judging.design.model import Component, ComponentKind, Quote
    from simulator.review.design_page import design_section
    from simulator.review.design_view import build_view
    from simulator.review.pages import page as frame

    design = shortener()
    design.components.append(Component(HOSTILE, ComponentKind.OTHER, Quote(HOSTILE)))
    path = tmp_path / "design.html"
    path.write_text(frame("design", design_section(build_view("design", design, slips()))), encoding="utf-8")
    page.goto(path.as_uri())

    assert box(page.locator("#design svg"))["width"] > 600
    components = page.locator("#design svg g.component")
    assert components.count() == 7
    names, outlines = [], []
    for i in range(components.count()):
        component = components.nth(i)
        outline = box(component.locator("rect, ellipse").first)
        name = component.locator("text.name")
        assert outline["width"] > 60 and outline["height"] > 10
        assert inside(box(name), box(component)), name.text_content()  # the name is within its box
        names.append(name.text_content())
        outlines.append(box(component))
    assert not any(overlap(a, b) for i, a in enumerate(outlines) for b in outlines[i + 1:])
    assert names[:6] == ["clients", "load balancer", "API servers", "key service", "Redis", "DynamoDB"]
    assert names[6].startswith("<script>")  # shown as the words it is
    assert page.locator("#design svg g.cylinder").count() == 1
    arrows = page.locator("#design svg g.flow")
    assert arrows.count() == 4 and all(box(arrows.nth(i))["width"] > 10 for i in range(4))
    # columns run left to right along the flow
    xs = [box(page.locator("#design svg g.component", has_text=n).first)["x"]
          for n in ("clients", "load balancer", "API servers", "Redis", "DynamoDB")]
    assert xs == sorted(xs) and len(set(xs)) == 5
    assert page.evaluate("window.__pwned") is None and page.locator("script").count() == 0
    assert "why: arithmetic:" in page.inner_text("#design")
    page.screenshot(path=str(tmp_path / "design.png"), full_page=True)
    assert page.problems == []


def test_a_typed_rehearsal_draws_the_candidates_own_design_on_its_page(tmp_path: Path, page: Any) -> None:
    from click.testing import CliRunner

    from simulator.cli.main import cli

    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["rehearse", "--type", "--no-voice", "--question", "url-shortener",
                                      "--followups", "0", "--home", str(home)], input=SHORTENER + "\n")
    assert result.exit_code == 0, result.output
    page.goto(next((home / "sessions").glob("*/report.html")).as_uri())
    names = page.locator("#design svg g.component text.name")
    assert [names.nth(i).text_content() for i in range(names.count())] == [
        "clients", "load balancer", "API servers", "key service", "Redis", "DynamoDB"]
    for i in range(names.count()):
        assert box(names.nth(i))["width"] > 20  # drawn, and wide enough to read
    assert page.locator("#design svg g.cylinder text.name").text_content() == "DynamoDB"
    assert page.locator("#design svg g.flow").count() >= 2
    text = page.inner_text("#design")
    assert "✗ 100 writes a second" in text and "why: lone_stateful:" in text
    assert page.problems == []


def test_the_candidates_drawing_renders_and_its_slider_shows_each_save(tmp_path: Path, page: Any) -> None:
    from simulator.diagrams.diagram import Box, Diagram, DiagramFormat, Edge, Rect, Shape
    from simulator.diagrams.reader import read_diagram
    from simulator.diagrams.watch import DIAGRAM_FOLDER, INDEX_FILE, Snapshot

    folder = spoken_session(tmp_path / "home", followups=0)
    first = read_diagram(Path(__file__).parent / "diagrams" / "url-shortener.excalidraw")
    evil = Box("evil", HOSTILE, Shape.BOX, Rect(0, -200, 160, 60))
    second = Diagram(first.format, (*first.boxes, evil), (*first.edges, Edge("x", "evil", first.boxes[0].id)),
                     first.zones)
    kept = folder / DIAGRAM_FOLDER
    kept.mkdir()
    (kept / INDEX_FILE).write_text(json.dumps([Snapshot(3.0, first).to_json(), Snapshot(15.0, second).to_json()]))
    path = report_html(folder, tmp_path / "home")
    page.goto(path.as_uri())

    shown = page.locator("#diagram figure.snapshot:not([hidden]) svg.drawing")
    assert shown.count() == 1
    size = box(shown)
    assert size["width"] > 200 and size["height"] > 60
    boxes = page.locator("#diagram figure.snapshot:not([hidden]) g.box")
    assert boxes.count() == len(second.boxes)
    assert all(box(boxes.nth(i))["width"] > 10 for i in range(boxes.count()))
    heads = page.locator("#diagram figure.snapshot:not([hidden]) polyline[marker-end]")
    assert heads.count() >= 1
    marker = heads.first.get_attribute("marker-end")[5:-1]  # url(#id): its own drawing's, which is shown
    assert page.locator(f"#diagram figure.snapshot:not([hidden]) marker#{marker}").count() == 1
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1
    assert "<script>window.__pwned" in page.inner_text("#diagram figure.snapshot:not([hidden])")  # the label, as words

    page.locator("#diagram-at").fill("0")  # the slider back to the first save
    wait_until(page, "!document.querySelectorAll('#diagram figure.snapshot')[0].hidden")
    assert page.locator("#diagram figure.snapshot:not([hidden]) g.box").count() == len(first.boxes)
    assert page.inner_text("#diagram-when") == "0:03"

    seek = page.locator("#diagram button[data-seek]").first  # a finding's moment, heard in the transcript
    at = float(seek.get_attribute("data-seek"))
    seek.click()
    wait_until(page, "document.querySelector('#transcript li.current') !== null")
    start = float(page.locator("#transcript li.current").get_attribute("data-start"))
    assert start <= at + 0.05  # the line being spoken when the part was drawn
    wait_until(page, f"Math.abs(document.getElementById('conversation').currentTime - {start}) < 0.3")
    assert page.problems == []
