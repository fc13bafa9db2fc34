#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages mock-interview needs, only those missing.
#   runtime: PortAudio (microphone, speaker), espeak-ng (interviewer voice)
#   test:    runtime + PulseAudio, for the virtual microphone and speaker the tests use,
#            and Chromium, which the tests open the HTML report in
set -euo pipefail

want=(libportaudio2 espeak-ng libespeak-ng1)
if [ "${1:-runtime}" = test ]; then
  want+=(pulseaudio pulseaudio-utils libasound2-plugins chromium chromium-driver)
fi
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  want+=(python3-venv)
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages: ${want[*]} already installed."
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install these system packages with your package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "System packages: installing ${missing[*]}..."
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
