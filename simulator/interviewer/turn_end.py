"""When an answer is finished, heard in its last words, as an interviewer hears it.

A long silence alone ends an answer too late when it is plainly over ("...and that's my design.") and too soon
when the candidate is still thinking ("let me think about the cache."). At each pause the quick hearing
(hearing/probe.py) has the last words within a fraction of a second; the last sentence says which it is:
a closing cue ends the answer after a short pause, a holding cue keeps it open for the persona's patience,
anything else waits for the long silence as before. The cue phrases are data (prompts/turns.toml). A sentence
that ends on a way of going on ("...oh, and one more thing.") holds: more is coming.

A silence that goes on gets one gentle prompt per answer (prompts/interviewer.toml's [silence_prompt]),
never after a closing cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from simulator import prompt_data
from simulator.config import ListenSettings, TurnOptions
from simulator.hearing.endpoint import CLOSING_CUE, SILENCE, Wait
from simulator.hearing.pauses import Block
from simulator.interviewer.timekeeper import Utterance
from simulator.sessions.record import TurnKind
from simulator.text import split_sentences
from simulator.transcript import Heard
from simulator.vocab import Word

UNFINISHED = ("...", "\u2026", ",", "-", ";", ":")


class Cue(Word):
    """What the last sentence before a pause says of the turn."""

    CLOSING = "closing"
    HOLDING = "holding"
    NONE = "none"


@dataclass(frozen=True)
class Cues:
    """The phrases of prompts/turns.toml, normalised as the sentences they are matched on."""

    closing: tuple[str, ...]
    tails: tuple[str, ...]
    summary: tuple[str, ...]
    holding: tuple[str, ...]
    trailing: frozenset[str]
    resume: tuple[str, ...] = ()  # how a candidate goes on after closing: "actually", "one more thing"

    @classmethod
    def load(cls) -> Cues:
        data = prompt_data.load("turns.toml")
        closing, holding = data["closing"], data["holding"]
        words = lambda key, table: tuple(normalised(p) for p in table[key])  # noqa: E731
        return cls(words("phrases", closing), words("tails", closing), words("summary", closing),
                   words("phrases", holding), frozenset(normalised(p) for p in holding["trailing"]),
                   words("phrases", data.get("resume", {"phrases": []})))


def normalised(text: str) -> str:
    """Lower case, apostrophes straight, hyphens and punctuation as spaces, "that is" as "that's"."""
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    text = re.sub(r"\bthat is\b", "that's", text)
    text = re.sub(r"\bi will\b", "i'll", text)
    return " ".join(text.split())


def last_sentence(text: str) -> str:
    sentences = split_sentences(text)
    return sentences[-1] if sentences else ""


def cue_of(text: str, cues: Cues) -> Cue:
    """The cue of the last sentence of `text` (what the quick hearing caught before a pause)."""
    raw = last_sentence(text).strip()
    sentence = normalised(raw)
    if not sentence:
        return Cue.NONE
    words = sentence.split()
    unfinished = raw.endswith(UNFINISHED)  # whisper's own mark of a sentence left hanging
    hanging = words[-1] in cues.trailing and not raw.endswith(("?", "!"))  # "what is it for?" is asked, not hung
    going_on = any(_ends_with(sentence, p, ()) for p in cues.resume)  # "...oh, and one more thing."
    if unfinished or hanging or going_on or any(_has(sentence, p) for p in cues.holding):
        return Cue.HOLDING
    if any(_ends_with(sentence, p, cues.tails) for p in cues.closing):
        return Cue.CLOSING
    if len(words) >= 4 and any(sentence.startswith(p + " ") for p in cues.summary):
        return Cue.CLOSING
    return Cue.NONE


def _has(sentence: str, phrase: str) -> bool:
    return re.search(rf"(^| ){re.escape(phrase)}( |$)", sentence) is not None


def _ends_with(sentence: str, phrase: str, tails: tuple[str, ...]) -> bool:
    """The sentence ends with the phrase, or with the phrase and one tail ("that's it, really")."""
    return any(sentence == end or sentence.endswith(" " + end)
               for end in (phrase, *(f"{phrase} {tail}" for tail in tails)))


def turn_options(persona: str, base: TurnOptions = TurnOptions()) -> TurnOptions:
    """The persona's patience and silence prompt (prompts/turns.toml) over the defaults."""
    data = prompt_data.load("turns.toml").get("persona", {}).get(persona)
    if data is None:
        return base
    return replace(base, patience=float(data.get("patience", base.patience)),
                   prompt_after=float(data["prompt_after"]) if "prompt_after" in data else base.prompt_after,
                   resume_window=float(data.get("resume_window", base.resume_window)))


def silence_prompt() -> tuple[str, str]:
    """What the interviewer says into a long silence, and the reason the report gives ({seconds}, {words})."""
    data = prompt_data.load("interviewer.toml")["silence_prompt"]
    return str(data["say"]), str(data["reason"])


class ReadIn(Word):
    """Where a pause's words were read."""

    PROBE = "quick hearing"  # the probe of the speech before the pause
    AGAIN = "rehearing"  # the speech before the pause heard again, with what came before it
    TRANSCRIPT = "transcript"  # the transcript made ahead at the pause


@dataclass(frozen=True)
class Reading:
    """One pause's words as read: where the speech stopped, when its words were in (answer seconds), the cue."""

    speech_end: float
    read_at: float
    cue: Cue
    words: str
    read_in: ReadIn = ReadIn.PROBE


class TurnEnd:
    """One answer's pauses, read as they come: how long each one's silence must last to end the answer, and
    the one gentle prompt into a silence that goes on.

    heard: the transcriber's quick hearing since an answer second (WhisperTranscriber.heard); probing: whether
    it runs. Without it every pause waits for the long silence, as before; with it, a pause whose words are not
    heard yet is not ended by silence either (on a slow machine the quick hearing may lag the long silence),
    up to the patience. A pause the quick hearing found no cue in is read once more: when its last sentence is
    short, in `reheard`, the quick hearing of that pause's speech with what came before it (asked for on the first
    call, WhisperTranscriber.rehear); and in `written`, the transcript's own words since an answer second once
    it reaches the pause (the buffer transcribed ahead there), which comes later. A short closing sentence heard
    alone is often misheard ("and that's my design" as "and a smideyline").
    """

    def __init__(self, options: TurnOptions, listen: ListenSettings,
                 heard: Callable[[float], Heard | None] | None, cues: Cues | None = None,
                 probing: bool = True, written: Callable[[float], Heard | None] | None = None,
                 reheard: Callable[[float], Heard | None] | None = None) -> None:
        self.options = options
        self.listen = listen
        self.heard = heard if probing else None
        self.written = written if probing else None
        self.reheard = reheard if probing else None
        self.cues = cues or Cues.load()
        self.cue = Cue.NONE  # the latest pause's, once its words are in
        self.words = ""  # the last sentence it was judged on
        self.prompted = False
        self.readings: list[Reading] = []  # every pause's words, as read, for a benchmark or a trace
        self._speech_end: float | None = None
        self._judged = False
        self._reread = False  # the pause was read once more in the transcript
        self._widened = False  # the pause was read once more, heard with what came before it
        self.fresh = False  # the pause's words were read in the block just taken

    def take(self, block: Block) -> Wait | None:
        """Each block as heard (after the floor): the wait this pause asks for, None for the long silence.
        `fresh` says whether the pause's words were read in this very block."""
        self.fresh = False
        # speech as the endpointer counts it (sustained, not a cough) starts a new pause to judge; until then
        # the last pause's wait holds, as the endpointer still counts the silence from before it
        if block.sustained and block.speech_end != self._speech_end:
            self._speech_end, self._judged, self.cue, self.words = block.speech_end, False, Cue.NONE, ""
            self._reread = self._widened = False
        if not block.speech and block.speech_end is not None and self.heard is not None:
            if not self._judged:
                self._judge(block.speech_end, block.end)
            if self._judged and self.cue is not Cue.CLOSING and not self._widened and self.reheard is not None:
                self._reread_widened(block.speech_end, block.end)
            if self._judged and self.cue is not Cue.CLOSING and not self._reread and self.written is not None:
                self._reread_in_transcript(block.speech_end, block.end)
        return self.wait

    def _judge(self, speech_end: float, now: float) -> None:
        heard = self.heard(max(0.0, speech_end - self.options.recent_seconds)) if self.heard is not None else None
        if heard is None or heard.speech_end < speech_end - self.options.heard_slack:
            return  # the quick hearing has not reached this pause yet
        self._judged = self.fresh = True
        self.words = last_sentence(heard.text)
        self.cue = cue_of(heard.text, self.cues)
        self.readings.append(Reading(speech_end, now, self.cue, self.words))

    def _reread_widened(self, speech_end: float, now: float) -> None:
        """A short last sentence with no closing cue, read once more as heard with the speech before it, once that
        is in. A holding cue is read again too: base heard espeak-ng's "And that's my design." alone as "and a
        smithess i.", a sentence cut off after "I", and held the answer open for the persona's patience. Only a
        closing cue found again replaces a holding one."""
        assert self.reheard is not None
        if len(normalised(self.words).split()) > self.options.short_words:
            self._widened = True
            return
        heard = self.reheard(speech_end)
        if heard is None:
            return  # asked for, or not in yet
        self._widened = True
        cue = cue_of(heard.text, self.cues)
        if cue is Cue.CLOSING or cue is Cue.HOLDING and self.cue is Cue.NONE:
            self.cue, self.words = cue, last_sentence(heard.text)
            self.readings.append(Reading(speech_end, now, cue, self.words, ReadIn.AGAIN))

    def _reread_in_transcript(self, speech_end: float, now: float) -> None:
        """The pause read once more, in the transcript's words once they reach it; its cue, if it finds one (a
        holding cue gives way only to a closing one: the quick hearing may have made it up, see _reread_widened)."""
        assert self.written is not None
        written = self.written(max(0.0, speech_end - self.options.recent_seconds))
        if written is None or written.speech_end < speech_end - self.options.heard_slack:
            return  # not transcribed that far yet
        self._reread = True
        cue = cue_of(written.text, self.cues)
        if cue is Cue.CLOSING or cue is Cue.HOLDING and self.cue is Cue.NONE:
            self.cue, self.words = cue, last_sentence(written.text)
            self.readings.append(Reading(speech_end, now, cue, self.words, ReadIn.TRANSCRIPT))

    @property
    def wait(self) -> Wait | None:
        holding = Wait(max(self.options.patience, self.listen.end_silence), SILENCE)
        if self.cue is Cue.CLOSING:
            return Wait(self.options.closing_pause, CLOSING_CUE)
        if self.cue is Cue.HOLDING:
            return holding
        if self.heard is not None and self._speech_end is not None and not self._judged:
            return holding  # its words are not heard yet: no end until they are, or patience runs out
        return None

    def prompt(self, silence: float) -> Utterance | None:
        """Once per answer, into a silence of the persona's length, never after a closing cue."""
        after = self.options.prompt_after
        if self.prompted or after is None or self.cue is Cue.CLOSING or silence < after:
            return None
        self.prompted = True
        say, reason = silence_prompt()
        words = f" after \"{self.words}\"" if self.words else ""
        return Utterance(TurnKind.SILENCE_PROMPT, say, reason.format(seconds=f"{after:g}", words=words))
