"""The soak benchmark's frame check finds a lost block and a repeated one, and passes a clean copy."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_soak import TAIL_SECONDS, align, build_source  # noqa: E402

from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE  # noqa: E402


def test_the_frame_check_counts_lost_and_repeated_blocks() -> None:
    source = build_source(20 / 60)
    assert len(source) == (20 + TAIL_SECONDS) * SAMPLE_RATE
    lead = np.zeros(7000, dtype=np.float32)
    clean = np.concatenate([lead, source])
    assert align(source, clean)["missing_frames"] == 0 and align(source, clean)["duplicated_frames"] == 0

    cut = 5 * SAMPLE_RATE + 300
    lost = np.concatenate([lead, source[:cut], source[cut + CHUNK_SAMPLES:]])
    result = align(source, lost)
    assert result["missing_frames"] == CHUNK_SAMPLES and result["duplicated_frames"] == 0

    cut = 12 * SAMPLE_RATE + 900
    repeated = np.concatenate([lead, source[:cut], source[cut - CHUNK_SAMPLES:]])
    result = align(source, repeated)
    assert result["duplicated_frames"] == CHUNK_SAMPLES and result["missing_frames"] == 0

    short = np.concatenate([lead, source[: 15 * SAMPLE_RATE]])
    assert align(source, short)["missing_frames"] == 5 * SAMPLE_RATE
