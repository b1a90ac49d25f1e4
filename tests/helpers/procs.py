"""Processes seen through /proc, for tests that must prove no soffice of theirs survives."""

from __future__ import annotations

import os
from pathlib import Path


def process_pids(marker: str | Path) -> list[int]:
    """Live (non-zombie) processes whose command line contains `marker`, except this one."""
    needle = str(marker).encode()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in cmdline and state != b"Z":
            pids.append(int(entry))
    return pids
