"""`report`, `history` and `export` as a user meets them, on sessions made by the real loop with fakes:
complete, interrupted and typed ones; and the end of `rehearse`, which writes report.html."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli.main import cli
from simulator.sessions.store import SessionFolder

from .support.imports import heavy_imports
from .support.sessions import FOLLOWUP, WALKTHROUGH, spoken_session, timed, typed_session


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False, env={"COLUMNS": "160"})


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    spoken_session(tmp_path)
    return tmp_path


def test_report_shows_length_budget_checklist_followups_and_self_review(home: Path) -> None:
    result = invoke("report", "last", "--home", str(home))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Walkthrough: 0:53 against 8:00–12:00 (short by 7:07)" in out
    assert "said" in out and "budget" in out and "10:00" in out
    assert "Clarify requirements: 0:11 of 2:00 budgeted" in out
    assert "Let's assume a hundred million new links" in out  # evidence quote
    assert "is under the 8 minute floor" in out
    assert "words per minute" in out and "long pauses" in out
    assert "→ 0:53, 20 words, 148 wpm; covered scale" in out
    assert "Did I clarify enough before designing? You clarified first" in out
    assert "Was the design proportional to the problem? Listen back" in out


def test_report_json_is_one_object_with_per_turn_analysis_and_timing(home: Path) -> None:
    result = invoke("report", "last", "--json", "--home", str(home))
    data = json.loads(result.stdout)
    assert data["status"] == "complete" and data["kind"] == "design"
    assert [t["role"] for t in data["turns"]] == ["interviewer", "candidate", "interviewer", "candidate"]
    walk = data["turns"][1]
    assert set(walk["analysis"]) == {"kind", "steps", "mistakes", "delivery", "design"}  # a design answer: its design
    assert walk["seconds"] == pytest.approx(53.0, abs=0.2) and walk["words"] == 110
    assert walk["first_words_after"] == 0.5
    assert [p["name"] for p in data["phases"]][0] == "Clarify requirements"
    assert data["timeline"][0] == {"start": 0.5, "end": 6.0, "step": "clarify"}
    assert len(data["self_review"]) == 5 and data["transcript"][0]["speaker"] == "interviewer"


def test_report_html_writes_the_page_into_the_session_folder(home: Path) -> None:
    result = invoke("report", "last", "--html", "--home", str(home))
    path = Path(result.stdout.strip())
    assert result.exit_code == 0 and path.name == "report.html" and path.parent.parent == home / "sessions"
    page = path.read_text()
    assert page.count("<svg") == 2 and 'src="data:audio/flac;base64,' in page
    assert "Content-Security-Policy" in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert (path.stat().st_mode & 0o077) == 0, "the page holds the recordings; the user's alone"


def test_report_open_opens_the_page_in_the_browser(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    result = invoke("report", "last", "--open", "--home", str(home))
    assert result.exit_code == 0
    assert opened == [Path(result.stdout.strip()).resolve().as_uri()]


def test_report_works_on_an_interrupted_session(tmp_path: Path) -> None:
    folder = spoken_session(tmp_path, interrupt_at=3.0)
    (folder / "transcript.json").unlink()
    result = invoke("report", str(folder), "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "interrupted" in result.output and "0:03, not transcribed" in result.output
    assert "Answer 2 has audio but no transcript" in result.output
    html = invoke("report", folder.name[:12], "--html", "--home", str(tmp_path))
    assert html.exit_code == 0 and "(no transcript)" in Path(html.stdout.strip()).read_text()
    data = json.loads(invoke("report", "last", "--json", "--home", str(tmp_path)).stdout)
    assert data["turns"][-1]["transcribed"] is False and data["timeline"] == []


def test_report_works_on_a_typed_session(tmp_path: Path) -> None:
    invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--followups", "0", "--home",
           str(tmp_path), input="Who are the users? Clients talk to a load balancer, then app servers.\n")
    result = invoke("report", "last", "--home", str(tmp_path))
    assert result.exit_code == 0 and "typed answer (no timing)" in result.output
    page = Path(invoke("report", "last", "--html", "--home", str(tmp_path)).stdout.strip()).read_text()
    assert "No audio to play (typed session)" in page and "<audio" not in page


@pytest.mark.parametrize("ref, words", [("nope", "There is no session 'nope'"), ("../x", "is not a session id")])
def test_an_unknown_session_is_one_line_and_exit_2(home: Path, ref: str, words: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")  # so ../x is no folder of the machine's, whatever lies around it
    for command in (["report", ref], ["export", ref]):
        result = CliRunner().invoke(cli, [*command, "--home", str(home)])
        assert result.exit_code == 2 and words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_report_never_imports_torch_or_whisper(home: Path) -> None:
    flag = ["--home", str(home)]
    heavy, _ = heavy_imports(["report", "last", *flag], ["report", "last", "--json", *flag],
                             ["report", "last", "--html", *flag], ["history", *flag], ["history", "--html", *flag],
                             ["export", "last", "--format", "srt", *flag])
    assert heavy == []


# ---------------------------------------------------------------------------- history


def test_history_lists_sessions_the_trend_and_the_steps_skipped_most(tmp_path: Path) -> None:
    spoken_session(tmp_path, [WALKTHROUGH[:3], FOLLOWUP])
    spoken_session(tmp_path, [WALKTHROUGH, FOLLOWUP])
    typed_session(tmp_path, "Before I design anything, who are the users and what matters most?")
    data = json.loads(invoke("history", "--json", "--home", str(tmp_path)).stdout)
    rows = data["sessions"]
    assert [len(r["steps_covered"]) for r in rows] == [3, 6, 1]
    assert rows[2]["typed"] and rows[2]["answer_seconds"] is None
    trend = {t["metric"]: t for t in data["trend"]}
    assert trend["steps_covered"]["values"] == [3, 6, 1] and trend["steps_covered"]["direction"] == "worse"
    assert trend["wpm"]["values"][0] > 0
    skipped = data["skipped_most"]
    assert skipped[0]["skipped"] == 3 and skipped[0]["of"] == 3 and skipped[0]["step"] in ("data", "tradeoffs")
    text = invoke("history", "--home", str(tmp_path)).output
    assert "Trend over the last 5 sessions" in text and "steps covered: 3 → 6 → 1 (worse)" in text
    assert "skipped in 3 of 3 design sessions" in text
    page = Path(invoke("history", "--html", "--home", str(tmp_path)).stdout.strip())
    assert page == tmp_path / "history.html" and page.read_text().count("<svg") == 4


def test_history_with_no_sessions_says_how_to_start(tmp_path: Path) -> None:
    assert "No sessions yet" in invoke("history", "--home", str(tmp_path)).output
    assert json.loads(invoke("history", "--json", "--home", str(tmp_path)).stdout)["sessions"] == []
    result = CliRunner().invoke(cli, ["history", "--html", "--home", str(tmp_path)])
    assert result.exit_code == 2 and "no sessions yet" in result.stderr


# ---------------------------------------------------------------------------- export


def test_export_puts_both_voices_on_the_session_clock(home: Path) -> None:
    srt = invoke("export", "last", "--format", "srt", "--home", str(home)).stdout
    blocks = srt.strip().split("\n\n")
    assert blocks[0] == "1\n00:00:00,000 --> 00:00:01,600\nInterviewer: Design a URL shortener."
    # the first answer starts when the prompt ends (1.6 s); its first segment 0.5 s into it
    assert blocks[1].splitlines()[1] == "00:00:02,100 --> 00:00:07,600"
    assert len(blocks) == 1 + 7 + 1 + 2
    vtt = invoke("export", "last", "--format", "vtt", "--home", str(home)).stdout
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.600\n<v Interviewer>Design a URL shortener.")
    txt = invoke("export", "last", "--format", "txt", "--home", str(home)).stdout
    assert txt.splitlines()[1].startswith("[0:02] Candidate: Before I design anything")
    lines = json.loads(invoke("export", "last", "--format", "json", "--home", str(home)).stdout)["lines"]
    assert lines[-1]["speaker"] == "candidate" and lines[-1]["start"] == pytest.approx(lines[-2]["end"] + 0.5)


def test_export_to_a_file_and_markup_is_escaped_in_vtt(tmp_path: Path) -> None:
    spoken_session(tmp_path, [[WALKTHROUGH[0].__class__(0.0, 2.0, "Use <b>Redis</b> & a queue --> done.")]],
                   followups=0)
    out = tmp_path / "t.vtt"
    result = invoke("export", "last", "--format", "vtt", "-o", str(out), "--home", str(tmp_path))
    assert result.exit_code == 0 and result.stdout == ""
    assert "Use &lt;b&gt;Redis&lt;/b&gt; &amp; a queue --&gt; done." in out.read_text()


def test_export_skips_audio_that_was_never_transcribed(tmp_path: Path) -> None:
    spoken_session(tmp_path, interrupt_at=3.0)
    txt = invoke("export", "last", "--home", str(tmp_path)).stdout
    assert "(no transcript)" not in txt and txt.splitlines()[-1].startswith("[0:55] Interviewer:")


# ---------------------------------------------------------------------------- rehearse


def test_rehearse_ends_with_the_short_report_and_the_page(tmp_path: Path) -> None:
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--followups", "0",
                    "--home", str(tmp_path), input="Who uses it and how many? Clients hit a load balancer.\n")
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Report: ") and last.endswith("report.html")
    assert Path(last.removeprefix("Report: ")).is_file()
    assert "Covered:" in result.output


def test_a_report_that_cannot_be_written_costs_one_warning_not_the_session(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.review.html

    def fail(review: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(simulator.review.html, "write_report", fail)
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--followups", "0",
                    "--home", str(tmp_path), input="Who uses it?\n")
    assert result.exit_code == 0
    assert "Could not write report.html" in result.output and "Report:" not in result.output
    listed = json.loads(invoke("sessions", "--json", "--home", str(tmp_path)).stdout)
    assert listed[0]["status"] == "complete"


def test_a_rehearsal_reviews_its_session_once_for_the_verdict_and_the_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.review.review

    built = []
    real = simulator.review.review.build_review

    def counted(saved: object) -> object:
        built.append(saved)
        return real(saved)  # type: ignore[arg-type]

    monkeypatch.setattr(simulator.review.review, "build_review", counted)
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--followups", "0",
                    "--home", str(tmp_path), input="Who uses it? Clients hit a load balancer.\n")
    assert result.exit_code == 0, result.output
    assert "Practice: level senior" in result.output and "Report: " in result.output
    assert len(built) == 1


def test_a_session_that_cannot_be_reviewed_costs_a_warning_for_the_verdict_and_one_for_the_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.review.review

    def fail(saved: object) -> object:
        raise ValueError("damaged")

    monkeypatch.setattr(simulator.review.review, "build_review", fail)
    result = invoke("rehearse", "--type", "--no-voice", "--question", "url-shortener", "--followups", "0",
                    "--home", str(tmp_path), input="Who uses it?\n")
    assert result.exit_code == 0
    assert "Could not judge the session against the level (damaged)" in result.output
    assert "Could not write report.html (damaged)" in result.output and "Report:" not in result.output
    listed = json.loads(invoke("sessions", "--json", "--home", str(tmp_path)).stdout)
    assert listed[0]["status"] == "complete"


def test_a_spoken_rehearsal_ends_with_the_budget_and_the_page(home: Path) -> None:
    from simulator.cli.rehearse import _write_html_report
    from simulator.review.review import build_review
    from simulator.sessions.store import Store

    from .support.fakes import RecordingScreen

    screen = RecordingScreen()
    folder = Store(home).find("last")
    _write_html_report(build_review(folder.read()), folder.id, screen)
    notices = [text for kind, text in screen.events if kind == "notice"]
    assert notices == ["Budget: clarify requirements 0:11/2:00 · high-level architecture 0:09/3:00 · "
                       "storage, apis, data flow 0:06/3:00 · scale, reliability, tradeoffs 0:16/2:00",
                       f"Report: {folder.file('report.html')}"]


def test_a_rehearsal_from_an_answer_file_writes_a_page_with_its_audio(tmp_path: Path, tiny_checkpoint: Path) -> None:
    fixture = Path(__file__).resolve().parent.parent / "audio_fixtures" / "stereo-44k.flac"
    result = invoke("rehearse", "--no-voice", "--question", "chat-app", "--model", str(tiny_checkpoint),
                    "--answer-file", str(fixture), "--decode-limit", "8", "--home", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = Path(result.output.strip().splitlines()[-1].removeprefix("Report: "))
    assert page.is_file() and '<audio id="conversation"' in page.read_text()


def test_json_with_html_keeps_stdout_one_object(home: Path) -> None:
    for command in (["report", "last"], ["history"]):
        result = invoke(*command, "--json", "--html", "--home", str(home))
        assert result.exit_code == 0
        assert isinstance(json.loads(result.stdout), dict)
        assert result.stderr.strip().endswith(".html") and Path(result.stderr.strip()).is_file()


DAMAGED_ANALYSES = {
    "not-an-object-inside": {"steps": 5},
    "wrong-types": {"kind": "design", "steps": {"clarify": 3}, "mistakes": "x", "delivery": []},
    "empty": {},
    "bad-counts": {"kind": "design", "steps": {"clarify": {"covered": True}}, "mistakes": [],
                   "delivery": {"words": 3, "filler_rate": 0.1, "fillers": {"um": "x"}, "hedges": {},
                                "long_pauses": []}},
}


@pytest.mark.parametrize("damage", DAMAGED_ANALYSES, ids=str)
def test_a_damaged_stored_analysis_is_worked_out_again(home: Path, damage: str) -> None:
    folder = SessionFolder(next((home / "sessions").iterdir()))
    kept = folder.load().turns[1].analysis
    assert kept is not None, "an analysis in the shape analyze --json gives is kept as saved"
    record = json.loads(folder.file("session.json").read_text())
    record["turns"][1]["analysis"] = DAMAGED_ANALYSES[damage]
    folder.file("session.json").write_text(json.dumps(record))
    assert folder.load().turns[1].analysis is None
    for command in (["report", "last"], ["report", "last", "--json"], ["report", "last", "--html"], ["history"],
                    ["export", "last"]):
        result = CliRunner().invoke(cli, [*command, "--home", str(home)])
        assert result.exit_code == 0, (command, result.output)
    review = json.loads(invoke("report", "last", "--json", "--home", str(home)).stdout)
    assert review["turns"][1]["analysis"]["steps"] == kept.to_json()["steps"], "the same checklist, from the transcript"


def test_the_end_of_a_rehearsal_the_report_and_the_page_give_one_pace(home: Path) -> None:
    """One words-per-minute figure everywhere, over the time spent speaking: the lines a rehearsal ends with,
    the terminal report and report.html agree."""
    import re

    from simulator.review.report import summarize, summary_lines

    saved = SessionFolder(next((home / "sessions").iterdir())).read()
    ending = " ".join(summary_lines(summarize(saved.record)))  # type: ignore[arg-type]
    terminal = invoke("report", "last", "--home", str(home)).output
    page = Path(invoke("report", "last", "--html", "--home", str(home)).stdout.strip()).read_text()
    said = [re.findall(r"(\d+) words per minute", text) for text in (ending, terminal)]
    shown = re.findall(r"<th>words per minute[^<]*</th><td>(\d+)</td>", page)
    assert said[0] and said[1] and shown, (ending, terminal)
    assert said[0][0] == said[1][0] == shown[0], (ending, terminal, shown)
    assert "while speaking" in ending and "while speaking" in terminal and "while speaking" in page


TECH_FIRST = ("I'd use Kafka and Redis and Cassandra for this. Kafka takes the writes. Redis holds the hot links. "
              "Cassandra stores everything else.")
CODES = ("tech_first", "no_nonfunctional", "no_summary", "no_numbers", "no_reasons", "under_time")


def test_mistakes_read_as_sentences_in_the_terminal_and_on_the_page_and_as_codes_in_json(tmp_path: Path) -> None:
    from simulator.review.report import walkthrough_lines

    typed_session(tmp_path, TECH_FIRST)
    saved = SessionFolder(next((tmp_path / "sessions").iterdir())).read()
    ending = "\n".join(walkthrough_lines(saved.record, keep_fillers=False))
    terminal = invoke("report", "last", "--home", str(tmp_path)).output
    page = Path(invoke("report", "last", "--html", "--home", str(tmp_path)).stdout.strip()).read_text()
    data = json.loads(invoke("report", "last", "--json", "--home", str(tmp_path)).stdout)
    codes = {m["code"] for m in data["turns"][1]["analysis"]["mistakes"]}
    assert {"tech_first", "no_nonfunctional", "no_summary"} <= codes, codes
    assert "Mistakes: named technology before framing the problem;" in ending, ending
    for shown in (ending, terminal, page):
        assert not [code for code in CODES if code in shown], shown
    assert "• Named kafka before framing the problem" in terminal
    assert "<li>The answer trails off with no closing summary.</li>" in page


NO_CLARIFY = timed(
    (0.5, 6.0, "Let's assume a hundred million new links a month and a read to write ratio of a hundred to one."),
    (6.5, 13.0, "Clients talk to a load balancer, then stateless app servers, then a database with a cache."),
    (13.5, 20.0, "The API is POST /shorten with the long URL, and GET /{code} which redirects."),
)
QUESTIONS_REPLY = timed((0.4, 4.0, "Who the users are, consumers or a marketing team."),
                        (4.5, 7.0, "Whether links ever expire."),
                        (7.5, 11.0, "And roughly how many links a day we expect."))


def test_a_reply_listing_the_questions_one_would_have_asked_covers_clarify(tmp_path: Path) -> None:
    """Asked "what questions would you have asked about the requirements?", three questions are clarifying."""
    spoken_session(tmp_path, [NO_CLARIFY, QUESTIONS_REPLY], seconds=21.0)
    saved = SessionFolder(next((tmp_path / "sessions").iterdir())).read()
    followup, reply = saved.record.turns[2], saved.record.turns[3]
    assert followup.target == "clarify", followup
    assert reply.analysis is not None and "clarify" in reply.analysis.covered, reply.analysis
    data = json.loads(invoke("report", "last", "--json", "--home", str(tmp_path)).stdout)
    assert data["turns"][3]["analysis"]["steps"]["clarify"]["covered"]


def test_every_verdict_a_terminal_report_shows_takes_its_colour_from_one_table() -> None:
    from simulator.review.report import VERDICT_STYLES
    from simulator.review.review import VERDICT_MARKS

    drill, level = ("done", "partly", "missed"), ("below", "at", "above")
    assert set(VERDICT_MARKS) | set(drill) | set(level) == set(VERDICT_STYLES)
    assert [VERDICT_STYLES[v] for v in drill] == ["green", "yellow", "red"]
    assert [VERDICT_STYLES[v] for v in level] == ["red", "green", "green"]
