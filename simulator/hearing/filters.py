"""Which of whisper's segments are the candidate's words: text it made up (a loop, words over silence, a
sentence squeezed into a blink) is dropped, and speech it passed over as if silent is found, to decode again.
Pure functions over a piece and its segments, so the rules are tested without a model."""

from __future__ import annotations

from simulator.config import DecodeOptions, TranscriberOptions
from simulator.hearing.engines import compression_ratio
from simulator.hearing.pieces import Piece
from simulator.transcript import Segment

DEFAULTS = TranscriberOptions()


def is_hallucination(segment: Segment, options: TranscriberOptions = DEFAULTS,
                     decoding: DecodeOptions = DecodeOptions()) -> bool:
    """Text whisper made up: a repeated-phrase loop, or words where it thinks nobody spoke."""
    text = segment.text.strip()
    if len(text) >= 24:
        if compression_ratio(text) > decoding.loop_compression_ratio:
            return True
    if segment.no_speech_prob > options.no_speech_prob and segment.avg_logprob < options.low_logprob:
        return True  # whisper's own rule for text over silence
    words = len(text.split())
    if words >= options.fast_min_words and words > options.max_words_per_second * max(0.0, segment.end - segment.start):
        return True  # a sentence squeezed into a blink where the audio ends: "I'm going to start with the first one."
    # a word or three where whisper is all but sure nobody spoke: " you", "Thank you." on silence
    return segment.no_speech_prob > options.sure_no_speech_prob and words <= options.short_words


def is_repeat(segment: Segment, previous: Segment | None, options: TranscriberOptions = DEFAULTS) -> bool:
    """The sentence just before, word for word: a loop that whisper spreads over segments of its own, each
    too short for the compression test."""
    if previous is None:
        return False
    words = segment.text.lower().split()
    return len(words) >= options.repeat_min_words and words == previous.text.lower().split()


def heard_in(piece: Piece, segment: Segment, slack: float) -> bool:
    """Some of the segment lies where the voice detector heard speech, give or take slack seconds."""
    spans = [(w.start, w.end) for w in segment.words] or [(segment.start, segment.end)]
    return any(piece.heard_between(start, end, slack) for start, end in spans)


def unheard_from(piece: Piece, segments: list[Segment], options: TranscriberOptions = DEFAULTS) -> float | None:
    """Where whisper stopped short of the piece: seconds into it after whisper's last word (or segment) where the
    voice detector heard at least options.lost_speech_seconds of speech more, which whisper skipped as if silent
    (a window it ends on a lone timestamp is taken as done). None where its words reach the speech's end, or
    where it wrote nothing at all (the same audio again would give the same)."""
    ends = [w.end for s in segments for w in s.words] or [s.end for s in segments]
    if not ends or not piece.speech:
        return None
    reach = max(ends)
    block = piece.seconds / len(piece.speech)
    first = max(0, int((reach + options.pieces.speech_slack_seconds) / block) + 1)
    voiced = sum(piece.speech[first:]) * block
    return reach if voiced >= options.lost_speech_seconds and reach < piece.seconds else None


def kept_from(piece: Piece, segments: list[Segment], options: TranscriberOptions = DEFAULTS,
              decoding: DecodeOptions = DecodeOptions()) -> tuple[list[Segment], int]:
    """A decoded piece's segments that are the candidate's words, on the answer's clock, and how many were
    dropped: those in the silence added after the piece, made up, repeated, or over no speech."""
    kept: list[Segment] = []
    dropped = 0
    previous = None
    for segment in segments:
        if segment.start >= piece.seconds:  # wholly in the silence added
            dropped += 1
            previous = segment
            continue
        segment = segment.ended_by(piece.seconds)
        made_up = is_hallucination(segment, options, decoding)
        if made_up or is_repeat(segment, previous, options) or not heard_in(piece, segment,
                                                                            options.pieces.speech_slack_seconds):
            dropped += 1
        else:
            kept.append(segment.shifted(piece.offset))
        previous = segment
    return kept, dropped
