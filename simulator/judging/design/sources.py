"""The catalogue's items as written: prompts/design/components.toml, the parts the design model knows in full
(each with an entry in knowledge.toml), then prompts/design/technologies.toml, more named tools listed so that an
answer naming them is heard. Read once, in that order, so a name in both is the fuller one."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from simulator import prompt_data


@lru_cache(maxsize=None)
def component_items() -> tuple[dict[str, Any], ...]:
    known = prompt_data.load("design", "components.toml")["component"]
    names = {str(item["name"]) for item in known}
    more = [item for item in prompt_data.load("design", "technologies.toml")["component"] if item["name"] not in names]
    return tuple(known) + tuple(more)


@lru_cache(maxsize=None)
def listed_only() -> frozenset[str]:
    """The names technologies.toml adds: heard by their names, and by their sound only where it is long."""
    known = {str(item["name"]) for item in prompt_data.load("design", "components.toml")["component"]}
    return frozenset(str(item["name"]) for item in component_items()) - known
