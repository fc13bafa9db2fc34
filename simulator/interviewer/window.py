"""The moment after a closing sentence, when the candidate may still go on.

"...and that's my design." ends an answer after a short pause, but people often add "actually, one more
thing" a second later. For TurnOptions.resume_window after such an end the microphone stays open: the
interviewer replies as it would (an acknowledgement if the transcript is slow, the follow-up once it is in),
spoken over the open microphone, and the candidate's speech (sustained, as the voice detector hears it, past
the echo gate, so neither a cough nor the interviewer's own voice) stops the voice, withholds or withdraws the
follow-up, and the same answer goes on. A follow-up heard to its end closes the window: what follows is the
reply. What the window hears is held back, and reaches the recording and the transcriber only if the answer
goes on, so an answer that stays ended keeps its own length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.audio import AudioChunk
from simulator.hearing.pauses import Block
from simulator.interviewer.midanswer import MidAnswer
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.timekeeper import Utterance
from simulator.judging.followups import FollowUp
from simulator.ports import NO_TRACE, Tracer, Transcriber
from simulator.sessions.record import Turn, TurnKind
from simulator.vocab import Traced

WITHDRAWN = "stopped when the candidate went on with the answer"
GOING_ON_BLOCKS = 3  # blocks in a row of sustained speech that go on with the answer: 0.3 s, not a cough or typing


@dataclass
class Window:
    """One window, opened at `opened` (answer seconds, where the closing pause ran out), open until `until`."""

    opened: float
    until: float
    held: list[tuple[AudioChunk, AudioChunk]] = field(default_factory=list)  # (as recorded, as gated)
    acknowledged: bool = False
    chosen: bool = False  # the follow-up was chosen (None included: nothing to ask)
    followup: FollowUp | None = None
    asked: Turn | None = None  # the follow-up's turn, once the voice began it
    speaking: int = 0  # blocks in a row of the candidate's sustained speech

    def due(self, block: Block) -> bool:
        return block.end >= self.until


@dataclass(frozen=True)
class Reply:
    """What the interviewer says in the window: the acknowledgement, and the follow-up chosen on every word."""

    acknowledgement: Callable[[], str]
    choose: Callable[[], FollowUp | None]
    reply_within: float | None  # the transcript not in by then: acknowledge first


class ResumeWatch:
    """One answer's windows: opened at a closing-cue end, each ending for good or going on with the answer."""

    def __init__(self, seconds: float, talk: MidAnswer, log: SessionLog, transcriber: Transcriber,
                 reply: Reply | None, trace: Tracer = NO_TRACE) -> None:
        self.seconds = seconds
        self.trace = trace
        self.talk = talk
        self.log = log
        self.transcriber = transcriber
        self.reply = reply
        self.window: Window | None = None
        self.resumes: list[float] = []  # answer seconds at which the answer went on
        self.acknowledged = False  # the last window said "Okay." already: the reply after it says it no more

    @property
    def open(self) -> bool:
        return self.window is not None

    def opens(self) -> bool:
        """Whether a closing-cue end opens a window rather than ending the answer."""
        return self.seconds > 0

    def begin(self, at: float) -> None:
        self.window = Window(at, at + self.seconds)

    def hold(self, recorded: AudioChunk, gated: AudioChunk) -> None:
        assert self.window is not None
        self.window.held.append((recorded, gated))

    def goes_on(self, block: Block) -> bool:
        """The candidate speaks again, and the follow-up is not yet heard to its end."""
        window = self.window
        if window is None or self.heard_out():
            return False
        window.speaking = window.speaking + 1 if block.sustained and block.speech else 0
        return window.speaking >= GOING_ON_BLOCKS

    def heard_out(self) -> bool:
        """The follow-up has been put to its end: the candidate's next words are the reply."""
        window = self.window
        return window is not None and window.asked is not None and not self.talk.speaking

    def over(self, block: Block) -> bool:
        """The window closes: its time is up, or the question has been put."""
        window = self.window
        return window is not None and (self.heard_out() or (window.due(block) and not self._acknowledging()))

    def _acknowledging(self) -> bool:
        window = self.window
        return window is not None and window.asked is None and self.talk.speaking

    def speak(self, block: Block) -> None:
        """The reply, as the interviewer gives it after an answer: the follow-up once the last words are heard
        (transcribed, or caught by the quick hearing), "Okay." first when that takes too long."""
        window, reply = self.window, self.reply
        if window is None or reply is None or window.chosen or self.talk.speaking:
            return
        draft = self.transcriber.draft(0)
        if draft is None:
            late = reply.reply_within is not None and block.end - window.opened >= reply.reply_within
            if late and not window.acknowledged:
                window.acknowledged = self.acknowledged = True
                self.talk.say(Utterance(TurnKind.ACKNOWLEDGEMENT, reply.acknowledgement(), "", window.opened),
                              block.end, stoppable=False)
            return
        on = "transcript" if self.transcriber.settle(0) else "heard"
        self.log.draft(self.talk.answer, draft)
        window.chosen, window.followup = True, reply.choose()
        self.trace.event(Traced.FOLLOWUP, target=window.followup.target if window.followup is not None else None,
                         on=on)
        if window.followup is not None:
            followup = window.followup
            window.asked = self.talk.say(Utterance(TurnKind.FOLLOWUP, followup.question, followup.reason,
                                                   window.opened, target=followup.target), block.end,
                                         stoppable=False)

    def resume(self, at: float) -> list[tuple[AudioChunk, AudioChunk]]:
        """The answer goes on: the voice stops, a follow-up begun is withdrawn; the held audio, to catch up on."""
        window = self.window
        assert window is not None
        self.talk.stop(at, WITHDRAWN)
        if window.asked is not None:
            self.log.withdrawn(window.asked)
        self.resumes.append(round(at, 3))
        self.window, self.acknowledged = None, False
        return window.held

    def close(self) -> FollowUp | None:
        """The window ends for good: the follow-up it put, if any."""
        window, self.window = self.window, None
        return window.followup if window is not None and window.asked is not None else None
