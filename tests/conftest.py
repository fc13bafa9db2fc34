"""Shared pytest fixtures."""

from __future__ import annotations

import os

import pytest


# --- Virtual audio devices (PulseAudio) -------------------------------------
# ``virtual_audio``: a private PulseAudio daemon with a virtual microphone and
# speaker for the whole session; see tests/pulse.py. Pass
# ``env=virtual_audio.env`` to any subprocess that should use them.


@pytest.fixture(scope="session")
def virtual_audio():
    from .pulse import VirtualAudio, available

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
    from .checkpoint import make_checkpoint

    return make_checkpoint(tmp_path_factory.mktemp("whisper") / "tiny.pt")
