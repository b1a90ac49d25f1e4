"""Reference conversions: the naive one soffice process per file, and the raw soffice floor.

The naive baseline is what a user gets by hand: `soffice --convert-to` once per document.
The floor is LibreOffice alone at its fastest on this machine: `jobs` plain soffice processes
in parallel, each with its own warm profile and its share of the list, PDF/A filter, nothing
else (no render, no verification). The batch cannot beat the floor; it should stay close.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from pipeline.pdf.soffice import PDFA_OPTIONS, filter_argument, find_soffice

TIMEOUT = 120.0  # seconds for one document; a hang should not stall the benchmark forever


@dataclass
class BaselineRun:
    """Wall seconds per document of one way of converting, and how many PDFs came out."""

    label: str
    seconds: list[float]
    made: int

    @property
    def per_doc(self) -> float:
        return sum(self.seconds) / len(self.seconds) if self.seconds else float("nan")


def _start(soffice: str, docs: list[Path], profile: Path, outdir: Path
           ) -> subprocess.Popen[bytes]:
    """Start one soffice process converting `docs` to PDF/A into `outdir`."""
    cmd = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", filter_argument(PDFA_OPTIONS), "--outdir", str(outdir),
           *map(str, docs)]
    # Own session, so a hung soffice and its soffice.bin child can be killed as one group,
    # without touching the LibreOffice processes other people run on this machine.
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _wait(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait for `proc`; kill its process group when it takes longer than `timeout`."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _convert_one(soffice: str, docx: Path, profile: Path, outdir: Path) -> float:
    """Convert `docx` in its own soffice process; the wall seconds it took."""
    start = time.perf_counter()
    _wait(_start(soffice, [docx], profile, outdir), TIMEOUT)
    return time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class FloorRun:
    """The raw LibreOffice floor: wall and soffice CPU seconds for `docs` documents."""

    docs: int
    made: int
    jobs: int
    wall: float
    cpu: float
    pages: int = 0  # of all PDFs made
    teams: int = 0  # whose documents these are (a protocol and an alarm card each); 0: none

    @property
    def per_team(self) -> float:
        """Wall seconds per team: what the batch's own s/team is compared with."""
        return self.wall / self.teams if self.teams else float("nan")

    @property
    def pages_per_doc(self) -> float:
        return self.pages / self.made if self.made else float("nan")

    @property
    def per_doc(self) -> float:
        return self.wall / self.docs if self.docs else float("nan")

    @property
    def cpu_per_doc(self) -> float:
        return self.cpu / self.docs if self.docs else float("nan")


def raw_floor(docs: list[Path], work: Path, jobs: int, teams: int = 0) -> FloorRun:
    """Convert `docs` with `jobs` plain soffice processes at once, each on its share.

    Each process has its own profile, warmed on one document outside the timed run (as the
    batch's pool is), and gets every `jobs`-th document, so the shares are alike in size.
    """
    soffice = find_soffice()
    jobs = max(1, min(jobs, len(docs)))
    root = Path(tempfile.mkdtemp(prefix="floor-", dir=work))
    profiles = [root / f"profile-{i}" for i in range(jobs)]
    for proc in [_start(soffice, docs[:1], p, root / "warmup") for p in profiles]:
        _wait(proc, TIMEOUT)
    cpu, start = _children_cpu(), time.perf_counter()
    procs = [_start(soffice, docs[i::jobs], p, root / "pdf") for i, p in enumerate(profiles)]
    for proc in procs:
        _wait(proc, TIMEOUT * len(docs))
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    pdfs = [root / "pdf" / f"{d.stem}.pdf" for d in docs]
    made = [p for p in pdfs if p.is_file()]
    pages = sum(len(PdfReader(p).pages) for p in made)
    shutil.rmtree(root, ignore_errors=True)
    return FloorRun(docs=len(docs), made=len(made), jobs=jobs, wall=wall, cpu=cpu, pages=pages,
                    teams=teams)


def naive_convert(docs: list[Path], work: Path, *, fresh_profile: bool = True) -> BaselineRun:
    """Convert each document in a new soffice process, with a fresh or a reused profile.

    The reused profile is what someone running soffice by hand gets (after the first run the
    profile exists) and the baseline of the speed-up target. A fresh profile per process also
    pays LibreOffice's first start (measured here: ~1.2 s more), shown as secondary figure.
    """
    soffice = find_soffice()
    root = Path(tempfile.mkdtemp(prefix="baseline-", dir=work))
    shared = root / "profile"
    if not fresh_profile and docs:  # warm the shared profile outside the timed runs
        _convert_one(soffice, docs[0], shared, root / "warmup")
    seconds = []
    for n, docx in enumerate(docs):
        profile = root / f"profile-{n}" if fresh_profile else shared
        seconds.append(_convert_one(soffice, docx, profile, root / "pdf"))
    made = sum((root / "pdf" / f"{d.stem}.pdf").is_file() for d in docs)
    label = "fresh profile per file" if fresh_profile else "one reused profile"
    shutil.rmtree(root, ignore_errors=True)
    return BaselineRun(label=label, seconds=seconds, made=made)


# The issue's own figures were measured on a 16-page .docx; a plain document like it (a
# heading and five paragraphs of ~80 words per page, no tables) reproduces them here.
REFERENCE_PAGES = 16
_REFERENCE_WORDS = ["de", "het", "een", "en", "medewerker", "gemeente", "veiligheid", "agressie",
                    "melding", "team", "leidinggevende", "balie", "huisbezoek", "incident",
                    "opvang", "nazorg", "afspraak"]


def reference_documents(folder: Path, count: int, pages: int = REFERENCE_PAGES) -> list[Path]:
    """`count` plain text .docx files of about `pages` pages each, written with python-docx."""
    from docx import Document

    folder.mkdir(parents=True, exist_ok=True)
    words = _REFERENCE_WORDS
    paths = []
    for n in range(count):
        document = Document()
        for page in range(pages):
            document.add_heading(f"Hoofdstuk {page + 1}", level=1)
            for k in range(5):
                start = (n + page * 5 + k) % len(words)
                document.add_paragraph(" ".join(words[(start + i * 7) % len(words)]
                                                for i in range(80)))
        path = folder / f"referentie-{n:03d}.docx"
        document.save(str(path))  # python-docx's stubs take a str, not a Path
        paths.append(path)
    return paths
