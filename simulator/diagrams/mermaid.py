"""Mermaid flowcharts: a `.mmd` file, or the first ```mermaid block of a Markdown file.

Read: nodes with their shapes (`[(db)]` and `@{ shape: cyl }` are databases), edges with and without heads
(`-->`, `---`, `-.->`, `==>`, `<-->`, `--o`, `--x`), their labels (`-->|text|`, `-- text -->`), chains
(`a --> b --> c`), `&` (`a & b --> c`), and subgraphs as zones. Comments (`%%`), styling (classDef, class,
style, linkStyle, `:::name`), click handlers, front matter and init directives are ignored. Mermaid has no
geometry: the boxes come without one, and the page lays them out itself.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from simulator.diagrams.diagram import Box, Diagram, DiagramError, DiagramFormat, Edge, Heads, Shape, Zone

HEADER = re.compile(r"^\s*(flowchart|graph|flowchart-elk)\b", re.I)
OTHER_DIAGRAM = re.compile(r"^\s*([A-Za-z][\w-]*)")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*mermaid\b[^\n]*\n(.*?)^\1\2\s*$", re.S | re.M | re.I)
IGNORED = re.compile(r"^(classDef|class|style|linkStyle|click|direction|accTitle|accDescr)\b")
NODE_ID = re.compile(r"[\w$]+")  # no dashes: "a---b" is a link between a and b, as Mermaid reads it
ZONE_ID = re.compile(r"[\w$-]+")  # a subgraph's id may have them: "subgraph some-id[Title]"
DIRECTION = re.compile(r"\s*(TB|TD|BT|RL|LR)\b", re.I)
# longest openers first, so "[(" is a cylinder, not a box holding "(db)"
SHAPES: list[tuple[str, str, Shape]] = [
    ("(((", ")))", Shape.ELLIPSE), ("([", "])", Shape.ROUNDED), ("[[", "]]", Shape.BOX), ("[(", ")]", Shape.CYLINDER),
    ("((", "))", Shape.ELLIPSE), ("{{", "}}", Shape.HEXAGON), ("[/", "/]", Shape.PARALLELOGRAM),
    ("[\\", "\\]", Shape.PARALLELOGRAM), ("[/", "\\]", Shape.PARALLELOGRAM), ("[\\", "/]", Shape.PARALLELOGRAM),
    (">", "]", Shape.BOX), ("[", "]", Shape.BOX), ("(", ")", Shape.ROUNDED), ("{", "}", Shape.DIAMOND),
]
NAMED_SHAPES = {
    "cyl": Shape.CYLINDER, "cylinder": Shape.CYLINDER, "db": Shape.CYLINDER, "database": Shape.CYLINDER,
    "das": Shape.CYLINDER, "h-cyl": Shape.CYLINDER, "lin-cyl": Shape.CYLINDER, "disk": Shape.CYLINDER,
    "circle": Shape.ELLIPSE, "circ": Shape.ELLIPSE, "dbl-circ": Shape.ELLIPSE, "sm-circ": Shape.ELLIPSE,
    "diam": Shape.DIAMOND, "diamond": Shape.DIAMOND, "decision": Shape.DIAMOND, "question": Shape.DIAMOND,
    "hex": Shape.HEXAGON, "hexagon": Shape.HEXAGON, "rounded": Shape.ROUNDED, "event": Shape.ROUNDED,
    "stadium": Shape.ROUNDED, "pill": Shape.ROUNDED, "terminal": Shape.ROUNDED, "lean-r": Shape.PARALLELOGRAM,
    "lean-l": Shape.PARALLELOGRAM, "doc": Shape.DOCUMENT, "document": Shape.DOCUMENT, "cloud": Shape.CLOUD,
}
# "-- text -->", "== text ==>", "-. text .->" (a label written inside the link)
TEXT_LINK = re.compile(r"\s*(?P<s><)?(?P<o>--|==|-\.)\s+(?P<text>[^\s].*?)\s+(?P<c>-{2,}|={2,}|\.-+)(?P<e>[>xo])?")
PLAIN_LINK = re.compile(r"\s*(?P<s>[<xo])?(?P<line>-{2,}|={2,}|-\.+-|~{3,})(?P<e>[>xo])?")
PIPE = re.compile(r"\s*\|(?P<text>[^|]*)\|")
EDGE_ID = re.compile(r"\s*[\w-]+@(?=[-=<~.])")  # "e1@-->": an edge id, for animations


@dataclass
class _Graph:
    boxes: dict[str, Box] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    zones: list[tuple[str, str, list[str]]] = field(default_factory=list)  # id, title, member ids
    open_zones: list[int] = field(default_factory=list)

    def node(self, node_id: str, label: str | None, shape: Shape | None) -> None:
        old = self.boxes.get(node_id)
        self.boxes[node_id] = Box(node_id, label if label is not None else (old.label if old else node_id),
                                  shape if shape is not None else (old.shape if old else Shape.BOX))
        # a node named inside a subgraph belongs to it, unless an earlier subgraph already holds it
        if self.open_zones and not any(node_id in members for _, _, members in self.zones):
            self.zones[self.open_zones[-1]][2].append(node_id)


def flowchart_text(text: str, name: str) -> str:
    """The flowchart's own text: the file itself, or its first mermaid block in Markdown."""
    if HEADER.match(_body_start(text)):
        return text
    block = FENCE.search(text)
    if block is None:
        raise DiagramError(f"{name} has no Mermaid flowchart (a file starting `flowchart LR`, or a ```mermaid block "
                           "in Markdown); save the diagram as one.")
    body = block.group(3)
    if not HEADER.match(_body_start(body)):
        kind = OTHER_DIAGRAM.match(_body_start(body))
        raise DiagramError(f"The first mermaid block in {name} is a {kind.group(1) if kind else 'diagram'}, not a "
                           "flowchart; only flowcharts (`flowchart LR`, `graph TD`) are read as a design.")
    return body


def looks_like_flowchart(text: str) -> bool:
    return bool(HEADER.match(_body_start(text))) or bool(FENCE.search(text))


def parse_mermaid(text: str, name: str) -> Diagram:
    body = flowchart_text(text, name)
    graph = _Graph()
    header, *rest = _body_start(body).splitlines()
    for line in [_after_header(header), *_lines(rest)]:
        for statement in _statements(line):
            _statement(statement, graph)
    zone_ids = {zid for zid, _, _ in graph.zones}
    # an edge may end at a subgraph ("storage --> backup"): that end is the zone's id, and no box is made for it
    boxes = tuple(b for b in graph.boxes.values() if b.id not in zone_ids)
    zones = tuple(Zone(zid, title, tuple(m for m in members if m not in zone_ids))
                  for zid, title, members in graph.zones)
    return Diagram(DiagramFormat.MERMAID, boxes, tuple(graph.edges), zones)


def _after_header(line: str) -> str:
    """What follows `graph TD` on its own line: a whole chart may sit there, its statements after semicolons."""
    rest = line[HEADER.match(line).end():]  # type: ignore[union-attr]
    direction = DIRECTION.match(rest)
    return rest[direction.end():] if direction else rest


def _lines(raw: list[str]) -> list[str]:
    """The statements' lines, comments off; a quoted label that runs over several lines (a markdown string)
    joined into one."""
    out: list[str] = []
    pending = ""
    for line in raw:
        if line.lstrip().startswith("%%"):
            continue
        text = f"{pending} {line.strip()}" if pending else line.strip()
        if text.count('"') % 2:
            pending = text
            continue
        pending = ""
        out.append(text)
    if pending:
        out.append(pending)
    return out


def _body_start(text: str) -> str:
    """The text from the diagram's first line: front matter (--- ... ---), init directives and comments off."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    i = 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), None)
        i = end + 1 if end is not None else 0
    while i < len(lines) and (not lines[i].strip() or lines[i].strip().startswith("%%")):
        i += 1
    return "\n".join(lines[i:])


def _statements(line: str) -> list[str]:
    """A line split on the semicolons that end statements (not those inside quotes or brackets)."""
    out, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[({":
            depth += 1
        elif not quoted and ch in "])}":
            depth = max(depth - 1, 0)
        elif ch == ";" and not quoted and depth == 0:
            out.append(line[start:i])
            start = i + 1
    out.append(line[start:])
    return [s.strip() for s in out if s.strip()]


def _statement(text: str, graph: _Graph) -> None:
    if text == "end":
        if graph.open_zones:
            graph.open_zones.pop()
        return
    if text.startswith("subgraph ") or text == "subgraph":
        _subgraph(text[len("subgraph"):].strip(), graph)
        return
    if IGNORED.match(text):
        return
    pos, group = _group(text, 0, graph)
    if group is None:
        return
    while pos < len(text):
        edge_id = EDGE_ID.match(text, pos)
        if edge_id:
            pos = edge_id.end()
        link = _link(text, pos)
        if link is None:
            return  # what is left is not understood; what was read stands
        pos, heads, label, invisible = link
        pos, targets = _group(text, pos, graph)
        if targets is None:
            return
        if not invisible:
            for source in group:
                for target in targets:
                    graph.edges.append(Edge(f"e{len(graph.edges) + 1}", source, target, label, heads))
        group = targets


def _subgraph(rest: str, graph: _Graph) -> None:
    """`subgraph id [title]`, `subgraph id["title"]` or `subgraph title words`; nested ones stay apart. A title
    with no id of its own ("Some Title", or words) gets Mermaid's own: subGraph and the subgraph's number."""
    found = ZONE_ID.match(rest)
    zone_id, title = f"subGraph{len(graph.zones)}", rest
    if found:
        after = rest[found.end():].strip()
        if after.startswith("["):
            zone_id, title = found.group(0), _clean(after[1:].rstrip().rstrip("]"))
        elif not after:
            zone_id, title = found.group(0), found.group(0)
    title = _clean(title)
    graph.zones.append((zone_id, title, []))
    graph.open_zones.append(len(graph.zones) - 1)


def _group(text: str, pos: int, graph: _Graph) -> tuple[int, list[str] | None]:
    """`a`, `a[label]` or `a & b[label] & c` from pos: where it ends and the node ids it names."""
    ids: list[str] = []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        found = NODE_ID.match(text, pos)
        if not found:
            return pos, ids or None
        node_id = found.group(0)
        pos = found.end()
        label, shape, pos = _shape(text, pos)
        if text.startswith(":::", pos):
            klass = NODE_ID.match(text, pos + 3)
            pos = klass.end() if klass else pos + 3
        graph.node(node_id, label, shape)
        ids.append(node_id)
        rest = re.match(r"\s*&\s*", text[pos:])
        if not rest:
            return pos, ids
        pos += rest.end()


def _shape(text: str, pos: int) -> tuple[str | None, Shape | None, int]:
    if text.startswith("@{", pos):
        end = text.find("}", pos)
        if end < 0:
            return None, None, len(text)
        fields = dict((k.strip(), v.strip().strip('"\'')) for k, _, v in
                      (part.partition(":") for part in _fields(text[pos + 2:end])) if k.strip())
        shape = NAMED_SHAPES.get(fields.get("shape", ""), Shape.BOX if "shape" in fields else None)
        return (_clean(fields["label"]) if "label" in fields else None), shape, end + 1
    for opener, closer, shape in SHAPES:
        if not text.startswith(opener, pos):
            continue
        start = pos + len(opener)
        if text.startswith('"', start):
            quote_end = text.find('"', start + 1)
            if quote_end >= 0 and text.startswith(closer, quote_end + 1):
                return _clean(text[start + 1:quote_end]), shape, quote_end + 1 + len(closer)
        end = text.find(closer, start)
        if end >= 0:
            return _clean(text[start:end]), shape, end + len(closer)
    return None, None, pos


def _fields(body: str) -> list[str]:
    out, quoted, start = [], False, 0
    for i, ch in enumerate(body):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            out.append(body[start:i])
            start = i + 1
    out.append(body[start:])
    return out


def _link(text: str, pos: int) -> tuple[int, Heads, str, bool] | None:
    """A link from pos: where it ends, its heads, its label and whether it is invisible (~~~)."""
    found = TEXT_LINK.match(text, pos)
    if found:
        forward, backward = found.group("e") is not None, found.group("s") is not None
        end, label = found.end(), _clean(found.group("text"))
        invisible = False
    else:
        found = PLAIN_LINK.match(text, pos)
        if not found:
            return None
        forward, backward = found.group("e") is not None, found.group("s") is not None
        end, label = found.end(), ""
        invisible = found.group("line").startswith("~")
        pipe = PIPE.match(text, end)
        if pipe:
            end, label = pipe.end(), _clean(pipe.group("text"))
    heads = Heads.BOTH if forward and backward else Heads.FORWARD if forward or backward else Heads.NONE
    return end, heads, label, invisible


def _clean(label: str) -> str:
    """A label as read: quotes, markdown backticks and stars, HTML tags and entities off; <br> a space."""
    label = label.strip()
    if len(label) >= 2 and label[0] == label[-1] == '"':
        label = label[1:-1]
    label = re.sub(r"<br\s*/?>", " ", label, flags=re.I)
    label = re.sub(r"<[^>]*>", "", label)
    label = re.sub(r"fa:fa-[\w-]+", "", label.replace("`", "").replace("**", ""))
    label = re.sub(r"#(\d+|[a-zA-Z]+);", lambda m: html.unescape(f"&#{m.group(1)};" if m.group(1).isdigit()
                                                                  else f"&{m.group(1)};"), label)
    return " ".join(html.unescape(label).split())
