"""Run one mock-interview command on a data folder that is really full or really read-only.

Run inside `unshare --user --map-root-user --mount` so any user may mount: a 200 KiB tmpfs
holds a copy of a data folder, then is filled to the last byte (full) or remounted read-only,
and the command runs on it. Prints JSON: exit code, stderr and snapshots before and after.

    python tests/support/fullfolder.py full|read-only MOUNT SOURCE -- ARGS...
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from snapshot import snapshot  # noqa: E402


def main(mode: str, mount: Path, source: Path, args: list[str]) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k,mode=0700", "tmpfs", str(mount)], check=True)
    shutil.copytree(source, mount, dirs_exist_ok=True)
    if mode == "full":
        with open(mount / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:
                pass
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    before = snapshot(mount)
    result = subprocess.run([sys.executable, "-m", "simulator", *args, "--home", str(mount)], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=300)
    print(json.dumps({"returncode": result.returncode, "stderr": result.stderr, "stdout": result.stdout,
                      "before": before, "after": snapshot(mount)}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[5:])
