"""Reading a faster-whisper (CTranslate2) model folder and converting it into whisper's own checkpoint.

People who keep faster-whisper models, and the packages that ship Whisper
weights that way, can use them as they are: the folder is converted once with
numpy and torch alone (no ctranslate2 needed) and whisper loads the result.

The model.bin layout (CTranslate2's ``ModelSpec._serialize``): a uint32
binary version, the spec name and a uint32 revision, then each variable as
name, rank, dims, dtype id, byte count and bytes, then aliases as name pairs.
Strings are a uint16 length (with the trailing NUL) and the bytes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from simulator.errors import UserError

MODEL_FILE = "model.bin"
CONFIG_FILE = "config.json"
BINARY_VERSION = 6  # what CTranslate2 3.x and 4.x write; the layout below is this version's
SPEC_NAME = "WhisperSpec"
# by CTranslate2's DataType enum; the integer types hold flags, head counts and int8 weights
DTYPES: dict[int, Any] = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}
PART = re.compile(r"^model\.bin\.part(\d+)$")


class ModelFolderError(UserError):
    """A model folder that cannot be converted; the message says what is wrong and how to fix it."""


@dataclass
class Ct2Model:
    """The variables of a CTranslate2 model, by name, and the folder's config.json."""

    spec: str
    revision: int
    variables: dict[str, np.ndarray]
    aliases: dict[str, str] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)


def model_files(folder: Path) -> list[Path]:
    """model.bin, or the parts it was split into (model.bin.part1, .part2, ...) in their order."""
    whole = folder / MODEL_FILE
    if whole.is_file():
        return [whole]
    parts = sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := PART.match(p.name)) and p.is_file())
    return [p for _, p in parts]


def is_model_folder(path: Path) -> bool:
    try:
        return path.is_dir() and bool(model_files(path))
    except OSError:
        return False


class _Parts:
    """The parts of a split model.bin read as one stream, never joined on disk."""

    def __init__(self, files: list[Path]) -> None:
        self._files = iter(files)
        self._current: IO[bytes] | None = None
        self.size = sum(f.stat().st_size for f in files)
        self.read_bytes = 0

    def read(self, count: int) -> bytes:
        chunks: list[bytes] = []
        while count > 0:
            if self._current is None:
                path = next(self._files, None)
                if path is None:
                    break
                self._current = open(path, "rb")  # noqa: SIM115 - closed when exhausted or by close()
            chunk = self._current.read(count)
            if not chunk:
                self._current.close()
                self._current = None
                continue
            chunks.append(chunk)
            count -= len(chunk)
        data = b"".join(chunks)
        self.read_bytes += len(data)
        return data

    def close(self) -> None:
        if self._current is not None:
            self._current.close()


class _Reader:
    def __init__(self, stream: _Parts, where: Path) -> None:
        self.stream = stream
        self.where = where

    def exact(self, count: int) -> bytes:
        data = self.stream.read(count)
        if len(data) != count:
            raise ModelFolderError(
                f"{self.where} is cut short ({self.stream.size:,} bytes, it ends inside the weights); "
                "copy or download the model folder again.")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack("<" + fmt, self.exact(struct.calcsize("<" + fmt)))[0]

    def string(self) -> str:
        length = self.unpack("H")
        raw = self.exact(length)
        if not raw.endswith(b"\0"):
            raise self.not_a_model()
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise self.not_a_model() from None

    def not_a_model(self) -> ModelFolderError:
        return ModelFolderError(
            f"{self.where} is not a CTranslate2 model file (split parts joined in the wrong order make this "
            "too); join model.bin.part1, .part2, ... in order, or copy the model folder again.")


def read_model(folder: Path, keep: bool = True) -> Ct2Model:
    """Every variable of a faster-whisper model folder; one clear ModelFolderError for anything else.

    keep=False checks every variable and keeps none, so a folder is vetted in little memory."""
    files = model_files(folder)
    if not files:
        raise ModelFolderError(f"{folder} has no {MODEL_FILE}; pass the faster-whisper model folder that holds "
                               "model.bin and config.json, or a whisper model name.")
    where = files[0] if len(files) == 1 else folder / "model.bin.part*"
    stream = _Parts(files)
    reader = _Reader(stream, where)
    try:
        version = reader.unpack("I")
        if version != BINARY_VERSION:
            if not 1 <= version <= 100:
                raise reader.not_a_model()
            raise ModelFolderError(
                f"{where} is in CTranslate2's binary format version {version}, and this program reads version "
                f"{BINARY_VERSION}; convert the model again with a current faster-whisper or CTranslate2.")
        spec = reader.string()
        if spec != SPEC_NAME:
            raise ModelFolderError(f"{where} holds a {spec or 'nameless'} model, not Whisper; pass a faster-whisper "
                                   "Whisper model folder.")
        revision = reader.unpack("I")
        variables = {}
        for _ in range(reader.unpack("I")):
            name = reader.string()
            shape = tuple(reader.unpack("I") for _ in range(reader.unpack("B")))
            type_id, size = reader.unpack("B"), reader.unpack("I")
            value = _array(reader.exact(size), type_id, shape, where, name)
            if keep:
                variables[name] = value
        aliases = {}
        for _ in range(reader.unpack("I")):
            alias = reader.string()
            aliases[alias] = reader.string()
        if stream.read(1):
            raise reader.not_a_model()
    finally:
        stream.close()
    return Ct2Model(spec, revision, variables, aliases, _config(folder))


def _array(raw: bytes, type_id: int, shape: tuple[int, ...], where: Path, name: str) -> np.ndarray:
    dtype = DTYPES.get(type_id)
    if dtype is None:
        raise ModelFolderError(f"{where} stores {name} in an unknown number type ({type_id}); convert the model "
                               "again with a current faster-whisper or CTranslate2.")
    if dtype == "bfloat16":  # the upper half of a float32
        bits = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
        values = bits.view(np.float32)
    else:
        values = np.frombuffer(raw, dtype=dtype)
    expected = int(np.prod(shape)) if shape else 1
    if values.size != expected:
        raise ModelFolderError(f"{where} is damaged ({name} has {values.size} values for shape {shape}); copy or "
                               "download the model folder again.")
    return values.reshape(shape)


def _config(folder: Path) -> dict[str, Any]:
    path = folder / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelFolderError(f"{path} is not valid JSON; copy or download the model folder again.") from None
    return data if isinstance(data, dict) else {}


# --- CTranslate2 names to whisper's ----------------------------------------------------------------

def _weights(model: Ct2Model, name: str) -> np.ndarray:
    """A float variable, int8 ones scaled back (CTranslate2 keeps value * scale, a scale per row)."""
    value = model.variables[name]
    if value.dtype == np.int8:
        scale = model.variables.get(f"{name}_scale")
        if scale is None:
            raise ModelFolderError(f"{name} is int8 without its scale; convert the model again.")
        return value.astype(np.float32) / np.asarray(scale, dtype=np.float32).reshape(-1, 1)
    return value


def _scalar(model: Ct2Model, name: str) -> int:
    return int(np.asarray(model.variables[name]).reshape(-1)[0])


def _layers(model: Ct2Model, side: str) -> int:
    found = {int(m.group(1)) for n in model.variables if (m := re.match(rf"{side}/layer_(\d+)/", n))}
    return max(found) + 1 if found else 0


def _linear(model: Ct2Model, ct2: str, whisper: str, out: dict[str, np.ndarray], bias: bool = True) -> None:
    out[f"{whisper}.weight"] = _weights(model, f"{ct2}/weight")
    if bias:
        out[f"{whisper}.bias"] = _weights(model, f"{ct2}/bias")


def _norm(model: Ct2Model, ct2: str, whisper: str, out: dict[str, np.ndarray]) -> None:
    out[f"{whisper}.weight"] = model.variables[f"{ct2}/gamma"]
    out[f"{whisper}.bias"] = model.variables[f"{ct2}/beta"]


def _fused(model: Ct2Model, ct2: str, prefix: str, names: tuple[str, ...], out: dict[str, np.ndarray]) -> None:
    """Split a fused projection (query, key, value or key, value); whisper's key has no bias, so that part of
    the fused bias must be all zeros, which also shows the parts are in the order assumed."""
    weight = _weights(model, f"{ct2}/weight")
    bias = _weights(model, f"{ct2}/bias")
    for name, w, b in zip(names, np.split(weight, len(names)), np.split(bias, len(names))):
        out[f"{prefix}.{name}.weight"] = w
        if name == "key":
            if np.any(b != 0):
                raise ModelFolderError(f"{ct2} has a key bias, which Whisper has not; this is not a Whisper model.")
        else:
            out[f"{prefix}.{name}.bias"] = b


def _block(model: Ct2Model, ct2: str, whisper: str, cross: bool, out: dict[str, np.ndarray]) -> None:
    _norm(model, f"{ct2}/self_attention/layer_norm", f"{whisper}.attn_ln", out)
    _fused(model, f"{ct2}/self_attention/linear_0", f"{whisper}.attn", ("query", "key", "value"), out)
    _linear(model, f"{ct2}/self_attention/linear_1", f"{whisper}.attn.out", out)
    if cross:
        _norm(model, f"{ct2}/attention/layer_norm", f"{whisper}.cross_attn_ln", out)
        _linear(model, f"{ct2}/attention/linear_0", f"{whisper}.cross_attn.query", out)
        _fused(model, f"{ct2}/attention/linear_1", f"{whisper}.cross_attn", ("key", "value"), out)
        _linear(model, f"{ct2}/attention/linear_2", f"{whisper}.cross_attn.out", out)
    _norm(model, f"{ct2}/ffn/layer_norm", f"{whisper}.mlp_ln", out)
    _linear(model, f"{ct2}/ffn/linear_0", f"{whisper}.mlp.0", out)
    _linear(model, f"{ct2}/ffn/linear_1", f"{whisper}.mlp.2", out)


def whisper_state(model: Ct2Model) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """whisper's ModelDimensions and state_dict for this model; the decoder's output projection is the token
    embedding in both, so CTranslate2's alias for it has nothing to add."""
    try:
        state: dict[str, np.ndarray] = {}
        for conv in ("conv1", "conv2"):
            _linear(model, f"encoder/{conv}", f"encoder.{conv}", state)
        state["encoder.positional_embedding"] = model.variables["encoder/position_encodings/encodings"]
        audio_layers, text_layers = _layers(model, "encoder"), _layers(model, "decoder")
        for i in range(audio_layers):
            _block(model, f"encoder/layer_{i}", f"encoder.blocks.{i}", False, state)
        _norm(model, "encoder/layer_norm", "encoder.ln_post", state)
        state["decoder.token_embedding.weight"] = _weights(model, "decoder/embeddings/weight")
        state["decoder.positional_embedding"] = model.variables["decoder/position_encodings/encodings"]
        for i in range(text_layers):
            _block(model, f"decoder/layer_{i}", f"decoder.blocks.{i}", True, state)
        _norm(model, "decoder/layer_norm", "decoder.ln", state)
        dims = dict(
            n_mels=int(state["encoder.conv1.weight"].shape[1]),
            n_audio_ctx=int(state["encoder.positional_embedding"].shape[0]),
            n_audio_state=int(state["encoder.positional_embedding"].shape[1]),
            n_audio_head=_scalar(model, "encoder/num_heads"),
            n_audio_layer=audio_layers,
            n_vocab=int(state["decoder.token_embedding.weight"].shape[0]),
            n_text_ctx=int(state["decoder.positional_embedding"].shape[0]),
            n_text_state=int(state["decoder.positional_embedding"].shape[1]),
            n_text_head=_scalar(model, "decoder/num_heads"),
            n_text_layer=text_layers,
        )
    except KeyError as exc:
        raise ModelFolderError(f"The model has no {exc.args[0]}, so it is not a Whisper model in the layout this "
                               "program converts; pass a faster-whisper Whisper model folder.") from None
    return dims, state


def alignment_dump(heads: Any, layers: int, per_layer: int) -> bytes | None:
    """The folder's alignment heads as whisper stores them (a gzipped boolean mask in base85), or None."""
    if not isinstance(heads, list) or not heads:
        return None
    mask = np.zeros((layers, per_layer), dtype=bool)
    for pair in heads:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, int) for v in pair)
                and 0 <= pair[0] < layers and 0 <= pair[1] < per_layer):
            return None  # heads for another shape: whisper's fallback is better than a wrong mask
        mask[pair[0], pair[1]] = True
    return base64.b85encode(gzip.compress(mask.tobytes(), mtime=0))


def heads_of(dump: bytes | str, layers: int, per_layer: int) -> list[tuple[int, int]]:
    """The (layer, head) pairs in whisper's alignment-heads dump."""
    mask = np.frombuffer(gzip.decompress(base64.b85decode(dump)), dtype=bool).reshape(layers, per_layer)
    return [(int(layer), int(head)) for layer, head in zip(*np.nonzero(mask))]


def convert(folder: Path, destination: Path) -> Path:
    """Write the folder's model as a whisper checkpoint (float16, as whisper's own are) with its alignment heads;
    the file appears whole or not at all."""
    import torch

    model = read_model(folder)
    dims, state = whisper_state(model)
    checkpoint: dict[str, Any] = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(np.array(v, dtype=np.float16)) for k, v in state.items()},
    }
    heads = alignment_dump(model.config.get("alignment_heads"), dims["n_text_layer"], dims["n_text_head"])
    if heads is not None:
        checkpoint["alignment_heads"] = heads.decode("ascii")  # a str pickles plainly; whisper decodes either
    del model, state
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    try:
        torch.save(checkpoint, partial)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


# --- where what is made from a model lives ------------------------------------------------------------


def whisper_cache_dir() -> Path:
    """Where whisper.load_model keeps downloaded models (it honours XDG_CACHE_HOME)."""
    default = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(os.getenv("XDG_CACHE_HOME", default)) / "whisper"


def folder_key(folder: Path) -> str:
    """The folder's name and a key of its path and model files' sizes and times: what is made from a folder is
    made again when its model changes, and never otherwise."""
    resolved = folder.resolve()
    key = hashlib.sha256(str(resolved).encode())
    try:
        for path in model_files(resolved):
            stat = path.stat()
            key.update(f"|{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    except OSError:
        pass
    return f"{resolved.name}-{key.hexdigest()[:16]}"
