"""One spoken answer, stepped block by block: recorded, gated, transcribed, ended, and talked over.

The interview hands each microphone block to step(), which says why the answer ended (or None to go on);
everything that happens to a block happens here, in one order, so a test can step an answer by hand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from simulator.audio import AudioChunk, WavWriter
from simulator.config import ListenSettings
from simulator.hearing.endpoint import ENTER, Endpointer
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.floor import Floor
from simulator.interviewer.midanswer import MidAnswer
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.judging.followups import FollowUp
from simulator.ports import Transcriber
from simulator.sessions.record import Turn


@dataclass(frozen=True)
class Live:
    """The parts every spoken answer of a session shares."""

    speaker: Speaker
    transcriber: Transcriber
    hearing: VoiceActivity  # one voice-activity pass per block, shared
    floor: Floor
    listen: ListenSettings
    enter: threading.Event


@dataclass(frozen=True)
class Ahead:
    """A follow-up will come: what to choose, and say first, so the voice has it ready when the answer ends."""

    choose: Callable[[], FollowUp | None]
    acknowledgement: Callable[[], str]


class AnswerRecorder:
    """One answer: each block into the recording, past the floor into the transcriber, to the endpointer, and
    at a pause to whatever the interviewer says mid-answer."""

    def __init__(self, live: Live, log: SessionLog, turn: Turn, writer: WavWriter, number: int,
                 ahead: Ahead | None = None) -> None:
        self.live = live
        self.log = log
        self.turn = turn
        self.writer = writer
        self.number = number
        self.ahead = ahead
        self.endpointer = Endpointer(live.listen, live.hearing)
        live.floor.begin(walkthrough=number == 1)
        self.talk = MidAnswer(log, live.speaker, live.floor, turn, self.endpointer)
        self._began: float | None = None  # clock time of the answer's second zero
        self._drafted = 0  # segments the follow-up was last chosen on

    def step(self, chunk: AudioChunk) -> str | None:
        """Take one microphone block; return why the answer ended, or None to keep listening."""
        live = self.live
        speaker = live.speaker
        chunk = live.hearing.hear(chunk)
        if self._began is None:
            self._began = speaker.clock.now() - chunk.end
            speaker.screen.listening(self.number)
            if self.ahead is not None:
                speaker.voice.prepare(self.ahead.acknowledgement())
        self.writer.write(chunk.samples)  # the recording is whole: the interviewer's voice too
        self.talk.hear(chunk)
        heard = live.floor.hear(chunk)
        live.transcriber.feed(heard)
        speaker.screen.progress(chunk.end, chunk.level_dbfs)
        ended = self.endpointer.update(heard) or (ENTER if live.enter.is_set() else None)
        if ended:
            return ended
        said = None if self.talk.speaking else live.floor.at_pause(live.transcriber.partial(),
                                                                   speaker.clock.now() - self._began,
                                                                   live.transcriber.heard)
        if said is not None:
            self.talk.say(said, chunk.end)
        if self.ahead is not None:
            self._prepare_followup(self.ahead)
        return None

    def _prepare_followup(self, ahead: Ahead) -> None:
        """Whenever more of the answer is transcribed, choose the follow-up again and have the voice ready."""
        segments = self.live.transcriber.partial()
        if len(segments) == self._drafted:
            return
        self._drafted = len(segments)
        self.log.draft(self.turn, segments)
        followup = ahead.choose()
        if followup is not None:
            voice = self.live.speaker.voice
            voice.prepare(followup.question)
            voice.prepare(ahead.acknowledgement())  # kept ready beside it

    def close(self, abort: bool = False) -> None:
        """The answer is over: the voice finishes its sentence, or on abort is silenced at once."""
        self.talk.close(abort)
