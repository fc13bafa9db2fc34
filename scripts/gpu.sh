#!/usr/bin/env bash
# Whether to install the GPU build: exits 0 for an NVIDIA GPU, 1 for none, and prints how that was decided.
# GPU=1 or GPU=0 decides it outright; otherwise a GPU is one the NVIDIA driver lists, in
# /proc/driver/nvidia/gpus (the kernel module) or by `nvidia-smi -L`.
#   usage: scripts/gpu.sh
set -euo pipefail
proc="${NVIDIA_GPUS_DIR:-/proc/driver/nvidia/gpus}"

case "${GPU:-}" in
  1) echo "GPU=1 given"; exit 0 ;;
  0) echo "GPU=0 given"; exit 1 ;;
  "") ;;
  *) echo "GPU is 1 (the GPU build), 0 (the CPU build) or unset (found out here), not '${GPU}'." >&2; exit 2 ;;
esac
if [ -n "$(ls -A "$proc" 2>/dev/null)" ]; then
  echo "an NVIDIA GPU found in $proc; GPU=0 for the CPU build"
  exit 0
fi
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  echo "an NVIDIA GPU found by nvidia-smi; GPU=0 for the CPU build"
  exit 0
fi
echo "no NVIDIA GPU found; GPU=1 for the GPU build"
exit 1
