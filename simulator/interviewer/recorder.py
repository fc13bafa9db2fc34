"""One spoken answer, stepped block by block: recorded, gated, transcribed, ended, and talked over.

The interview hands each microphone block to step(), which says why the answer ended (or None to go on);
everything that happens to a block happens here, in one order, so a test can step an answer by hand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from simulator.audio import AudioChunk, WavWriter
from simulator.config import ListenSettings, TurnOptions
from simulator.hearing.endpoint import ENTER, Endpointer
from simulator.hearing.pauses import Pauses, SpeechEnded, SpeechStarted
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.analyst import WAIT_SECONDS, Analyst
from simulator.interviewer.floor import Floor
from simulator.interviewer.midanswer import MidAnswer
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.interviewer.turn_end import TurnEnd
from simulator.judging.followups import FollowUp
from simulator.ports import NO_TRACE, Tracer, Transcriber
from simulator.sessions.record import Turn
from simulator.vocab import Traced


@dataclass(frozen=True)
class Live:
    """The parts every spoken answer of a session shares."""

    speaker: Speaker
    transcriber: Transcriber
    hearing: VoiceActivity  # one voice-activity pass per block, shared
    floor: Floor
    listen: ListenSettings
    enter: threading.Event
    trace: Tracer = NO_TRACE
    turns: TurnOptions = TurnOptions()  # when the words before a pause end the answer (turn_end.py)


@dataclass(frozen=True)
class Ahead:
    """A follow-up will come: what to choose, and say first, so the voice has it ready when the answer ends."""

    chooser: Callable[[], Callable[[], FollowUp | None]]  # the choice on what was said so far, to run on another thread
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
        # each block heard once, for the endpointer, the floor and the voice
        self.pauses = Pauses(live.hearing, barge_in=live.floor.settings.barge_in_blocks)
        live.floor.begin(walkthrough=number == 1)
        self.talk = MidAnswer(log, live.speaker, live.floor, turn, self.endpointer, self.pauses)
        self.analyst = Analyst(live.floor.kind)
        self.turn_end = TurnEnd(live.turns, live.listen, live.transcriber.heard,
                                probing=getattr(live.transcriber, "probing", False))
        self._began: float | None = None  # clock time of the answer's second zero
        self._transcribed = 0  # segments of the transcript so far, when last looked
        self._choosing: Future[FollowUp | None] | None = None  # the follow-up being chosen off this thread

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
        heard = live.floor.gate(chunk)
        block = self.pauses.block(heard)
        for event in block.events:
            if isinstance(event, (SpeechStarted, SpeechEnded)):
                live.trace.event(Traced.SPEECH if isinstance(event, SpeechStarted) else Traced.PAUSE, at=event.at)
        self.talk.hear(block)
        live.floor.take(block)
        live.transcriber.feed(heard)
        speaker.screen.progress(chunk.end, chunk.level_dbfs)
        self.endpointer.wait = self.turn_end.take(block)
        ended = self.endpointer.take(block) or (ENTER if live.enter.is_set() else None)
        if ended:
            return ended
        partial = live.transcriber.partial()
        more = len(partial) != self._transcribed
        self._transcribed = len(partial)
        if more and live.floor.interjects:
            self.analyst.analyse(partial)  # ready, or nearly, by the time the pause is long enough to speak into
        said = None if self.talk.speaking else (
            live.floor.at_pause(partial, speaker.clock.now() - self._began, live.transcriber.heard,
                                self.analyst.analysis) or self.turn_end.prompt(self.endpointer.silence))
        if said is not None:
            self.talk.say(said, chunk.end)
        if self.ahead is not None:
            if more:  # more of the answer is transcribed: choose the follow-up again, off this thread
                self.log.draft(self.turn, partial)
                self._choosing = self.analyst.run(self.ahead.chooser())
            self._have_ready(wait=False)
        return None

    def _have_ready(self, wait: bool) -> None:
        """The follow-up chosen last, and the acknowledgement said before it, made ready in the voice."""
        choosing = self._choosing
        if self.ahead is None or choosing is None or not (wait or choosing.done()):
            return
        self._choosing = None
        followup = choosing.result(WAIT_SECONDS)
        if followup is not None:
            voice = self.live.speaker.voice
            voice.prepare(followup.question)
            voice.prepare(self.ahead.acknowledgement())  # kept ready beside it

    def close(self, abort: bool = False) -> None:
        """The answer is over: the voice finishes its sentence, and the follow-up is ready; on abort the voice is
        silenced at once and nothing more is prepared."""
        self.talk.close(abort)
        if not abort:
            self._have_ready(wait=True)
        self._choosing = None
        self.analyst.close()
