"""The interviewer speaking during an answer, while the candidate's recording goes on.

With a voice that can play on its own thread (the real ones), the loop keeps reading the microphone while
it speaks: through speakers the floor holds back from the transcriber what the microphone hears of the
voice; with headphones, the candidate talking over the voice stops it at once (two blocks of speech, then
the player aborts within a block). Voices that only speak to the end (the test fakes, --no-voice) speak
in place, and the microphone's queue keeps what it heard meanwhile.
"""

from __future__ import annotations

from typing import Any

from simulator.audio import AudioChunk
from simulator.hearing.endpoint import Endpointer
from simulator.hearing.vad import block_is_speech
from simulator.interviewer.floor import Floor
from simulator.interviewer.session_log import SessionLog
from simulator.interviewer.speaker import Speaker
from simulator.interviewer.timekeeper import Utterance
from simulator.sessions.record import Turn

BARGE_IN_BLOCKS = 2  # blocks of the candidate's speech over the voice that stop it: 0.2 s, not a cough


class MidAnswer:
    """One answer's mid-answer turns: at most one playing at a time."""

    def __init__(self, log: SessionLog, speaker: Speaker, floor: Floor, answer: Turn, endpointer: Endpointer) -> None:
        self.log = log
        self.speaker = speaker
        self.answer = answer
        self.endpointer = endpointer
        self.floor = floor
        self._playing: Any = None  # the Speaking handle of the voice now playing
        self._turn: Turn | None = None
        self._until = 0.0  # answer seconds the voice plays to
        self._over = 0  # consecutive blocks of the candidate speaking over it

    @property
    def speaking(self) -> bool:
        return self._turn is not None

    def say(self, said: Utterance, at: float) -> None:
        """Speak now (at: answer seconds); the candidate gets a whole end silence after the voice stops."""
        speaker = self.speaker
        begin = getattr(speaker.voice, "begin", None)
        if begin is None:
            spoken = speaker.say(said.text)
            start = at + (spoken.heard - spoken.before)
            turn = self.log.keep_turn(said.text, spoken.clip, self.answer.start + start, said.kind, said.reason)
            self._placed(turn, said)
            return
        speaker.screen.question("", said.text)
        before = speaker.clock.now()
        self._playing = begin(said.text)
        start = at + (speaker.clock.now() - before)  # rendering, if it was not ready
        clip = self._playing.clip
        turn = self.log.keep_turn(said.text, clip, self.answer.start + start, said.kind, said.reason)
        self._placed(turn, said)
        self._turn, self._until, self._over = turn, start + turn.seconds, 0

    def _placed(self, turn: Turn, said: Utterance) -> None:
        start = turn.start - self.answer.start
        self.endpointer.hold(self.floor.spoke(start, turn.seconds))
        # from the candidate's last word to the voice: what the candidate waited
        self.log.placed(turn, start - said.after if said.after is not None else None)

    def hear(self, chunk: AudioChunk) -> None:
        """Each microphone block while the voice plays: with headphones, the candidate speaking stops it."""
        if self._turn is None:
            return
        if chunk.timestamp >= self._until:
            self._turn = self._playing = None
            return
        if not self.floor.headphones or chunk.voice is None:
            return
        self._over = self._over + 1 if block_is_speech(chunk.voice) else 0
        if self._over >= BARGE_IN_BLOCKS:
            self._playing.stop()
            self.floor.cut(chunk.end)
            self.endpointer.hold(chunk.end)
            self.log.stopped(self._turn, self.answer.start + chunk.end, "stopped when the candidate spoke over it")
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
