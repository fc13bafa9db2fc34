"""Which model the faster-whisper engine loads: a CTranslate2 folder as it is, or a name downloaded once.

A folder is vetted without keeping its weights (a damaged one is one sentence
before anything is recorded). faster-whisper reads one model.bin, so a folder
whose model.bin is split into parts is joined once into the model cache. A
named model is fetched by `download` into the cache; a rehearsal only looks
there, and never goes online.
"""

from __future__ import annotations

import shutil
import threading
import warnings
from pathlib import Path

from simulator.errors import UserError
from simulator.hearing.ct2 import (
    MODEL_FILE,
    PART,
    ModelFolderError,
    folder_key,
    is_model_folder,
    model_files,
    read_model,
    whisper_cache_dir,
)
from simulator.hearing.engines import FASTER_WHISPER, require

# faster_whisper.available_models() as of faster-whisper 1.2, so a known name is checked without importing it
FASTER_MODELS = ("tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium", "large-v1",
                 "large-v2", "large-v3", "large", "distil-large-v2", "distil-medium.en", "distil-small.en",
                 "distil-large-v3", "distil-large-v3.5", "large-v3-turbo", "turbo")
CACHE = "faster-whisper"  # under whisper's cache folder: named models, and joined folders under JOINED
JOINED = "joined"
TOKENIZER_FILE = "tokenizer.json"  # without it faster-whisper would fetch a tokenizer from the Hugging Face Hub

_vetted: set[str] = set()
_LOCK = threading.Lock()


def cache_dir() -> Path:
    return whisper_cache_dir() / CACHE


def named_folder(name: str) -> Path:
    return cache_dir() / name


def joined_folder(folder: Path) -> Path:
    return cache_dir() / JOINED / folder_key(folder)


def model_folder(name: str, path: Path | None) -> Path:
    """The folder faster-whisper loads: the folder given (path), its joined copy, or the named model's."""
    if path is None:
        return named_folder(name)
    files = model_files(path) if path.is_dir() else []
    return joined_folder(path) if len(files) > 1 or (files and files[0].name != MODEL_FILE) else path


def check_name(name: str) -> None:
    if name not in FASTER_MODELS:
        raise UserError(f"faster-whisper has no model named {name!r}; use one of {', '.join(FASTER_MODELS)}, or a "
                        "faster-whisper model folder.")


def check(name: str, path: Path | None) -> None:
    """Fail before anything is recorded: the engine missing, a path that is not a model folder, a folder that is
    damaged, a name not downloaded yet. A split folder is joined here, once."""
    require(FASTER_WHISPER)
    if path is not None:
        if not path.exists():
            raise UserError(f"The model folder {path} does not exist; pass --model with the path to a "
                            "faster-whisper model folder, or a model name such as base.en.")
        if not path.is_dir():
            raise UserError(f"{path} is a file, and the faster-whisper engine loads model folders (model.bin, "
                            "config.json); pass a faster-whisper folder, or rehearse with --engine whisper.")
        _vet(path)
        folder = model_folder(name, path)
        if folder != path:
            _join(path, folder)
        return
    check_name(name)
    folder = named_folder(name)
    if not is_model_folder(folder) or not (folder / TOKENIZER_FILE).is_file():
        raise UserError(f"The faster-whisper model {name} is not downloaded; run `mock-interview download "
                        f"--engine faster-whisper --model {name}` once while online, or pass --model PATH to "
                        "a local model folder.")


def _vet(folder: Path) -> None:
    """Read every variable once per folder and process, keeping none: what the whisper engine's conversion finds
    wrong, found here too."""
    key = folder_key(folder)
    with _LOCK:
        if key in _vetted:
            return
        if not is_model_folder(folder):
            raise ModelFolderError(f"{folder} has no model.bin; pass a faster-whisper model folder (model.bin, "
                                   "config.json), or a whisper model name.")
        if not (folder / TOKENIZER_FILE).is_file():
            raise ModelFolderError(f"{folder} has no {TOKENIZER_FILE}; copy the whole model folder again.")
        try:
            read_model(folder, keep=False)
        except MemoryError:
            raise UserError(f"Not enough memory to read {folder}; close other programs and try again.") from None
        _vetted.add(key)


def _join(folder: Path, target: Path) -> None:
    """The parts as one model.bin beside copies of the folder's other files; the folder appears whole or not at
    all."""
    with _LOCK:
        if (target / MODEL_FILE).is_file():
            return
        partial = target.with_name(target.name + ".partial")
        try:
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            with open(partial / MODEL_FILE, "wb") as whole:
                for part in model_files(folder):
                    with open(part, "rb") as f:
                        shutil.copyfileobj(f, whole, 1 << 20)
            for path in folder.iterdir():
                if path.is_file() and not PART.match(path.name) and not path.name.startswith("."):
                    shutil.copy(path, partial / path.name)
            partial.rename(target)
        except OSError as exc:
            raise UserError(f"Could not join {folder}'s model.bin parts into {target.parent} "
                            f"({exc.strerror or exc}); free some disk space or set XDG_CACHE_HOME to a writable "
                            "folder.") from None
        finally:
            shutil.rmtree(partial, ignore_errors=True)


def download(name: str) -> Path:
    """Fetch a named model from the Hugging Face Hub, where faster-whisper keeps them; the one network use."""
    check_name(name)
    require(FASTER_WHISPER)
    target = named_folder(name)
    if is_model_folder(target) and (target / TOKENIZER_FILE).is_file():
        return target
    partial = target.with_name(target.name + ".partial")
    try:
        from faster_whisper import download_model

        with warnings.catch_warnings():  # huggingface_hub's notes on options faster-whisper passes
            warnings.simplefilter("ignore")
            download_model(name, output_dir=str(partial))
        partial.rename(target)
    except Exception as exc:
        raise UserError(f"Could not download the faster-whisper model {name} from the Hugging Face Hub "
                        f"({type(exc).__name__}); check the internet connection and try again, or pass --model PATH "
                        "to a faster-whisper model folder you have.") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target
