"""Time kept aloud and interjections: the rules on a fake clock, and the loop speaking them at a pause."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.interviewer.timekeeper import Persona, Progress, Timekeeper
from simulator.judging.analysis import analyze_segments
from simulator.sessions.record import TurnKind
from simulator.sessions.store import Store
from simulator.transcript import Segment

from .support.fakes import FakeClock, RecordingScreen, RecordingVoice, ScriptedTranscriber, WavMicrophone
from .support.interviews import QUESTION, seconds, silence, talk
from .support.interviews import interview as build

REQUIREMENTS = ["First let me clarify the requirements and the scope with you.",
                "I assume one hundred million daily users and about ten thousand requests per second.",
                "The core workflow is creating a short link and redirecting, and analytics is out of scope.",
                "Availability matters more than consistency, and I assume a read to write ratio of one hundred."]
BASELINE = ["The high level design has a load balancer in front of stateless app servers and a database with a "
            "standby replica.",
            "For storage I would keep the links in a key value store partitioned by the short code, "
            "with a schema of code, long URL and created time."]
CHANGES = ("Now suppose every redirect must be counted exactly once.",)


def progress(lines: list[str], at: float, each: float = 20.0) -> Progress:
    segments = [Segment(i * each, (i + 1) * each - 1, text) for i, text in enumerate(lines)]
    return Progress(at, analyze_segments(segments, "design"))


def keeper(persona: str) -> Timekeeper:
    return Timekeeper(Persona.named(persona), CHANGES, "seed")


def test_still_on_requirements_well_past_two_minutes_gets_moved_on() -> None:
    tk = keeper("standard")
    assert tk.consider(progress(REQUIREMENTS, 120.0)) is None  # within the two minutes
    said = tk.consider(progress(REQUIREMENTS, 160.0))
    assert said is not None and said.kind == TurnKind.INTERJECTION and said.rule == "requirements_long"
    assert "high-level design" in said.text and "Still on requirements at 2:40" in said.reason
    assert tk.consider(progress(REQUIREMENTS, 400.0)) is None  # said once


def test_never_about_a_step_already_covered() -> None:
    tk = keeper("standard")
    back_on_requirements = progress(REQUIREMENTS + BASELINE[:1] + REQUIREMENTS[:1], 170.0)
    assert back_on_requirements.covered("architecture") and back_on_requirements.current_steps()
    assert tk.consider(back_on_requirements) is None


def test_the_clock_cues_come_once_each_and_the_summary_is_asked_for_at_twelve() -> None:
    tk = keeper("friendly")
    assert tk.consider(progress(BASELINE, 590.0)) is None
    near = tk.consider(progress(BASELINE, 605.0))
    assert near is not None and near.text == "A couple of minutes left."
    assert tk.consider(progress(BASELINE, 700.0)) is None  # the friendly gap, and said once
    up = tk.consider(progress(BASELINE, 725.0))
    assert up is not None and "Sum up your design" in up.text and "Twelve minutes" in up.reason


def test_no_summary_asked_for_once_it_is_given() -> None:
    summary = BASELINE + ["So in summary, a key value store behind stateless servers, trading consistency for "
                          "availability."]
    given = progress(summary, 730.0)
    assert given.covered("summary")
    assert keeper("friendly").consider(given) is None


def test_one_requirement_change_once_architecture_and_storage_are_covered() -> None:
    tk = keeper("standard")
    assert tk.consider(progress(REQUIREMENTS[:2] + BASELINE[:1], 200.0)) is None  # no storage yet
    change = tk.consider(progress(REQUIREMENTS[:2] + BASELINE, 260.0))
    assert change is not None and change.kind == TurnKind.CHANGE and change.text == CHANGES[0]
    assert "architecture and storage" in change.reason
    assert tk.consider(progress(REQUIREMENTS[:2] + BASELINE * 2, 500.0)) is None  # one per round


def test_the_change_is_made_on_the_candidates_own_lone_database() -> None:
    lone = ["The high level design has a load balancer in front of stateless app servers and one Postgres "
            "instance.", BASELINE[1]]
    change = keeper("standard").consider(progress(REQUIREMENTS[:2] + lone, 260.0))
    assert change is not None and change.kind == TurnKind.CHANGE and change.rule == "change"
    assert "Postgres" in change.text and change.text not in CHANGES
    assert "one Postgres instance" in change.reason and "lone" not in change.text
    with_replica = keeper("standard").consider(progress(REQUIREMENTS[:2] + BASELINE, 260.0))
    assert with_replica is not None and with_replica.text == CHANGES[0]  # a replica said: the sheet's change


def test_a_friendly_interviewer_only_keeps_time() -> None:
    tk = keeper("friendly")
    assert tk.consider(progress(REQUIREMENTS[:2] + BASELINE, 260.0)) is None  # no change
    assert tk.consider(progress(["I'd use Kafka and Cassandra and Redis for this."], 20.0)) is None


def test_a_tough_interviewer_stops_technology_before_framing_early_on() -> None:
    tk = keeper("tough")
    said = tk.consider(progress(["I'd use Kafka and Cassandra behind a load balancer for this."], 25.0))
    assert said is not None and said.rule == "tech_first" and "what problem are we solving" in said.text
    assert keeper("standard").consider(progress(["I'd use Kafka and Cassandra for this."], 25.0)) is None


def test_interjections_keep_the_personas_gap() -> None:
    tk = keeper("tough")
    assert tk.consider(progress(REQUIREMENTS, 160.0)) is not None
    assert tk.consider(progress(BASELINE, 605.0)) is not None
    tk2 = keeper("tough")
    assert tk2.consider(progress(REQUIREMENTS, 160.0)) is not None
    assert tk2.consider(progress(REQUIREMENTS[:2] + BASELINE, 180.0)) is None  # 20 s later: too soon


def test_a_walkthrough_stuck_in_requirements_hears_its_time_cue_at_a_pause(tmp_path: Path) -> None:
    """A fake clock moves with the microphone: three minutes of requirements, a pause after each sentence."""
    block = np.concatenate([talk(), silence(1.5)])
    each = seconds(block)
    count = int(200 // each) + 1
    audio = np.concatenate([block] * count + [silence(8.0)])
    segments = [Segment(i * each, i * each + seconds(talk()) - 0.1, REQUIREMENTS[i % len(REQUIREMENTS)])
                for i in range(count)]
    clock = FakeClock()
    voice = RecordingVoice(clock)
    interview = build(store=Store(tmp_path), question=QUESTION, voice=voice,
                      transcriber=ScriptedTranscriber(segments), clock=clock, screen=RecordingScreen(),
                      microphone=WavMicrophone(audio, clock), model_name="tiny.pt")
    record = interview.run()
    cues = [t for t in record.turns if t.kind == TurnKind.INTERJECTION]
    assert [t.text for t in cues] == ["Good questions. Let's get to the high-level design."]
    cue, answer = cues[0], record.turns[1]
    assert cue.start - answer.start >= 150.0
    assert answer.start < cue.start < cue.end < answer.end
    assert "Still on requirements" in (cue.reason or "")
    # at a pause: the candidate had stopped a second or more before
    spoken = [(s.start, s.end) for s in segments]
    at = cue.start - answer.start
    assert not any(start - 0.05 < at < end + 0.95 for start, end in spoken)


def test_a_requirement_change_mid_walkthrough_and_whether_the_answer_took_it_up(tmp_path: Path) -> None:
    """Architecture and storage covered, a pause: the change comes, on the fake clock, and the report says
    whether what followed took it up."""
    from rich.console import Console

    from simulator.review.report import print_report
    from simulator.review.review import build_review

    block = np.concatenate([talk(), silence(1.5)])
    each = seconds(block)
    took_up = ("Counted exactly once, tenfold traffic, or a region down: each one means a log of redirects "
               "replicated before we answer.")  # takes up whichever of the sheet's changes comes
    lines = REQUIREMENTS[:2] + BASELINE + [took_up]
    audio = np.concatenate([block] * len(lines) + [silence(8.0)])
    segments = [Segment(i * each, i * each + seconds(talk()) - 0.1, text) for i, text in enumerate(lines)]
    clock = FakeClock()
    voice = RecordingVoice(clock)
    interview = build(store=Store(tmp_path), question=QUESTION, voice=voice,
                      transcriber=ScriptedTranscriber(segments), clock=clock, screen=RecordingScreen(),
                      microphone=WavMicrophone(audio, clock), model_name="tiny.pt", followups=1)
    record = interview.run()
    changes = [t for t in record.turns if t.kind == TurnKind.CHANGE]
    from simulator.interviewer.factsheets import sheet_for

    assert len(changes) == 1 and changes[0].text in sheet_for("url-shortener", "design").changes
    assert changes[0].start - record.turns[1].start > 3 * each + seconds(talk())  # after the storage sentence
    followup = [t for t in record.turns if t.kind == TurnKind.FOLLOWUP]
    assert all(t.target != "constraint_change" for t in followup)  # changed once already
    console = Console(record=True, width=250)
    print_report(console, build_review(interview.folder.read()))
    assert f'You took it up: "{took_up}"' in console.export_text()


def test_an_answer_that_ignores_the_change_is_told_so() -> None:
    from simulator.review.dialogue import Marker, adaptation

    change = Marker(100.0, TurnKind.CHANGE, "Now suppose every redirect must be counted exactly once.", None)
    went_on = [Segment(105.0, 110.0, "The cache sits in front of the database.")]
    assert adaptation(change, went_on, 0.0).startswith("The answer went on as if nothing had changed")
    took = [Segment(105.0, 110.0, "To count each redirect once, I would log it with an idempotency key.")]
    assert adaptation(change, took, 0.0).startswith("You took it up")


def test_a_part_half_again_over_its_budget_is_moved_on() -> None:
    """Three minutes budgeted for the architecture; at five of them, still on it, the interviewer moves on."""
    architecture = ["The high level design has a load balancer in front of stateless app servers.",
                    "Behind the load balancer the app servers call the service layer and a cache."]
    lines = REQUIREMENTS[:2] + architecture * 8
    said = keeper("standard").consider(progress(lines, 400.0, each=30.0))
    assert said is not None and said.rule == "step_over"
    assert said.text == "Let's move on from high-level architecture; we can come back to it."
    assert "half again over its 3 minute budget" in said.reason


def test_a_long_stretch_on_no_step_is_rambling() -> None:
    drifting = ["I remember a project where we had a lot of discussions about this kind of thing.",
                "My team lead at the time had strong opinions and we went back and forth a lot."]
    said = keeper("standard").consider(progress(REQUIREMENTS[:2] + BASELINE[:1] + drifting * 3, 300.0, each=20.0))
    assert said is not None and said.rule == "rambling" and "seconds without landing on any step" in said.reason
    assert keeper("friendly").consider(progress(REQUIREMENTS[:2] + BASELINE[:1] + drifting * 3, 300.0, each=20.0)) is None
