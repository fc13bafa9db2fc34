"""scripts/install-torch.sh: a machine without an NVIDIA GPU gets the CPU build of torch, a torch already
installed is left alone, an unreachable CPU index falls back to the default wheel with one line, and GPU=1/0
decides it where detection would not.

The script is run for real against a stand-in python whose pip records what it was asked to do.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "install-torch.sh"


def stand_in(tmp_path: Path, has_torch: bool, index_works: bool, gpu: bool = False) -> tuple[Path, Path, dict[str, str]]:
    log = tmp_path / "calls.log"
    python = tmp_path / "python"
    python.write_text(f"""#!/bin/sh
echo "$*" >> {log}
case "$*" in
  "-c import torch") exit {0 if has_torch else 1} ;;
  *--index-url*) exit {0 if index_works else 1} ;;
  *) exit 0 ;;
esac
""")
    python.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if gpu:
        smi = bin_dir / "nvidia-smi"
        smi.write_text("#!/bin/sh\necho 'GPU 0: NVIDIA'\n")
        smi.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "GPU"}  # `make test GPU=1` exports it
    env |= {"PATH": f"{bin_dir}:/usr/bin:/bin", "NVIDIA_GPUS_DIR": str(tmp_path / "no-driver")}
    return python, log, env


def run(python: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), str(python)], env=env, capture_output=True, text=True, timeout=60)


def test_a_machine_without_a_gpu_gets_torch_from_the_cpu_index(tmp_path: Path) -> None:
    python, log, env = stand_in(tmp_path, has_torch=False, index_works=True)
    done = run(python, env)
    assert done.returncode == 0 and done.stderr == ""
    calls = log.read_text().splitlines()
    assert calls[1].startswith("-m pip install") and "--index-url https://download.pytorch.org/whl/cpu" in calls[1]
    assert "--retries 0" in calls[1] and "--timeout 5" in calls[1], "a bounded try"
    assert len(calls) == 2


def test_an_installed_torch_is_left_alone(tmp_path: Path) -> None:
    python, log, env = stand_in(tmp_path, has_torch=True, index_works=True)
    assert run(python, env).returncode == 0
    assert log.read_text().splitlines() == ["-c import torch"]


def test_an_unreachable_cpu_index_falls_back_to_the_default_wheel_with_one_line(tmp_path: Path) -> None:
    python, log, env = stand_in(tmp_path, has_torch=False, index_works=False)
    done = run(python, env)
    assert done.returncode == 0
    assert len(done.stderr.strip().splitlines()) == 1 and "could not be reached" in done.stderr
    calls = log.read_text().splitlines()
    assert calls[-1] == "-m pip install --quiet --disable-pip-version-check torch"


def test_a_gpu_machine_keeps_the_default_wheel(tmp_path: Path) -> None:
    python, log, env = stand_in(tmp_path, has_torch=False, index_works=True, gpu=True)
    assert run(python, env).returncode == 0
    assert log.read_text().splitlines() == ["-c import torch"]


def test_gpu_0_installs_the_cpu_build_on_a_gpu_machine_and_gpu_1_the_default_wheel_without_one(
        tmp_path: Path) -> None:
    python, log, env = stand_in(tmp_path, has_torch=False, index_works=True, gpu=True)
    assert run(python, env | {"GPU": "0"}).returncode == 0
    assert "--index-url https://download.pytorch.org/whl/cpu" in log.read_text().splitlines()[1]
    log.unlink()
    (tmp_path / "bin" / "nvidia-smi").unlink()
    assert run(python, env | {"GPU": "1"}).returncode == 0
    assert log.read_text().splitlines() == ["-c import torch"]
