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

from simulator.errors import UserError, first_line

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
    # (voiced, all) 20 ms frames, once the voice detector has heard the block: heard once, read by all
    voice: tuple[int, int] | None = None

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


READ_BLOCK_FRAMES = 1 << 16  # frames read at a time, so a long file never sits in memory at its own rate


def read_audio(path: str | os.PathLike[str]) -> np.ndarray:
    """Read a WAV or FLAC file as 16 kHz mono float32, or say in one sentence why not.

    Any rate, sample width and channel count is accepted (downmixed and
    resampled block by block, so memory holds only the 16 kHz result); files
    the header says run past MAX_ANSWER_FILE_SECONDS are refused before any
    audio is read.
    """
    import soundfile as sf

    path = Path(path)
    if not path.exists():
        raise UserError(f"The answer file {path} does not exist; check the path.")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not an audio file; pass a WAV or FLAC file.")
    if path.stat().st_size == 0:
        raise UserError(f"The answer file {path} is empty; record it again or pick another file.")
    _check_wav_length(path)
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UserError(
            f"{path} is not a readable WAV or FLAC file ({first_line(exc)}); convert it to WAV or FLAC."
        ) from None
    if info.frames == 0 or info.samplerate <= 0:
        raise UserError(f"The answer file {path} holds no audio; record it again or pick another file.")
    if info.frames / info.samplerate > MAX_ANSWER_FILE_SECONDS:
        hours = MAX_ANSWER_FILE_SECONDS // 3600
        raise UserError(f"The answer file {path} runs {info.frames / info.samplerate / 3600:.1f} hours, past the "
                        f"{hours}-hour limit; trim it to the answer itself.")
    try:
        samples = _read_resampled(path, info.samplerate, info.frames)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise UserError(f"{path} is corrupt ({first_line(exc)}); record it again or pick another file.") from None
    if samples.size == 0:
        raise UserError(f"The answer file {path} holds no audio; record it again or pick another file.")
    return samples


def _read_resampled(path: Path, rate: int, frames: int) -> np.ndarray:
    """Downmix and resample block by block into one preallocated 16 kHz array."""
    import soundfile as sf
    import soxr

    stream = None if rate == SAMPLE_RATE else soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32")
    out = np.empty(int(np.ceil(frames * SAMPLE_RATE / rate)) + SAMPLE_RATE, dtype=np.float32)
    filled = 0
    with sf.SoundFile(str(path)) as source:
        blocks = source.blocks(blocksize=READ_BLOCK_FRAMES, dtype="float32", always_2d=True)
        for block in blocks:
            mono = np.ascontiguousarray(to_mono(block), dtype=np.float32)
            filled = _append(out, filled, mono if stream is None else stream.resample_chunk(mono))
        if stream is not None:
            filled = _append(out, filled, stream.resample_chunk(np.empty(0, dtype=np.float32), last=True))
    return out[:filled].copy() if filled < len(out) // 2 else out[:filled]


def _append(out: np.ndarray, filled: int, block: np.ndarray) -> int:
    end = min(len(out), filled + len(block))  # the header's frame count bounds the file's length
    out[filled:end] = block[:end - filled]
    return end


def _check_wav_length(path: Path) -> None:
    """Refuse a WAV whose header promises more audio than the file holds (a copy cut short, a killed writer).

    libsndfile quietly reads such a file as shorter, which would time the answer wrong.
    """
    import struct

    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return
        offset = 12
        for _ in range(64):  # a WAV has a handful of chunks before its data
            f.seek(offset)
            chunk = f.read(8)
            if len(chunk) < 8:
                return
            name, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if name == b"data":
                held = size - offset - 8
                if length == 0xFFFFFFFF or (length <= held and (length > 0 or held == 0)):
                    return  # 0xFFFFFFFF is a streaming writer's "length unknown"
                raise UserError(f"The answer file {path} is incomplete: its header promises {length} bytes of "
                                f"audio and it holds {held}; re-export it, or keep what is there with "
                                "`sox --ignore-length IN.wav OUT.wav`.")
            offset += 8 + length + (length & 1)


def _private(path: str, flags: int) -> int:
    """Open for writing readable by the user alone: answers are personal recordings."""
    return os.open(path, flags, 0o600)


def to_pcm16(samples: np.ndarray) -> bytes:
    clipped = np.clip(samples, -1.0, 1.0)
    return (clipped * 32767.0).astype("<i2").tobytes()


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Write mono float audio as a PCM16 WAV in one go."""
    try:
        with open(path, "wb", opener=_private) as raw, wave.open(raw, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(SAMPLE_WIDTH)
            out.setframerate(rate)
            out.writeframes(to_pcm16(samples))
    except OSError as exc:
        raise UserError(f"Could not write {path} ({exc.strerror or first_line(exc)}); free some disk space "
                        "or make the data folder writable.") from None
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
        try:
            self._file = open(self.path, "wb", opener=_private)
        except OSError as exc:
            raise UserError(f"Could not write {self.path} ({exc.strerror or first_line(exc)}); free some disk "
                            "space or make the data folder writable.") from None
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
            raise UserError(f"Could not write {self.path} ({first_line(self._error)}); free some disk space.")
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
