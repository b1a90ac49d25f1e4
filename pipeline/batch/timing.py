"""Wall time per stage of a batch, measured by the batch itself (`make bench` reads it)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class StageTimes:
    """Seconds, calls and first/last activity (from `origin`) per stage label.

    A label entered again inside itself counts its outermost call only. Different labels
    nest and overlap (LibreOffice converts while the batch renders), so their seconds need
    not add up to any total.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    first: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # things counted, not timed
    # CPU seconds per label: of the batch's own process inside `stage`, and what the check
    # workers report (`add_cpu`), which run beside it and have no wall time here.
    cpu: dict[str, float] = field(default_factory=dict)
    origin: float = field(default_factory=time.perf_counter)
    _active: set[str] = field(default_factory=set, repr=False)

    @contextlib.contextmanager
    def stage(self, label: str, *, cpu: bool = True) -> Iterator[None]:
        """Time the block as one call of `label`; with `cpu=False` its wall time only."""
        if label in self._active:
            yield
            return
        self._active.add(label)
        # The stage's work runs in this thread; process_time took 22 us a call on the bench's
        # virtual machine (thread_time 1 us), four calls per team and stage. On a loaded
        # machine thread_time took 28 us to 2 ms a call (issue 26): the stages every team
        # passes on an unchanged rebuild, each a fraction of a millisecond, count no CPU.
        start, used = time.perf_counter(), time.thread_time() if cpu else 0.0
        try:
            yield
        finally:
            end = time.perf_counter()
            if cpu:
                self.cpu[label] = self.cpu.get(label, 0.0) + time.thread_time() - used
            self._active.discard(label)
            self.seconds[label] = self.seconds.get(label, 0.0) + end - start
            self.calls[label] = self.calls.get(label, 0) + 1
            self.first.setdefault(label, start - self.origin)
            self.last[label] = end - self.origin

    def add_cpu(self, label: str, seconds: float) -> None:
        """One call of `label` that took `seconds` of CPU in a worker (no wall time here)."""
        self.cpu[label] = self.cpu.get(label, 0.0) + seconds
        self.calls[label] = self.calls.get(label, 0) + 1

    def count(self, label: str, n: int = 1) -> None:
        """Add `n` to the counter `label`."""
        self.counts[label] = self.counts.get(label, 0) + n


# The stages `build_all` times, by phase (labels as the bench prints them).
DOCX_STAGES = ("input hashes", "read forms", "merge + assess", "render docx",
               "write docx + json")
PDF_STAGES = ("LibreOffice pool start", "check workers start",
              "hand over to soffice (submit)", "look at soffice (poll, no wait)",
              "wait for soffice and the checks (drain)", "archive copy",
              "LibreOffice pool stop")
# The stages the check workers run beside the batch (CPU seconds only; `batch/checks.py`).
CHECK_STAGES = ("verify (pypdf + PDFium)", "validate archived (page)",
                "PDF/UA-1 claim of concepts (page)", "font + contents' page numbers",
                "alarm card: verify, compare, page")
END_STAGES = ("manifest", "overview", "agenda")
REBUILD_STAGES = ("up-to-date check", "load overview record")
SOFFICE_STARTS = "soffice processes started"
