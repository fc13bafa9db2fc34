#!/usr/bin/env bash
# Installs the program into a virtual environment, one line per step; pip's own output (build warnings
# included) goes to install.log in the environment and is shown only when a step fails.
# Without an NVIDIA GPU (scripts/gpu.sh; GPU=1 or GPU=0 decides it) it installs PyTorch's CPU build and
# openai-whisper without its requirements, which name Triton (GPU kernels, about 1 GB); the program's own
# requirements list the rest openai-whisper needs. With one, openai-whisper comes with all it names.
#   usage: scripts/install.sh PYTHON [EXTRAS]     EXTRAS: comma-separated, e.g. test, or voice,fast
set -euo pipefail
python="${1:?usage: $0 PYTHON [EXTRAS]}"
extras="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
log="$("$python" -c 'import sys; print(sys.prefix)')/install.log"
: >"$log"

quietly() {  # a step's command, its output kept in the log; on failure the log's end and where the rest is
  if ! "$@" >>"$log" 2>&1; then
    tail -n 25 "$log" >&2
    echo "That step failed; pip's whole output is in $log." >&2
    exit 1
  fi
}
installed() { "$python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null; }
pip=("$python" -m pip install --disable-pip-version-check)

if how="$("$here/gpu.sh")"; then gpu=1; else status=$?; [ "$status" -eq 1 ] || exit "$status"; gpu=0; fi

if torch="$(installed torch)"; then
  echo "PyTorch: torch $torch is already installed; kept."
elif [ "$gpu" = 1 ]; then
  echo "PyTorch: the default build, with its CUDA libraries, comes with the program ($how)."
else
  echo "PyTorch: installing the CPU build ($how)..."
  GPU=0 "$here/install-torch.sh" "$python"
fi

whisper="$(sed -n "s/^gpu = \[\"\(openai-whisper[^\"]*\)\"\]$/\1/p" "$root/pyproject.toml")"
[ -n "$whisper" ] || { echo "pyproject.toml has no gpu extra naming openai-whisper." >&2; exit 1; }
[ "$gpu" = 1 ] && extras="gpu${extras:+,$extras}"
echo "The program: installing mock-interview${extras:+[$extras]} and what it needs..."
quietly "${pip[@]}" -e "$root${extras:+[$extras]}"

if [ "$gpu" = 0 ]; then
  echo "Whisper: installing $whisper without Triton (GPU kernels; $how)..."
  quietly "${pip[@]}" --no-deps "$whisper"
  if installed triton >/dev/null; then
    echo "Whisper: removing Triton, which an earlier install brought."
    quietly "$python" -m pip uninstall --yes triton
  fi
fi

"$python" "$here/venv-size.py"
