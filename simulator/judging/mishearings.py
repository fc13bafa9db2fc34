"""What a candidate meant where Whisper steadily mishears a technical word ("cash hit rate", "rights a second").

The corrections are data (prompts/hearing.toml); they apply to transcribed sentences only, before scoring.
"""

from __future__ import annotations

import re
from functools import lru_cache

from simulator import prompt_data


@lru_cache(maxsize=None)
def corrections() -> tuple[tuple[re.Pattern[str], str], ...]:
    heard = prompt_data.load("hearing.toml")["heard"]
    return tuple((re.compile(entry["said"]), str(entry["meant"])) for entry in heard)


def as_meant(lower: str) -> str:
    """A lowercase transcribed sentence with Whisper's steady mishearings put right."""
    for pattern, meant in corrections():
        lower = pattern.sub(meant, lower)
    return lower


PAUSE_COMMA = re.compile(r",(?=\s)")  # not the comma inside a figure ("5,000")


def without_pause_commas(lower: str) -> str:
    """A transcribed sentence without the commas that mark the speaker's pauses rather than its grammar."""
    return PAUSE_COMMA.sub("", lower)
