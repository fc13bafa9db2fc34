"""JSON this program wrote, checked as it is read back: a value of the kind expected, or ValueError saying what
is wrong. JSON's true and false are never numbers here, though Python counts a bool as an int."""

from __future__ import annotations

import math
from typing import Any

KIND_NAMES = {str: "a string", int: "an integer", dict: "an object", list: "a list", float: "a number",
              bool: "true or false"}


def is_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    """value is of kind, a bool only where kind is bool."""
    return isinstance(value, kind) and isinstance(value, bool) == (kind is bool)


def is_finite(value: Any) -> bool:
    """A JSON number that is a real amount: not a bool, not infinite, not an integer too large for a float."""
    if not is_kind(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def required(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    """data[key], of kind; ValueError when it is missing, null or of another kind."""
    if data.get(key) is None:
        raise ValueError(f"no {key}")
    return optional(data, key, kind)


def optional(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    """data[key], of kind, or None where it is missing or null; ValueError when it is of another kind."""
    value = data.get(key)
    if value is not None and not is_kind(value, kind):
        raise ValueError(f"{key} is not {kind_name(kind)}")
    return value


def loose(data: dict[str, Any], key: str, kind: type) -> Any:
    """A field only shown to people: of the wrong kind it is left out (None) rather than refused."""
    value = data.get(key)
    return value if is_kind(value, kind) else None


def kind_name(kind: type | tuple[type, ...]) -> str:
    return KIND_NAMES[kind] if isinstance(kind, type) else "a number"
