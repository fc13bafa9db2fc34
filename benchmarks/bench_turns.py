"""When an answer ends, on held-out speech: premature ends, and the wait from the last word to the question.

Runs the interview loop as a rehearsal does, in-process, with the quick hearing on (as a live microphone has
it): real Whisper weights (base by default), the espeak-ng interviewer voice with a stand-in speaker, and
each held-out answer of benchmarks/turns/heldout.toml spoken by espeak-ng and by Piper (joe-us) and fed in
real time, thinking pauses and all, then silence. For each answer: how it ended (session's transcript.json
`ended_by`), whether the end came before its last word (a premature end), the wait from the last word to the
end decision, and to the interviewer's question (that wait plus the follow-up's `reply_latency`). Prints per
voice: premature ends, the median wait after a closing sentence, and to the question; writes JSON to
$BENCH_OUT (default benchmarks/results/turns-<engine>.json).

    python benchmarks/bench_turns.py [--model base] [--engine whisper] [--voices espeak-ng piper] [--ids ID ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from simulator.audio import SAMPLE_RATE, AudioClip, WavWriter, resample  # noqa: E402
from simulator.cli.sources import FileMicrophone  # noqa: E402
from simulator.config import ListenSettings, TranscribeSettings  # noqa: E402
from simulator.hearing.loader import ModelLoader  # noqa: E402
from simulator.hearing.models import ModelSpec  # noqa: E402
from simulator.hearing.transcriber import WhisperTranscriber  # noqa: E402
from simulator.hearing.vad import VoiceActivity  # noqa: E402
from simulator.interviewer.factsheets import sheet_for  # noqa: E402
from simulator.interviewer.floor import Floor  # noqa: E402
from simulator.interviewer.interview import Interview  # noqa: E402
from simulator.interviewer.options import Conduct, Devices, SessionInfo  # noqa: E402
from simulator.interviewer.recorder import AnswerRecorder, Live  # noqa: E402
from simulator.interviewer.session_log import SessionLog  # noqa: E402
from simulator.interviewer.speaker import Speaker  # noqa: E402
from simulator.interviewer.timekeeper import Persona as TimekeeperPersona  # noqa: E402
from simulator.interviewer.timekeeper import Timekeeper  # noqa: E402
from simulator.interviewer.turn_end import Reading, turn_options  # noqa: E402
from simulator.interviewer.voices import Pyttsx3Voice  # noqa: E402
from simulator.ports import SystemClock  # noqa: E402
from simulator.questions import load_bank, pick  # noqa: E402
from simulator.sessions.record import SessionRecord  # noqa: E402
from simulator.sessions.store import SessionFolder, Store  # noqa: E402
from tests.support.realmodels import model_folder  # noqa: E402
from tests.support.speech import silence, speak  # noqa: E402

HELDOUT = ROOT / "benchmarks" / "turns" / "heldout.toml"
QUESTIONS = {"design": "url-shortener", "experience": "system-you-designed"}
TAIL_SECONDS = 30.0  # silence after the last word: past the longest patience, so every answer can end by itself
PREMATURE_SLACK = 0.15  # a block and a half: the recorder ends on whole 100 ms blocks
GOAL_S = 1.5
PAUSE_MARK = re.compile(r"\[(\d+(?:\.\d+)?)\]")


class Speaker_:
    def play(self, clip: AudioClip) -> None:
        pass


class QuietScreen:
    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: None


@dataclass(frozen=True)
class Script:
    id: str
    kind: str
    ends: str
    parts: list[tuple[str, float]]  # words, then the pause after them


def scripts() -> list[Script]:
    with HELDOUT.open("rb") as f:
        data = tomllib.load(f)
    out = []
    for entry in data["answer"]:
        pieces = PAUSE_MARK.split(" ".join(entry["script"].split()))
        words = [p.strip() for p in pieces[0::2]]
        pauses = [float(p) for p in pieces[1::2]] + [TAIL_SECONDS]
        out.append(Script(entry["id"], entry["kind"], entry["ends"], list(zip(words, pauses))))
    return out


class Renderer:
    def __init__(self) -> None:
        self._piper = None

    def say(self, text: str, voice: str) -> np.ndarray:
        if voice == "espeak-ng":
            return speak(text)
        if self._piper is None:
            from simulator.interviewer.piper_voice import bundled_model, load

            self._piper = load(bundled_model())
        from simulator.interviewer.piper_voice import synthesize

        clip = synthesize(self._piper, text)
        return resample(clip.samples, clip.rate, SAMPLE_RATE).astype(np.float32)

    def render(self, script: Script, voice: str) -> tuple[np.ndarray, float]:
        """The answer as audio, and where its last word ends (seconds)."""
        parts, at, last = [silence(0.5)], 0.5, 0.0
        for words, pause in script.parts:
            said = self.say(words, voice)
            parts += [said, silence(pause)]
            last = at + len(said) / SAMPLE_RATE
            at = last + pause
        return np.concatenate(parts), last


def run_one(loader: ModelLoader, model: str, home: Path, script: Script, audio: np.ndarray,
            persona: str) -> tuple[str, float, float | None, str]:
    """The answer's end reason, where it ended (answer seconds), and the question's reply latency."""
    question = pick(load_bank(), QUESTIONS[script.kind])
    clock = SystemClock()
    listen = ListenSettings(realtime=True)
    transcriber = WhisperTranscriber(loader, TranscribeSettings(model=model, vocabulary=question.vocabulary),
                                     vad=VoiceActivity(listen.speech_dbfs), probe=True)
    devices = Devices(Pyttsx3Voice(Speaker_(), warn=print), clock, QuietScreen(), transcriber,
                      FileMicrophone([audio, silence(0.5)], clock, realtime=True))
    interview = Interview(Store(home), question, devices, listen, SessionInfo(model_name=model),
                          Conduct(followups=1, answers_available=2, persona=persona))
    record = interview.run()
    ended_by = interview.answers[0].reason  # what transcript.json keeps as `ended_by`
    answer = next(t for t in record.turns if str(t.role) == "candidate")
    followup = next((t for t in record.turns if str(t.kind) == "followup"), None)
    return (str(ended_by), answer.end - answer.start, followup.reply_latency if followup is not None else None,
            "")


def heard_line(readings: list[Reading]) -> str:
    """Where the last pause's words were read and what they said, so a slow end says whether the words came
    late or the rule missed them."""
    if not readings:
        return "no words read"
    last = readings[-1]
    return (f"last words read {last.read_at - last.speech_end:.2f} s after they stopped, in the {last.read_in}: "
            f"{last.cue.value} \"{last.words}\"")


def end_only(loader: ModelLoader, model: str, home: Path, script: Script, audio: np.ndarray,
             persona: str) -> tuple[str, float, float | None, str]:
    """The answer alone, stepped as the interview steps it, the transcriber dropped once it ends: the end
    decision without the final transcription's wait (no question is asked)."""
    question = pick(load_bank(), QUESTIONS[script.kind])
    clock = SystemClock()
    listen = ListenSettings(realtime=True)
    transcriber = WhisperTranscriber(loader, TranscribeSettings(model=model, vocabulary=question.vocabulary),
                                     vad=VoiceActivity(listen.speech_dbfs), probe=True)
    folder = SessionFolder(Path(tempfile.mkdtemp(dir=home)))
    log = SessionLog(folder, SessionRecord("bench", {"id": question.id, "kind": question.kind, "text": question.prompt},
                                           "2026-01-01T00:00:00+00:00"), clock)
    sheet = sheet_for(question.id, question.kind)
    floor = Floor(sheet, Timekeeper(TimekeeperPersona.named(persona), sheet.changes, question.id), kind=question.kind)
    live = Live(Speaker(Pyttsx3Voice(Speaker_(), warn=print), QuietScreen(), clock), transcriber,
                VoiceActivity(listen.speech_dbfs), floor, listen, threading.Event(), turns=turn_options(persona))
    turn = log.open_answer("answer-01.wav")
    writer = WavWriter(folder.file("answer-01.wav"))
    recorder = AnswerRecorder(live, log, turn, writer, 1)
    reason = "end of recording"
    try:
        for chunk in FileMicrophone([audio], clock, realtime=True).chunks():
            ended = recorder.step(chunk)
            if ended:
                reason = ended
                break
    finally:
        recorder.close()
        writer.close()
        transcriber.close()
    return reason, writer.seconds, None, heard_line(recorder.turn_end.readings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base")
    parser.add_argument("--engine", default="whisper", choices=["whisper", "faster-whisper"])
    parser.add_argument("--voices", nargs="+", default=["espeak-ng", "piper"])
    parser.add_argument("--ids", nargs="*", default=None, help="only these held-out answers")
    parser.add_argument("--persona", default="standard")
    parser.add_argument("--end-only", action="store_true",
                        help="measure the end decision only: no question, no final transcription (a slow machine)")
    args = parser.parse_args()
    os.environ.setdefault("XDG_CACHE_HOME", str(ROOT / "tests" / ".models" / "cache"))
    loader = ModelLoader(ModelSpec(str(model_folder(args.model)), args.engine)).start()
    loader.get()
    renderer = Renderer()
    run = end_only if args.end_only else run_one
    chosen = [s for s in scripts() if not args.ids or s.id in args.ids]
    result: dict[str, object] = {"model": args.model, "engine": args.engine, "persona": args.persona,
                                 "end_only": args.end_only,
                                 "goal_s": GOAL_S, "cpus": os.cpu_count(), "voices": {}}
    with tempfile.TemporaryDirectory() as home:
        for voice in args.voices:
            rows = []
            for script in chosen:
                audio, last = renderer.render(script, voice)
                reason, ended, latency, heard = run(loader, args.model, Path(home), script, audio, args.persona)
                wait = ended - last
                question = wait + latency if latency is not None else None
                premature = ended < last - PREMATURE_SLACK
                rows.append({"id": script.id, "ends": script.ends, "ended_by": reason, "premature": premature,
                             "heard": heard,
                             "wait_s": round(wait, 2), "question_s": round(question, 2) if question is not None
                             else None})
                print(f"{voice} {script.id}: ended by {reason} {wait:+.2f} s after the last word"
                      + (f", question at {question:.2f} s" if question is not None else "")
                      + (" PREMATURE" if premature else "") + (f"; {heard}" if heard else ""), flush=True)
            closing = [r for r in rows if r["ends"] == "closing" and not r["premature"]]
            waits = [r["wait_s"] for r in closing]
            questions = [r["question_s"] for r in closing if r["question_s"] is not None]
            summary = {"answers": rows, "premature": sum(r["premature"] for r in rows),
                       "closing_median_wait_s": statistics.median(waits) if waits else None,
                       "closing_median_question_s": statistics.median(questions) if questions else None}
            result["voices"][voice] = summary  # type: ignore[index]
            print(f"{voice} ({args.model}, {args.engine}): premature ends {summary['premature']} of {len(rows)}; "
                  f"after a closing sentence the end after a median {summary['closing_median_wait_s']} s, "
                  f"the question after {summary['closing_median_question_s']} s (goal {GOAL_S} s)", flush=True)
    out = Path(os.environ.get("BENCH_OUT", ROOT / "benchmarks" / "results"))
    path = out if out.suffix == ".json" else out / f"turns-{args.engine}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
