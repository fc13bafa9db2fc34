"""The audio contract: 16 kHz mono float32 everywhere inside, PCM16 WAV on disk.

Whisper wants 16 kHz mono float32 arrays, so everything the program records,
reads or renders is converted to that once, at the edge.
"""

from __future__ import annotations

import os
import queue
import struct
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import UserError

SAMPLE_RATE = 16000  # whisper's rate; everything inside the program uses it
CHUNK_SECONDS = 0.1  # one microphone block: fine enough for the level meter and endpointing
CHUNK_SAMPLES = int(SAMPLE_RATE * CHUNK_SECONDS)
SAMPLE_WIDTH = 2  # bytes per sample on disk (PCM16)
SILENCE_FLOOR_DBFS = -120.0  # what digital silence reads as, instead of -inf
FLUSH_SECONDS = 1.0  # the most audio a killed process may lose
MAX_ANSWER_FILE_SECONDS = 3 * 60 * 60  # an answer file longer than this is refused


def dbfs(samples: np.ndarray) -> float:
    """Loudness of a block in dB relative to full scale."""
    if samples.size == 0:
        return SILENCE_FLOOR_DBFS
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return max(SILENCE_FLOOR_DBFS, 20.0 * np.log10(rms)) if rms > 0 else SILENCE_FLOOR_DBFS


@dataclass(frozen=True)
class AudioChunk:
    """A block of 16 kHz mono float32 audio and where it starts in its answer."""

    samples: np.ndarray
    timestamp: float = 0.0  # seconds from the start of the answer

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    @property
    def end(self) -> float:
        return self.timestamp + self.seconds

    @property
    def level_dbfs(self) -> float:
        return dbfs(self.samples)


@dataclass(frozen=True)
class AudioClip:
    """A whole piece of audio, such as a rendered prompt, with its own sample rate."""

    samples: np.ndarray
    rate: int = SAMPLE_RATE
    path: Path | None = field(default=None, compare=False)

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Average the channels of a (frames, channels) array."""
    if samples.ndim == 1:
        return samples
    return samples.mean(axis=1)


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """High-quality band-limited resampling, so 44.1/48 kHz input does not alias."""
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if rate == target or samples.size == 0:
        return samples
    import soxr

    return np.ascontiguousarray(soxr.resample(samples, rate, target), dtype=np.float32)


def read_audio(path: str | os.PathLike[str]) -> np.ndarray:
    """Read a WAV or FLAC file as 16 kHz mono float32, or say in one sentence why not."""
    import soundfile as sf

    path = Path(path)
    if not path.exists():
        raise UserError(f"The answer file {path} does not exist; check the path.")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not an audio file; pass a WAV or FLAC file.")
    if path.stat().st_size == 0:
        raise UserError(f"The answer file {path} is empty; record it again or pick another file.")
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UserError(
            f"{path} is not a readable WAV or FLAC file ({_first_line(exc)}); convert it to WAV or FLAC."
        ) from None
    if info.frames == 0 or info.samplerate <= 0:
        raise UserError(f"The answer file {path} holds no audio; record it again or pick another file.")
    if info.frames / info.samplerate > MAX_ANSWER_FILE_SECONDS:
        hours = MAX_ANSWER_FILE_SECONDS // 3600
        raise UserError(f"The answer file {path} is longer than {hours} hours; trim it to the answer itself.")
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UserError(f"{path} is corrupt ({_first_line(exc)}); record it again or pick another file.") from None
    if data.shape[0] == 0:
        raise UserError(f"The answer file {path} holds no audio; record it again or pick another file.")
    return resample(to_mono(data), rate)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__


def _private(path: str, flags: int) -> int:
    """Open for writing readable by the user alone: answers are personal recordings."""
    return os.open(path, flags, 0o600)


def to_pcm16(samples: np.ndarray) -> bytes:
    clipped = np.clip(samples, -1.0, 1.0)
    return (clipped * 32767.0).astype("<i2").tobytes()


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Write mono float audio as a PCM16 WAV in one go."""
    with open(path, "wb", opener=_private) as raw, wave.open(raw, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(rate)
        out.writeframes(to_pcm16(samples))
    return path


def read_wav(path: Path) -> AudioClip:
    """Read a WAV this program wrote (or any PCM WAV) at its own rate, as mono float32."""
    import soundfile as sf

    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return AudioClip(to_mono(data), rate, Path(path))


WAV_HEADER_BYTES = 44  # what the stdlib wave writer puts before the samples


def repair_wav(path: Path, rate: int = SAMPLE_RATE) -> float:
    """Make a WAV left by a killed writer whole again, from its size on disk; its length in seconds.

    A writer killed mid-answer leaves the samples on disk but a header that may
    count fewer of them (or none). The header is rewritten to cover every whole
    frame in the file; a file whose header is unreadable gets the header
    WavWriter writes (PCM16 mono at `rate`).
    """
    path = Path(path)
    with open(path, "r+b") as raw:
        head = raw.read(WAV_HEADER_BYTES)
        size = os.fstat(raw.fileno()).st_size
        channels, width, file_rate = 1, SAMPLE_WIDTH, rate
        if len(head) == WAV_HEADER_BYTES and head[:4] == b"RIFF" and head[8:16] == b"WAVE" \
                and head[12:16] == b"fmt " and head[36:40] == b"data":
            fmt, channels, file_rate, _, _, bits = struct.unpack("<HHIIHH", head[20:36])
            width = bits // 8
            if fmt != 1 or channels < 1 or width < 1 or file_rate <= 0:
                raise UserError(f"{path} is not a PCM WAV this program wrote; it was left as it is.")
        frame = channels * width
        data = max(0, size - WAV_HEADER_BYTES) // frame * frame
        raw.seek(0)
        raw.write(_wav_header(data, channels, width, file_rate))
        raw.truncate(WAV_HEADER_BYTES + data)  # a half-written last frame cannot be played
        raw.flush()
        os.fsync(raw.fileno())
    return data / frame / file_rate


def _wav_header(data_bytes: int, channels: int, width: int, rate: int) -> bytes:
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + data_bytes, b"WAVE", b"fmt ", 16, 1, channels, rate,
                       rate * channels * width, channels * width, width * 8, b"data", data_bytes)


class WavWriter:
    """Streams an answer to disk from a queue in its own thread.

    The stdlib wave writer patches the header after every write, so with a
    flush and fsync at least every FLUSH_SECONDS the file on disk is always a
    valid WAV holding all but the last second of the answer.
    """

    def __init__(self, path: Path, rate: int = SAMPLE_RATE, flush_seconds: float = FLUSH_SECONDS) -> None:
        self.path = Path(path)
        self.rate = rate
        self.flush_seconds = flush_seconds
        self.frames = 0
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._file = open(self.path, "wb", opener=_private)
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH)
        self._wav.setframerate(rate)
        self._wav.writeframes(b"")  # the header reaches disk before any audio does
        self._sync()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="wav-writer", daemon=True)
        self._thread.start()

    def write(self, samples: np.ndarray) -> None:
        if self._error is not None:
            raise UserError(f"Could not write {self.path} ({_first_line(self._error)}); free some disk space.")
        self._queue.put(samples)

    def close(self) -> None:
        """Write what is queued, fix the header and close; safe to call twice."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if not self._file.closed:
            try:
                self._wav.close()
                self._sync()
            finally:
                self._file.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    def _run(self) -> None:
        last_sync = time.monotonic()
        while True:
            try:
                item = self._queue.get(timeout=self.flush_seconds / 2)
            except queue.Empty:
                item = np.empty(0, dtype=np.float32)
            if item is None:
                return
            try:
                if item.size:
                    self._wav.writeframes(to_pcm16(item))
                    self.frames += len(item)
                if time.monotonic() - last_sync >= self.flush_seconds:
                    self._sync()
                    last_sync = time.monotonic()
            except OSError as exc:
                self._error = exc
                return

    def _sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
