"""What a candidate meant where Whisper steadily mishears a technical word ("cash hit rate", "rights a second").

The corrections are data (prompts/hearing.toml); they apply to transcribed sentences only, before scoring.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@lru_cache(maxsize=None)
def corrections() -> tuple[tuple[re.Pattern[str], str], ...]:
    text = resources.files("simulator.prompts").joinpath("hearing.toml").read_text(encoding="utf-8")
    return tuple((re.compile(entry["said"]), str(entry["meant"])) for entry in tomllib.loads(text)["heard"])


def as_meant(lower: str) -> str:
    """A lowercase transcribed sentence with Whisper's steady mishearings put right."""
    for pattern, meant in corrections():
        lower = pattern.sub(meant, lower)
    return lower
