"""What the interviewer says at a pause when several things are due, and the candidate talking over it."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio import CHUNK_SAMPLES, AudioChunk
from simulator.config import InterviewerSettings
from simulator.hearing.pauses import BargeIn, Block, Pauses, SpeechEnded, SpeechStarted, VoiceStarted, VoiceStopped
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.factsheets import sheet_for
from simulator.interviewer.floor import Floor
from simulator.interviewer.timekeeper import Persona, Timekeeper, Utterance
from simulator.judging.analysis import Analysis, analyze_segments
from simulator.sessions.record import TurnKind
from simulator.transcript import Segment, Word

URL = sheet_for("url-shortener", "design")
CHANGES = ("Now suppose every redirect must be counted exactly once.",)
REQUIREMENTS = "First let me clarify the requirements and the scope. I assume a hundred million users a day."
DESIGNED = ("The high level design has a load balancer in front of stateless app servers and a database. "
            "For storage I keep the links in a key value store partitioned by the short code.")
ASKED = "How many users should I plan for?"
STATEMENT_TEXT = "I will go on with the design now."


def chunk(at: float, speech: bool) -> AudioChunk:
    return AudioChunk(np.zeros(CHUNK_SAMPLES, dtype=np.float32), round(at, 3), voice=(5 if speech else 0, 5))


def said(text: str, start: float, end: float) -> Segment:
    parts = text.split()
    step = (end - start) / len(parts)
    return Segment(start, end, text, tuple(Word(w, start + i * step, start + (i + 1) * step)
                                           for i, w in enumerate(parts)))


class Walkthrough:
    """A floor fed block by block as the answer recorder feeds it, at walkthrough seconds `offset` onwards."""

    def __init__(self, floor: Floor, offset: float = 0.0) -> None:
        self.floor = floor
        self.offset = offset
        self.pauses = Pauses(VoiceActivity())
        self.at = 0.0

    def blocks(self, seconds: float, speech: bool, transcript: list[Segment],
               analysis: Analysis | None = None) -> list[tuple[float, Utterance]]:
        """(answer second, what was said) for each time the floor spoke in this stretch; the voice is taken to
        play for two seconds, as the loop tells the floor."""
        spoken = []
        for _ in range(round(seconds / 0.1)):
            block = self.pauses.block(self.floor.gate(chunk(self.at, speech)))
            self.floor.take(block)
            self.at = block.end
            utterance = self.floor.at_pause(transcript, self.offset + self.at, None,
                                            (lambda _: analysis) if analysis is not None else None)
            if utterance is not None:
                spoken.append((self.at, utterance))
                self.floor.spoke(self.at, 2.0)
        return spoken


def floor(persona: str = "standard", settings: InterviewerSettings = InterviewerSettings()) -> Floor:
    made = Floor(URL, Timekeeper(Persona.named(persona), CHANGES, "seed", settings=settings), settings=settings)
    made.begin(walkthrough=True)
    return made


def test_a_question_just_asked_is_answered_before_the_time_cue_that_is_also_due() -> None:
    late = Walkthrough(floor(), offset=605.0)  # past ten minutes: "a couple of minutes left" is due too
    transcript = [said(ASKED, 0.1, 2.0)]
    spoken = late.blocks(2.0, True, transcript) + late.blocks(3.0, False, transcript)
    assert [(u.kind, u.rule) for _, u in spoken] == [(TurnKind.CLARIFICATION, None)]
    assert spoken[0][0] == pytest.approx(3.0)
    spoken = late.blocks(1.0, True, transcript) + late.blocks(2.0, False, transcript)
    assert [u.rule for _, u in spoken] == ["near_end"], "the time cue waited for the next pause"


def test_a_question_still_being_transcribed_holds_back_every_interjection() -> None:
    late = Walkthrough(floor(), offset=605.0)
    assert late.blocks(2.0, True, []) + late.blocks(4.0, False, []) == [], "nothing until the question is judged"
    spoken = late.blocks(0.1, False, [said(ASKED, 0.1, 2.0)])
    assert [u.kind for _, u in spoken] == [TurnKind.CLARIFICATION]


def test_the_clock_comes_before_a_nudge_and_a_nudge_before_the_requirement_change() -> None:
    requirements = analyze_segments([said(REQUIREMENTS, 0.0, 150.0)], "design")
    designed = analyze_segments([said(DESIGNED, 0.0, 150.0)], "design")
    statement = [said(STATEMENT_TEXT, 0.0, 1.0)]  # the question watch judges it first: nothing asked
    near_end = Walkthrough(floor(), offset=605.0)
    assert [u.rule for _, u in near_end.blocks(1.0, True, statement, requirements) +
            near_end.blocks(1.5, False, statement, requirements)] == ["near_end"]
    nudge = Walkthrough(floor(), offset=170.0)
    assert [u.rule for _, u in nudge.blocks(1.0, True, statement, requirements) +
            nudge.blocks(1.5, False, statement, requirements)] == ["requirements_long"]
    change = Walkthrough(floor(), offset=300.0)
    spoken = change.blocks(1.0, True, statement, designed) + change.blocks(1.5, False, statement, designed)
    assert [(u.rule, u.kind) for _, u in spoken] == [("change", TurnKind.CHANGE)]


def test_interjections_wait_for_the_pause_the_settings_name_and_only_in_the_walkthrough() -> None:
    requirements = analyze_segments([said(REQUIREMENTS, 0.0, 150.0)], "design")
    statement = [said(STATEMENT_TEXT, 0.0, 1.0)]
    patient = Walkthrough(floor(settings=InterviewerSettings(question_pause=2.0)), offset=170.0)
    spoken = patient.blocks(1.0, True, statement, requirements) + patient.blocks(3.0, False, statement, requirements)
    assert [(at, u.rule) for at, u in spoken] == [(pytest.approx(3.0), "requirements_long")]
    later = floor()
    later.begin(walkthrough=False)
    follow_up = Walkthrough(later, offset=170.0)
    assert follow_up.blocks(1.0, True, statement, requirements) + \
        follow_up.blocks(3.0, False, statement, requirements) == []


def heard(pauses: Pauses, pattern: str, start: float = 0.0) -> list[Block]:
    """Blocks from a pattern: S a block of speech, . a block of silence."""
    return [pauses.block(chunk(start + i / 10, c == "S")) for i, c in enumerate(pattern)]


def events(blocks: list[Block], kind: type) -> list[float]:
    return [e.at for b in blocks for e in b.events if isinstance(e, kind)]


def test_two_blocks_of_speech_over_the_voice_stop_it_and_one_does_not() -> None:
    pauses = Pauses(VoiceActivity())
    pauses.voice_started(0.0, 5.0, stoppable=True)
    blocks = heard(pauses, "..S.S..SS")
    assert events(blocks, VoiceStarted) == [0.0]
    assert events(blocks, BargeIn) == [pytest.approx(0.9)], "one block, then silence, resets the count"
    assert not pauses.voice_playing and events(heard(pauses, "SSSS", 1.0), BargeIn) == []  # stopped once


def test_the_candidate_speaking_over_a_voice_through_speakers_or_after_it_ends_is_no_barge_in() -> None:
    speakers = Pauses(VoiceActivity())
    speakers.voice_started(0.0, 5.0, stoppable=False)
    assert events(heard(speakers, "SSSSSS"), BargeIn) == []
    played = Pauses(VoiceActivity())
    played.voice_started(0.0, 0.3, stoppable=True)
    blocks = heard(played, "...SSS")
    assert events(blocks, VoiceStopped) == [pytest.approx(0.3)] and events(blocks, BargeIn) == []


def test_barge_in_blocks_come_from_the_settings_and_speech_is_heard_once_as_events() -> None:
    patient = Pauses(VoiceActivity(), barge_in=InterviewerSettings(barge_in_blocks=3).barge_in_blocks)
    patient.voice_started(0.0, 5.0, stoppable=True)
    blocks = heard(patient, ".SS.SSS..")
    assert events(blocks, BargeIn) == [pytest.approx(0.7)]
    assert events(blocks, SpeechStarted) == [pytest.approx(0.1), pytest.approx(0.4)]
    assert events(blocks, SpeechEnded) == [pytest.approx(0.3), pytest.approx(0.7)]
    assert [b.speech_end for b in blocks][-1] == pytest.approx(0.7)
