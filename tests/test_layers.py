"""The house's rooms: imports run one way between the subpackages, and no module imports itself in a circle.

Every import counts, also those inside functions and under TYPE_CHECKING: a lazy import is still the
dependency it names, and it is how circles close.
"""

from __future__ import annotations

import ast
from pathlib import Path

import simulator

ROOT = Path(simulator.__file__).parent
VOCABULARY = ""  # the top-level modules: the words every room shares

# What each room may import, besides itself and the shared vocabulary.
ALLOWED: dict[str, set[str]] = {
    VOCABULARY: set(),
    "hearing": set(),
    "judging": set(),
    "sessions": {"judging"},
    "diagrams": {"judging"},
    "interviewer": {"hearing", "judging", "sessions", "diagrams"},
    "review": {"interviewer", "hearing", "judging", "sessions", "diagrams"},
    "practice": {"review", "interviewer", "hearing", "judging", "sessions", "diagrams"},
    "cli": {"practice", "review", "interviewer", "hearing", "judging", "sessions", "diagrams"},
}
MAX_TOP_MODULES = 15


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


ENTRY_POINTS = {"simulator.__main__": "cli"}  # `python -m simulator` runs the command line


def room(module: str) -> str:
    if module in ENTRY_POINTS:
        return ENTRY_POINTS[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else VOCABULARY


def imports(path: Path, modules: set[str]) -> set[str]:
    """The simulator modules a file imports, wherever in the file the import stands."""
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != this and name != "simulator":
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in ROOT.rglob("*.py")}
    modules = set(files)
    return {name: imports(path, modules) for name, path in files.items()}


def test_every_import_runs_down_the_arrows() -> None:
    against: set[str] = set()
    for module, deps in graph().items():
        here = room(module)
        assert here in ALLOWED, f"{module} is in a room the layering does not know: {here}"
        for dep in deps:
            there = room(dep)
            if there not in (here, VOCABULARY) and there not in ALLOWED[here]:
                against.add(f"{module} -> {dep}")
            if here == VOCABULARY and there != VOCABULARY:
                against.add(f"{module} -> {dep}")
    assert not against, "imports against the arrows:\n" + "\n".join(sorted(against))


def circle(edges: dict[str, set[str]]) -> list[str] | None:
    """One circle in the graph, as the modules along it, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_module_imports_itself_in_a_circle() -> None:
    found = circle(graph())
    assert found is None, "import circle: " + " -> ".join(found or [])


def test_the_circle_finder_finds_one() -> None:
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert circle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_top_holds_only_the_shared_vocabulary() -> None:
    top = sorted(p.stem for p in ROOT.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, f"{len(top)} modules at the top of simulator/: {top}"


def test_room_entrances_are_empty() -> None:
    """An empty __init__ keeps `--help` and the review commands from importing a whole room."""
    for init in ROOT.glob("*/__init__.py"):
        assert init.read_text(encoding="utf-8").strip() == "", f"{init} is not empty"


def test_every_room_and_every_prompt_folder_is_packaged() -> None:
    """A room left out of pyproject's package list is missing from a built wheel, though an editable install
    (and so every other test) still finds it."""
    import tomllib

    project = tomllib.loads((ROOT.parent / "pyproject.toml").read_text())["tool"]["setuptools"]
    rooms = {module_name(p) for p in ROOT.rglob("__init__.py")}
    prompts = ROOT.parent / "prompts"
    folders = {"simulator.prompts" + "".join(f".{part}" for part in p.relative_to(prompts).parts)
               for p in [prompts, *prompts.rglob("*")] if p.is_dir() and any(p.glob("*.toml"))}
    assert rooms | folders <= set(project["packages"])
    assert folders <= set(project["package-data"])


def test_no_test_module_imports_another() -> None:
    """What several test modules share lives in tests/support: a test module imported by another runs its
    tests' module-level set-up twice, and a change to one file's stand-in breaks tests elsewhere unseen."""
    tests = Path(__file__).parent
    offenders = []
    for path in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module is not None:
                name = node.module.rsplit(".", 1)[-1]
                if name.startswith("test_") and (node.level == 1 or node.module.startswith("tests.")):
                    offenders.append(f"{path.name} imports {node.module}")
    assert offenders == []
