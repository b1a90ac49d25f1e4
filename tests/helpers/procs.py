"""Processes seen through /proc, for tests that must prove no soffice of theirs survives; and
Ctrl-C for the commands those tests interrupt."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def ctrl_c_as_at_a_terminal() -> None:
    """`preexec_fn` of a command a test interrupts with SIGINT: Ctrl-C as a user at a terminal
    has it. A command started in the background of a non-interactive shell inherits SIGINT
    ignored (`make test &`, `nohup`), and Python then keeps ignoring it: the build ran on to
    the end and the interruption tests failed."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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
