"""A transcript as sentences, each with the time it was spoken when the transcript has times."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from simulator.judging.runons import cut_run_on
from simulator.text import split_sentences
from simulator.transcript import Segment


@dataclass(frozen=True)
class Sentence:
    text: str
    start: float | None
    end: float | None
    heard: bool = False  # transcribed by Whisper, so its steady mishearings are put right before judging

    @cached_property
    def lower(self) -> str:
        """The sentence as the rubric reads it: lowercase, and for a transcribed one, as the candidate meant it."""
        from simulator.judging.mishearings import as_meant

        return as_meant(self.text.lower()) if self.heard else self.text.lower()

    @cached_property
    def readings(self) -> tuple[str, ...]:
        """The ways the rubric may read the sentence, each as `lower` is: a transcribed one also without the commas
        Whisper puts wherever the voice paused, inside a phrase as often as between clauses ("ffmpeg, workers",
        "delete, key"), so a cue is not lost to a breath, and one that opens on a deed with no one doing it as the
        speaker's own (notes.own_deed). Typed text is read only as written (written notes are read as notes.py
        reads them)."""
        from simulator.judging.mishearings import without_pause_commas
        from simulator.judging.notes import own_deed

        if not self.heard:
            return (self.lower,)
        unpaused = without_pause_commas(self.lower)
        # notes read aloud drop the "I" as notes do ("Built a pipeline that signs the build"): the speaker's deed
        deed = own_deed(unpaused).lower()
        return tuple(dict.fromkeys((self.lower, unpaused, deed)))

    @property
    def seconds(self) -> float:
        return (self.end - self.start) if self.start is not None and self.end is not None else 0.0


def sentences_from_segments(segments: list[Segment]) -> list[Sentence]:
    """Split segments into sentences, sharing each segment's time out by words."""
    out: list[Sentence] = []
    for segment in segments:
        parts = [piece for part in split_sentences(segment.text, flatten=False) for piece in cut_run_on(part)]
        total = sum(max(1, len(p.split())) for p in parts) or 1
        t = segment.start
        span = max(0.0, segment.end - segment.start)
        for part in parts:
            share = span * max(1, len(part.split())) / total
            out.append(Sentence(part, round(t, 2), round(t + share, 2), heard=True))
            t += share
    return out


def sentences_from_text(text: str) -> list[Sentence]:
    """Sentences of plain text; written prep notes are split by bullet (notes.py)."""
    from simulator.judging.notes import is_notes, note_sentences

    if is_notes(text):
        return [Sentence(s, None, None) for s in note_sentences(text)]
    return [Sentence(piece, None, None) for s in split_sentences(text) for piece in cut_run_on(s)]
