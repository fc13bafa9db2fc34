"""The figures of an answer: each number with its unit and period, as said ("100 million new links a day",
"1200 writes a second", "500 bytes per link", "10 TB", "50k QPS", "a hundred million").

A number whose unit is not said keeps unit "", never a guess; spelled numbers count ("twelve hundred").
"""

from __future__ import annotations

import math
import re

from simulator.judging.design.model import Figure, Quote

SMALL = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
         "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half a": 0.5}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}
BYTES = {"b": "bytes", "byte": "bytes", "bytes": "bytes", "kb": "KB", "kilobyte": "KB", "kilobytes": "KB",
         "mb": "MB", "megabyte": "MB", "megabytes": "MB", "gb": "GB", "gigabyte": "GB", "gigabytes": "GB",
         "tb": "TB", "terabyte": "TB", "terabytes": "TB", "pb": "PB", "petabyte": "PB", "petabytes": "PB",
         "bit": "bits", "bits": "bits", "gbps": "Gbps", "mbps": "Mbps", "ms": "ms", "%": "%", "percent": "%"}
RATES = {"qps": "requests", "rps": "requests", "tps": "transactions", "wps": "writes"}
PERIODS = {"second": "second", "sec": "second", "s": "second", "minute": "minute", "min": "minute",
           "hour": "hour", "hr": "hour", "day": "day", "week": "week", "month": "month", "year": "year"}
ADVERBS = {"daily": "day", "monthly": "month", "hourly": "hour", "yearly": "year", "annual": "year", "weekly": "week"}
# words that end a unit: a figure's unit is the noun after it, not a whole clause
STOP = {"and", "or", "but", "so", "to", "of", "that", "which", "with", "for", "in", "on", "at", "by", "is", "are",
        "was", "be", "we", "i", "it", "then", "than", "from", "into", "each", "every", "per", "a", "an", "the",
        "about", "roughly", "around", "maybe", "say", "if", "times", "because", "since", "give", "gives", "up",
        "out", "more", "less", "as", "at", "those", "these", "this", "there", "they", "them", "after", "before"}
# adjectives skipped before the unit's noun: "100 million new links" is links
SKIP = {"new", "active", "total", "unique", "concurrent", "peak", "average", "extra", "more", "short", "long"}
SMALL_WORDS = "|".join(sorted((w for w in SMALL if w not in ("a", "an")), key=len, reverse=True))
NUMBER = re.compile(
    r"(?<![\w.$])(?:"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<attached>k|m|mm|b|bn|kb|mb|gb|tb|pb|ms|%)?"
    rf"|(?P<spelled>(?:(?:{SMALL_WORDS}|a|an)[\s-])*(?:{SMALL_WORDS}|a|an))"
    r"|(?P<lone>hundred|thousand|million|billion)"
    r")(?P<scales>(?:[\s-](?:hundred|thousand|million|billion|trillion|k|m|bn))*)"
    r"(?![\w])")


def _value(match: re.Match[str]) -> float | None:
    digits, spelled, scales = match.group("digits"), match.group("spelled"), match.group("scales")
    if match.group("lone"):  # "hundred million new links a day", the "a" left unsaid
        value = SCALES[match.group("lone")]
    elif digits:
        value = float(digits.replace(",", ""))
    else:
        words = re.split(r"[\s-]+", spelled)
        if len(words) > 1 and words[0] in ("a", "an"):
            words = words[1:]
        if words == ["a"] or words == ["an"]:
            if not scales.strip():
                return None
            value = 1.0
        else:
            value = float(sum(SMALL.get(w, 0) for w in words))
    for scale in re.split(r"[\s-]+", scales.strip()):
        if scale:
            if scale == "hundred":  # "twelve hundred" is 1200, "a hundred thousand" is 1e5
                value *= 100
            else:
                value *= SCALES[scale]
    attached = match.group("attached")
    if attached in SCALES and attached not in BYTES:
        value *= SCALES[attached]
    return value


def _unit_and_period(after: str, attached: str | None) -> tuple[str, str | None, str | None, int]:
    """The unit, period and "per" noun said after a number, and how many characters they took."""
    words = list(re.finditer(r"[\w%/']+", after[:80]))
    unit, period, per, used = "", None, None, 0
    i = 0
    if attached in BYTES:
        unit = BYTES[attached]
    while i < len(words) and not unit:
        word = words[i].group(0)
        if word in ADVERBS and i + 1 < len(words):
            period = ADVERBS[word]
        elif word in SKIP:
            pass
        elif word in BYTES:
            unit = BYTES[word]
        elif word in RATES:
            unit, period = RATES[word], "second"
        elif word in STOP or word.isdigit() or i > 2:
            break
        else:
            unit = word
        i += 1
        used = words[i - 1].end()
    rest = after[used:]
    said_period = re.match(r"[\s,]*(?:a|an|per|each|every|/|in a|a single)\s*([a-z]+)\b", rest)
    if said_period:
        noun = said_period.group(1)
        if noun in PERIODS or noun.rstrip("s") in PERIODS:
            period = PERIODS.get(noun, PERIODS.get(noun.rstrip("s")))
            used += said_period.end()
        elif unit and noun not in STOP and rest.lstrip(" ,").startswith(("per", "each", "every")):
            per = noun
            used += said_period.end()
    return unit, period, per, used


DIGIT = re.compile(r"\d")
NUMBER_WORDS = frozenset(SMALL) | {"hundred", "thousand", "million", "billion", "trillion"}


def figures(text: str, lower: str, quote: Quote) -> list[Figure]:
    """The figures a sentence says, as said."""
    out: list[Figure] = []
    if not DIGIT.search(lower) and not NUMBER_WORDS.intersection(re.findall(r"[a-z]+", lower)):
        return out
    for match in NUMBER.finditer(lower):
        if match.group("spelled") and not match.group("scales").strip():
            # a bare spelled number is a figure only with a unit it plainly has ("ten seconds", "one TB")
            after = re.match(r"[\s-]*([a-z%]+)", lower[match.end():])
            if not after or not (after.group(1) in BYTES or after.group(1).rstrip("s") in PERIODS):
                continue
        value = _value(match)
        if value is None or not math.isfinite(value):  # "9999...9" past what a float holds is no figure
            continue
        unit, period, per, used = _unit_and_period(lower[match.end():], match.group("attached"))
        if unit.rstrip("s") in PERIODS and period is None:
            unit = unit if unit.endswith("s") or value == 1 else unit + "s"
        said = " ".join(lower[match.start():match.end() + used].split()).strip(" ,.")
        out.append(Figure(value, unit, period, quote, _as_written(text, lower, match.start(), said), per=per))
    return out


def _as_written(text: str, lower: str, start: int, said: str) -> str:
    """The figure's words in the sentence's own spelling, where the lowercase text lines up with it."""
    if len(text) == len(lower) and text.lower() == lower:
        return text[start:start + len(said)]
    return said

