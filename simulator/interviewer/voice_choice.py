"""Choosing the interviewer's voice: above both voices, so neither needs the other to be picked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from simulator.interviewer.piper_voice import NeuralVoice, unavailable
from simulator.interviewer.voices import ClipPlayer, Pyttsx3Voice, RenderedVoice


def build_voice(choice: str, model: Path | None, player: ClipPlayer, warn: Callable[[str], None]) -> RenderedVoice:
    """The voice asked for; Piper that is not installed costs one warning line and gives the espeak-ng voice."""
    espeak = Pyttsx3Voice(player, warn)
    if choice != "piper":
        return espeak
    problem = unavailable(model)
    if problem is not None:
        warn(f"{problem} Speaking with the espeak-ng voice instead.")
        return espeak
    return NeuralVoice(player, warn, model, fallback=espeak)
