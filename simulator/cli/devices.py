"""Real audio devices: the sounddevice microphone and player.

The voices that speak with them are in interviewer/voices.py; espeak-ng renders in interviewer/espeak.py.

Imported only by the CLI, and only when a command needs a device, so that a
machine without PortAudio can still list sessions and questions.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.audio import CHUNK_SECONDS, SAMPLE_RATE, AudioChunk, AudioClip, dbfs
from simulator.errors import DeviceError, UserError

NO_INPUT = ("No input device is available; plug in a microphone, pick one with --input-device "
            "(see `mock-interview devices`), or answer with --answer-file or --type.")
INPUT_LOST = ("The input device stopped sending audio (unplugged, or its sound server stopped); reconnect it, "
              "check `mock-interview devices`, and start again.")
FIRST_BLOCK_TIMEOUT = 10.0  # PulseAudio can take ~2 s to deliver the first block
STALL_TIMEOUT = 3.0  # no audio for this long from a running stream means the device is gone
PLAY_BLOCK_SECONDS = 0.25
PLAY_LATENCY_SECONDS = 1.0  # buffered ahead, so a busy interpreter between blocks cannot starve the speaker
PLAYBACK_BUFFER = 0.5  # seconds queued ahead while replaying, so a busy machine does not starve the speaker


# What PortAudio's ALSA backend and ALSA itself print to stderr when a device fails or underruns.
NATIVE_NOISE = re.compile(rb"(Expression '.*' failed in '.*'|ALSA lib .*)")


@contextlib.contextmanager
def native_noise_filtered() -> Iterator[None]:
    """Keep the C libraries' own failure messages off the terminal while a stream runs.

    PortAudio and ALSA write them straight to file descriptor 2, several lines
    for one lost device; the user gets the program's one line instead.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
    except (OSError, ValueError):  # no usable stderr: nothing to filter
        yield
        return

    def forward() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            for line in pipe:
                if not NATIVE_NOISE.match(line):
                    os.write(saved, line)

    thread = threading.Thread(target=forward, name="stderr-filter", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os.dup2(saved, 2)  # drops the pipe's last write end, so forward() reads to the end and stops
        thread.join(timeout=2.0)
        if not thread.is_alive():
            os.close(saved)


def sounddevice() -> Any:
    """Import sounddevice, turning a missing PortAudio into one sentence."""
    try:
        import sounddevice as sd
    except OSError:
        raise UserError("PortAudio is not installed; run `sudo apt-get install libportaudio2` "
                        "(or `make rehearse`, which installs it).") from None
    return sd


def parse_device(value: str | None) -> int | str | None:
    """--input-device/--output-device take an index or part of a name."""
    if value is None or value == "":
        return None
    return int(value) if value.isdigit() else value


def _device_error(exc: Exception, device: int | str | None, kind: str) -> UserError:
    message = str(exc)
    if device is None and ("-1" in message or "querying device" in message.lower()):
        return UserError(NO_INPUT if kind == "input" else
                         "No output device is available; connect speakers or headphones, or use --no-voice.")
    return UserError(f"The {kind} device {device!r} cannot be used ({message}); "
                     "see `mock-interview devices` for the ones there are.")


@dataclass
class _Stream:
    """An input stream running, its blocks queued with when each arrived (monotonic seconds)."""

    stream: Any
    rate: int
    blocks: queue.Queue[tuple[float, np.ndarray]]
    keep_from: float | None = None  # blocks that arrived before this are not the answer's


class SoundDeviceMicrophone:
    """A callback input stream feeding a queue; the reader turns blocks into 16 kHz chunks.

    The stream may be opened ahead of the answer (open_ahead, before the question is shown or said), and the
    answer then starts where answer_from_now marks it: opening a stream takes a while on a busy machine, and
    what the candidate says as the question ends must not wait for it.
    """

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self.overflows = 0  # callbacks that reported input lost because the program fell behind
        self._ahead: _Stream | None = None  # opened ahead, not read yet
        self._reading = False

    def open_ahead(self) -> None:
        """Start hearing now, for the answer to come; nothing while an answer is being read."""
        if self._ahead is None and not self._reading:
            with native_noise_filtered():
                self._ahead = self._open(sounddevice())

    def answer_from_now(self) -> None:
        """What the stream opened ahead heard before now (the question, said or shown) is not the answer."""
        if self._ahead is not None:
            self._ahead.keep_from = time.monotonic()

    def _open(self, sd: Any) -> _Stream:
        blocks: queue.Queue[tuple[float, np.ndarray]] = queue.Queue()

        def callback(indata: np.ndarray, frames: int, at: Any, status: Any) -> None:
            if status.input_overflow:  # PortAudio dropped input; the session records how often
                self.overflows += 1
            blocks.put((time.monotonic(), indata[:, 0].copy()))

        try:
            info = sd.query_devices(self.device, kind="input")
        except (ValueError, sd.PortAudioError) as exc:
            raise _device_error(exc, self.device, "input") from None
        rates = [SAMPLE_RATE, int(info["default_samplerate"])]
        last: Exception | None = None
        for rate in rates:
            try:
                stream = sd.InputStream(device=self.device, channels=1, samplerate=rate, dtype="float32",
                                        blocksize=int(rate * CHUNK_SECONDS), callback=callback)
                stream.start()
                return _Stream(stream, rate, blocks)
            except sd.PortAudioError as exc:
                last = exc
        assert last is not None
        raise _device_error(last, self.device, "input")

    def chunks(self) -> Iterator[AudioChunk]:
        with native_noise_filtered():
            yield from self._chunks()

    def _chunks(self) -> Iterator[AudioChunk]:
        opened, self._ahead = self._ahead or self._open(sounddevice()), None
        stream, rate, blocks = opened.stream, opened.rate, opened.blocks
        resampler = None
        if rate != SAMPLE_RATE:
            import soxr

            resampler = soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32")
        position = 0
        timeout = FIRST_BLOCK_TIMEOUT
        self._reading = True
        try:
            while True:
                try:
                    arrived, block = blocks.get(timeout=timeout)
                except queue.Empty:  # a device that never sends its first block is as gone as one gone quiet
                    raise DeviceError(INPUT_LOST) from None
                timeout = STALL_TIMEOUT
                if opened.keep_from is not None and arrived < opened.keep_from:
                    continue  # heard while the question was said or shown
                if resampler is not None:
                    block = resampler.resample_chunk(block)
                if block.size == 0:
                    continue
                chunk = AudioChunk(block, position / SAMPLE_RATE)
                position += block.size
                yield chunk
        finally:
            self._reading = False
            with contextlib.suppress(Exception):
                stream.stop()
            with contextlib.suppress(Exception):
                stream.close()


class SoundDevicePlayer:
    """Plays a clip with PortAudio's blocking API.

    Blocking writes feed PortAudio's own C thread, which needs no GIL, so a
    busy Python thread (the model loading beside it) cannot starve the audio
    into underruns the way a Python callback can.
    """

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device

    def play(self, clip: AudioClip) -> None:
        sd = sounddevice()
        try:
            with native_noise_filtered(), sd.OutputStream(samplerate=clip.rate, channels=1, dtype="float32",
                                                          device=self.device, latency=PLAY_LATENCY_SECONDS) as stream:
                data = np.ascontiguousarray(clip.samples, dtype=np.float32).reshape(-1, 1)
                step = int(clip.rate * PLAY_BLOCK_SECONDS)  # Ctrl-C lands between blocks, not after the clip
                try:
                    for offset in range(0, len(data), step):
                        stream.write(data[offset:offset + step])
                except BaseException:
                    stream.abort()  # stop speaking at once rather than drain the buffer
                    raise
                # closing drains what is still buffered, so the last words are not cut off
        except (ValueError, sd.PortAudioError) as exc:
            raise _device_error(exc, self.device, "output") from None

    def playing(self, clip: AudioClip, block_seconds: float = 0.1) -> Generator[float, None, None]:
        """Play a clip a block at a time, yielding the seconds heard so far (written minus buffered).

        A blocking write returns once the block is queued, so the writer keeps
        pace with the speaker; closing early aborts, dropping what is queued.
        """
        sd = sounddevice()
        samples = np.ascontiguousarray(clip.samples, dtype=np.float32).reshape(-1, 1)
        block = max(1, int(clip.rate * block_seconds))
        try:
            stream = sd.OutputStream(samplerate=clip.rate, channels=1, dtype="float32", device=self.device,
                                     latency=PLAYBACK_BUFFER)
            stream.start()
        except (ValueError, sd.PortAudioError) as exc:
            raise _device_error(exc, self.device, "output") from None
        # stopping drops what is still buffered, so silence as long as the buffer pushes the last words out
        tail = np.zeros((int((stream.latency + block_seconds) * clip.rate), 1), dtype=np.float32)
        padded = np.concatenate([samples, tail])
        drained = False
        try:
            for offset in range(0, len(padded), block):
                stream.write(padded[offset:offset + block])
                written = min(offset + block, len(padded)) / clip.rate
                yield min(clip.seconds, max(0.0, written - stream.latency))
            stream.stop()
            drained = True
            yield clip.seconds
        except sd.PortAudioError as exc:
            raise _device_error(exc, self.device, "output") from None
        finally:
            with contextlib.suppress(Exception):
                if not drained:
                    stream.abort()
            with contextlib.suppress(Exception):
                stream.close()


def check_device(device: int | str | None, kind: str, none_message: str) -> None:
    """Refuse, in one line, an input or output device that is not there, before anything is recorded."""
    sd = sounddevice()
    try:
        sd.query_devices(device, kind=kind)
    except (ValueError, sd.PortAudioError):
        if device is None:
            raise UserError(none_message) from None
        raise UserError(f"There is no {kind} device {device!r}; see `mock-interview devices` for the ones "
                        "there are.") from None


def list_devices() -> list[dict[str, Any]]:
    sd = sounddevice()
    try:
        devices = sd.query_devices()
    except sd.PortAudioError:
        return []
    try:
        default_in, default_out = sd.default.device
    except Exception:
        default_in = default_out = -1
    return [{"index": i, "name": d["name"], "inputs": d["max_input_channels"],
             "outputs": d["max_output_channels"], "default_samplerate": d["default_samplerate"],
             "default_input": i == default_in, "default_output": i == default_out}
            for i, d in enumerate(devices)]


def level_check(device: int | str | None, seconds: float = 3.0) -> float:
    """Peak loudness (dBFS) the input device hears over a few seconds."""
    mic = SoundDeviceMicrophone(device)
    peak = -120.0
    heard = 0.0
    for chunk in mic.chunks():
        peak = max(peak, dbfs(chunk.samples))
        heard = chunk.end
        if heard >= seconds:
            break
    return peak

