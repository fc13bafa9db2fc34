"""Whether openai-whisper's speed levers keep its hearing: word error and decoding time, each lever on and off.

The levers act on the piece the reply waits for, so every piece of a few spoken corpus answers is decoded here
as the last piece is (one pass, padded, word times): cut at pauses by the program's own cutter, through the
transcriber's own filters, with the question's vocabulary. Levers:

* short window: the encoder runs over the piece and a margin of silence, not a 30 s window
  (DecodeOptions.short_last_window);
* int8: the linear layers quantised to int8 (ModelSpec.int8_linear).

A lever is kept on by default only if it moves the word error by no more than one point.

    python benchmarks/bench_levers.py [--models tiny.en,base] [--answers 3] [--seconds S] [--levers none,int8]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_speed import WER_ANSWERS, model_env  # noqa: E402
from tests.support.realmodels import model_folder  # noqa: E402

LEVERS = {"none": (False, False), "short window": (True, False), "int8": (False, True), "both": (True, True)}


def measure(model: Path, answers: list[str], short: bool, int8: bool, limit: float) -> dict[str, float]:
    from simulator.audio import CHUNK_SAMPLES, SAMPLE_RATE, AudioChunk
    from simulator.config import DecodeOptions, TranscribeSettings
    from simulator.hearing.loader import ModelLoader
    from simulator.hearing.models import ModelSpec
    from simulator.hearing.pieces import PieceCutter
    from simulator.hearing.transcriber import WhisperTranscriber
    from simulator.hearing.vad import SustainedSpeech, VoiceActivity, block_is_speech
    from simulator.questions import load_bank
    from simulator.transcript import text_of
    from tests.support.speech import corpus_text, edit_ops, normalized_words, speak_sentences

    bank = {q.id: q for q in load_bank()}
    loader = ModelLoader(ModelSpec(str(model), "whisper", int8_linear=int8)).start()
    loader.get()
    errors = words = 0
    seconds = busy = 0.0
    for name in answers:
        audio, spans = speak_sentences(corpus_text(name))
        kept = [(end, sentence) for _, end, sentence in spans if end <= limit]  # whole sentences within the limit
        text = " ".join(sentence for _, sentence in kept)
        audio = audio[:int((kept[-1][0] + 0.8) * SAMPLE_RATE)]
        settings = TranscribeSettings(vocabulary=bank[WER_ANSWERS[name]].vocabulary,
                                      decoding=DecodeOptions(short_last_window=short))
        ears = WhisperTranscriber(loader, settings)
        vad, cutter = VoiceActivity(), PieceCutter()
        sustained = SustainedSpeech(vad)
        pieces = []
        for offset in range(0, len(audio), CHUNK_SAMPLES):
            chunk = AudioChunk(audio[offset:offset + CHUNK_SAMPLES], offset / SAMPLE_RATE)
            frames = vad.heard(chunk)
            pieces += cutter.push(chunk, block_is_speech(frames, vad.options), sustained.push(frames))
        pieces += cutter.flush()
        segments = []
        for piece in pieces:
            if not piece.voiced:
                continue
            began = time.perf_counter()
            kept, _ = ears._transcribe_piece(replace(piece, last=True))  # decoded as the reply's piece is
            busy += time.perf_counter() - began
            seconds += piece.seconds
            segments += kept
        reference = normalized_words(text)
        errors += sum(edit_ops(reference, normalized_words(text_of(segments))))
        words += len(reference)
    return {"wer": errors / words, "words": words, "rtf": busy / seconds, "audio_s": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--answers", type=int, default=3, help="how many of the bench's spoken corpus answers")
    parser.add_argument("--seconds", type=float, default=float("inf"), help="of each answer, in whole sentences")
    parser.add_argument("--levers", default=",".join(LEVERS), help="comma-separated: " + ", ".join(LEVERS))
    args = parser.parse_args()
    os.environ.update(model_env(dict(os.environ)))
    import torch

    answers = list(WER_ANSWERS)[:args.answers]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load average {os.getloadavg()[0]:.2f}; "
          f"{len(answers)} answers, every piece decoded as the last piece")
    for name in [m for m in args.models.split(",") if m]:
        for lever in [x for x in args.levers.split(",") if x]:
            short, int8 = LEVERS[lever]
            result = measure(model_folder(name), answers, short, int8, args.seconds)
            print(f"{name} {lever}: word error {100 * result['wer']:.1f}% of {result['words']} words, "
                  f"real-time factor {result['rtf']:.3f} over {result['audio_s']:.0f} s of pieces "
                  f"(load average {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
