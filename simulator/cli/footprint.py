"""How much disk the install takes: the virtual environment, each engine, voice and extra, and the budget the
default install is held to. Read from the installed packages' file lists, importing none of them, so `doctor`
stays quick and the install script can say it with the standard library alone.

The default install on a machine without an NVIDIA GPU is the program's own requirements plus openai-whisper
installed without its requirements (scripts/install.sh): openai-whisper's list names Triton, GPU kernels of no
use there. The test tools (the test extra) come on top for `make test`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import re
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = "mock-interview"
WHISPER = "openai-whisper"  # installed without its requirements on a CPU machine
TEST_EXTRA = "test"
GPU_EXTRA = "gpu"
BASE = ("pip", "setuptools")  # what `python -m venv` puts in every environment
GPU_ONLY = ("triton",)  # with any nvidia-* package: what only an NVIDIA GPU uses

# The budget for a fresh `.venv` on a machine without an NVIDIA GPU, in GiB as `du -sh` counts: the default
# install (`make rehearse`) and the default install with the test tools (`make test`). Measured on a fresh
# machine, Python 3.11, torch 2.13.0+cpu: 1.19 GiB and 1.82 GiB.
BUDGET_GIB = {"default": 1.3, TEST_EXTRA: 1.9}

MIB = 2**20
GIB = 2**30


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Requirement:
    """One line of a package's requirements: the package it names, the extras it asks of it, and the condition
    under which it applies (a PEP 508 marker; the requiring package's extras are asked of it as `extra`)."""

    name: str
    extras: tuple[str, ...] = ()
    marker: str = ""

    @classmethod
    def parse(cls, line: str) -> Requirement:
        spec, _, marker = line.partition(";")
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", spec)
        if match is None:
            raise ValueError(f"not a requirement: {line!r}")
        extras = tuple(canonical(e.strip()) for e in (match[2] or "").split(",") if e.strip())
        return cls(canonical(match[1]), extras, marker.strip())

    @property
    def extra(self) -> str | None:
        """The extra of the requiring package this line belongs to; None: it is always wanted."""
        found = re.search(r"""extra\s*==\s*["']([^"']+)["']""", self.marker)
        return canonical(found[1]) if found else None

    def applies(self, extra: str | None = None) -> bool:
        """Whether the line applies here when the requiring package is installed with this extra (None: none)."""
        if not self.marker:
            return extra is None
        if (self.extra or None) != extra:
            return False
        return _marker(self.marker, extra or "")


@functools.lru_cache(maxsize=None)
def _marker(text: str, extra: str) -> bool:
    """A marker evaluated as pip would; true where no evaluator is at hand (a venv always has pip's)."""
    try:
        from packaging.markers import InvalidMarker, Marker
    except ImportError:
        try:
            from pip._vendor.packaging.markers import InvalidMarker, Marker  # type: ignore[no-redef]
        except ImportError:
            return True
    try:
        return bool(Marker(text).evaluate({"extra": extra}))
    except (InvalidMarker, ValueError, KeyError):
        return True


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    size: int  # bytes on disk
    requires: tuple[Requirement, ...] = ()


@dataclass
class Environment:
    """The packages installed in one virtual environment and the environment's own size on disk."""

    root: Path
    size: int
    packages: dict[str, Package] = field(default_factory=dict)

    def closure(self, roots: Iterable[Requirement]) -> set[str]:
        """The installed packages these requirements bring, following each package's own requirements."""
        todo = list(roots)
        seen: set[str] = set()
        asked: set[tuple[str, str]] = set()
        while todo:
            req = todo.pop()
            package = self.packages.get(req.name)
            if package is None:
                continue
            if req.name not in seen:
                seen.add(req.name)
                todo += [r for r in package.requires if r.applies()]
            for extra in req.extras:
                if (req.name, extra) not in asked:
                    asked.add((req.name, extra))
                    todo += [r for r in package.requires if r.applies(extra)]
        return seen

    def complete(self, roots: Iterable[Requirement]) -> bool:
        """Whether every package these requirements bring here is installed."""
        todo = list(roots)
        seen: set[tuple[str, tuple[str, ...]]] = set()
        while todo:
            req = todo.pop()
            if (req.name, req.extras) in seen:
                continue
            seen.add((req.name, req.extras))
            package = self.packages.get(req.name)
            if package is None:
                return False
            todo += [r for r in package.requires if r.applies() or any(r.applies(e) for e in req.extras)]
        return True

    def bytes_of(self, names: Iterable[str]) -> int:
        return sum(self.packages[n].size for n in set(names) if n in self.packages)

    def size_with(self, names: set[str]) -> int:
        """How big the environment would be holding only these packages: its size less every other package."""
        return self.size - self.bytes_of(set(self.packages) - names)

    def version(self, name: str) -> str | None:
        package = self.packages.get(canonical(name))
        return package.version if package else None

    def gpu_build(self) -> bool:
        return any(n in GPU_ONLY or n.startswith("nvidia-") for n in self.packages)


def default_set(env: Environment, extras: tuple[str, ...] = ()) -> set[str]:
    """The packages of the default CPU install (with these extras): the program's requirements, and
    openai-whisper alone."""
    names = env.closure([Requirement(PROJECT, extras)]) | {n for n in BASE if n in env.packages}
    return names | ({WHISPER} if WHISPER in env.packages else set())


def disk_usage(root: Path) -> dict[str, int]:
    """Bytes each file and folder under root takes on disk, as du counts them: blocks, a hard-linked file
    once."""
    sizes: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    for top, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = os.path.join(top, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            first = (info.st_dev, info.st_ino) not in seen
            seen.add((info.st_dev, info.st_ino))
            sizes[path] = info.st_blocks * 512 if first else 0
    return sizes


def scan(root: Path | None = None, project_requires: Iterable[str] | None = None) -> Environment:
    """The environment Python runs in (or the one at root), walked once. project_requires stands in for the
    installed program's requirements: the source tree's, where those installed are older."""
    if root is None:
        where = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
        # outside a virtual environment only the packages' folder is walked, not all of /usr
        root = Path(sys.prefix if sys.prefix != sys.base_prefix else where[0])
    else:
        where = [str(p) for p in Path(root).glob("lib*/python*/site-packages")]
    root = Path(root)
    sizes = disk_usage(root)
    env = Environment(root, sum(sizes.values()))
    for dist in importlib.metadata.distributions(path=where):
        name = canonical(dist.metadata["Name"] or "")
        if name and name not in env.packages:  # the first found wins, as for imports
            files = {os.path.normpath(str(dist.locate_file(f))) for f in dist.files or ()}
            requires = tuple(Requirement.parse(r) for r in dist.requires or ())
            env.packages[name] = Package(name, dist.version, sum(sizes.get(f, 0) for f in files), requires)
    if project_requires is not None and PROJECT in env.packages:
        mine = env.packages[PROJECT]
        env.packages[PROJECT] = Package(PROJECT, mine.version, mine.size,
                                        tuple(Requirement.parse(r) for r in project_requires))
    return env


def pyproject_requires(pyproject: Path) -> list[str]:
    """The requirements a pyproject.toml declares, in the form installed metadata gives them."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    for extra, reqs in project.get("optional-dependencies", {}).items():
        for line in reqs:
            spec, _, marker = line.partition(";")
            lines.append(f"{spec}; " + (f"({marker.strip()}) and " if marker.strip() else "") + f"extra == '{extra}'")
    return lines


def human(size: int) -> str:
    """A size as `du -h` gives it, in binary units, named as such."""
    if size >= GIB:
        return f"{size / GIB:.2f} GiB"
    return f"{size / MIB:.0f} MiB" if size >= 10 * MIB else f"{size / MIB:.1f} MiB"


@dataclass(frozen=True)
class Verdict:
    """One install's size against its budget."""

    kind: str  # "default" or "test"
    size: int
    budget: int

    @property
    def ok(self) -> bool:
        return self.size <= self.budget

    def line(self) -> str:
        what = "the default install" if self.kind == "default" else f"the install with the {self.kind} tools"
        if self.ok:
            return f"{what} takes {human(self.size)}, within its {human(self.budget)} budget"
        return (f"{what} takes {human(self.size)}, over its {human(self.budget)} budget by "
                f"{human(self.size - self.budget)}: find what grew with `mock-interview doctor`, and trim it "
                f"or raise BUDGET_GIB in simulator/cli/footprint.py with the reason")


def verdicts(env: Environment, budgets: dict[str, float] | None = None) -> list[Verdict]:
    """The default install's size against its budget, and with the test tools where they are installed. (A
    GPU build has none: its CUDA libraries are what it is for; see Environment.gpu_build.)"""
    budgets = BUDGET_GIB if budgets is None else budgets
    found = [Verdict("default", env.size_with(default_set(env)), round(budgets["default"] * GIB))]
    if _extra_installed(env, TEST_EXTRA):
        found.append(Verdict(TEST_EXTRA, env.size_with(default_set(env, (TEST_EXTRA,))),
                             round(budgets[TEST_EXTRA] * GIB)))
    return found


def extras(env: Environment) -> list[str]:
    project = env.packages.get(PROJECT)
    return sorted({r.extra for r in project.requires if r.extra}) if project else []


def _extra_installed(env: Environment, extra: str) -> bool:
    return env.complete([Requirement(PROJECT, (extra,))])


@dataclass(frozen=True)
class Part:
    """One of the program's extras: whether it is installed, and what it adds to the default install."""

    name: str
    installed: bool
    size: int  # bytes


def extra_parts(env: Environment) -> list[Part]:
    """Each extra of the program: installed or not, and what it adds to the default install."""
    base = default_set(env)
    return [Part(extra, _extra_installed(env, extra),
                 env.bytes_of(env.closure([Requirement(PROJECT, (extra,))]) - base)) for extra in extras(env)]


def adds(env: Environment, *roots: str) -> int:
    """What these packages, with all they require, add to the default install."""
    return env.bytes_of(env.closure(Requirement(canonical(r)) for r in roots) - default_set(env))


def whisper_engine(env: Environment) -> int:
    """What openai-whisper takes with all it requires (PyTorch, numba, Triton where installed), less what the
    program needs anyway."""
    package = env.packages.get(WHISPER)
    if package is None:
        return 0
    own = {r.name for r in package.requires}
    project = env.packages.get(PROJECT)
    core = [r for r in (project.requires if project else ()) if r.applies() and r.name not in own | {WHISPER}]
    return env.bytes_of(env.closure([Requirement(WHISPER)]) - env.closure(core))
