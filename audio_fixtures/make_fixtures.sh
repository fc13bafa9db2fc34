#!/usr/bin/env bash
# Regenerate every audio fixture in this folder, plus manifest.toml.
#
# The speech is synthetic (espeak-ng, voice en-us, 160 wpm); sox does the
# resampling, trimming, padding and peak normalisation. Dither is switched off
# (sox -D), so padded silence is exact digital zero and reruns give
# byte-identical files with the same espeak-ng/sox versions.
#
# Usage (from the repo root or from this folder):
#   bash audio_fixtures/make_fixtures.sh
#
# Needs: espeak-ng, sox (with FLAC support), soxi, awk.
#
# Size budget: all fixtures together must stay under 1 MB (16 kHz mono PCM16
# is 32 kB per second), which is why the spoken fragments are short.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

for tool in espeak-ng sox soxi awk; do
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

ENTRIES=()
add_entry() { # file text [extra toml lines]
    local file=$1 text=$2 extra=${3:-} entry cmd
    entry="[[fixture]]"$'\n'
    entry+="file = $(toml_str "$file")"$'\n'
    entry+="text = $(toml_str "$text")"$'\n'
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
add_entry short-answer.wav "$T_SHORT"

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
add_entry pause-answer.wav "$T_PAUSE1 $T_PAUSE2" \
    "pause_start = $pause_start"$'\n'"pause_end = $pause_end"$'\n'

# ---- stereo-44k.flac: ~4 s, 44.1 kHz stereo (both channels identical) ------
T_STEREO="I would put a load balancer in front of the web servers."
run espeak-ng "${VOICE[@]}" -w "$WORK/stereo.wav" "$T_STEREO"
run sox -D "$WORK/stereo.wav" -r 44100 -c 2 -b 16 -C 8 stereo-44k.flac "${TRIM[@]}" rate 44100 pad 0.5 0.5 remix 1 1 norm -3
add_entry stereo-44k.flac "$T_STEREO"

# ---- silence.wav: 5 s of digital silence -----------------------------------
run sox -D -r 16000 -c 1 -n -r 16000 -c 1 -b 16 silence.wav trim 0 80000s
add_entry silence.wav ""

# ---- experience-answer.wav: STAR-style fragment (situation/task) --------------
T_EXP="At my last company I led the migration of our billing service. Invoices kept failing at peak load."
run espeak-ng "${VOICE[@]}" -w "$WORK/experience.wav" "$T_EXP"
run sox -D "$WORK/experience.wav" -r 16000 -c 1 -b 16 experience-answer.wav "${TRIM[@]}" rate 16000 pad 0.5 1 norm -3
add_entry experience-answer.wav "$T_EXP"

# ---- manifest -----------------------------------------------------------------
{
    echo "# Audio fixtures for the simulator's tests."
    echo "# All speech here is synthetic, made with espeak-ng (voice en-us, 160 wpm) and"
    echo "# processed with sox; nothing is a recording of a person. Every file, and this"
    echo "# manifest, is regenerated by make_fixtures.sh (run it from the repo root or"
    echo "# from this folder); do not edit by hand."
    echo "# Generated with: $(espeak-ng --version | awk '{print $1, $2, $3, $4}' | sed 's/:$//'), $(sox --version | sed 's/^sox: *//')."
    echo "# 'seconds' is the exact duration (samples / sample_rate); 'made_with' lists the"
    echo "# commands run from audio_fixtures/ (.work/ holds intermediates, deleted after)."
    echo "# pause_start/pause_end (pause-answer.wav) bound the inserted 3.0 s of exact"
    echo "# digital silence, in seconds from the start of the file."
    for e in "${ENTRIES[@]}"; do
        echo
        printf '%s' "$e"
    done
} > "$MANIFEST"

echo "wrote: short-answer.wav pause-answer.wav stereo-44k.flac silence.wav experience-answer.wav $MANIFEST"
