"""The design model's JSON form, written with the analysis and read back strictly: ValueError on any other
shape, as the rest of the analysis is read (judging/findings.py)."""

from __future__ import annotations

from typing import Any

from simulator.json_shape import is_finite, is_kind
from simulator.judging.design.model import (Choice, Component, ComponentKind, Design, Figure, Flow, Quote,
                                            Safeguard, Source)


def _quote(q: Quote) -> dict[str, Any]:
    return {"text": q.text, "at": q.at}


def design_to_json(design: Design) -> dict[str, Any]:
    return {
        "components": [{"name": c.name, "kind": str(c.kind), "quote": _quote(c.quote), "source": str(c.source),
                        "stateful": c.stateful, "count": c.count} for c in design.components],
        "choices": [{"chosen": c.chosen, "over": list(c.over), "reason": c.reason, "quote": _quote(c.quote)}
                    for c in design.choices],
        "figures": [{"value": f.value, "unit": f.unit, "period": f.period, "per": f.per, "said": f.said,
                     "quote": _quote(f.quote)} for f in design.figures],
        "flows": [{"source": f.source, "target": f.target, "label": f.label, "quote": _quote(f.quote)}
                  for f in design.flows],
        "safeguards": [{"component": s.component, "kind": s.kind, "quote": _quote(s.quote)}
                       for s in design.safeguards],
    }


def design_from_json(data: Any) -> Design:
    table = _table(data, "the design")
    return Design([_component(c) for c in _list(table, "components")],
                  [_choice(c) for c in _list(table, "choices")],
                  [_figure(f) for f in _list(table, "figures")],
                  [_flow(f) for f in _list(table, "flows")],
                  [_safeguard(s) for s in _list(table, "safeguards")])


def _table(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{what} is not an object")
    return data


def _list(table: dict[str, Any], key: str) -> list[Any]:
    value = table.get(key)
    if not isinstance(value, list):
        raise ValueError(f"the design's {key} is not a list")
    return value


def _text(table: dict[str, Any], key: str, none: bool = False) -> Any:
    value = table.get(key)
    if value is None and none and key in table:
        return None
    if not is_kind(value, str):
        raise ValueError(f"a design {key} is not a string")
    return value


def _number(table: dict[str, Any], key: str, none: bool = False) -> Any:
    value = table.get(key)
    if value is None and none and key in table:
        return None
    if not is_finite(value):
        raise ValueError(f"a design {key} is not a number")
    return value


def _quote_from(data: Any) -> Quote:
    table = _table(data, "a design quote")
    return Quote(_text(table, "text"), _number(table, "at", none=True))


def _component(data: Any) -> Component:
    table = _table(data, "a design component")
    kind, source = _text(table, "kind"), _text(table, "source")
    if kind not in ComponentKind.values() or source not in Source.values():
        raise ValueError(f"a design component has kind {kind!r:.30} or source {source!r:.30} not known")
    stateful, count = table.get("stateful"), table.get("count")
    if not is_kind(stateful, bool) or not (count is None or is_kind(count, int)):
        raise ValueError("a design component's stateful or count is not of its kind")
    return Component(_text(table, "name"), ComponentKind(kind), _quote_from(table.get("quote")), Source(source),
                     stateful, count)


def _choice(data: Any) -> Choice:
    table = _table(data, "a design choice")
    over = table.get("over")
    if not isinstance(over, list) or not all(is_kind(o, str) for o in over):
        raise ValueError("a design choice's over is not a list of strings")
    return Choice(_text(table, "chosen"), tuple(over), _text(table, "reason", none=True),
                  _quote_from(table.get("quote")))


def _figure(data: Any) -> Figure:
    table = _table(data, "a design figure")
    return Figure(float(_number(table, "value")), _text(table, "unit"), _text(table, "period", none=True),
                  _quote_from(table.get("quote")), _text(table, "said"), _text(table, "per", none=True))


def _flow(data: Any) -> Flow:
    table = _table(data, "a design flow")
    return Flow(_text(table, "source"), _text(table, "target"), _text(table, "label", none=True),
                _quote_from(table.get("quote")))


def _safeguard(data: Any) -> Safeguard:
    table = _table(data, "a design safeguard")
    return Safeguard(_text(table, "component"), _text(table, "kind"), _quote_from(table.get("quote")))
