"""Figures the tests measure, printed together at the end of the run so they show without -s."""

from __future__ import annotations

FIGURES: list[str] = []


def report(line: str) -> None:
    """Keep a measured figure for the run's closing summary, and print it for -s runs."""
    FIGURES.append(line)
    print(line)
