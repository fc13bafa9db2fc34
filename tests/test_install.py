"""scripts/install.sh and scripts/gpu.sh: without an NVIDIA GPU the program is installed with openai-whisper
alone (its requirements name Triton), with one a GPU build with all of it; GPU=1/0 decides it outright; each
step is one line, and pip's own output (build warnings and all) stays in a log unless a step fails.

The scripts are run for real against a stand-in python whose pip records what it was asked to do and talks as
much as a setuptools build does.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
ROOT = SCRIPTS.parent
NOISE = "SetuptoolsDeprecationWarning: `project.license` as a TOML table is deprecated"


def stand_in(tmp_path: Path, installed: tuple[str, ...] = (), pip_fails: bool = False) -> tuple[Path, Path]:
    log = tmp_path / "calls.log"
    prefix = tmp_path / "venv"
    prefix.mkdir()
    python = tmp_path / "python"
    versions = "\n".join(f'  *"version(sys.argv[1])) {name}") echo 1.0; exit 0 ;;' for name in installed)
    python.write_text(f"""#!/bin/bash
echo "$*" >> {log}
case "$*" in
  *"print(sys.prefix)"*) echo {prefix}; exit 0 ;;
{versions}
  *"version(sys.argv[1]))"*) exit 1 ;;
  "-c import torch") exit 1 ;;
  *venv-size.py*) echo "Installed torch 1.0: venv is 1.00 GB"; exit 0 ;;
  *"-m pip"*) for i in $(seq 40); do echo '{NOISE}'; echo "warning line $i" >&2; done; exit {1 if pip_fails else 0} ;;
esac
exit 0
""")
    python.chmod(0o755)
    return python, log


def environment(tmp_path: Path, gpu: str | None = None, driver: bool = False) -> dict[str, str]:
    """No nvidia-smi on the PATH, and a driver folder of our own, so the test machine's GPU plays no part."""
    gpus = tmp_path / "driver"
    gpus.mkdir(exist_ok=True)
    card = gpus / "0000:01:00.0"
    if driver:
        card.mkdir(exist_ok=True)
    elif card.exists():
        card.rmdir()
    env = {k: v for k, v in os.environ.items() if k != "GPU"}
    env |= {"PATH": "/usr/bin:/bin", "NVIDIA_GPUS_DIR": str(gpus)}
    return env if gpu is None else env | {"GPU": gpu}


def install(python: Path, env: dict[str, str], *extras: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPTS / "install.sh"), str(python), *extras], env=env, capture_output=True,
                          text=True, timeout=120)


def pip_calls(log: Path) -> list[str]:
    return [c for c in log.read_text().splitlines() if c.startswith("-m pip")]


def test_a_cpu_machine_gets_openai_whisper_without_its_requirements_after_the_program(tmp_path: Path) -> None:
    python, log = stand_in(tmp_path)
    done = install(python, environment(tmp_path), "test")
    assert done.returncode == 0, done.stderr
    calls = pip_calls(log)
    assert "--index-url https://download.pytorch.org/whl/cpu" in calls[0], "torch's CPU build first"
    assert calls[1].endswith(f"-e {ROOT}[test]"), "no gpu extra: openai-whisper's requirements name Triton"
    assert calls[2].endswith("--no-deps openai-whisper>=20240930"), "after the program, so pip never sees it " \
                                                                   "missing Triton"
    assert len(calls) == 3
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["PyTorch", "The program", "Whisper", "Installed torch 1.0"]
    assert "no NVIDIA GPU found; GPU=1 for the GPU build" in lines[0]
    assert done.stderr == ""


def test_the_pip_output_stays_in_the_log_unless_a_step_fails(tmp_path: Path) -> None:
    python, _ = stand_in(tmp_path)
    done = install(python, environment(tmp_path))
    assert NOISE not in done.stdout + done.stderr and "warning line" not in done.stdout + done.stderr
    assert NOISE in (tmp_path / "venv" / "install.log").read_text()
    (tmp_path / "again").mkdir()
    failing, _ = stand_in(tmp_path / "again", installed=("torch",), pip_fails=True)
    done = install(failing, environment(tmp_path))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == f"That step failed; pip's whole output is in {tmp_path}/again/venv/install.log."
    assert len(done.stderr.splitlines()) <= 26, "the log's end, not all of it"


def test_a_gpu_machine_gets_the_gpu_extra_and_its_default_torch(tmp_path: Path) -> None:
    python, log = stand_in(tmp_path)
    done = install(python, environment(tmp_path, driver=True), "voice")
    assert done.returncode == 0, done.stderr
    assert pip_calls(log) == [f"-m pip install --disable-pip-version-check -e {ROOT}[gpu,voice]"]
    assert "with its CUDA libraries" in done.stdout and "found in" in done.stdout and "GPU=0 for the CPU build" in done.stdout


def test_gpu_0_forces_the_cpu_set_and_removes_a_triton_left_from_before(tmp_path: Path) -> None:
    python, log = stand_in(tmp_path, installed=("torch", "triton"))
    done = install(python, environment(tmp_path, gpu="0", driver=True))
    assert done.returncode == 0, done.stderr
    calls = pip_calls(log)
    assert calls[0].endswith(f"-e {ROOT}") and "--no-deps openai-whisper" in calls[1]
    assert calls[2] == "-m pip uninstall --yes triton"
    assert "PyTorch: torch 1.0 is already installed; kept." in done.stdout
    assert "GPU=0 given" in done.stdout


def test_gpu_1_forces_the_gpu_set_and_a_wrong_value_is_one_line(tmp_path: Path) -> None:
    python, log = stand_in(tmp_path)
    assert install(python, environment(tmp_path, gpu="1")).returncode == 0
    assert pip_calls(log)[-1].endswith(f"-e {ROOT}[gpu]")
    done = install(python, environment(tmp_path, gpu="yes"))
    assert done.returncode == 2
    assert done.stderr == "GPU is 1 (the GPU build), 0 (the CPU build) or unset (found out here), not 'yes'.\n"


def test_gpu_sh_finds_a_gpu_by_its_driver_or_by_nvidia_smi(tmp_path: Path) -> None:
    def gpu(env: dict[str, str]) -> tuple[int, str]:
        done = subprocess.run(["bash", str(SCRIPTS / "gpu.sh")], env=env, capture_output=True, text=True, timeout=30)
        return done.returncode, done.stdout.strip()

    assert gpu(environment(tmp_path)) == (1, "no NVIDIA GPU found; GPU=1 for the GPU build")
    assert gpu(environment(tmp_path, driver=True))[0] == 0
    smi = tmp_path / "bin" / "nvidia-smi"
    smi.parent.mkdir()
    smi.write_text("#!/bin/sh\necho 'GPU 0: NVIDIA H100'\n")
    smi.chmod(0o755)
    env = environment(tmp_path) | {"PATH": f"{smi.parent}:/usr/bin:/bin"}
    assert gpu(env) == (0, "an NVIDIA GPU found by nvidia-smi; GPU=0 for the CPU build")
    smi.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed: no driver' >&2; exit 9\n")
    assert gpu(env)[0] == 1, "nvidia-smi without a working driver is no GPU"
