"""A random-weight Whisper checkpoint in whisper's own format, small enough to build per test run.

Real weights cannot be downloaded in tests, so the real loading code is fed
this instead: it emits garbage text, so tests assert on structure and timing.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

TINY_DIMS = dict(n_mels=80, n_audio_ctx=1500, n_audio_state=8, n_audio_head=1, n_audio_layer=1,
                 n_vocab=51864, n_text_ctx=64, n_text_state=8, n_text_head=1, n_text_layer=1)


SCALE = 0.5


def make_checkpoint(path: Path, seed: int = 0, half: bool = False, **dims: int) -> Path:
    """half=True stores the weights in float16, as whisper's published checkpoints are."""
    import torch
    from whisper.model import ModelDimensions, Whisper

    model_dims = ModelDimensions(**{**TINY_DIMS, **dims})
    model = Whisper(model_dims)
    # some of whisper's layers start from uninitialised memory, so a seed alone does not make the weights
    # repeatable; set every parameter from a seeded generator instead
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * SCALE)
    state = {k: v.half() if half else v for k, v in model.state_dict().items()}
    torch.save({"dims": asdict(model_dims), "model_state_dict": state}, path)
    return path
