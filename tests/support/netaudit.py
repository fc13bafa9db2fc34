"""Record every network call a Python process makes, through an audit hook installed by sitecustomize.

Unix sockets (PulseAudio) are local and not recorded; everything else that
resolves a name or connects is written to the log, one line each.
"""

from __future__ import annotations

from pathlib import Path

SITECUSTOMIZE = '''
import os, socket, sys

_LOG = os.environ["NET_AUDIT_LOG"]


def _hook(event, args):
    if event == "socket.connect" and getattr(args[0], "family", None) == socket.AF_UNIX:
        return
    if event in ("socket.connect", "socket.connect_ex", "socket.getaddrinfo", "socket.gethostbyname",
                 "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto", "urllib.Request"):
        with open(_LOG, "a") as log:
            log.write(f"{event} {args[1] if event.startswith('socket.connect') else args[0]!r}\\n")


sys.addaudithook(_hook)
'''


def audited_env(base: dict[str, str], folder: Path) -> tuple[dict[str, str], Path]:
    """An environment whose Python processes log their network calls to the returned file."""
    site = folder / "netaudit-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = folder / "network.log"
    log.write_text("")
    path = [str(site)] + ([base["PYTHONPATH"]] if base.get("PYTHONPATH") else [])
    return {**base, "PYTHONPATH": ":".join(path), "NET_AUDIT_LOG": str(log)}, log
