"""A picture of a data folder (names, kinds, file mtimes and contents), to show a refused command touched nothing.

Standard library only: tests/support/fullfolder.py runs it inside a private mount namespace too.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def snapshot(root: Path) -> dict[str, list[object]]:
    """Every entry under root, without following links; folder mtimes are left out (listing them is not saving)."""
    found: dict[str, list[object]] = {}
    if not os.path.lexists(root):
        return found
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder, name)
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = ["link", os.readlink(path)]
            elif path.is_dir():
                found[key] = ["dir"]
            else:
                found[key] = ["file", path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()]
    return found
