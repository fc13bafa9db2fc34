"""faster-whisper folders copied from a real one, whole, split into parts, or damaged in each way the program
must refuse in one sentence; the tests of both engines share them."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path


def copy_folder(source: Path, target: Path, model_bin: bytes | None = None, parts: list[bytes] | None = None) -> Path:
    target.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(source / name, target / name)
    if model_bin is not None:
        (target / "model.bin").write_bytes(model_bin)
    for number, part in enumerate(parts or [], start=1):
        (target / f"model.bin.part{number}").write_bytes(part)
    return target


def bad_folders(real_tiny, tmp_path: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    whole = (real_tiny.folder / "model.bin").read_bytes()
    middle = len(whole) // 2
    empty = tmp_path / "no-model"
    empty.mkdir(parents=True)
    (empty / "config.json").write_text("{}")
    return {
        "no model.bin": empty,
        "cut short": copy_folder(real_tiny.folder, tmp_path / "cut", model_bin=whole[: len(whole) // 3]),
        "parts in the wrong order": copy_folder(real_tiny.folder, tmp_path / "swapped",
                                                model_bin=whole[middle:] + whole[:middle]),
        "an unknown binary version": copy_folder(real_tiny.folder, tmp_path / "v5",
                                                 model_bin=struct.pack("<I", 5) + whole[4:]),
        "not whisper": copy_folder(real_tiny.folder, tmp_path / "other",
                                   model_bin=whole[:4] + struct.pack("<H", 12) + b"OtherSpec!!\0" + whole[4 + 2 + 12:]),
    }


WORDS = {"no model.bin": "has no model.bin", "cut short": "is cut short",
         "parts in the wrong order": "joined in the wrong order", "an unknown binary version": "binary format version 5",
         "not whisper": "not Whisper"}
