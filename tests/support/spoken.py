"""The audio fixtures' manifest, and the spoken answers in each voice, so tests hear natural speech too."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FIXTURES = Path(__file__).resolve().parent.parent.parent / "audio_fixtures"
VOICES = ("espeak-ng", "piper")


def manifest() -> list[dict[str, Any]]:
    with (FIXTURES / "manifest.toml").open("rb") as f:
        return list(tomllib.load(f)["fixture"])


def spoken(name: str, voice: str) -> Path:
    """The fixture `name` (e.g. "short-answer") as that voice spoke it."""
    for entry in manifest():
        if entry["voice"] == voice and Path(entry["file"]).stem.removesuffix("-piper") == name:
            return FIXTURES / entry["file"]
    raise LookupError(f"no {name} fixture in the {voice} voice")
