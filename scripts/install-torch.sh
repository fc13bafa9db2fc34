#!/usr/bin/env bash
# Installs PyTorch into the virtual environment before the project does, so that a machine without an
# NVIDIA GPU gets the CPU build (about 200 MB) instead of the default wheel with its CUDA libraries
# (several GB). A torch that is already installed is left alone; scripts/gpu.sh says whether there is a GPU
# (GPU=1 or GPU=0 decides it).
#   usage: scripts/install-torch.sh PYTHON
set -euo pipefail
python="${1:?usage: $0 PYTHON}"
cpu_index="${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}"

if "$python" -c "import torch" >/dev/null 2>&1; then
  exit 0
fi
if "$(dirname "$0")/gpu.sh" >/dev/null; then
  exit 0  # a GPU: the project's own install brings the default wheel, which uses it
fi
# a bounded try: seconds, not pip's default retries, when the index cannot be reached
if "$python" -m pip install --quiet --disable-pip-version-check --timeout 5 --retries 0 \
    --index-url "$cpu_index" torch >/dev/null 2>&1; then
  exit 0
fi
echo "The CPU-only PyTorch index could not be reached; installing the default torch wheel instead (larger, with CUDA libraries)." >&2
"$python" -m pip install --quiet --disable-pip-version-check torch
