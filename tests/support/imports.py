"""Which heavy modules a run of commands imports, checked in a fresh interpreter's sys.modules."""

from __future__ import annotations

import ast
import subprocess
import sys

HEAVY = ("torch", "whisper", "sounddevice", "numba", "piper", "onnxruntime", "faster_whisper", "ctranslate2")


def heavy_imports(*commands: list[str], expect_success: bool = True) -> tuple[list[str], str]:
    """Run each command in one new interpreter; return the heavy modules it imported and its stdout."""
    code = ("import sys\nfrom simulator.cli.main import cli\n"
            f"for args in {list(commands)!r}:\n"
            "    try:\n        cli(args)\n    except SystemExit as exc:\n"
            f"        assert not {expect_success!r} or not exc.code, (args, exc.code)\n"
            f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "HEAVY" in result.stderr, result.stderr
    line = next(x for x in result.stderr.splitlines() if x.startswith("HEAVY"))
    return ast.literal_eval(line.removeprefix("HEAVY ")), result.stdout
