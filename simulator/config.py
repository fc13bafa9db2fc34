"""Settings as frozen dataclasses with the defaults the product is tuned to."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from simulator.vocab import Step

HOME_ENV = "SIMULATOR_HOME"
DEFAULT_MODEL = "base.en"
VOICES = ("espeak", "piper")  # the interviewer's voices; espeak-ng is the default and the fallback
VOICE_ENV = "SIMULATOR_VOICE"
VOICE_MODEL_ENV = "SIMULATOR_VOICE_MODEL"
ROLES = ("backend", "frontend", "mobile", "data", "ml", "infra")  # each has prompts/questions/<role>.toml
LEVELS = ("mid", "senior", "staff")  # each has a bar in prompts/levels.toml
DEFAULT_LEVEL = "senior"


@dataclass(frozen=True)
class Phase:
    name: str
    minutes: float
    steps: tuple[str, ...] = ()  # the design steps whose talk counts towards this phase


@dataclass(frozen=True)
class TimingTargets:
    """The 8–12 minute walkthrough and the 2/3/3/2 drill budget from the domain notes."""

    min_seconds: float = 8 * 60
    max_seconds: float = 12 * 60
    phases: tuple[Phase, ...] = (
        Phase("Clarify requirements", 2, (Step.CLARIFY, Step.ASSUMPTIONS)),
        Phase("High-level architecture", 3, (Step.ARCHITECTURE,)),
        Phase("Storage, APIs, data flow", 3, (Step.INTERFACES, Step.DATA)),
        Phase("Scale, reliability, tradeoffs", 2, (Step.SCALE, Step.TRADEOFFS, Step.SUMMARY)),
    )

    def phase_at(self, seconds: float) -> tuple[int, Phase]:
        """The budgeted phase the clock says the candidate should be in (the last one past budget)."""
        edge = 0.0
        for index, phase in enumerate(self.phases):
            edge += phase.minutes * 60
            if seconds < edge:
                return index, phase
        return len(self.phases) - 1, self.phases[-1]

    @property
    def window(self) -> str:
        """The target as the screen and reports show it: 8:00–12:00."""
        return f"{format_duration(self.min_seconds)}–{format_duration(self.max_seconds)}"

    @property
    def minutes(self) -> str:
        """The target in whole minutes, for headings: 8-12."""
        return f"{self.min_seconds / 60:g}-{self.max_seconds / 60:g}"

    def verdict(self, seconds: float) -> str:
        """Where an answer of this length sits against the target, in words."""
        if seconds < self.min_seconds:
            return f"short by {format_duration(self.min_seconds - seconds)}"
        if seconds > self.max_seconds:
            return f"over by {format_duration(seconds - self.max_seconds)}"
        return "within target"


TARGETS = TimingTargets()
PACE_BAND = (120.0, 165.0)  # conversational technical speech, words per minute
FILLER_CEILING = 0.04  # fillers under about 4% of words are fine


@dataclass(frozen=True)
class ListenSettings:
    """When an answer ends. A 2–3 s thinking pause must never end it."""

    end_silence: float = 6.0  # seconds of silence after speech that end the answer
    max_seconds: float | None = None
    speech_dbfs: float = -42.0  # blocks louder than this count as speech
    realtime: bool = False  # pace answer files like a live microphone
    # how long the interviewer waits for the last words to be transcribed before following up on what was
    # heard so far; None waits for all of it (needed when nothing is transcribed until the answer ends)
    reply_within: float | None = 0.8


@dataclass(frozen=True)
class TurnOptions:
    """When an answer's words say it is finished, or not yet (interviewer/turn_end.py), beside the long silence.

    A closing sentence ("that's my design") ends the answer after closing_pause; a holding one ("let me think",
    a trailing "and") keeps it open for patience; anything else waits for ListenSettings.end_silence. The
    persona's patience and silence prompt come from prompts/turns.toml (turn_end.turn_options). An answer ended
    by a closing sentence stays open for resume_window: the candidate who goes on ("actually, one more thing")
    stops the interviewer and the same answer goes on (interviewer/window.py); 0 ends it for good at once.
    """

    closing_pause: float = 1.0  # silence after a closing sentence that ends the answer
    patience: float = 25.0  # silence a holding cue keeps the answer open
    prompt_after: float | None = 15.0  # silence that gets one gentle prompt; None never prompts
    heard_slack: float = 0.25  # the quick hearing reaches this close to where the speech stopped: it is in
    recent_seconds: float = 15.0  # how far back the quick hearing is read for the last sentence
    short_words: int = 6  # a last sentence this short with no cue is heard again with what was said before it
    resume_window: float = 2.0  # after a closing-cue end, speech within this many seconds goes on with the answer


@dataclass(frozen=True)
class VadOptions:
    """When a block is speech (hearing/vad.py); ListenSettings.speech_dbfs is the loudness gate beside it."""

    aggressiveness: int = 3  # webrtcvad's strictest mode: the milder ones call steady noise speech
    min_voiced_frames: int = 2  # of the five 20 ms frames in a 100 ms block: one alone is a click
    sustained_blocks: int = 5  # half a second of 100 ms blocks, over which speech must be held
    sustained_fraction: float = 0.5  # of the 20 ms frames in that half second: a fan fires on a scattered few


@dataclass(frozen=True)
class PieceOptions:
    """Where an answer is cut into pieces to transcribe while the candidate talks (hearing/pieces.py)."""

    min_seconds: float = 8.0  # less gives whisper too little context (tiny.en: 29% word error at 4 s, 26% at 8)
    max_seconds: float = 20.0  # a piece is cut by here even without a pause, so the last one stays short
    cut_pause_seconds: float = 0.5  # a pause this long is a place to cut: between sentences, not between words
    forced_cut_window_seconds: float = 2.0  # a cut at the ceiling falls at the quietest block of this last stretch
    trim_margin_seconds: float = 0.3  # silence kept around the speech of a piece sent to whisper
    speech_slack_seconds: float = 0.3  # how far whisper's word times may stray from the voice detector's


@dataclass(frozen=True)
class ProbeOptions:
    """The quick hearing of the speech before each short pause, for questions to the interviewer (hearing/probe.py)."""

    pause_seconds: float = 0.3  # a pause this long ends a span to probe: between sentences, not only at the end
    min_speech_seconds: float = 0.3  # less speech than this in a span is a cough, not words
    max_span_seconds: float = 20.0  # a longer stretch without a pause is probed from its latest part
    lead_seconds: float = 0.3  # silence kept before the first speech of a span
    context_seconds: float = 1.5  # a span this soon after the last one is heard with its words as the decode prompt
    context_words: int = 24  # at most this many of those words: a sentence or so
    wide_seconds: float = 8.0  # a short last sentence with no cue is heard again with the speech this far before it


@dataclass(frozen=True)
class DecodeOptions:
    """The decoding policy both engines share (hearing/engines.py), beyond what the command line sets."""

    min_tokens: int = 8  # the least a piece or probe may decode, so a few words are never cut short
    last_piece_tokens_per_second: float = 6  # speech at 160 words a minute is under 4 tokens a second
    probe_pad_seconds: float = 3.0  # silence after a probed span, then whole seconds: with 1 s, short questions looped
    probe_no_speech: float = 0.6  # with a low score, a probe whisper thinks holds no speech heard nothing
    probe_low_logprob: float = -1.0  # that low score: whisper's own mark of text over silence
    loop_compression_ratio: float = 2.4  # whisper's own mark of a repetition loop
    # openai-whisper encodes the last piece over its own length, not 30 s; off, as tiny.en heard worse with it
    # (bench_levers.py: 16.7% -> 25.3% word error; base 14.2% -> 12.9%, in half the time)
    short_last_window: bool = False
    last_window_min_seconds: float = 10.0  # the least it encodes then: whisper was trained on whole windows
    last_window_margin_seconds: float = 3.0  # silence encoded after the last piece's audio, then whole seconds


@dataclass(frozen=True)
class TranscriberOptions:
    """What the streaming transcriber keeps of whisper's text, and when it works ahead (hearing/transcriber.py)."""

    no_speech_prob: float = 0.6  # with a score under low_logprob, whisper's own rule for text over silence
    low_logprob: float = -1.0  # that score: whisper's own threshold
    sure_no_speech_prob: float = 0.8  # above it, a word or three is made up: " you", "Thank you." on silence
    short_words: int = 3  # that word or three
    max_words_per_second: float = 10.0  # nobody talks this fast; whisper's invented endings come out at 40 a second
    fast_min_words: int = 4  # a word or three may be squeezed into a short span by the timing and still be real
    repeat_min_words: int = 4  # "Okay. Okay." is speech; a whole sentence again, at once, is a loop
    # speech the voice detector heard after whisper's last word, from which on whisper stopped short of a piece
    # (it took the rest for silence) and the rest is decoded again; less is a word or two it may leave off
    lost_speech_seconds: float = 1.0
    early_min_seconds: float = 3.0  # the least worth transcribing ahead, and the shortest tail decoded on its own
    last_pad_seconds: float = 0.5  # silence after the last piece; without it base looped on an ending: 8.9 s, not 3.8 s
    pieces: PieceOptions = PieceOptions()  # where the answer is cut while it goes on
    probes: ProbeOptions = ProbeOptions()  # the quick hearing, when the transcriber probes


@dataclass(frozen=True)
class TranscribeSettings:
    model: str = DEFAULT_MODEL
    language: str | None = "en"
    sample_len: int | None = None  # cap on tokens per 30 s window; None is whisper's own
    temperature_fallback: bool = True
    keep_fillers: bool = False  # prompt whisper to write "um" and "uh", which it otherwise drops
    vocabulary: str | None = None  # the question's own terms, so whisper spells them as the candidate means
    decoding: DecodeOptions = DecodeOptions()  # what both engines decode and keep of a probe


# Short on purpose: long initial prompts are known to truncate whisper's output and seed loops.
FILLER_PROMPT = "Umm, let me think, like, hmm... Okay, uh, so here's what I'm thinking."
FILLER_NOTE = ("Whisper leaves out most \"um\" and \"uh\" unless asked to keep them, so these filler counts "
               "may be low; rehearse with --keep-fillers to count them.")


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def default_home() -> Path:
    """The data folder: SIMULATOR_HOME if set, else the platform's user data dir."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("mock-interview", appauthor=False))


@dataclass(frozen=True)
class InterviewerSettings:
    """How the interviewer behaves during an answer: when it may speak, what it waits for, when it keeps time.

    The defaults are what the product is tuned to; tests and benchmarks pass their own through the
    constructors (Interview, Floor, QuestionWatch, Timekeeper) rather than patching modules.
    """

    # a clarifying question (interviewer/clarifications.py)
    question_pause: float = 1.0  # silence after a question before the interviewer answers it
    caught_up_slack: float = 0.8  # the transcript reaches this close to where the speech stopped: the question is in
    heard_slack: float = 0.15  # a probe ends where the voice detector heard the speech stop, give or take a block
    stray_slack: float = 0.2  # how far past the end of speech a real word may start, as whisper times it
    # the floor (interviewer/floor.py, midanswer.py)
    echo_tail: float = 0.4  # the voice still in the room after the last block was written: buffers and reverb
    barge_in_blocks: int = 2  # blocks of the candidate's speech over the voice that stop it: 0.2 s, not a cough
    # the timekeeper's rules (interviewer/timekeeper.py), in walkthrough seconds
    requirements_long: float = 150.0  # "well past two minutes" still on requirements
    near_end: float = 600.0
    time_up: float = 720.0
    over_budget: float = 1.5  # a phase half again over its budget
    rambling: float = 90.0  # a stretch this long with no step of the design
    tech_first_within: float = 60.0  # technology before framing counts only early on


INTERVIEWER = InterviewerSettings()
