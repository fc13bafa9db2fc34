"""The domain's words, typed: each family of names the program passes around, as a str enum.

A member is its string: it compares equal to it, hashes like it, and JSON, str() and f-strings write the
plain value, so a saved file reads the same whichever of the two wrote it. The values are the ones kept in
session files and in prompts/*.toml; renaming one is a change of file format.
"""

from __future__ import annotations

from enum import Enum


class Word(str, Enum):
    """A name written as its plain value, the same on every Python the package runs on (a bare
    `str, Enum` formats as "Kind.DESIGN" from 3.11 on; enum.StrEnum is not in 3.10)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The plain values in order, for click choices and messages."""
        return tuple(member.value for member in cls)


class Kind(Word):
    """What a question asks for: a system designed on the spot, or one the candidate built (told as STAR)."""

    DESIGN = "design"
    EXPERIENCE = "experience"


class Step(Word):
    """A part of an answer the rubric looks for: the seven steps and the summary of a design, STAR's four."""

    CLARIFY = "clarify"
    ASSUMPTIONS = "assumptions"
    INTERFACES = "interfaces"
    ARCHITECTURE = "architecture"
    DATA = "data"
    SCALE = "scale"
    TRADEOFFS = "tradeoffs"
    SUMMARY = "summary"
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"


class MistakeCode(Word):
    """A mistake an interviewer presses on (titles in prompts/rubric.toml's [mistakes])."""

    TECH_FIRST = "tech_first"
    NO_REASONS = "no_reasons"
    NO_NONFUNCTIONAL = "no_nonfunctional"
    NO_SIGNPOSTS = "no_signposts"
    NO_SUMMARY = "no_summary"
    NO_NUMBERS = "no_numbers"
    WE_NOT_I = "we_not_i"
    UNDER_TIME = "under_time"
    OVER_TIME = "over_time"


class Target(Word):
    """What a follow-up aims at: a step, a mistake, or a change of constraints. An enum cannot extend
    another, so the steps' and mistakes' values are repeated here; a member equals its Step or MistakeCode."""

    CLARIFY = "clarify"
    ASSUMPTIONS = "assumptions"
    INTERFACES = "interfaces"
    ARCHITECTURE = "architecture"
    DATA = "data"
    SCALE = "scale"
    TRADEOFFS = "tradeoffs"
    SUMMARY = "summary"
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    TECH_FIRST = "tech_first"
    NO_REASONS = "no_reasons"
    NO_NONFUNCTIONAL = "no_nonfunctional"
    NO_SIGNPOSTS = "no_signposts"
    NO_SUMMARY = "no_summary"
    NO_NUMBERS = "no_numbers"
    WE_NOT_I = "we_not_i"
    UNDER_TIME = "under_time"
    OVER_TIME = "over_time"
    CONSTRAINT_CHANGE = "constraint_change"
    DESIGN_FINDING = "design_finding"  # the sharpest check on the candidate's own design
    DESIGN_PROBE = "design_probe"  # a probe on a choice or a part the candidate named


class EndReason(Word):
    """Why an answer ended, as transcript.json's `ended_by` keeps it."""

    ENTER = "enter"
    SILENCE = "silence"
    CLOSING_CUE = "closing_cue"  # a closing sentence ("that's my design") and a short pause
    TIME_LIMIT = "time limit"
    SOURCE_ENDED = "end of recording"
    DEVICE_LOST = "input device lost"
    TYPED = "typed"


class Traced(Word):
    """What --trace writes to trace.jsonl: each step of hearing and replying, with its time on the session clock."""

    SPEECH = "speech"  # the candidate's speech started (at: answer seconds)
    PAUSE = "pause"  # the speech stopped (at: answer seconds)
    CUT = "cut"  # a piece cut for the transcriber (start, end: answer seconds; last: the answer's end)
    PROBE_START = "probe_start"  # the quick hearing of the speech before a pause (start, end; between: run in a
    # pause of a piece's decoding; wide: the pause heard again with the speech before it)
    PROBE_END = "probe_end"  # ... and what it heard (text)
    DECODE_START = "decode_start"  # Whisper on a piece (job: piece or early; start, end; reused: made ahead)
    DECODE_END = "decode_end"  # ... done (segments kept)
    ANSWER_END = "answer_end"  # the answer is over (reason; at: answer seconds; after a closing sentence, its
    # words and where they were read: the quick hearing, the rehearing, or the transcript)
    RESUMED = "resumed"  # the candidate went on after a closing-cue end (at: answer seconds; stopped: a voice cut)
    MODEL_READY = "model_ready"  # the worker first has the model (what it waited for before is the loading)
    TRANSCRIBED = "transcribed"  # every piece of the answer is in (waited: seconds the reply waited for it)
    FOLLOWUP = "followup"  # the follow-up chosen (target; none when the interview ends; on: the transcript, or
    # the last words as the quick hearing heard them while the last piece was still being decoded)
    VOICE_START = "voice_start"  # the interviewer is heard (kind, text)
    VOICE_END = "voice_end"  # ... and has finished


class Engine(Word):
    """What runs Whisper: openai-whisper on PyTorch, or faster-whisper on CTranslate2."""

    WHISPER = "whisper"
    FASTER_WHISPER = "faster-whisper"


class Persona(Word):
    """How the interviewer behaves during the walkthrough (prompts/interviewer.toml's [persona.NAME])."""

    FRIENDLY = "friendly"
    STANDARD = "standard"
    TOUGH = "tough"


class InterjectionRule(Word):
    """A timekeeper rule that makes the interviewer speak mid-answer (prompts/interviewer.toml's [rule.ID]),
    in order of precedence: the clock first, then where the candidate is, then the change."""

    TIME_UP = "time_up"
    NEAR_END = "near_end"
    REQUIREMENTS_LONG = "requirements_long"
    TECH_FIRST = "tech_first"
    STEP_OVER = "step_over"
    RAMBLING = "rambling"
    CHANGE = "change"
    DIAGRAM = "diagram"  # a question on the candidate's drawing: one per finding, within the persona's count


class CheckVerdict(Word):
    """A self-review check's answer, or a step covered or not."""

    YES = "yes"
    NO = "no"
    PARTLY = "partly"


class BarVerdict(Word):
    """An answer held to a level's bar."""

    BELOW = "below"
    AT = "at"
    ABOVE = "above"


class DrillVerdict(Word):
    """How much of a drill's part the answer did."""

    DONE = "done"
    PARTLY = "partly"
    MISSED = "missed"


class StepOutcome(Word):
    """How a step went in one session, as the practice plan counts it."""

    COVERED = "covered"
    THIN = "thin"
    SKIPPED = "skipped"
