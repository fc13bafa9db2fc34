"""openai-whisper, the default engine: PyTorch, float32 on CPU, word times from its cross-attention.

whisper (and with it torch) is imported only when a model is loaded.
"""

from __future__ import annotations

import copy
import math
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.config import DecodeOptions, TranscribeSettings
from simulator.hearing.engines import (
    PROBE_MAX_SECONDS,
    RawSegment,
    RawWord,
    decoded,
    probe_text,
    probe_tokens,
    probe_window,
    prompt,
    single_pass,
    token_cap,
)
from simulator.hearing.models import ModelSpec, load_whisper
from simulator.transcript import Segment

MEL_FRAMES_PER_SECOND = 100  # whisper's mel hop: 10 ms


def load(spec: ModelSpec) -> Any:
    from simulator.hearing.whisper_memory import share_encoder_work

    model = load_whisper(spec)
    if spec.int8_linear:
        quantize_linear(model)
    prober(model)  # before any hook is hung on the model's layers
    model = share_encoder_work(model)
    warm_word_timing()
    return model


_TWINS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def prober(model: Any) -> Any:
    """The model's twin over the same weights, for probes. whisper's decoding hangs its key-value cache on the
    model's own layers, so a probe run while a piece's decoding waits (decode's `between`) would write into that
    piece's cache; the twin's layers are its own, and its tensors the model's, so it costs no memory."""
    if not hasattr(model, "parameters"):  # a stand-in without layers
        return model
    twin = _TWINS.get(model)
    if twin is None:
        memo: dict[int, Any] = {id(t): t for t in (*model.parameters(), *model.buffers())}
        # int8 layers keep their weights packed in a module of their own: shared as they are
        memo.update({id(m): m for m in model.modules() if type(m).__name__ == "LinearPackedParams"})
        twin = copy.deepcopy(model, memo)
        for module in twin.modules():
            module._forward_pre_hooks.clear()
            module._forward_hooks.clear()
        _TWINS[model] = twin
    return twin


def quantize_linear(model: Any) -> int:
    """The model's linear layers as int8 with float activations (dynamic quantisation): on CPU a piece decodes in
    about two thirds of the time. Returns how many layers were quantised (192 in base).

    whisper's own Linear subclass only casts its weight to the input's dtype, a no-op in float32 on CPU, and
    torch quantises a module only by its exact type, so those layers are made plain torch Linear first."""
    import warnings

    import torch
    import whisper.model

    for module in model.modules():
        if type(module) is whisper.model.Linear:
            module.__class__ = torch.nn.Linear
    with warnings.catch_warnings():
        # torch marks quantize_dynamic deprecated in favour of torchao, a dependency the program does not take;
        # the call is kept, and the notice is not the user's concern
        warnings.filterwarnings("ignore", message="torch.ao.quantization is deprecated", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantized tensor creation functions.*", category=UserWarning)
        torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    return sum(1 for m in model.modules() if isinstance(m, torch.ao.nn.quantized.dynamic.Linear))


def warm_word_timing() -> None:
    """Compile whisper's word-timing alignment now, while the question is spoken: numba compiles it on first
    use, seconds that would otherwise land on the first reply to the candidate."""
    try:
        from whisper.timing import dtw_cpu

        dtw_cpu(np.zeros((2, 2)))
    except Exception:  # an engine without it, or a numba that cannot compile: the first decode pays, no more
        pass


def whisper_options(settings: TranscribeSettings, on_cpu: bool, seconds: float = 30.0,
                    last: bool = False) -> dict[str, Any]:
    """Options for whisper's transcribe(): quiet, word times, no fp16 on CPU, the shared decoding policy."""
    options: dict[str, Any] = {
        "language": settings.language,
        "word_timestamps": True,
        "condition_on_previous_text": False,
        "fp16": not on_cpu,
        "verbose": None,
    }
    if single_pass(settings, last):
        options["temperature"] = 0.0
    cap = token_cap(settings, seconds, last)
    if cap is not None:
        options["sample_len"] = cap
    initial = prompt(settings)
    if initial:
        options["initial_prompt"] = initial
    return options


def segments_from_whisper(result: dict[str, Any]) -> list[Segment]:
    """whisper's result dict read into the segments both engines give (engines.decoded)."""
    return decoded(RawSegment(raw["start"], raw["end"], raw.get("text", ""),
                              tuple(RawWord(w["word"], w["start"], w["end"], w.get("probability", 1.0))
                                    for w in raw.get("words", [])),
                              raw.get("no_speech_prob", 0.0), raw.get("avg_logprob", 0.0))
                   for raw in result.get("segments", []))


def decode(model: Any, audio: np.ndarray, settings: TranscribeSettings, last: bool,
           between: Callable[[], None] | None = None) -> list[Segment]:
    """One piece's segments; `between` is called before each encoder layer and each token decoded, where a
    probe may run (on the model's twin, prober) while this decoding waits."""
    on_cpu = getattr(model, "device", None) is None or model.device.type == "cpu"
    options = whisper_options(settings, on_cpu, len(audio) / SAMPLE_RATE, last)
    frames = last_window_frames(len(audio) / SAMPLE_RATE, settings.decoding) if last else None
    with encoding_only(model, frames), stepping(model, between):
        return segments_from_whisper(model.transcribe(audio.astype(np.float32), **options))


@contextmanager
def stepping(model: Any, between: Callable[[], None] | None) -> Iterator[None]:
    """Within it, `between` runs before each layer of the audio encoder and before each token the decoder adds:
    a decoding of seconds yields every few tens of milliseconds, so a probe need not wait for it to end."""
    encoder, text_decoder = getattr(model, "encoder", None), getattr(model, "decoder", None)
    blocks = [*getattr(encoder, "blocks", ()), *list(getattr(text_decoder, "blocks", ()))[:1]]
    if between is None or not blocks:
        yield
        return
    call = between
    handles = [block.register_forward_pre_hook(lambda _module, _inputs: call()) for block in blocks]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def last_window_frames(seconds: float, decoding: DecodeOptions) -> int | None:
    """Mel frames to encode for a last piece this long: its audio, a margin of silence, whole seconds, at least
    the safe minimum; None for whisper's own 30 s window (the lever off, or a piece that needs it all)."""
    if not decoding.short_last_window:
        return None
    window = max(math.ceil(seconds + decoding.last_window_margin_seconds), decoding.last_window_min_seconds)
    return None if window >= PROBE_MAX_SECONDS else int(math.ceil(window)) * MEL_FRAMES_PER_SECOND


@contextmanager
def encoding_only(model: Any, frames: int | None) -> Iterator[None]:
    """Within it, the audio encoder runs over the first `frames` mel frames of each window rather than all 3,000:
    the decoder and the word alignment see only the audio there is, and the encoder does a fraction of its work.
    The worker is the only thread that decodes, so the swap is never seen by another decoding."""
    if frames is None:
        yield
        return
    from simulator.hearing.whisper_memory import EncoderCache

    encoder = model.encoder
    forward = encoder.forward
    encoder.forward = EncoderCache(lambda mel: encode(encoder, mel[:, :, :frames]))
    try:
        yield
    finally:
        encoder.forward = forward


def probe(model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "", prefix: str = "") -> str:
    """The text of a short span, fast: no timestamps, no word times, and the encoder run over the span and a
    few seconds of silence instead of a 30 s window. Whisper was trained on whole windows, so this text is for the
    interviewer's ear (was that a question?), never the transcript. With a prefix (the span's first words, heard
    already) whisper writes only what follows it."""
    import torch
    import whisper
    from whisper.decoding import DecodingOptions, DecodingTask

    model = prober(model)
    window = probe_window(audio, settings.decoding)
    on_cpu = getattr(model, "device", None) is None or model.device.type == "cpu"
    mel = whisper.log_mel_spectrogram(window, model.dims.n_mels).unsqueeze(0).to(model.device)
    mel = mel[:, :, : mel.shape[-1] // 2 * 2]
    options = DecodingOptions(language=settings.language, without_timestamps=True, fp16=not on_cpu,
                              temperature=0.0, sample_len=probe_tokens(len(audio) / SAMPLE_RATE, settings.decoding),
                              prompt=prompt(settings, context), prefix=prefix or None)
    with torch.no_grad():
        features = encode(model.encoder, mel)
        task = DecodingTask(model, options)
        task._get_audio_features = lambda _mel: features  # whisper encodes only full windows itself
        result = task.run(mel)[0]
    return probe_text(result.text, float(result.no_speech_prob), float(result.avg_logprob), settings.decoding)


def encode(encoder: Any, mel: Any) -> Any:
    """whisper's audio encoder over a mel of any even length up to 30 s: its own forward takes only full windows."""
    import torch.nn.functional as F

    x = F.gelu(encoder.conv1(mel.to(encoder.conv1.weight.dtype)))
    x = F.gelu(encoder.conv2(x)).permute(0, 2, 1)
    x = (x + encoder.positional_embedding[: x.shape[1]]).to(x.dtype)
    for block in encoder.blocks:
        x = block(x)
    return encoder.ln_post(x)
