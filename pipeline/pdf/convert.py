""".docx -> PDF/A-2b through LibreOffice: a pool of warm soffice profiles fed lists of files.

Measured here (LibreOffice 25.2, 2 cores, design.md): one soffice process given a list of files
converts at 0.11-0.22 s/doc, one cold process per file at 0.46-0.64 s/doc and unoserver at
0.28-0.35 s/doc. So each of `jobs` slots runs `soffice --convert-to` over a list of documents,
with its own user profile (two processes sharing a profile hand their work to each other and
block). A profile is created once per converter and reused: its first start costs ~1.2 s more
than a warm start (measured: 1.65 s vs 0.59 s for one document), so a clean profile is also
kept in the user's cache and copied into the next converter's slots.

This module is the pool: which list goes to which process, and what is retried. One process
over one list (start, progress, what it made) is `run.py`.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from pipeline.errors import ConversionError
from pipeline.pdf.processes import Guard, kill_group, make_work_dir, remove_work_dir
from pipeline.pdf.profile import copy_profile, save_seed, seed_dir, usable_seed
from pipeline.pdf.run import Doc, Run, collect, finished, start, take_list
from pipeline.pdf.soffice import PDFA_OPTIONS, filter_argument, find_soffice

_POLL = 0.05  # seconds between looks at the running processes


_MAX_ATTEMPTS = 2  # a document is tried at most twice: once, then once in a fresh process


@dataclass(eq=False)
class _Slot:
    """A profile, the retry lists it still has to convert, and the process running now."""

    profile: Path
    queue: deque[list[Doc]] = field(default_factory=deque)  # retries, before new work
    run: Run | None = None


class PdfConverter:
    """A pool of `jobs` warm LibreOffice profiles converting .docx files to PDF/A-2b.

    Use as a context manager; `close()` kills any soffice still running and removes the
    profiles. `timeout` is per document: a process that makes no progress for that long is
    killed with its process group, and its unfinished documents are retried once.

    Two ways to use it: `convert(items)` converts a whole list and returns; or, in a batch
    that is still producing documents, `submit()` each document as it is written, `poll()`
    between documents for the PDFs finished so far, and `drain()` at the end. Then soffice
    converts while Python renders and verifies, instead of each waiting for the other.
    """

    # A list handed to one soffice process holds at most this many documents: long enough
    # that the process start is shared by many documents, short enough that at the end of a
    # batch one process does not convert alone while the others idle ...
    max_list = 30
    # ... and at least this many when that many are waiting, also when sharing out the last
    # documents of a batch: a warm process start costs 0.43-0.55 CPU-seconds (measured), as
    # much as converting one or two protocols, so lists of one or two are mostly start.
    # Measured, 200 teams, two interleaved rounds: lists of 1-20 started 17 processes and took
    # 0.252/0.224 s per team, lists of 4-30 started 13 and took 0.206/0.209 (a third round:
    # lists of up to 40 gained nothing more).
    min_share = 4

    def __init__(self, jobs: int = 2, timeout: float = 120.0, *,
                 pdf_options: Mapping[str, bool | int | str] = PDFA_OPTIONS,
                 seed_profile: bool = True) -> None:
        self.jobs = max(1, int(jobs))
        self.timeout = float(timeout)
        self._filter = filter_argument(pdf_options)
        self._soffice = find_soffice()
        self._root = make_work_dir()
        self._guard = Guard(self._root)
        self._slots = [_Slot(profile=self._root / f"profile-{i}") for i in range(self.jobs)]
        self._pending: deque[Doc] = deque()  # submitted, not yet handed to a process
        self._seed = seed_dir(self._soffice) if seed_profile else None
        if self._seed is not None and usable_seed(self._seed):
            for slot in self._slots:
                copy_profile(self._seed, slot.profile)
        self._runs = 0
        self._closed = False

    @property
    def profile_dirs(self) -> list[Path]:
        """The LibreOffice user profile folders, one per job (visible in soffice's arguments)."""
        return [s.profile for s in self._slots]

    @property
    def processes_started(self) -> int:
        """How many soffice processes this converter has started (retries included)."""
        return self._runs

    def __enter__(self) -> PdfConverter:
        # Signals are the command line's to handle (`processes.signals_end_the_run`), not ours.
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Kill every soffice process this converter started and remove its profiles."""
        self._stop_all()
        remove_work_dir(self._root)
        self._guard.close()
        self._closed = True

    def convert(self, items: list[tuple[Path, Path]]
                ) -> dict[Path, Path | ConversionError]:
        """Convert each (docx, pdf) pair; per docx the written PDF path or a ConversionError.

        A PDF is moved into place atomically, only once soffice has finished it.
        """
        results: dict[Path, Path | ConversionError] = dict(self.submit(items))
        for done in self.drain():
            results.update(done)
        return results

    def submit(self, items: list[tuple[Path, Path]]) -> dict[Path, ConversionError]:
        """Queue (docx, pdf) pairs for conversion; a docx that does not exist fails at once."""
        if self._closed:
            raise ConversionError("de PDF-omzetter is al gesloten",
                                  hint="Maak een nieuwe PdfConverter")
        failed: dict[Path, ConversionError] = {}
        for src, dst in items:
            absolute = Path(src).resolve()
            if not absolute.is_file():
                failed[Path(src)] = ConversionError(
                    "het Word-bestand bestaat niet, dus er is geen PDF gemaakt", file=src,
                    hint="Bouw het team opnieuw")
            else:
                self._pending.append(Doc(key=Path(src), src=absolute, dst=Path(dst)))
        return failed

    def poll(self, min_list: int = 1) -> dict[Path, Path | ConversionError]:
        """One look at the processes: start idle ones, collect finished ones, never wait.

        An idle process starts only once `min_list` documents are waiting (more documents
        are still coming, and a process per document would cost a start each); returns
        the documents finished since the last call.
        """
        results: dict[Path, Path | ConversionError] = {}
        try:
            for slot in self._slots:
                if slot.run is not None and finished(slot.run, self.timeout, self._kill):
                    self._collect(slot, results)
            for slot in self._slots:
                if slot.run is not None:
                    continue
                if slot.queue:
                    slot.run = self._start(slot, slot.queue.popleft())
                elif len(self._pending) >= max(1, min_list):
                    # Not everything that is waiting: taking all left one process converting
                    # alone for the last 3.7 s of a batch (measured).
                    slot.run = self._start(slot, take_list(self._pending, self._list_size()))
        except BaseException:
            self._stop_all()  # an exception or Ctrl-C: leave nothing running
            raise
        return results

    def _list_size(self) -> int:
        """How many of the waiting documents an idle process takes.

        Its share of everything still to convert: the waiting documents and those the busy
        processes have not finished yet, so all processes end together without sharing out
        ever smaller lists (measured, 200 teams: the last lists were 22, 11, 6, 4 and 1, 13
        processes in all; counting the busy ones' documents, 21 and 17, 10 processes).
        """
        left = sum(len(s.run.docs) - s.run.seen for s in self._slots if s.run is not None)
        share = -(-(len(self._pending) + left) // self.jobs)
        return min(max(share, self.min_share), self.max_list)

    def drain(self) -> Iterator[dict[Path, Path | ConversionError]]:
        """Until every submitted document is converted or given up, each set of outcomes as
        soon as it is there, so the caller verifies while the other processes still work."""
        while self.busy:
            done = self.poll()
            if done:
                yield done
            else:
                time.sleep(_POLL)

    @property
    def busy(self) -> bool:
        """True while documents are waiting or being converted."""
        return bool(self._pending) or any(s.run is not None or s.queue for s in self._slots)

    def _stop_all(self) -> None:
        for slot in self._slots:
            if slot.run is not None:
                self._kill(slot.run.proc)
                slot.run = None
            slot.queue.clear()
        self._pending.clear()

    def _start(self, slot: _Slot, docs: list[Doc]) -> Run:
        self._runs += 1
        run = start(self._soffice, self._filter, slot.profile, self._root / f"run-{self._runs}",
                    docs, self.timeout)
        self._guard.started(run.proc)
        return run

    def _kill(self, proc: subprocess.Popen[bytes]) -> None:
        kill_group(proc)
        self._guard.ended(proc)

    def _collect(self, slot: _Slot, results: dict[Path, Path | ConversionError]) -> None:
        """Move finished PDFs into place; queue the rest for one retry or report them."""
        run, slot.run = slot.run, None
        assert run is not None
        self._kill(run.proc)  # reap; also sweeps a straggling soffice.bin of the group
        if run.clean and self._seed is not None and not self._seed.exists():
            save_seed(slot.profile, self._seed)
        out = collect(run)
        results.update(out.results)
        left = out.left
        if not left:
            return
        if out.made_none:
            # Not one PDF: the profile itself may be broken (a killed soffice can leave it
            # half written), so the retry starts from a fresh one. A crash, unlike a hang,
            # also discards the cached seed profile, so the next run does not inherit it.
            shutil.rmtree(slot.profile, ignore_errors=True)
            if not run.timed_out and self._seed is not None:
                shutil.rmtree(self._seed, ignore_errors=True)
        # The first document without a PDF was being converted when it went wrong; the others
        # were never reached, unless the process made no progress at all.
        for doc in left if out.made_none else [out.suspect or left[0]]:
            doc.attempts += 1
        reason = (f"LibreOffice reageerde niet binnen {self.timeout:g} s en is gestopt"
                  if run.timed_out
                  else f"LibreOffice stopte onverwacht (afsluitcode {run.proc.returncode})")
        retry = []
        for doc in left:
            if doc.attempts >= _MAX_ATTEMPTS:
                results[doc.key] = ConversionError(
                    f"{reason}; ook een tweede poging gaf geen PDF", file=doc.key,
                    hint="Probeer het opnieuw; blijft het mislukken, meld het aan de beheerder")
            else:
                retry.append(doc)
        # The suspect alone in a fresh process, so it cannot take the others down again.
        if len(retry) > 1:
            slot.queue.appendleft(retry[1:])
        if retry:
            slot.queue.appendleft(retry[:1])
