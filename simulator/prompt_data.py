"""The program's own data files in simulator/prompts/ (questions, rubric, fact sheets, phrasings), read one
way. The data package is `simulator.prompts`, hence this module's other name."""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError


def path(*parts: str) -> Traversable:
    """A file or folder inside prompts/, as the installed package holds it."""
    where = resources.files("simulator.prompts")
    for part in parts:
        where = where.joinpath(part)
    return where


def parse(text: str) -> dict[str, Any]:
    """TOML text as a table; a broken file raises TOMLDecodeError for the caller to name."""
    return tomllib.loads(text)


@lru_cache(maxsize=None)
def load(*parts: str) -> dict[str, Any]:
    """The TOML file at prompts/<parts>, read once: every caller shares the table, so none may change it."""
    return parse(path(*parts).read_text(encoding="utf-8"))
