"""The interviewer uses the candidate's drawing: at a pause, one question per finding, never more than the
persona's count and never inside its gap; after the answer, a finding not yet asked about can be the follow-up,
its why the rule and the candidate's words."""

from __future__ import annotations

from simulator.diagrams.diagram import Box, Diagram, DiagramFormat, Edge, Heads, Shape
from simulator.interviewer.followup_choice import choose_followup
from simulator.interviewer.timekeeper import Persona, Progress, Timekeeper
from simulator.judging.analysis import analyze_segments, analyze_text
from simulator.questions import Question
from simulator.sessions.record import Role, Turn, TurnKind
from simulator.transcript import Segment

QUESTION = Question("job-scheduler", "design", "Job scheduler", "Design a job scheduler.")
SAID = ["First, who submits jobs and how many a day? Let's say a million jobs a day.",
        "Clients call the API, which stores each job in Postgres and hands it to the workers."]
DRAWING = Diagram(DiagramFormat.EXCALIDRAW, (
    Box("c", "Clients"), Box("a", "API servers"), Box("k", "Kafka"), Box("w", "workers"),
    Box("p", "Postgres", Shape.CYLINDER)), (
    Edge("1", "c", "a"), Edge("2", "a", "k"), Edge("3", "k", "w"), Edge("4", "a", "p"), Edge("5", "w", "p"),
    Edge("6", "c", "w", heads=Heads.NONE)))
KAFKA = "You drew Kafka between the API servers and the workers but haven't mentioned it: what is it doing there?"


def progress(at: float, drawing: Diagram | None = DRAWING) -> Progress:
    segments = [Segment(i * 20.0, i * 20.0 + 18.0, text) for i, text in enumerate(SAID)]
    return Progress(at, analyze_segments(segments, "design"), drawing=drawing)


def keeper(persona: str) -> Timekeeper:
    return Timekeeper(Persona.named(persona), (), "seed")


def test_at_a_pause_the_drawing_is_asked_about_in_the_candidates_own_terms() -> None:
    said = keeper("standard").consider(progress(60.0))
    assert said is not None and said.kind == TurnKind.INTERJECTION and said.rule == "diagram"
    assert said.text == KAFKA
    assert said.target == "diagram:drawn_not_explained:Kafka"
    assert "At 1:00" in said.reason and "drawn_not_explained: “Kafka”" in said.reason


def test_one_question_per_finding_within_the_personas_count_and_gap() -> None:
    tough = keeper("tough")  # three questions on the drawing, forty seconds apart
    first = tough.consider(progress(60.0))
    assert tough.consider(progress(80.0)) is None  # inside the gap
    asked = [first] + [tough.consider(progress(60.0 + 41.0 * n)) for n in (1, 2, 3, 4)]
    texts = [a.text for a in asked if a is not None]
    assert len(texts) == Persona.named("tough").drawings == 3  # the count holds, though findings remain
    assert len(set(texts)) == 3 and len({a.target for a in asked if a is not None}) == 3  # never one twice
    friendly = keeper("friendly")
    assert friendly.consider(progress(60.0)) is not None
    assert friendly.consider(progress(400.0)) is None  # its one question spent


def test_no_drawing_no_question_about_one() -> None:
    assert keeper("tough").consider(progress(60.0, drawing=None)) is None


def turns(*extra: Turn) -> list[Turn]:
    return [Turn(Role.INTERVIEWER, QUESTION.prompt, None, 0.0, 4.0, kind=TurnKind.PROMPT),
            Turn(Role.CANDIDATE, " ".join(SAID), "answer-01.wav", 4.0, 90.0), *extra]


def test_after_the_answer_a_finding_is_the_followup_with_its_why() -> None:
    analysis = analyze_text(" ".join(SAID), "design")
    chosen = choose_followup(analysis, QUESTION, turns(), seed="s", drawing=DRAWING)
    assert chosen is not None and chosen.question == KAFKA
    assert chosen.reason == "drawn_not_explained: “Kafka”"
    # asked mid-answer already: the follow-up presses the next finding instead
    interjected = Turn(Role.INTERVIEWER, KAFKA, None, 60.0, 64.0, "diagram:drawn_not_explained:Kafka",
                       kind=TurnKind.INTERJECTION)
    second = choose_followup(analysis, QUESTION, turns(interjected), seed="s", drawing=DRAWING)
    assert second is not None and second.target.startswith("diagram:") and second.question != KAFKA
    # one follow-up on the drawing a session: then the plan's own gaps
    followed = Turn(Role.INTERVIEWER, second.question, None, 95.0, 99.0, second.target, kind=TurnKind.FOLLOWUP)
    third = choose_followup(analysis, QUESTION, turns(interjected, followed), seed="s", drawing=DRAWING)
    assert third is not None and not third.target.startswith("diagram:")
    assert choose_followup(analysis, QUESTION, turns(), seed="s") == choose_followup(
        analysis, QUESTION, turns(), seed="s", drawing=None)


def test_a_session_with_a_drawing_asks_about_it_at_a_pause_and_after(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from simulator.diagrams.watch import DiagramWatch
    from simulator.sessions.store import Store

    from .support.fakes import FakeClock, RecordingScreen, RecordingVoice, ScriptedTranscriber, WavMicrophone
    from .support.interviews import interview as build
    from .support.interviews import seconds, silence, talk

    drawing = tmp_path / "design.mmd"
    drawing.write_text("flowchart LR\n  c[Clients] --> a[API servers] --> k[Kafka] --> w[workers]\n"
                       "  a --> p[(Postgres)]\n  w --> p\n")
    block = np.concatenate([talk(), silence(1.5)])
    each = seconds(block)
    segments = [Segment(i * each, i * each + seconds(talk()) - 0.1, text) for i, text in enumerate(SAID)]
    audio = np.concatenate([block] * len(SAID) + [silence(8.0)])
    clock = FakeClock()
    watch = DiagramWatch(drawing)
    interview = build(store=Store(tmp_path / "home"), question=QUESTION, voice=RecordingVoice(clock),
                      transcriber=ScriptedTranscriber(segments), clock=clock, screen=RecordingScreen(),
                      microphone=WavMicrophone(audio, clock), model_name="tiny.pt", followups=1, diagram=watch)
    record = interview.run()
    asked = [t for t in record.turns if t.kind == TurnKind.INTERJECTION]
    assert [t.text for t in asked] == [KAFKA]
    assert asked[0].target == "diagram:drawn_not_explained:Kafka" and "drawn_not_explained" in (asked[0].reason or "")
    followup = next(t for t in record.turns if t.kind == TurnKind.FOLLOWUP)
    assert followup.target.startswith("diagram:") and followup.text != KAFKA
    assert followup.reason is not None and ": “" in followup.reason  # rule: “the words”


def test_nothing_is_asked_about_the_drawing_while_the_candidate_is_still_framing_the_problem() -> None:
    segments = [Segment(0.0, 18.0, SAID[0])]
    assert keeper("tough").consider(Progress(30.0, analyze_segments(segments, "design"), drawing=DRAWING)) is None


def test_a_followup_on_the_drawing_reads_as_aimed_at_it_in_the_report() -> None:
    from simulator.judging.rubric import target_title

    assert target_title("design", "diagram:drawn_not_explained:Kafka") == "your drawing"
