"""CPU and memory of the batch and every process below it (soffice, the check workers),
sampled from /proc (the stage times come from the batch).

Why sampled: getrusage(RUSAGE_CHILDREN) counts only children that were waited for, and
soffice.bin is the child of the oosplash launcher that the converter kills with its group:
its CPU was counted or lost, run by run (issue 26: 68 % and 94 % cores busy for the same
ratio). Every process seen below the batch is followed by its pid until it is gone, also
once reparented; what it used after the last sample before it ended is not counted, so the
figures err low by at most one interval of CPU per process.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

_TICK = os.sysconf("SC_CLK_TCK")


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



def _stat(pid: int) -> tuple[str, float] | None:
    """(command name, user + system CPU seconds) of `pid`; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            stat = f.read()
    except OSError:
        return None
    name, rest = stat.split("(", 1)[1].rsplit(")", 1)
    fields = rest.split()
    return name, (int(fields[11]) + int(fields[12])) / _TICK


@dataclass
class Usage:
    """One process's cumulative CPU seconds when first and last sampled."""

    name: str
    first: float
    last: float

    @property
    def used(self) -> float:
        return self.last - self.first


class ProcessSampler:
    """Samples this process and every process below it every `interval` seconds in a
    thread: CPU per process (followed until it ends) and memory.

    Complements getrusage: ru_maxrss gives exact peaks of single processes, this gives the
    peak of everything running at once (Python, the check workers and every soffice) and
    the CPU of each process, reaped or not.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_self_kib = 0
        self.peak_child_kib = 0
        self.peak_total_kib = 0
        self.most_children = 0
        self.usage: dict[int, Usage] = {}
        self.sampler_cpu = 0.0  # the sampling thread's own CPU, inside Python's
        self.wall = 0.0
        self._started = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ProcessSampler:
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.wall = time.perf_counter() - self._started

    def cpu(self, which: str) -> float:
        """CPU seconds of "batch" (this process, without the sampler), "workers" (Python
        processes below it: the check workers) or "soffice" (every other process below)."""
        me = os.getpid()
        if which == "batch":
            return self.usage[me].used - self.sampler_cpu if me in self.usage else 0.0
        workers = which == "workers"
        return sum(u.used for pid, u in self.usage.items()
                   if pid != me and u.name.startswith("python") == workers)

    @property
    def cpu_total(self) -> float:
        """CPU seconds of everything sampled, the sampler itself left out."""
        return self.cpu("batch") + self.cpu("workers") + self.cpu("soffice")

    def _sample(self, me: int) -> None:
        # Followed after they left the tree too (soffice.bin once its launcher is killed).
        pids = {me, *descendants(me), *self.usage}
        total = count = 0
        for pid in pids:
            stat = _stat(pid)
            if stat is None:
                continue
            name, cpu = stat
            known = self.usage.get(pid)
            if known is None:
                # Counted from its start, except this process: from the sampler's start.
                self.usage[pid] = Usage(name, cpu if pid == me else 0.0, cpu)
            else:
                known.name, known.last = name, cpu  # oosplash becomes soffice.bin
            rss = _rss_kib(pid)
            if pid != me:
                count += 1
                self.peak_child_kib = max(self.peak_child_kib, rss)
            else:
                self.peak_self_kib = max(self.peak_self_kib, rss)
            total += rss
        self.peak_total_kib = max(self.peak_total_kib, total)
        self.most_children = max(self.most_children, count)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self._sample(me)
            self._stop.wait(self.interval)
        self._sample(me)
        self.sampler_cpu = time.thread_time()
