"""Saved JSON checked one way as it is read back: true and false are never numbers, and a wrong kind is named."""

from __future__ import annotations

import pytest

from simulator.json_shape import is_finite, is_kind, loose, optional, required


def test_a_bool_is_of_its_own_kind_and_no_number() -> None:
    assert is_kind(3, int) and is_kind(2.5, (int, float)) and is_kind(True, bool)
    assert not is_kind(True, int) and not is_kind(False, (int, float)) and not is_kind(1, bool)
    assert not is_kind("3", int)


def test_a_finite_number_is_a_real_amount() -> None:
    assert is_finite(0) and is_finite(-1.5)
    assert not any(is_finite(v) for v in (float("inf"), float("nan"), 10**400, True, "1", None))


def test_required_optional_and_loose_fields() -> None:
    data = {"id": "abc", "count": True, "note": 4}
    assert required(data, "id", str) == "abc"
    with pytest.raises(ValueError, match="^no missing$"):
        required(data, "missing", str)
    with pytest.raises(ValueError, match="^count is not an integer$"):
        optional(data, "count", int)
    with pytest.raises(ValueError, match="^id is not a number$"):
        optional(data, "id", (int, float))
    assert optional(data, "missing", str) is None
    assert loose(data, "note", str) is None and loose(data, "id", str) == "abc"
