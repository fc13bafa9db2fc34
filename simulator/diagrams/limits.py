"""How much of a file is read, and how far compressed content may grow: a diagram is small, a file that is
not small is refused in one sentence rather than read into memory every half second."""

from __future__ import annotations

import zlib

from simulator.diagrams.diagram import DiagramError

MAX_FILE_BYTES = 16 * 1024 * 1024  # a whiteboard with embedded screenshots stays well under this
MAX_INFLATED_BYTES = 32 * 1024 * 1024  # what a compressed page or embedded scene may grow to


def inflate(data: bytes, wbits: int, name: str) -> bytes:
    """zlib data (wbits as zlib takes it: -15 for draw.io's raw deflate), refused once past the cap, so a
    small file that unpacks to gigabytes never does."""
    unpack = zlib.decompressobj(wbits)
    out = unpack.decompress(data, MAX_INFLATED_BYTES)
    if unpack.unconsumed_tail:
        raise DiagramError(f"{name} unpacks to more than {MAX_INFLATED_BYTES // (1024 * 1024)} MB; that is no "
                           "diagram this program reads. Save a smaller drawing.")
    return out + unpack.flush()
