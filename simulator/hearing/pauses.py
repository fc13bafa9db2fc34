"""Where speech starts and stops, heard once per block and passed on as events.

The endpointer, the floor, the question watch and the mid-answer turns all ask the same questions of each
block: is it speech, where did the speech stop, is the interviewer's voice still playing, is the candidate
talking over it? Pauses answers them once, from the voice-activity verdict the block already carries
(vad.py), and each of them reads the answer instead of deriving its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.audio import AudioChunk
from simulator.hearing.vad import SustainedSpeech, VoiceActivity, block_is_speech

BARGE_IN_BLOCKS = 2  # blocks of the candidate's speech over the voice that stop it: 0.2 s, not a cough


@dataclass(frozen=True)
class SpeechStarted:
    at: float  # answer seconds: the start of the first block of speech


@dataclass(frozen=True)
class SpeechEnded:
    at: float  # answer seconds: the end of the last block of speech


@dataclass(frozen=True)
class VoiceStarted:
    """The interviewer's voice began to play; it plays until `until` unless stopped."""

    at: float
    until: float


@dataclass(frozen=True)
class VoiceStopped:
    at: float  # the voice has played to its end


@dataclass(frozen=True)
class BargeIn:
    at: float  # the candidate has spoken over the voice long enough to stop it


Event = SpeechStarted | SpeechEnded | VoiceStarted | VoiceStopped | BargeIn


@dataclass(frozen=True)
class Block:
    """One block as heard: whether it is speech, where the latest speech ended, and what changed with it."""

    timestamp: float
    end: float
    speech: bool  # enough voiced frames in this block
    sustained: bool  # most of the last half second voiced: speech, not a fan (SustainedSpeech)
    speech_end: float | None  # the end of the latest block of speech so far, this one included
    events: tuple[Event, ...] = ()

    def has(self, kind: type) -> bool:
        return any(isinstance(event, kind) for event in self.events)


class Pauses:
    """One answer's blocks, in order, turned into Blocks and their events.

    barge_in: how many blocks of speech in a row over the interviewer's voice stop it; the voice is only
    watched for that when it can be stopped (voice_started(..., stoppable=True), with headphones).
    """

    def __init__(self, vad: VoiceActivity, barge_in: int = BARGE_IN_BLOCKS) -> None:
        self.vad = vad
        self.barge_in = barge_in
        self._sustained = SustainedSpeech(vad)
        self._speaking = False
        self._speech_end: float | None = None
        self._voice_until: float | None = None  # the interviewer's voice plays to here (answer seconds)
        self._stoppable = False
        self._over = 0  # blocks of speech in a row over the voice
        self._pending: list[Event] = []

    @property
    def voice_playing(self) -> bool:
        return self._voice_until is not None

    def voice_started(self, at: float, until: float, stoppable: bool) -> None:
        """The interviewer began to speak at `at` until `until` (answer seconds); passed on with the next block."""
        self._voice_until, self._stoppable, self._over = until, stoppable, 0
        self._pending.append(VoiceStarted(at, until))

    def voice_stopped(self) -> None:
        """The voice was stopped early: no more barge-in, no end to wait for."""
        self._voice_until = None

    def block(self, chunk: AudioChunk) -> Block:
        frames = self.vad.heard(chunk)
        speech = block_is_speech(frames, self.vad.options)
        sustained = self._sustained.push(frames)
        events, self._pending = self._pending, []
        if speech and not self._speaking:
            events.append(SpeechStarted(chunk.timestamp))
        elif not speech and self._speaking and self._speech_end is not None:
            events.append(SpeechEnded(self._speech_end))
        self._speaking = speech
        if speech:
            self._speech_end = chunk.end
        if self._voice_until is not None:
            if chunk.timestamp >= self._voice_until:
                events.append(VoiceStopped(chunk.timestamp))
                self._voice_until = None
            elif self._stoppable:
                self._over = self._over + 1 if speech else 0
                if self._over >= self.barge_in:
                    events.append(BargeIn(chunk.end))
                    self._voice_until = None
        return Block(chunk.timestamp, chunk.end, speech, sustained, self._speech_end, tuple(events))
