"""How much of the drawing happened while the candidate was silent: each part new in a snapshot, against the
answer's speech around the moment it was read.

A snapshot is read up to a second after its save (a look every half second, and a second look that agrees),
so a save counts as made in silence when no speech touches the second before it was read. A part is a box or
an arrow, told apart by its id; what was on the canvas before the answer began is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.diagrams.diagram import Diagram

READ_LAG = 1.0  # seconds from a save to its snapshot, at most


@dataclass(frozen=True)
class DrawnWhileSilent:
    parts: int  # boxes and arrows drawn during the answer
    silent: int  # of those, drawn while the candidate said nothing
    saves: int  # snapshots during the answer that added a part
    silent_saves: int

    @property
    def share(self) -> float:
        return self.silent / self.parts if self.parts else 0.0

    def sentence(self) -> str:
        """"7 of 12 parts of your drawing (58%) were drawn while you were silent", for the report."""
        if not self.parts:
            return "Nothing was added to your drawing while you answered."
        return (f"{self.silent} of {self.parts} parts of your drawing ({self.share:.0%}) appeared while you were "
                f"silent ({self.silent_saves} of {self.saves} saves).")


def drawn_while_silent(snapshots: Sequence[tuple[float, Diagram]], speech: Sequence[tuple[float, float]],
                       answer_start: float, lag: float = READ_LAG) -> DrawnWhileSilent:
    """snapshots: (session seconds, drawing) in order; speech: (start, end) in session seconds."""
    seen: set[str] = set()
    parts = silent = saves = silent_saves = 0
    for at, diagram in snapshots:
        ids = {f"b:{b.id}" for b in diagram.boxes} | {f"e:{e.id}" for e in diagram.edges}
        new = ids - seen
        seen |= ids
        if at < answer_start or not new:
            continue
        quiet = not any(start <= at and end >= at - lag for start, end in speech)
        parts += len(new)
        saves += 1
        if quiet:
            silent += len(new)
            silent_saves += 1
    return DrawnWhileSilent(parts, silent, saves, silent_saves)
