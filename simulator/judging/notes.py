"""Written prep notes as sentences: headings and bullets without full stops, each bullet judged on its own.

A bullet is read under its heading ("Action: wrote the design doc"), so the heading tells the rubric which
part of the answer it belongs to, and a bullet that opens with a deed and no subject is the writer's own
("wrote the design doc" is "I wrote the design doc").
"""

from __future__ import annotations

import re

from simulator.text import split_sentences
from simulator.vocab import Kind, Step

BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+(.*)$")
# "Situation:", "S:", "Context -", or a short line on its own above its bullets ("Context")
HEADING = re.compile(r"^\s*([A-Za-z][A-Za-z /&'-]{0,30}?)\s*(?::|\s[-–—]|$)\s*(.*)$")
MIN_BULLETS = 2
DEED = 2  # what one first-person deed scores for the action step


def is_notes(text: str) -> bool:
    """Notes, not speech: at least two bulleted lines."""
    return sum(bool(BULLET.match(line)) for line in text.splitlines()) >= MIN_BULLETS


def note_sentences(text: str) -> list[str]:
    """Each bullet, and each sentence of the prose between them, under the heading it was written beneath."""
    out: list[str] = []
    heading: str | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        bullet = BULLET.match(line)
        titled = HEADING.match(line) if bullet is None else None
        if titled is not None and not titled.group(2).strip():
            heading = titled.group(1).strip()
            continue
        if bullet is not None:
            item = " ".join(bullet.group(1).split())
            out.append(f"{heading}: {own_deed(item)}" if heading else own_deed(item))
            continue
        heading = None  # prose between bullets closes the heading above it
        out += split_sentences(line)
    return out


def own_deed(item: str) -> str:
    """ "wrote the design doc" reads "I wrote the design doc": a bullet that opens with a deed is the writer's."""
    from simulator.judging.rubric import rubric_step

    candidate = f"I {item[:1].lower()}{item[1:]}"
    return candidate if rubric_step(Kind.EXPERIENCE, Step.ACTION).score(candidate.lower()) >= DEED else item
