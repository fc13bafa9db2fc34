"""How the answer was said: words, pace while speaking, fillers, hedges and long pauses."""

from __future__ import annotations

import re

from simulator.judging.findings import Delivery, Pause
from simulator.judging.sentences import Sentence
from simulator.transcript import Segment

LONG_PAUSE_SECONDS = 2.5
WORD = re.compile(r"[a-z0-9']+")
FILLER_WORDS = ("um", "uh", "er", "ah", "hmm")
FILLER_PHRASES = ("you know", "i mean", "basically", "actually")
HEDGES = ("i think", "maybe", "probably", "kind of", "sort of", "i guess", "i'm not sure")
# "like" as a filler: set off by commas, opening a clause, or after another filler
LIKE_FILLER = re.compile(r"(^|[,.;!?]\s*|\b(um|uh|so|it's|was|is|were|are)\s+)like\b(?!\s+(a|an|the|this|that|to|it)\b)")


def measure_delivery(sentences: list[Sentence], segments: list[Segment]) -> Delivery:
    text = " ".join(s.lower for s in sentences)
    words = WORD.findall(text)
    fillers: dict[str, int] = {}
    for filler in FILLER_WORDS:
        count = len(re.findall(rf"\b{filler}+\b", text))
        if count:
            fillers[filler] = count
    for phrase in FILLER_PHRASES:
        count = len(re.findall(rf"\b{phrase}\b", text))
        if count:
            fillers[phrase] = count
    likes = len(LIKE_FILLER.findall(" ".join(s.lower for s in sentences)))
    if likes:
        fillers["like"] = likes
    hedges = {h: n for h in HEDGES if (n := len(re.findall(rf"\b{re.escape(h)}\b", text)))}
    speaking, pauses = _speech_and_pauses(segments) if segments else (None, [])
    wpm = round(len(words) / (speaking / 60), 1) if speaking else None
    rate = round(sum(fillers.values()) / len(words), 4) if words else 0.0
    return Delivery(len(words), speaking, wpm, fillers, rate, hedges, pauses)


def _speech_and_pauses(segments: list[Segment]) -> tuple[float, list[Pause]]:
    """Speaking time from word times where whisper gave them, else segment times; gaps are pauses."""
    spans = [(w.start, w.end) for s in segments for w in s.words] or [(s.start, s.end) for s in segments]
    spans.sort()
    speaking = 0.0
    pauses = []
    last_end: float | None = None
    for start, end in spans:
        speaking += max(0.0, end - start)
        if last_end is not None and start - last_end >= LONG_PAUSE_SECONDS:
            pauses.append(Pause(round(last_end, 2), round(start - last_end, 2)))
        last_end = end if last_end is None else max(last_end, end)
    return round(speaking, 2), pauses
