"""The two Whisper engines made to draw alike, run after run."""

from __future__ import annotations


def seed_engines(seed: int = 0) -> None:
    """Both engines sample when they fall back to a higher temperature: the same draw every run."""
    import ctranslate2
    import torch

    torch.manual_seed(seed)
    ctranslate2.set_random_seed(seed)
