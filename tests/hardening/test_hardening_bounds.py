"""Memory and CPU bounds: every hostile form is read within 200 MB extra RSS and 10 s of CPU.

Each form is read in a forked child whose address space may grow by 200 MB at most
(RLIMIT_AS) and which is stopped after 10 s of CPU (RLIMIT_CPU, bounded_read.py): a reader
that tried to inflate the 2 GiB zip bomb or expand the billion laughs would die with
MemoryError or be stopped, which the test reports as what it is. How long a read takes is
measured by the bench, not asserted here (a busy machine is no bug).
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers.hostile import BOMB_BYTES, CASES

pytestmark = pytest.mark.slow  # writes the corpus: ~100 forms

EXTRA_MB = 200
HELPER = Path(__file__).parents[1] / "helpers" / "bounded_read.py"
# Readable files whose problems are answers (the batch rejects them, read_form does not).
READABLE = {"h-vak-weg", "h-vak-dubbel", "h-vak-genest", "h-megatekst", "h-zelfde-team",
            "h-team-id-pad"}


@pytest.fixture(scope="module")
def bounded(corpus_forms) -> dict[str, dict]:
    paths = [str(corpus_forms / c.team / "team.docx") for c in CASES]
    paths.append(str(corpus_forms / "burgerzaken" / "team.docx"))
    proc = subprocess.run([sys.executable, str(HELPER), str(EXTRA_MB), *paths],
                          capture_output=True, text=True, timeout=300, check=True)
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    return {Path(r["path"]).parent.name: r for r in results}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.team)
def test_hostile_form_read_within_bounds(bounded, case):
    result = bounded[case.team]
    expected = "FormData" if case.team in READABLE else "FormError"
    assert result["outcome"] == expected, result
    assert result["extra_mb"] < EXTRA_MB, result


def test_the_limit_is_real(bounded):
    """A good form passes the same harness, so the limit does not fail every read."""
    assert bounded["burgerzaken"]["outcome"] == "FormData"


def test_the_zip_bomb_is_a_bomb(corpus_forms):
    """The bomb inflates for real: 64 MiB come out of it without effort, 2 GiB are declared."""
    path = corpus_forms / "h-zipbom" / "team.docx"
    assert path.stat().st_size < 4_000_000
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
        assert info.file_size == BOMB_BYTES
        with zf.open(info) as f:
            chunk = f.read(64 << 20)
    assert len(chunk) == 64 << 20
    assert chunk.count(0) == len(chunk)
