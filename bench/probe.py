"""Measuring without changing the pipeline: time spent per stage function, and memory peaks."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class StageTimes:
    """Accumulated wall seconds, call counts and first/last activity per stage label.

    Safe when stages run interleaved or in threads: the totals are updated under a lock, and
    a label re-entered in the same thread (`convert` calling `drain` calling `poll`, when
    they share a label, or recursion) counts its outermost call only. Different labels nest
    and overlap freely, so their seconds need not add up to any total.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    first: dict[str, float] = field(default_factory=dict)  # start of first call, from origin
    last: dict[str, float] = field(default_factory=dict)  # end of last call, from origin
    missing: list[str] = field(default_factory=list)  # labels whose function was not found
    origin: float = field(default_factory=time.perf_counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _active: threading.local = field(default_factory=threading.local, repr=False)

    def wrap(self, label: str, func: Callable) -> Callable:
        """`func`, adding its (inclusive) wall time to `label`."""
        @functools.wraps(func)
        def timed(*args, **kwargs):
            active = self._active.__dict__.setdefault("labels", set())
            if label in active:
                return func(*args, **kwargs)
            active.add(label)
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                end = time.perf_counter()
                active.discard(label)
                with self._lock:
                    self.seconds[label] = self.seconds.get(label, 0.0) + end - start
                    self.calls[label] = self.calls.get(label, 0) + 1
                    self.first.setdefault(label, start - self.origin)
                    self.last[label] = end - self.origin
        return timed


def _timed_attribute(times: StageTimes, label: str, owner: object, name: str) -> object:
    """The replacement for `owner.name`, keeping static and class methods what they were."""
    raw = inspect.getattr_static(owner, name)
    if isinstance(raw, staticmethod | classmethod):
        return type(raw)(times.wrap(label, raw.__func__))
    return times.wrap(label, getattr(owner, name))


@contextlib.contextmanager
def timing(times: StageTimes, targets: dict[str, tuple[object, str]]) -> Iterator[StageTimes]:
    """Replace `owner.name` by a timed wrapper for every label, and restore them after.

    The batch looks its stages up by module or class attribute at call time, so wrapping the
    attribute sees every call in this process (not in worker processes); the wrapper costs
    about a microsecond per call. A stage the pipeline no longer has is listed in
    `times.missing` instead of stopping the benchmark.
    """
    saved = []
    for label, (owner, name) in targets.items():
        if not hasattr(owner, name):
            times.missing.append(label)
            continue
        saved.append((owner, name, inspect.getattr_static(owner, name)))
        setattr(owner, name, _timed_attribute(times, label, owner, name))
    try:
        yield times
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


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
