"""Memory peaks of the batch and its soffice processes (the stage times come from the batch)."""

from __future__ import annotations

import os
import threading


def _rss_kib(pid: int) -> int:
    """Resident set size of `pid` in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (this kernel has no /proc/<pid>/task/*/children)."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces: split after it.
        parents[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(root: int) -> list[int]:
    """Every process below `root` (soffice's oosplash and its soffice.bin)."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


class MemorySampler:
    """Samples this process and its descendants every `interval` seconds in a thread.

    Complements getrusage: ru_maxrss gives exact peaks of single processes, this gives the peak
    of everything running at once (Python plus all soffice processes of the pool).
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_self_kib = 0
        self.peak_child_kib = 0
        self.peak_total_kib = 0
        self.most_children = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            own = _rss_kib(me)
            kids = [_rss_kib(pid) for pid in descendants(me)]
            self.peak_self_kib = max(self.peak_self_kib, own)
            self.peak_child_kib = max([self.peak_child_kib, *kids])
            self.peak_total_kib = max(self.peak_total_kib, own + sum(kids))
            self.most_children = max(self.most_children, len(kids))
            self._stop.wait(self.interval)
