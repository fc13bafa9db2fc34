"""Answering the candidate's clarifying questions during the walkthrough.

The candidate asks ("how many users should I plan for? do we need custom aliases?") and pauses; the
interviewer answers every part from the question's fact sheet in one breath, in the order asked. Only
questions that end what was said before a pause of about a second are answered: a question the candidate
goes straight on from is theirs to answer (rhetorical), and so is one that asks nothing of the interviewer
("what breaks first?"), and a clause heard after a pause ("..., which meant dealers were losing leads") is
the end of the sentence before it, never a question of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.audio import AudioChunk
from simulator.config import INTERVIEWER, InterviewerSettings
from simulator.hearing.pauses import Block
from simulator.hearing.vad import block_is_speech
from simulator.interviewer.asking import FRAME, asked_in, asked_part, form_of, trailing_questions
from simulator.interviewer.factsheets import FactSheet, handback
from simulator.transcript import Heard, Segment

PAUSE_SECONDS = INTERVIEWER.question_pause  # the default, for those that time a session against it


@dataclass(frozen=True)
class Clarification:
    """The interviewer's reply to the questions asked in one breath."""

    questions: tuple[str, ...]
    text: str
    covered: bool  # the sheet answered at least one of them


def reply(questions: Sequence[str], sheet: FactSheet) -> Clarification:
    """One short answer to every question, in the order asked; what the sheet does not cover is handed back
    in words that fit the question's kind and form."""
    answers: list[str] = []
    rest = 0
    covered = False
    parts = [part for asked in questions for part in asked_in(asked, sheet)]
    for question in parts:
        match = sheet.match(FRAME.sub(" ", asked_part(question)))
        if match.answer is None:
            match = sheet.match(FRAME.sub(" ", question))
        if match.answer is not None:
            covered = True
            said = match.answer
        elif form_of(question) is not None:
            said = handback(kind=sheet.kind, form=form_of(question))
        else:
            rest += 1
            continue
        if said not in answers:
            answers.append(said)
    if not answers:
        return Clarification(tuple(questions), handback(kind=sheet.kind), False)
    if rest:
        answers.append(handback(partial=True, kind=sheet.kind))
    return Clarification(tuple(questions), " ".join(answers), covered)


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
