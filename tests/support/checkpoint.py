"""A random-weight Whisper checkpoint in whisper's own format, small enough to build per test run.

Real weights cannot be downloaded in tests, so the real loading code is fed
this instead: it emits garbage text, so tests assert on structure and timing.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
from dataclasses import asdict
from pathlib import Path

import numpy as np

from simulator.hearing.ct2 import BINARY_VERSION, Ct2Model, read_model

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


# --- CTranslate2 (faster-whisper) folders ------------------------------------------------------------------

CT2_TYPES = {np.dtype(np.float32): 0, np.dtype(np.int8): 1, np.dtype(np.int16): 2, np.dtype(np.int32): 3,
             np.dtype(np.float16): 4}


def _string(text: str) -> bytes:
    raw = text.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def write_model_bin(path: Path, model: Ct2Model) -> Path:
    """A model.bin in CTranslate2's layout (the one simulator/ct2.py reads), for folders the tests shape."""
    with open(path, "wb") as f:
        f.write(struct.pack("<I", BINARY_VERSION) + _string(model.spec) + struct.pack("<I", model.revision))
        f.write(struct.pack("<I", len(model.variables)))
        for name, value in model.variables.items():
            value = np.asarray(value)  # tobytes() is in C order whatever the layout; ascontiguousarray would make a scalar 1-d
            f.write(_string(name) + struct.pack("<B", value.ndim) + b"".join(struct.pack("<I", d) for d in value.shape))
            f.write(struct.pack("<BI", CT2_TYPES[value.dtype], value.nbytes) + value.tobytes())
        f.write(struct.pack("<I", len(model.aliases)))
        for alias, target in model.aliases.items():
            f.write(_string(alias) + _string(target))
    return path


def copy_ct2_folder(source: Path, target: Path, variables: dict[str, np.ndarray] | None = None) -> Path:
    """A copy of a faster-whisper folder, with some variables replaced (a damaged model that still loads)."""
    model = read_model(source)
    model.variables.update(variables or {})
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file() and not path.name.startswith(".") and not path.name.startswith("model.bin"):
            shutil.copy(path, target / path.name)
    write_model_bin(target / "model.bin", model)
    return target


SMALL_EN = dict(d_model=768, heads=12, encoder_layers=12, decoder_layers=12)  # whisper small.en's shape


def resized_ct2_folder(template: Path, target: Path, d_model: int, heads: int, encoder_layers: int,
                       decoder_layers: int, alignment_heads: list[tuple[int, int]], seed: int = 0,
                       scale: float = 0.02) -> Path:
    """A random-weight Whisper of another size, in the template folder's layout, vocabulary and tokenizer: the
    same work per token as a real model of that size, without its words. Layer norms start as identity; the
    word-timing heads are the real model's, so word times cost what they would."""
    model = read_model(template)
    old = int(model.variables["encoder/conv1/bias"].shape[0])
    rng = np.random.default_rng(seed)

    def resize(value: np.ndarray) -> np.ndarray:
        shape = tuple(d * d_model // old if d % old == 0 and d in (old, 2 * old, 3 * old, 4 * old) else d
                      for d in value.shape)
        return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(value.dtype)

    variables: dict[str, np.ndarray] = {}
    for name, value in model.variables.items():
        if value.ndim == 0:  # flags and head counts
            variables[name] = np.array(heads, dtype=value.dtype) if name.endswith("num_heads") else value
            continue
        found = re.match(r"(encoder|decoder)/layer_(\d+)/(.*)", name)
        if found is None:
            variables[name] = _identity(name, resize(value))
        elif found.group(2) == "0":
            for layer in range(encoder_layers if found.group(1) == "encoder" else decoder_layers):
                variables[f"{found.group(1)}/layer_{layer}/{found.group(3)}"] = _identity(name, resize(value))
    target.mkdir(parents=True)
    for path in template.iterdir():
        if path.is_file() and not path.name.startswith(".") and not path.name.startswith("model.bin"):
            shutil.copy(path, target / path.name)
    config = json.loads((target / "config.json").read_text())
    config["alignment_heads"] = [list(pair) for pair in alignment_heads]
    (target / "config.json").write_text(json.dumps(config))
    write_model_bin(target / "model.bin", Ct2Model(model.spec, model.revision, variables, model.aliases))
    return target


def _identity(name: str, value: np.ndarray) -> np.ndarray:
    if name.endswith("/gamma"):
        return np.ones_like(value)
    if name.endswith("/beta"):
        return np.zeros_like(value)
    third, half = len(value) // 3, len(value) // 2
    if name.endswith("self_attention/linear_0/bias"):  # query, key, value: Whisper's key has no bias
        value[third:2 * third] = 0
    elif name.endswith("/attention/linear_1/bias"):  # the cross attention's key, value
        value[:half] = 0
    return value
