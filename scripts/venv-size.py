"""One line after an install: what went into the virtual environment and how big it is, against the budget in
simulator/cli/footprint.py. With --check, exits 1 with the reason when an install is over its budget.
    usage: PYTHON scripts/venv-size.py [--check]
"""

from __future__ import annotations

import sys

from simulator.cli import footprint


def main(argv: list[str]) -> int:
    env = footprint.scan()
    torch = env.version("torch")
    whisper = env.version(footprint.WHISPER)
    parts = [f"torch {torch}" if torch else "no torch",
             f"openai-whisper {whisper} " + ("with Triton" if env.version("triton") else "without Triton")
             if whisper else "no openai-whisper"]
    extras = [p.name for p in footprint.extra_parts(env) if p.installed]
    parts.append(f"mock-interview {env.version(footprint.PROJECT)}" + (f" [{', '.join(extras)}]" if extras else ""))
    if env.gpu_build():
        said = "; the GPU build has no size budget"
        over = []
    else:
        found = footprint.verdicts(env)
        said = "; " + "; ".join(v.line() for v in found)
        over = [v for v in found if not v.ok]
    print(f"Installed {', '.join(parts)}: {env.root.name} is {footprint.human(env.size)}{said}.")
    return 1 if over and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
