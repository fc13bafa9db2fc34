"""Cut an answer into pieces at natural pauses, so each can be transcribed while the candidate talks.

A piece ends in the middle of a pause once it is long enough, or at the
quietest moment of its last two seconds once it reaches the ceiling. Pieces
never overlap, so no word is heard twice, and cuts fall in silence, so none
is split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.audio import CHUNK_SECONDS, SAMPLE_RATE, AudioChunk, dbfs
from simulator.config import PieceOptions

DEFAULTS = PieceOptions()


@dataclass(frozen=True)
class Piece:
    samples: np.ndarray
    offset: float  # seconds from the start of the answer
    voiced: bool  # any speech in it at all; silent pieces never reach whisper
    speech: tuple[bool, ...] = ()  # the voice detector's verdict on each block, in order
    last: bool = False  # the end of the answer: the interviewer's reply waits for it
    early: bool = False  # the buffer up to a pause, transcribed ahead in case the answer ends there

    @property
    def key(self) -> tuple[float, int]:
        """Where the piece starts and how long it is: an early transcript is reused for the piece it equals."""
        return self.offset, len(self.samples)

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def trimmed(self, margin: float = DEFAULTS.trim_margin_seconds) -> Piece:
        """The piece without the silence at its ends beyond a margin: whisper writes words into long silence."""
        if not any(self.speech):
            return self
        block = len(self.samples) // max(1, len(self.speech))
        keep = round(margin / CHUNK_SECONDS)
        first = max(0, self.speech.index(True) - keep)
        last = min(len(self.speech), len(self.speech) - self.speech[::-1].index(True) + keep)
        end = len(self.samples) if last == len(self.speech) else last * block
        return Piece(self.samples[first * block:end], round(self.offset + first * block / SAMPLE_RATE, 3),
                     self.voiced, self.speech[first:last], self.last, self.early)

    def split(self, samples: int) -> tuple[Piece, Piece]:
        """The piece cut in two after `samples` (a block boundary): an early head, and the rest to do."""
        block = len(self.samples) // max(1, len(self.speech))
        blocks = samples // block if self.speech else 0
        head = Piece(self.samples[:samples], self.offset, self.voiced and any(self.speech[:blocks]),
                     self.speech[:blocks])
        tail = Piece(self.samples[samples:], round(self.offset + samples / SAMPLE_RATE, 3),
                     self.voiced and any(self.speech[blocks:]), self.speech[blocks:], self.last)
        return head, tail

    def heard_between(self, start: float, end: float, slack: float = DEFAULTS.speech_slack_seconds) -> bool:
        """Whether the voice detector heard anything from start to end (seconds into the piece), give or take
        slack: text whisper places wholly in silence was made up."""
        if not self.speech:
            return True
        block = len(self.samples) / len(self.speech) / SAMPLE_RATE
        first = max(0, int((start - slack) / block))
        last = min(len(self.speech), int((end + slack) / block) + 1)
        return any(self.speech[first:last])


class PieceCutter:
    def __init__(self, options: PieceOptions = DEFAULTS) -> None:
        self.options = options
        self.min_seconds = options.min_seconds
        self.max_seconds = options.max_seconds
        self.pause_blocks = max(1, round(options.cut_pause_seconds / CHUNK_SECONDS))
        self.margin_blocks = round(options.trim_margin_seconds / CHUNK_SECONDS)
        self._blocks: list[np.ndarray] = []
        self._speech: list[bool] = []
        self._sustained: list[bool] = []
        self._offset = 0.0
        self._silent_run = 0
        self._early_given = False  # early() gave this pause's piece already

    @property
    def buffered_seconds(self) -> float:
        return sum(len(b) for b in self._blocks) / SAMPLE_RATE

    def push(self, chunk: AudioChunk, speech: bool, sustained: bool | None = None) -> list[Piece]:
        """Take one block; return the pieces it completes (none, usually).

        speech places the cuts; sustained (speech held over a moment, default: speech) decides whether a
        piece holds a voice at all, so scattered noise frames do not send a piece to whisper.
        """
        if not self._blocks:
            self._offset = chunk.timestamp
        self._blocks.append(chunk.samples)
        self._speech.append(speech)
        self._sustained.append(speech if sustained is None else sustained)
        self._silent_run = 0 if speech else self._silent_run + 1
        self._early_given = self._early_given and not speech
        length = self.buffered_seconds
        if length >= self.min_seconds and self._silent_run >= self.pause_blocks:
            return [self._cut(len(self._blocks) - self._silent_run + self._silent_run // 2)]
        if length >= self.max_seconds:
            return [self._cut(self._quietest_end())]
        return []

    def early(self) -> Piece | None:
        """Once a pause is long enough to cut at, once per pause, the piece such a cut would make, without
        cutting: should the answer end in this pause, only what follows it is left to transcribe. It keeps at
        least the trim margin of the pause, so trimmed it is the very audio the answer's last piece would be,
        should the answer end here."""
        if self._silent_run < self.pause_blocks or self._early_given or len(self._blocks) <= self._silent_run:
            return None
        self._early_given = True
        silence = min(self._silent_run, max(self._silent_run // 2, self.margin_blocks))
        count = len(self._blocks) - self._silent_run + silence
        return Piece(np.concatenate(self._blocks[:count]), round(self._offset, 3), any(self._sustained[:count]),
                     tuple(self._speech[:count]), early=True)

    def flush(self) -> list[Piece]:
        """What is left when the answer ends."""
        return [self._cut(len(self._blocks))] if self._blocks else []

    def _quietest_end(self) -> int:
        window = max(1, round(self.options.forced_cut_window_seconds / CHUNK_SECONDS))
        first = max(1, len(self._blocks) - window)
        quietest = min(range(first, len(self._blocks)), key=lambda i: dbfs(self._blocks[i]))
        return quietest + 1

    def _cut(self, count: int) -> Piece:
        count = max(1, min(count, len(self._blocks)))
        samples = np.concatenate(self._blocks[:count])
        piece = Piece(samples, round(self._offset, 3), any(self._sustained[:count]), tuple(self._speech[:count]))
        rest = sum(len(b) for b in self._blocks[:count])
        self._offset += rest / SAMPLE_RATE
        self._blocks = self._blocks[count:]
        self._speech = self._speech[count:]
        self._sustained = self._sustained[count:]
        self._silent_run = 0
        for flag in reversed(self._speech):
            if flag:
                break
            self._silent_run += 1
        return piece
