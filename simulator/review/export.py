"""The transcript of both voices with times on the session clock, as SRT or WebVTT subtitles, plain text
or JSON. The times match the conversation audio in report.html, so the subtitles fit it."""

from __future__ import annotations

import json

from simulator.config import format_duration
from simulator.review.review import Line, Review

FORMATS = ("srt", "vtt", "txt", "json")


def export(review: Review, fmt: str) -> str:
    """The transcript in one of FORMATS; lines with no text (audio never transcribed) are left out."""
    lines = [Line(x.start, x.end, x.speaker, " ".join(x.text.split()), x.turn) for x in review.lines if not x.missing]
    if fmt == "json":
        return json.dumps({"id": review.record.id, "question": review.record.question.to_json(),
                           "lines": [{"start": x.start, "end": x.end, "speaker": str(x.speaker), "text": x.text}
                                     for x in lines]}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "txt":
        return "".join(f"[{format_duration(x.start)}] {x.speaker.subtitle}: {x.text}\n" for x in lines)
    if fmt == "srt":
        return "\n".join(f"{n}\n{_stamp(x.start, ',')} --> {_stamp(_end(x), ',')}\n{x.speaker.subtitle}: {x.text}\n"
                         for n, x in enumerate(lines, start=1))
    if fmt == "vtt":
        cues = "".join(f"\n{_stamp(x.start, '.')} --> {_stamp(_end(x), '.')}\n<v {x.speaker.subtitle}>"
                       f"{_vtt_text(x.text)}\n" for x in lines)
        return "WEBVTT\n" + cues
    raise ValueError(f"unknown format {fmt!r}")


def _end(line: Line) -> float:
    """A cue must end after it starts; a zero-length line (a typed answer) shows for a second."""
    return line.end if line.end > line.start else line.start + 1.0


def _stamp(seconds: float, mark: str) -> str:
    millis = int(round(max(0.0, seconds) * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}{mark}{rest % 1000:03d}"


def _vtt_text(text: str) -> str:
    """WebVTT reads '<' and '&' as markup, and '-->' ends a cue's timing."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
