"""One spoken answer, stepped block by block: recorded, gated, transcribed, ended, and talked over.

The interview hands each microphone block to step(), which says why the answer ended (or None to go on);
everything that happens to a block happens here, in one order, so a test can step an answer by hand. After a
closing sentence the answer may still go on for a moment (window.py): its blocks are held back meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from simulator.audio import AudioChunk, WavWriter
from simulator.config import ListenSettings, TurnOptions
from simulator.hearing.endpoint import CLOSING_CUE, ENTER, SILENCE, TIME_LIMIT, Endpointer
from simulator.hearing.pauses import Block, Pauses, SpeechEnded, SpeechStarted
from simulator.hearing.vad import VoiceActivity
from simulator.interviewer.analyst import WAIT_SECONDS, Analyst
from simulator.interviewer.floor import Floor
from simulator.interviewer.midanswer import MidAnswer
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.interviewer.turn_end import TurnEnd
from simulator.interviewer.window import Reply, ResumeWatch
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
                                probing=getattr(live.transcriber, "probing", False),
                                written=live.transcriber.written, reheard=live.transcriber.rehear)
        reply = None
        if ahead is not None:
            chooser = ahead.chooser
            reply = Reply(ahead.acknowledgement, lambda: chooser()(), live.listen.reply_within)
        self.watch = ResumeWatch(live.turns.resume_window, self.talk, log, live.transcriber, reply, live.trace)
        self.announced = False  # the end was shown and traced when the closing pause ran out (window.py)
        self.ended_at: float | None = None  # clock time it did, what the reply's wait is counted from
        self.replied: FollowUp | None = None  # the follow-up put in the window, when the answer stayed ended
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
        heard = live.floor.gate(chunk)
        if not self.watch.open:
            self.writer.write(chunk.samples)  # the recording is whole: the interviewer's voice too
        block = self.pauses.block(heard)
        for event in block.events:
            if isinstance(event, (SpeechStarted, SpeechEnded)):
                live.trace.event(Traced.SPEECH if isinstance(event, SpeechStarted) else Traced.PAUSE, at=event.at)
        self.talk.hear(block)
        live.floor.take(block)
        if self.watch.open:
            return self._in_window(chunk, heard, block)
        live.transcriber.feed(heard)
        speaker.screen.progress(chunk.end, chunk.level_dbfs)
        self.endpointer.wait = self.turn_end.take(block)
        ended = self.endpointer.take(block) or (ENTER if live.enter.is_set() else None)
        if ended == SILENCE and self.turn_end.fresh:
            ended = None  # its words came in only now, the silence long run out: the floor may answer them first
        if ended == CLOSING_CUE and self.watch.opens():
            self._open_window(block)
            return None
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

    def _open_window(self, block: Block) -> None:
        """The closing pause ran out: the answer is over unless the candidate goes on within the window."""
        live = self.live
        self.watch.begin(block.end)
        self.announced = True
        self.ended_at = live.speaker.clock.now()
        read = self.turn_end.readings[-1] if self.turn_end.readings else None
        live.trace.event(Traced.ANSWER_END, reason=CLOSING_CUE, at=block.end, window=self.watch.seconds,
                         words=read.words if read else "", read_in=str(read.read_in) if read else "")
        live.transcriber.flush()  # the last piece is transcribed meanwhile, for the reply
        live.speaker.screen.answer_done(block.end, CLOSING_CUE)

    def _in_window(self, chunk: AudioChunk, heard: AudioChunk, block: Block) -> str | None:
        """A block after the closing pause: held back; the reply goes on, unless the candidate does."""
        watch, live = self.watch, self.live
        watch.hold(chunk, heard)
        self.endpointer.wait = self.turn_end.take(block)
        limit = self.endpointer.take(block) == TIME_LIMIT
        if watch.goes_on(block):
            self._go_on(block)
            return None
        if watch.over(block) or limit or live.enter.is_set():
            self.replied = watch.close()
            return CLOSING_CUE
        watch.speak(block)
        return None

    def _go_on(self, block: Block) -> None:
        """The same answer goes on: what the window held reaches the recording and the transcriber."""
        live = self.live
        stopped = self.talk.speaking
        held = self.watch.resume(block.end)
        self.announced, self.ended_at = False, None
        live.trace.event(Traced.RESUMED, at=block.end, stopped=stopped)
        live.speaker.screen.listening(self.number)
        for recorded, gated in held:
            self.writer.write(recorded.samples)
            live.transcriber.feed(gated)
        live.speaker.screen.progress(block.end, held[-1][0].level_dbfs if held else -100.0)

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
        if self.watch.open:
            self.replied = self.watch.close()
        self.talk.close(abort)
        if not abort:
            self._have_ready(wait=True)
        self._choosing = None
        self.analyst.close()
