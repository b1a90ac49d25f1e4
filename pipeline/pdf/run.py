"""One soffice process converting a list of documents: starting it, watching its progress,
and collecting what it made. The pool that decides which list goes to which process, and what
is retried, is `convert.py`."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConversionError, TeamprotocolError
from pipeline.files import atomic_move
from pipeline.pdf.processes import start_group


@dataclass(eq=False)
class Doc:
    key: Path  # the docx path as the caller gave it
    src: Path  # absolute docx path
    dst: Path
    attempts: int = 0


@dataclass(eq=False)
class Run:
    """One soffice process converting a list of documents into its own output folder."""

    docs: list[Doc]
    outdir: Path
    proc: subprocess.Popen[bytes]
    deadline: float
    seen: int = 0
    timed_out: bool = False

    @property
    def clean(self) -> bool:
        """The process ran to its end by itself, with exit code 0."""
        return self.proc.returncode == 0 and not self.timed_out


@dataclass(eq=False)
class Outcome:
    """What a finished run left: PDFs in place or failures, and the documents not reached."""

    results: dict[Path, Path | ConversionError] = field(default_factory=dict)
    left: list[Doc] = field(default_factory=list)
    made_none: bool = False  # not one PDF: the profile itself may be broken
    # The document soffice was converting when it hung or crashed: the first one without a
    # PDF. Not the first one left: the last PDF made before a kill is left too (it may be
    # half written), and charging that innocent document gave the culprit a third timeout
    # while the message said "tweede poging" (issue 21).
    suspect: Doc | None = None


def take_list(pending: deque[Doc], size: int) -> list[Doc]:
    """Up to `size` documents from `pending`, in order, no two with the same file name.

    soffice names its output `<stem>.pdf` in one folder, so a second `teamprotocol.docx` in
    the same list would overwrite the first; such a document waits for the next list.
    """
    taken: list[Doc] = []
    stems: set[str] = set()
    skipped: list[Doc] = []
    while pending and len(taken) < size:
        doc = pending.popleft()
        if doc.src.stem in stems:
            skipped.append(doc)
        else:
            stems.add(doc.src.stem)
            taken.append(doc)
    pending.extendleft(reversed(skipped))
    return taken


def start(soffice: str, convert_to: str, profile: Path, outdir: Path, docs: list[Doc],
          timeout: float) -> Run:
    """Start soffice with `profile`, converting `docs` (`--convert-to convert_to`) into
    `outdir`, which it creates."""
    outdir.mkdir()
    cmd = [soffice, "--headless", "--invisible", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", convert_to, "--outdir", str(outdir), *(str(d.src) for d in docs)]
    # soffice's own temporary files go inside the work folder: a killed soffice leaves
    # them behind (measured: lu*.tmp), and the converter's close() removes the whole folder.
    tmp = outdir.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp)}
    proc = start_group(cmd, log=outdir / "soffice.log", cwd=outdir, env=env)
    return Run(docs=docs, outdir=outdir, proc=proc, deadline=time.monotonic() + timeout)


def finished(run: Run, timeout: float, kill: Callable[[subprocess.Popen[bytes]], None]) -> bool:
    """True when the process ended, or was killed for making no progress in `timeout` s."""
    if run.proc.poll() is not None:
        return True
    names = set(os.listdir(run.outdir))
    done = sum(f"{d.src.stem}.pdf" in names for d in run.docs)
    now = time.monotonic()
    if done > run.seen:  # the per-document timeout restarts with every finished PDF
        run.seen, run.deadline = done, now + timeout
    if now > run.deadline:
        run.timed_out = True
        kill(run.proc)
        return True
    return False


def collect(run: Run) -> Outcome:
    """Move the finished PDFs of an ended run into place; the rest is left for the pool."""
    clean = run.clean
    made = [(run.outdir / f"{d.src.stem}.pdf").is_file() for d in run.docs]
    # soffice writes a temporary file and renames it, but after a crash or kill only PDFs
    # followed by a later one are surely complete (it converts in the order given).
    last = max((i for i, m in enumerate(made) if m), default=-1)
    out = Outcome(made_none=last < 0)
    for i, doc in enumerate(run.docs):
        if made[i] and (clean or i < last):
            try:
                atomic_move(run.outdir / f"{doc.src.stem}.pdf", doc.dst)
                out.results[doc.key] = doc.dst
            except TeamprotocolError as e:
                out.results[doc.key] = ConversionError(e.message, file=doc.dst, hint=e.hint)
        elif clean:  # soffice ran to the end and still made nothing: it cannot read it
            out.results[doc.key] = ConversionError(
                "LibreOffice kon dit Word-bestand niet omzetten naar PDF", file=doc.key,
                hint="Open het bestand in Word of LibreOffice en controleer het")
        else:
            out.left.append(doc)
            if not made[i] and out.suspect is None:
                out.suspect = doc
    shutil.rmtree(run.outdir, ignore_errors=True)
    return out
