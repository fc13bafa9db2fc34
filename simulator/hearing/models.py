"""Which Whisper model a rehearsal uses, and loading it from disk.

`--model` takes one of whisper's names (downloaded once by `download`), a
`.pt` checkpoint, or a faster-whisper (CTranslate2) model folder, which is
converted once into whisper's format in the model cache. The faster-whisper
engine loads such folders as they are (models_faster.py). Every check here
runs before a session folder exists, and none of it goes online.
"""

from __future__ import annotations

import os
import pickletools
import threading
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import UserError
from simulator.hearing.ct2 import ModelFolderError, convert, folder_key, is_model_folder, whisper_cache_dir
from simulator.hearing.engines import DEFAULT_ENGINE, FASTER_WHISPER

# whisper.available_models() as of openai-whisper 20250625, so a known name is checked without importing torch
WHISPER_MODELS = ("tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium", "large-v1",
                  "large-v2", "large-v3", "large", "large-v3-turbo", "turbo")
# the file each name downloads to, where it is not NAME.pt (as whisper's own download table has it)
WHISPER_FILES = {"large": "large-v3.pt", "turbo": "large-v3-turbo.pt"}
WHISPER_KEYS = ("dims", "model_state_dict")  # what whisper.load_model reads from a checkpoint
HEADS_KEY = "alignment_heads"  # ours: a converted folder's alignment heads, in whisper's own dump format
TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # the first pickle of torch's pre-zip file format
CONVERTED = "converted"  # the cache folder for converted model folders


def cached_model_file(name: str) -> Path:
    """The file a named model downloads to; read without importing whisper, so the check costs nothing."""
    return whisper_cache_dir() / WHISPER_FILES.get(name, f"{name}.pt")


def _pickle_args(path: Path) -> list[Any] | str:
    """The arguments of the checkpoint's top-level pickle, read as opcodes (never run); a str says what is wrong."""
    try:
        if path.stat().st_size == 0:
            return "is empty"
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                pickle_name = next((n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "data.pkl"), None)
                if pickle_name is None:
                    return "is a zip archive, not a PyTorch checkpoint"
                return [arg for _, arg, _ in pickletools.genops(archive.read(pickle_name))]
        with open(path, "rb") as f:  # torch's legacy format: its magic number, protocol, system info, the object
            pickles = [[arg for _, arg, _ in pickletools.genops(f)] for _ in range(4)]
        if TORCH_LEGACY_MAGIC not in pickles[0]:
            return "is damaged or not a PyTorch checkpoint"
        return pickles[3]
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        return f"is damaged or not a PyTorch checkpoint ({type(exc).__name__})"


def checkpoint_problem(path: Path) -> str | None:
    """What is wrong with a checkpoint file, found without loading its weights; None when it looks whole."""
    args = _pickle_args(path)
    if isinstance(args, str):
        return args
    names = {arg for arg in args if isinstance(arg, str)}
    if not all(key in names for key in WHISPER_KEYS):
        return "is a PyTorch file but not a Whisper model (it has no dims and model_state_dict)"
    return None


def checkpoint_heads(path: Path) -> str | None:
    """The alignment heads a converted checkpoint carries, read from its pickle without loading the weights."""
    args = _pickle_args(path)
    if isinstance(args, str):
        return None
    for index, arg in enumerate(args):
        if arg == HEADS_KEY:  # the value is the next string, after the memo opcodes' indexes
            value = next((v for v in args[index + 1:index + 4] if not isinstance(v, int) and v is not None), None)
            return value if isinstance(value, str) else None
    return None


@dataclass(frozen=True)
class ModelSpec:
    """A model as the user named it: one of whisper's names, a checkpoint file or a faster-whisper folder, and the
    engine that runs it."""

    value: str
    engine: str = DEFAULT_ENGINE
    # openai-whisper's linear layers as int8 (engine_whisper.quantize_linear); off, as base heard worse with it
    # (bench_levers.py: 14.2% -> 16.7% word error, in 0.4 of the time; tiny.en 16.7% -> 17.2%)
    int8_linear: bool = False

    @property
    def faster(self) -> bool:
        return self.engine == FASTER_WHISPER

    @property
    def path(self) -> Path:
        return Path(self.value).expanduser()

    @property
    def is_path(self) -> bool:
        try:
            return os.sep in self.value or self.value.endswith(".pt") or self.path.exists()
        except (OSError, ValueError):  # a name too long for the file system
            return False

    @property
    def is_folder(self) -> bool:
        return self.is_path and self.path.is_dir()

    @property
    def file(self) -> Path:
        """The checkpoint this spec loads: the file given, a folder's converted copy, or the downloaded name (for
        faster-whisper, the model folder it loads)."""
        if self.faster:
            from simulator.hearing.models_faster import model_folder

            return model_folder(self.value, self.path if self.is_path else None)
        if self.is_folder:
            return converted_file(self.path)
        return self.path if self.is_path else cached_model_file(self.value)

    def check_name(self) -> None:
        """A name must be one of whisper's; a path is judged by check()."""
        if self.faster:
            from simulator.hearing.models_faster import check_name

            return check_name(self.value)
        if not self.is_path and self.value not in WHISPER_MODELS:
            import whisper  # slow, but only for a name we do not know; whisper may have added models

            if self.value not in whisper.available_models():
                names = ", ".join(whisper.available_models())
                raise UserError(f"Whisper has no model named {self.value!r}; use one of {names}, a checkpoint "
                                "path, or a faster-whisper model folder.")

    def check(self) -> None:
        """Fail before anything is recorded or downloaded: a checkpoint that is missing or not whisper's, a folder
        that cannot be converted, a name whisper lacks, a named model not downloaded yet."""
        if self.faster:
            from simulator.hearing.models_faster import check

            return check(self.value, self.path if self.is_path else None)
        self.check_name()
        if self.is_folder:
            ensure_converted(self.path)
            return
        path = self.file
        if self.is_path and not path.is_file():
            raise UserError(f"The Whisper checkpoint {path} does not exist; pass --model with the path to a .pt file "
                            "or a faster-whisper model folder, or a model name such as base.en.")
        if not path.is_file():
            raise UserError(f"The Whisper model {self.value} is not downloaded; run `mock-interview download "
                            f"--model {self.value}` once while online, or pass --model PATH to a local model.")
        problem = checkpoint_problem(path)
        if problem is not None:
            raise UserError(f"The Whisper checkpoint {path} {problem}; {self.fix}.")

    @property
    def fix(self) -> str:
        """What to do about a model that turned out broken."""
        if self.is_folder:
            return f"copy the model folder {self.path} again, or pass another --model"
        if self.is_path:
            return "download it again or pass another --model"
        engine = f" --engine {self.engine}" if self.faster else ""
        return f"run `mock-interview download{engine} --model {self.value}` to fetch it again"


def converted_file(folder: Path) -> Path:
    """Where a folder's converted checkpoint lives."""
    return whisper_cache_dir() / CONVERTED / f"{folder_key(folder)}.pt"


_CONVERTING = threading.Lock()


def ensure_converted(folder: Path) -> Path:
    """The folder's model as a whisper checkpoint, converted on first use (a few seconds)."""
    if not is_model_folder(folder):
        raise UserError(f"{folder} has no model.bin; pass a faster-whisper model folder (model.bin, config.json), "
                        "a .pt checkpoint, or a whisper model name.")
    target = converted_file(folder)
    with _CONVERTING:
        if target.is_file() and checkpoint_problem(target) is None:
            return target
        try:
            return convert(folder, target)
        except ModelFolderError:
            raise
        except MemoryError:
            raise UserError(f"Not enough memory to convert {folder}; close other programs and try again.") from None
        except OSError as exc:
            raise UserError(f"Could not write the converted model to {target.parent} ({exc.strerror or exc}); "
                            "free some disk space or set XDG_CACHE_HOME to a writable folder.") from None


def load_whisper(spec: ModelSpec) -> Any:
    """whisper.load_model from a file on disk, never the network, with every failure one sentence."""
    spec.check()
    try:
        import whisper
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UserError(f"openai-whisper is not installed ({exc}); run `make rehearse` to set up.") from None
    path = spec.file
    try:
        with warnings.catch_warnings():  # torch warns about odd pickles before failing on them
            warnings.simplefilter("ignore")
            model = whisper.load_model(str(path), device="cpu")
    except Exception as exc:
        raise UserError(f"The Whisper checkpoint {path} is corrupt or not a Whisper model "
                        f"({type(exc).__name__}); {spec.fix}.") from None
    heads = checkpoint_heads(path)
    if heads is not None:
        _set_heads(model, heads)
    else:
        set_alignment_heads(model, spec.value if not spec.is_path else path.name.removesuffix(".pt"))
    return model


def set_alignment_heads(model: Any, name: str) -> None:
    """What load_model(name) adds for a named model: the few attention heads that time words best.

    A checkpoint given by path gets them too when its file keeps whisper's name (base.en.pt), rather than
    whisper's fallback of every head in the upper layers, which times words worse and costs more memory.
    """
    import whisper

    heads = getattr(whisper, "_ALIGNMENT_HEADS", {}).get(name)
    if heads is not None:
        _set_heads(model, heads)


def _set_heads(model: Any, dump: bytes | str) -> None:
    try:
        model.set_alignment_heads(dump)
    except (ValueError, RuntimeError, OSError):  # not that model's shape after all: keep whisper's fallback
        pass


def download_model(name: str, engine: str = DEFAULT_ENGINE) -> Path:
    """Fetch a named model into whisper's cache (whisper checks its SHA-256); the one network use."""
    spec = ModelSpec(name, engine)
    if spec.is_path:
        raise UserError(f"{name} is a local model; there is nothing to download, pass it with --model.")
    if spec.faster:
        from simulator.hearing.models_faster import download

        return download(name)
    spec.check_name()
    if spec.file.is_file() and checkpoint_problem(spec.file) is None:
        return spec.file
    import whisper

    try:
        whisper.load_model(name, device="cpu", download_root=str(whisper_cache_dir()))
    except Exception as exc:
        raise UserError(f"Could not download the Whisper model {name} ({type(exc).__name__}); check the "
                        "internet connection and try again.") from None
    return spec.file
