"""Answering the candidate's clarifying questions during the walkthrough.

The candidate asks ("how many users should I plan for? do we need custom aliases?") and pauses; the
interviewer answers from the question's fact sheet in one breath. Only questions that end what was said
before a pause of about a second are answered: a question the candidate goes straight on from is theirs
to answer (rhetorical), and so is one that asks nothing of the interviewer ("what breaks first?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.audio import AudioChunk
from simulator.config import INTERVIEWER, InterviewerSettings
from simulator.hearing.pauses import Block
from simulator.hearing.vad import block_is_speech
from simulator.interviewer.factsheets import FactSheet, handback
from simulator.text import split_sentences
from simulator.transcript import Heard, Segment

PAUSE_SECONDS = INTERVIEWER.question_pause  # the default, for those that time a session against it
STRAY_WORDS = 6
STRAY_SHORT = 2  # "It is.", "Thank you." after a question

# Openings and phrases that put a question to the interviewer rather than to oneself.
ASKING = re.compile(
    r"^(do|does|did|should|shall|can|could|would|will|is|are|am|may|how many|how much|how big|how long|"
    r"how fast|how often|who|which|what is the|what's the|what are the|what kind|what about|when|where|any)\b|"
    r"\b(should i|should we|do we|do i|can i|can we|do you|would you|are we|am i|is it ok|is there|are there|"
    r"i'm wondering|i am wondering|i wonder|i was wondering|i'd like to know|i would like to know|"
    r"could you tell|can you tell|let me ask|quick question|is that right|is that fair|"
    r"can i assume|should i assume|may i assume)\b")
INDIRECT = re.compile(r"\b(i'm wondering|i am wondering|i wonder|i was wondering|i'd like to know|"
                      r"i would like to know|could you tell me|can you tell me)\b")

LEAD_IN = re.compile(r"^((so|and|but|okay|ok|also|then|um|uh|well|right|first|one more thing|another thing)[,.]?\s+)+")

INVERTED = re.compile(r"(do|does|did|should|shall|can|could|would|will|is|are|am|may) (we|i|you|it|they|the|links?|"
                      r"users?|messages?|this|there|that|analytics)\b|how (many|much|long|big|fast|often) ")
JOINED = re.compile(r",?\s+(?:and|also|plus)\s+", re.IGNORECASE)  # where a second question may be joined on


@dataclass(frozen=True)
class Clarification:
    """The interviewer's reply to the questions asked in one breath."""

    questions: tuple[str, ...]
    text: str
    covered: bool  # the sheet answered at least one of them


def is_question(sentence: str) -> bool:
    """A sentence that asks: a question mark, a question put indirectly ("I'm wondering whether..."), or one
    that opens as only a question does ("Do we need...", "Should links..."), which whisper sometimes writes
    with a full stop when the voice does not rise."""
    lowered = sentence.lower().strip()
    return lowered.endswith("?") or bool(INDIRECT.search(lowered)) or bool(INVERTED.match(LEAD_IN.sub("", lowered)))


def asks_interviewer(sentence: str, sheet: FactSheet) -> bool:
    """A question put to the interviewer, not one the candidate asks themself on the way."""
    lowered = LEAD_IN.sub("", sentence.lower().strip())
    return bool(ASKING.search(lowered)) or sheet.addressed(sentence)


def trailing_questions(text: str, sheet: FactSheet) -> list[str]:
    """The questions at the end of what was said, several in a row counted as one breath; none when the
    last sentence is not a question put to the interviewer (the candidate went on, or asked themself)."""
    found: list[str] = []
    said = split_sentences(text)
    while len(said) > 1 and (len(said[-1].split()) <= STRAY_SHORT or
                             (len(said[-1].split()) <= STRAY_WORDS and said[-1][-1] not in ".?!")):
        said.pop()  # a word or two, or a few unpunctuated ones, at the very end: whisper writing into the pause
    for sentence in reversed(said):
        if not is_question(sentence):
            break
        found.append(sentence)
    found.reverse()
    if not found or not asks_interviewer(found[-1], sheet):
        return []
    return [q for q in found if asks_interviewer(q, sheet)]


def asked_in(question: str, sheet: FactSheet) -> list[str]:
    """The questions one sentence asks: "How many users should I plan for and do we need custom aliases?" is two.

    Whisper writes two questions heard in one decoding as one sentence often enough (a quick hearing of two
    spans joined because the worker was busy, the transcript of a whole buffer), and the sheet answers one
    sentence with its one best match. It is split where "and" joins on what opens as a question itself, and
    only when the sheet knows about each half; otherwise it stays one question.
    """
    for joint in JOINED.finditer(question):
        head, tail = question[:joint.start()].strip(), question[joint.end():].strip()
        if (head and INVERTED.match(LEAD_IN.sub("", tail.lower())) and sheet.addressed(head)
                and sheet.addressed(tail)):
            return [head, *asked_in(tail, sheet)]
    return [question]


def reply(questions: Sequence[str], sheet: FactSheet) -> Clarification:
    """One short answer to every question; what the sheet does not cover is handed back to the candidate."""
    answers: list[str] = []
    missing = 0
    for question in (part for asked in questions for part in asked_in(asked, sheet)):
        match = sheet.match(question)
        if match.answer is None:
            missing += 1
        elif match.answer not in answers:
            answers.append(match.answer)
    if not answers:
        return Clarification(tuple(questions), handback(), False)
    if missing:
        answers.append(handback(partial=True))
    return Clarification(tuple(questions), " ".join(answers), True)


def words_since(segments: Sequence[Segment], since: float, until: float | None = None,
                stray_slack: float = INTERVIEWER.stray_slack) -> tuple[str, float]:
    """The text said after `since` (seconds into the answer), and where its last word ends. Words starting
    after `until` (where the voice detector heard the speech stop) are whisper writing into the pause
    ("It is.", "Thank you.") and are left out."""
    words: list[str] = []
    last = since
    for segment in segments:
        if segment.words:
            for word in segment.words:
                if until is not None and word.start > until + stray_slack:
                    last = max(last, word.end)
                    continue
                if word.start >= since - 0.05:
                    words.append(word.word.strip())
                    last = max(last, word.end)
        elif segment.start >= since - 0.05:
            words.append(segment.text.strip())
            last = max(last, segment.end)
    return " ".join(w for w in words if w), last


class QuestionWatch:
    """Follows the answer block by block and says when a question has been asked and left for the interviewer.

    hear() takes each microphone block; at a pause of settings.question_pause after speech, check() looks at the
    transcript so far and, once it has caught up with the speech before the pause, returns the reply, or
    None when nothing there was asked of the interviewer. Each stretch of speech is judged once; one still
    being transcribed when the candidate speaks again is judged at the next pause, with what followed it.
    """

    def __init__(self, sheet: FactSheet, settings: InterviewerSettings = INTERVIEWER) -> None:
        self.sheet = sheet
        self.settings = settings
        self.pause = settings.question_pause
        self.since = 0.0  # everything said before this was judged already
        self.speech_end: float | None = None  # where the latest speech not yet judged stopped
        self.now = 0.0

    def hear(self, chunk: AudioChunk, voice: bool | None = None) -> None:
        """One block of the answer; voice says whether it is the candidate's speech (default: its voice frames)."""
        self.now = chunk.end
        speaking = block_is_speech(chunk.voice) if voice is None and chunk.voice is not None else bool(voice)
        if speaking:
            self.speech_end = chunk.end

    def take(self, block: Block) -> None:
        """One block as heard once for the whole loop (pauses.py)."""
        self.now = block.end
        if block.speech:
            self.speech_end = block.end

    def skip(self, until: float) -> None:
        """Nothing before this is the candidate's to be answered (the interviewer was speaking)."""
        self.since = max(self.since, until)
        if self.speech_end is not None and self.speech_end <= until:
            self.speech_end = None

    @property
    def due(self) -> bool:
        """A pause long enough after speech not yet judged."""
        return self.speech_end is not None and self.now - self.speech_end >= self.pause

    def check(self, segments: Sequence[Segment], heard: Heard | None = None) -> Clarification | None:
        """At a pause: the reply to the questions just asked, or None (nothing asked, or not heard yet).

        heard, the quick hearing of the speech since the last judgement (probe.py), is used once it reaches
        the pause; otherwise the transcript, once it has caught up.
        """
        if not self.due or self.speech_end is None:
            return None
        if heard is not None and heard.text and heard.speech_end >= self.speech_end - self.settings.heard_slack:
            text, last = heard.text, self.speech_end
        else:
            text, last = words_since(segments, self.since, self.speech_end, self.settings.stray_slack)
        if last < self.speech_end - self.settings.caught_up_slack:
            # still being transcribed: look again next block, for as long as the candidate waits; once they
            # speak again the question is theirs, and the next pause judges it with what followed
            return None
        self.since, self.speech_end = max(self.speech_end, last), None
        questions = trailing_questions(text, self.sheet)
        return reply(questions, self.sheet) if questions else None
