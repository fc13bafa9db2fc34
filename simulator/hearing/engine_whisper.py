"""openai-whisper, the default engine: PyTorch, float32 on CPU, word times from its cross-attention.

whisper (and with it torch) is imported only when a model is loaded.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.audio import SAMPLE_RATE
from simulator.config import TranscribeSettings
from simulator.hearing.engines import (
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


def load(spec: ModelSpec) -> Any:
    from simulator.hearing.whisper_memory import share_encoder_work

    model = share_encoder_work(load_whisper(spec))
    warm_word_timing()
    return model


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


def decode(model: Any, audio: np.ndarray, settings: TranscribeSettings, last: bool) -> list[Segment]:
    on_cpu = getattr(model, "device", None) is None or model.device.type == "cpu"
    options = whisper_options(settings, on_cpu, len(audio) / SAMPLE_RATE, last)
    return segments_from_whisper(model.transcribe(audio.astype(np.float32), **options))


def probe(model: Any, audio: np.ndarray, settings: TranscribeSettings, context: str = "") -> str:
    """The text of a short span, fast: no timestamps, no word times, and the encoder run over the span and a
    few seconds of silence instead of a 30 s window. Whisper was trained on whole windows, so this text is for the
    interviewer's ear (was that a question?), never the transcript."""
    import torch
    import torch.nn.functional as F
    import whisper
    from whisper.decoding import DecodingOptions, DecodingTask

    window = probe_window(audio, settings.decoding)
    on_cpu = getattr(model, "device", None) is None or model.device.type == "cpu"
    mel = whisper.log_mel_spectrogram(window, model.dims.n_mels).unsqueeze(0).to(model.device)
    mel = mel[:, :, : mel.shape[-1] // 2 * 2]
    encoder = model.encoder
    options = DecodingOptions(language=settings.language, without_timestamps=True, fp16=not on_cpu,
                              temperature=0.0, sample_len=probe_tokens(len(audio) / SAMPLE_RATE, settings.decoding),
                              prompt=prompt(settings, context))
    with torch.no_grad():
        x = F.gelu(encoder.conv1(mel.to(encoder.conv1.weight.dtype)))
        x = F.gelu(encoder.conv2(x)).permute(0, 2, 1)
        x = (x + encoder.positional_embedding[: x.shape[1]]).to(x.dtype)
        for block in encoder.blocks:
            x = block(x)
        features = encoder.ln_post(x)
        task = DecodingTask(model, options)
        task._get_audio_features = lambda _mel: features  # whisper encodes only full windows itself
        result = task.run(mel)[0]
    return probe_text(result.text, float(result.no_speech_prob), float(result.avg_logprob), settings.decoding)
