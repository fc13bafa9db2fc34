"""An Interview from one flat set of keywords, so a test names only the parts it varies."""

from __future__ import annotations

from typing import Any

from simulator.config import ListenSettings
from simulator.interviewer.interview import Interview
from simulator.interviewer.options import Conduct, Devices, SessionInfo
from simulator.questions import Question
from simulator.sessions.store import Store

DEVICES = ("voice", "clock", "screen", "transcriber", "microphone", "typist", "enter")
INFO = ("model_name", "engine", "keep_fillers", "practice")
CONDUCT = ("followups", "answers_available", "shape", "headphones", "persona", "settings")


def interview(store: Store, question: Question, listen: ListenSettings = ListenSettings(), **parts: Any) -> Interview:
    """Each keyword goes to Devices, SessionInfo or Conduct by name; an unknown one is a TypeError."""
    unknown = set(parts) - set(DEVICES) - set(INFO) - set(CONDUCT)
    if unknown:
        raise TypeError(f"no interview part named {', '.join(sorted(unknown))}")

    def picked(names: tuple[str, ...]) -> dict[str, Any]:
        return {name: parts[name] for name in names if name in parts}

    return Interview(store, question, Devices(**picked(DEVICES)), listen, SessionInfo(**picked(INFO)),
                     Conduct(**picked(CONDUCT)))
