"""Signal matching and subprocess reading shared by the device tests."""

from __future__ import annotations

import select
import subprocess

import numpy as np
import pytest


def best_match(ref: np.ndarray, rec: np.ndarray, oversample: int = 16) -> tuple[float, float]:
    """Peak normalised cross-correlation of ref against rec, and its lag.

    For every lag k (in samples, in steps of 1/oversample) with ref fully
    inside rec, compares ref with rec[k:k+len(ref)]: sum(ref*win) /
    (|ref| |win|). 1.0 means rec holds an exact (scaled) copy of ref there.

    Sub-sample lags matter: PulseAudio resamples 16 -> 48 -> 16 kHz, so the
    copy is typically shifted by a third of a sample, which at integer lags
    alone scores only ~0.93 for a chirp up to 5 kHz (0.8 at its top end).
    The correlation is interpolated band-limited (zero-padded spectrum).
    """
    ref = np.asarray(ref, dtype=np.float64)
    rec = np.asarray(rec, dtype=np.float64)
    n, m = len(ref), len(rec)
    assert m >= n, "recording shorter than the reference"
    size = 1 << (n + m - 1).bit_length()
    spectrum = np.fft.rfft(rec, size) * np.conj(np.fft.rfft(ref, size))
    corr = np.fft.irfft(spectrum, size * oversample) * oversample
    corr = corr[: (m - n) * oversample + 1]  # corr[j]: lag j / oversample
    energy = np.concatenate(([0.0], np.cumsum(rec**2)))
    window = energy[n:] - energy[:-n]  # at integer lags 0 .. m-n
    lags = np.arange(len(corr)) / oversample
    # a stretch 60 dB quieter than ref is no copy of it; without a floor, rounding noise over digital
    # silence divided by its near-zero energy can outscore the real copy
    window = np.maximum(np.interp(lags, np.arange(len(window)), window), 1e-6 * float(ref @ ref) + 1e-12)
    score = corr / (np.linalg.norm(ref) * np.sqrt(window))
    j = int(np.argmax(score))
    return float(score[j]), float(lags[j])


def read_line(proc: subprocess.Popen, timeout: float) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"no output from subprocess within {timeout}s; stderr:\n{err}")
    return proc.stdout.readline()


def wait_for_line(proc: subprocess.Popen, text: str, timeout: float) -> list[str]:
    """Read a subprocess's stdout until a line containing text; the lines read so far."""
    import time

    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = read_line(proc, max(0.1, deadline - time.monotonic()))
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    proc.kill()
    _, err = proc.communicate()
    pytest.fail(f"{text!r} never appeared; stdout: {''.join(lines)!r}; stderr: {err}")
