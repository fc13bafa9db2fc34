"""`doctor`: is each part a rehearsal needs here, and if not, how to get it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.errors import UserError
from simulator.hearing.engines import DEFAULT_ENGINE, ENGINES, missing, version


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    optional: bool = False  # a part a rehearsal can do without: its absence is no failure


def run_checks(model: str, voice_model: Path | None = None, engine: str = DEFAULT_ENGINE) -> list[Check]:
    checks = [_portaudio()]
    if checks[0].ok:
        checks += [_device("input"), _device("output")]
    checks += [*voice_checks(voice_model), *engine_checks(engine), _whisper(model, engine)]
    return checks


def engine_checks(chosen: str) -> list[Check]:
    """Each engine, installed or not (found without importing it); only the chosen one is needed."""
    checks = []
    for name in ENGINES:
        problem = missing(name)
        label = f"Whisper engine {name}" + (" (chosen)" if name == chosen else ", optional")
        detail = problem or (version(name) + ("" if name == chosen else f"; rehearse with --engine {name}"))
        checks.append(Check(label, problem is None, detail, optional=name != chosen))
    return checks


def voice_checks(voice_model: Path | None = None) -> list[Check]:
    """Which interviewer voices speak here: each renders a word, as a rehearsal would."""
    return [_espeak(), _piper(voice_model)]


def _portaudio() -> Check:
    from simulator.cli.devices import sounddevice

    try:
        sd = sounddevice()
    except UserError as exc:
        return Check("PortAudio", False, str(exc))
    return Check("PortAudio", True, sd.get_portaudio_version()[1])


def _device(kind: str) -> Check:
    from simulator.cli.devices import sounddevice

    sd = sounddevice()
    name = f"{kind} device"
    try:
        info = sd.query_devices(kind=kind)
    except (ValueError, sd.PortAudioError):
        fix = ("plug in a microphone, or answer with --answer-file or --type" if kind == "input" else
               "connect speakers or headphones, or rehearse with --no-voice")
        return Check(name, False, f"none found; {fix}.")
    return Check(name, True, f"{info['name']} ({info['default_samplerate']:.0f} Hz)")


def _espeak() -> Check:
    from simulator.interviewer.espeak import render_speech

    name = "interviewer voice (espeak-ng)"
    try:
        clip = render_speech("check")
    except Exception as exc:
        return Check(name, False, f"unavailable ({type(exc).__name__}); install it with "
                                  "`sudo apt-get install espeak-ng`, or rehearse with --no-voice.")
    return Check(name, True, f"renders speech ({clip.rate} Hz)")


def _piper(model: Path | None) -> Check:
    from simulator.interviewer.piper_voice import (
        BUNDLED,
        bundled_model,
        check_model_file,
        describe,
        load,
        synthesize,
        unavailable,
    )

    name = "interviewer voice (Piper, optional)"
    try:
        if model is not None:
            check_model_file(model)
    except UserError as exc:
        return Check(name, False, str(exc), optional=True)
    problem = unavailable(model)
    path = model or bundled_model()
    if problem is not None or path is None:
        return Check(name, False, f"{problem} Rehearsals speak with espeak-ng.", optional=True)
    try:
        clip = synthesize(load(path), "check")
    except Exception as exc:
        return Check(name, False, f"broken ({describe(exc)}); reinstall it with "
                                  "`pip install --force-reinstall 'mock-interview[voice]'`.", optional=True)
    label = BUNDLED if model is None else str(path)
    return Check(name, True, f"{label} renders speech ({clip.rate} Hz); rehearse with --voice piper", optional=True)


def _whisper(model: str, engine: str = DEFAULT_ENGINE) -> Check:
    from simulator.hearing.models import ModelSpec

    name = f"Whisper model {model}" + ("" if engine == DEFAULT_ENGINE else f" for {engine}")
    spec = ModelSpec(model, engine)
    try:
        spec.check()
    except UserError as exc:
        return Check(name, False, str(exc))
    if spec.faster and spec.is_folder:
        how = "loaded as it is" if spec.file == spec.path else f"its model.bin parts joined once at {spec.file}"
        return Check(name, True, f"faster-whisper folder, {how}")
    if spec.is_folder:
        return Check(name, True, f"faster-whisper folder, converted at {spec.file}")
    return Check(name, True, f"local checkpoint {spec.file}" if spec.is_path else f"cached at {spec.file}")
