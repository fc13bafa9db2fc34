"""The interviewer speaking during an answer, while the candidate's recording goes on.

With a voice that can play on its own thread (the real ones), the loop keeps reading the microphone while
it speaks: through speakers the floor holds back from the transcriber what the microphone hears of the
voice; with headphones, the candidate talking over the voice stops it at once (two blocks of speech, then
the player aborts within a block). Voices that only speak to the end (their begin() says so by returning
nothing) speak in place, and the microphone's queue keeps what it heard meanwhile.
"""

from __future__ import annotations

from simulator.hearing.endpoint import Endpointer
from simulator.hearing.pauses import BargeIn, Block, Pauses, VoiceStopped
from simulator.interviewer.floor import Floor
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.interviewer.timekeeper import Utterance
from simulator.ports import Speaking
from simulator.sessions.record import Turn


class MidAnswer:
    """One answer's mid-answer turns: at most one playing at a time."""

    def __init__(self, log: SessionLog, speaker: Speaker, floor: Floor, answer: Turn, endpointer: Endpointer,
                 pauses: Pauses) -> None:
        self.log = log
        self.pauses = pauses
        self.speaker = speaker
        self.answer = answer
        self.endpointer = endpointer
        self.floor = floor
        self._playing: Speaking | None = None  # the voice now playing
        self._turn: Turn | None = None

    @property
    def speaking(self) -> bool:
        return self._turn is not None

    def say(self, said: Utterance, at: float, stoppable: bool | None = None) -> Turn:
        """Speak now (at: answer seconds); the candidate gets a whole end silence after the voice stops.
        stoppable: whether two blocks of speech over it stop it (default: with headphones); the window after a
        closing sentence stops it itself, on sustained speech only (window.py)."""
        spoken, self._playing = self.speaker.begin(said.text)
        start = at + (spoken.heard - spoken.before)  # rendering, if it was not ready
        turn = self.log.keep_turn(said.text, spoken.clip, self.answer.start + start, said.kind, said.reason or None,
                                  said.target)
        self._placed(turn, said)
        if self._playing is not None:
            self._turn = turn
            self.pauses.voice_started(start, start + turn.seconds,
                                      stoppable=self.floor.headphones if stoppable is None else stoppable)
        return turn

    def stop(self, at: float, why: str) -> None:
        """Silence the voice now, if it plays (at: answer seconds): what follows is the candidate's."""
        if self._playing is None or self._turn is None:
            return
        self._playing.stop()
        self.pauses.voice_stopped()
        self.floor.cut(at)
        self.endpointer.hold(at)
        self.log.stopped(self._turn, self.answer.start + at, why)
        self._turn = self._playing = None

    def _placed(self, turn: Turn, said: Utterance) -> None:
        start = turn.start - self.answer.start
        self.endpointer.hold(self.floor.spoke(start, turn.seconds))
        # from the candidate's last word to the voice: what the candidate waited
        self.log.placed(turn, start - said.after if said.after is not None else None)

    def hear(self, block: Block) -> None:
        """Each block while the voice plays: it ends, or (with headphones) the candidate speaking stops it."""
        if self._turn is None:
            return
        if block.has(VoiceStopped):
            self._turn = self._playing = None
        elif block.has(BargeIn) and self._playing is not None:
            self._playing.stop()
            self.floor.cut(block.end)
            self.endpointer.hold(block.end)
            self.log.stopped(self._turn, self.answer.start + block.end, "stopped when the candidate spoke over it")
            self._turn = self._playing = None

    def close(self, abort: bool = False) -> None:
        """The answer is over: let the voice finish its sentence (the next turn must not talk over it); on
        Ctrl-C or a fault (abort), silence it at once."""
        if self._playing is not None:
            if abort:
                self._playing.stop()
            else:
                self._playing.wait(self._turn.seconds + 5.0 if self._turn is not None else 5.0)
        self._turn = self._playing = None
