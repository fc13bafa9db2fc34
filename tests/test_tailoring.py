"""--role, --company and --level: the questions that fit, follow-ups bent to what each listens for, and a
verdict against the level's bar that quotes the moments that decided it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli
from simulator.config import ROLES
from simulator.judging.analysis import analyze_text
from simulator.judging.followups import plan
from simulator.practice.tailoring import Practice, companies, fitting, roles, shape
from simulator.questions import load_bank

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FIXTURES = ROOT / "audio_fixtures"
THIN = "I'd put a web server in front of a database and a cache. That's about it."


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_six_design_questions_of_its_own_and_followups(role: str) -> None:
    own = [q for q in load_bank() if q.role == role]
    assert len(own) >= 6 and all(q.kind == "design" and q.terms and q.followups for q in own)
    assert roles()[role].followups and roles()[role].judged_on


def test_questions_role_and_company_list_what_fits(tmp_path: Path) -> None:
    listed = json.loads(invoke("questions", "--role", "frontend", "--kind", "design", "--json",
                               "--home", str(tmp_path)).stdout)
    assert {"frontend-feed-client", "frontend-offline-notes", "frontend-design-system"} <= {q["id"] for q in listed}
    assert all(q["role"] == "frontend" for q in listed)
    result = invoke("questions", "--company", "Uber", "--home", str(tmp_path))
    assert result.exit_code == 0 and "Uber listens for building for scale, technical depth." in result.stdout
    ids = {q["id"] for q in json.loads(invoke("questions", "--company", "uber", "--json", "--home",
                                              str(tmp_path)).stdout)}
    assert {"ride-sharing", "nearby-places"} <= ids and "url-shortener" not in ids


def test_a_random_question_comes_from_the_role_and_company_asked_for(tmp_path: Path) -> None:
    fits = {q.id for q in fitting(load_bank(), "ml", "meta", "design")}
    assert fits == {"ml-recommendations", "ml-content-moderation"}
    for _ in range(3):
        result = invoke("rehearse", "--type", "--no-voice", "--role", "ml", "--company", "meta", "--kind", "design",
                        "--home", str(tmp_path), input="I'd start with the users.")
        assert result.exit_code == 0, result.output
    asked = {json.loads(p.read_text())["question"]["id"] for p in (tmp_path / "sessions").glob("*/session.json")}
    assert asked <= fits


def test_a_company_presses_first_on_its_focus_in_its_own_words() -> None:
    question = next(q for q in load_bank() if q.id == "url-shortener")
    options = plan(analyze_text(THIN, "design"), question)
    assert options[0].target == "clarify"  # untailored: the missing clarification first
    stripe = companies()["stripe"]
    bent = shape(options, Practice(company="stripe"), question)
    assert bent[0].target in stripe.first and bent[0].target != "clarify"
    assert any(bent[0].question.startswith(lead) for lead in stripe.lead_in)
    assert {o.target for o in bent} >= {o.target for o in options}  # nothing is dropped, only reordered


def test_a_role_adds_what_it_is_judged_on_before_the_depth_questions() -> None:
    question = next(q for q in load_bank() if q.id == "frontend-offline-notes")
    analysis = analyze_text((CORPUS / "d01-url-shortener-strong.txt").read_text(), "design")
    bent = shape(plan(analysis, question), Practice(role="frontend"), question)
    own = {p.replace("{title}", question.title) for f in roles()["frontend"].followups for p in f.questions}
    tailored = [o for o in bent if o.question in own]
    assert tailored and all(o.when == "tailored" for o in tailored)
    first_depth = next(i for i, o in enumerate(bent) if o.when in ("specific", "thin", "constraint"))
    assert bent.index(tailored[0]) < first_depth


@pytest.mark.parametrize(("name", "level", "verdict"), [
    ("d01-url-shortener-strong", "mid", "above"), ("d01-url-shortener-strong", "senior", "at"),
    ("d01-url-shortener-strong", "staff", "below"), ("d03-notification-no-clarify", "senior", "below"),
    ("e01-migration-strong", "senior", "at"), ("e03-incident-we-only", "mid", "below")])
def test_the_level_verdict_rests_on_quoted_moments(name: str, level: str, verdict: str, tmp_path: Path) -> None:
    text = (CORPUS / f"{name}.txt").read_text()
    kind = "design" if name.startswith("d") else "experience"
    result = invoke("rehearse", "--type", "--no-voice", "--kind", kind, "--level", level, "--followups", "0",
                    "--home", str(tmp_path), input=text)
    assert result.exit_code == 0, result.output
    report = json.loads(invoke("report", "last", "--json", "--home", str(tmp_path)).stdout)
    found = report["practice"]["level_verdict"]
    assert (found["level"], found["verdict"]) == (level, verdict)
    assert 2 <= len(found["moments"]) <= 3
    flat = " ".join(text.split())
    for moment in found["moments"]:
        assert moment["quote"].rstrip("…") in flat and moment["why"]
    printed = invoke("report", "last", "--home", str(tmp_path)).stdout
    assert f"bar: {verdict.upper()} the bar" in printed and found["moments"][0]["quote"][:40] in printed
    steps = found["signals"]["steps"]
    assert f"scope covered {steps['shown']} (bar {steps['bar']})" in printed  # never "7/6", seven of six


def test_a_spoken_rehearsal_for_a_role_and_company(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Speech through --answer-file on real tiny.en weights: the role's question, the company's focus first."""
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--role", "backend", "--company", "stripe",
         "--kind", "design", "--level", "staff", "--model", str(real_tiny.folder),
         "--answer-file", str(FIXTURES / "pause-answer.wav"), "--answer-file", str(FIXTURES / "short-answer.wav"),
         "--followups", "1", "--home", str(tmp_path)],
        env=real_tiny.env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    record = json.loads(next((tmp_path / "sessions").glob("*/session.json")).read_text())
    assert record["question"]["id"] in {"backend-webhooks", "backend-audit-log"}
    assert record["practice"] == {"level": "staff", "role": "backend", "company": "stripe"}
    assert "actually" in record["turns"][1]["text"].lower()  # the spoken answer, transcribed
    followup = next(t for t in record["turns"] if t["role"] == "interviewer" and t["target"])
    stripe = companies()["stripe"]
    assert followup["target"] in stripe.first
    assert any(followup["text"].startswith(lead) for lead in stripe.lead_in)
    assert "Staff bar: BELOW the bar" in result.stdout


def test_a_staff_candidate_is_pressed_on_how_the_design_evolves() -> None:
    question = next(q for q in load_bank() if q.id == "url-shortener")
    analysis = analyze_text((CORPUS / "d01-url-shortener-strong.txt").read_text(), "design")
    staff = [o.question for o in shape(plan(analysis, question), Practice(level="staff"), question)
             if o.when == "tailored"]
    mid = [o.question for o in shape(plan(analysis, question), Practice(level="mid"), question)
           if o.when == "tailored"]
    assert any("evolve over the next two years" in q or "other teams" in q for q in staff)
    assert not any("evolve" in q or "other teams" in q for q in mid) and mid
