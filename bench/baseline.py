"""The naive baseline: one cold `soffice --headless --convert-to pdf` process per document."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.convert import PDFA_OPTIONS, filter_argument, find_soffice

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


def _convert_one(soffice: str, docx: Path, profile: Path, outdir: Path) -> float:
    """Convert `docx` in its own soffice process; the wall seconds it took."""
    cmd = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", filter_argument(PDFA_OPTIONS), "--outdir", str(outdir), str(docx)]
    start = time.perf_counter()
    # Own session, so a hung soffice and its soffice.bin child can be killed as one group,
    # without touching the LibreOffice processes other people run on this machine.
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return time.perf_counter() - start


def naive_convert(docs: list[Path], work: Path, *, fresh_profile: bool = True) -> BaselineRun:
    """Convert each document in a new soffice process, with a fresh or a reused profile.

    A fresh profile per process is the truly naive way (measured here: its first start costs
    ~1.2 s more). The reused profile shows the cold-process cost alone, a stricter baseline.
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
    label = "fresh profile each" if fresh_profile else "reused profile"
    shutil.rmtree(root, ignore_errors=True)
    return BaselineRun(label=label, seconds=seconds, made=made)
