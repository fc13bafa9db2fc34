"""--resume: a résumé in each format (text, Markdown, PDF) becomes questions about its own projects and
follow-ups that press on its claims; it is read on this machine and not kept unless asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli
from simulator.config import ListenSettings
from simulator.practice.resume import extract_text, parse_resume, read_resume, resume_questions
from simulator.practice.run import Options, plan_sessions
from simulator.questions import load_bank
from simulator.sessions.store import Store

from .support.fakes import FakeClock, RecordingScreen, RecordingVoice
from .support.interviews import interview as build

ROOT = Path(__file__).resolve().parent.parent
RESUMES = ROOT / "tests" / "resumes"
FORMATS = ["resume.txt", "resume.md", "resume.pdf"]
FIXTURES = ROOT / "audio_fixtures"
# on the résumé, never asked about in a session that asks about the payments ledger
PRIVATE = ["jordan.rivera@example.com", "555 0100", "Globex", "Tidepool", "Oregon State", "$40k"]


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_gives_the_same_projects_employers_and_claims(name: str) -> None:
    resume = read_resume(RESUMES / name)
    assert [(p.name, p.verb, p.where) for p in resume.projects][:3] == [
        ("payments ledger", "built", "Acme Payments"), ("migration of billing", "led", "Globex Logistics"),
        ("shipment tracking API", "designed", "Globex Logistics")]
    assert [c.text for c in resume.claims] == ["built the payments ledger handling 2M transactions a day",
                                               "cut p99 latency by 40%",
                                               "reduced infrastructure cost from $40k to $25k per month"]
    assert {"Postgres", "Redis", "Kubernetes"} <= set(resume.terms)


def test_questions_name_the_project_and_employer_and_press_on_its_claims() -> None:
    first = resume_questions(read_resume(RESUMES / "resume.txt"))[0]
    assert first.kind == "experience" and first.source == "résumé"
    assert first.prompt.startswith("Walk me through the payments ledger you built at Acme Payments.")
    assert 'You wrote "cut p99 latency by 40%". How did you measure that, and against what baseline?' \
        in first.followups
    assert "payments ledger" in first.vocabulary and "Postgres" in first.vocabulary


def test_the_pdf_fixture_is_what_its_script_makes(tmp_path: Path) -> None:
    (tmp_path / "resume.txt").write_bytes((RESUMES / "resume.txt").read_bytes())
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_resume_pdf.py"), str(tmp_path)], check=True)
    assert (tmp_path / "resume.pdf").read_bytes() == (RESUMES / "resume.pdf").read_bytes()
    assert "Cut p99 latency by 40%" in extract_text(RESUMES / "resume.pdf")


def test_a_project_list_without_jobs_still_gives_projects() -> None:
    resume = parse_resume("Projects\n- Rewrote the search indexer in Rust, cutting build time by 70%\n")
    assert [p.name for p in resume.projects] == ["search indexer"]
    assert [c.text for c in resume.claims] == ["cutting build time by 70%"]


def test_the_first_followup_presses_on_a_claim(tmp_path: Path) -> None:
    """However thin the answer, a résumé's own claim comes before the gaps: that is what it is for."""
    planned = plan_sessions(load_bank(), Options(resume=RESUMES / "resume.md", question_id="resume-1"))[0]
    answers = iter(["We had a ledger. It worked.", "We measured it with a dashboard."])
    clock = FakeClock()
    interview = build(store=Store(tmp_path), question=planned.question, voice=RecordingVoice(clock),
                          transcriber=None, clock=clock, screen=RecordingScreen(), typist=lambda on_line: next(answers),
                          listen=ListenSettings(), followups=1, practice=planned.practice.to_json(),
                          shape=planned.shaper())
    record = interview.run()
    asked = [t.text for t in record.turns if t.role == "interviewer"]
    assert asked[1].startswith('You wrote "built the payments ledger handling 2M transactions a day".')
    assert record.practice is not None and record.practice.to_json() == {"level": "senior", "resume": True}


def session_files(home: Path) -> list[Path]:
    return [p for p in (home / "sessions").rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", FORMATS)
def test_a_typed_rehearsal_asks_about_the_resume_and_keeps_none_of_it(name: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rehearse", "--type", "--no-voice", "--resume", str(RESUMES / name),
                                      "--question", "resume-1", "--home", str(tmp_path)],
                                input="I built the ledger at Acme. I chose Postgres because money needs transactions.")
    assert result.exit_code == 0, result.output
    assert "Walk me through the payments ledger you built at Acme Payments" in result.output
    files = session_files(tmp_path)
    assert not any(p.name.startswith("resume") for p in files)
    for path in files:
        data = path.read_bytes().decode("utf-8", "replace")
        assert not any(secret in data for secret in PRIVATE), (path.name, [s for s in PRIVATE if s in data])


def test_keep_resume_keeps_its_text_with_the_session(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rehearse", "--type", "--no-voice", "--resume", str(RESUMES / "resume.pdf"),
                                      "--keep-resume", "--home", str(tmp_path)], input="I built it.")
    assert result.exit_code == 0, result.output
    kept = [p for p in session_files(tmp_path) if p.name == "resume.txt"]
    assert len(kept) == 1 and "jordan.rivera@example.com" in kept[0].read_text()
    assert kept[0].stat().st_mode & 0o077 == 0
    assert f"Your résumé is kept with the session in {kept[0]}" in result.output


def test_questions_resume_lists_what_it_gives(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["questions", "--resume", str(RESUMES / "resume.md"), "--json",
                                      "--home", str(tmp_path)])
    listed = json.loads(result.stdout)
    assert [q["id"] for q in listed] == ["resume-1", "resume-2", "resume-3", "resume-4"]
    assert not (tmp_path / "sessions").exists() or not any((tmp_path / "sessions").iterdir())


def test_a_spoken_answer_to_a_resume_question_is_pressed_on_its_claim(real_tiny, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Speech through --answer-file and real tiny.en weights: the walkthrough is transcribed, and the follow-up
    quotes the résumé's claim."""
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "rehearse", "--no-voice", "--resume", str(RESUMES / "resume.pdf"),
         "--question", "resume-2", "--model", str(real_tiny.folder), "--answer-file",
         str(FIXTURES / "experience-answer.wav"), "--answer-file", str(FIXTURES / "short-answer.wav"),
         "--followups", "1", "--home", str(tmp_path)],
        env=real_tiny.env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    record = json.loads(next((tmp_path / "sessions").glob("*/session.json")).read_text())
    turns = record["turns"]
    assert turns[0]["text"].startswith("Walk me through the migration of billing you led at Globex Logistics.")
    assert "billing" in turns[1]["text"].lower()
    followup = next(t for t in turns if t["role"] == "interviewer" and t["target"] is not None)
    assert followup["text"] == ('You wrote "reduced infrastructure cost from $40k to $25k per month". '
                                "What did you trade away to get that saving?")
    assert record["practice"] == {"level": "senior", "resume": True}
