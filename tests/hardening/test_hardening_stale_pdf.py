"""A failed PDF removes the previous build's PDF (issue 21, item 10): when LibreOffice makes no
PDF for a changed team (here: every soffice of the run killed as soon as it starts, so both
attempts fail), the team fails and its old PDF, which no longer matches the new .docx, is
gone, instead of sitting beside it."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

from helpers.batch import required_answers, write_team
from helpers.hardening import soffice_pids


def test_a_failed_pdf_leaves_no_stale_pdf_beside_the_new_docx(sandbox):
    forms, out = sandbox.root / "formulieren", sandbox.root / "uitvoer"
    write_team(forms, "balie", required_answers(), kinds=())
    first = sandbox.run("build", forms, "--policy", "voorbeeld", "--out", out, "--jobs", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    pdf = out / "balie" / "teamprotocol-balie.pdf"
    assert pdf.is_file()

    write_team(forms, "balie", required_answers(**{"team.competenties": "Nieuwe afspraak."}),
               kinds=())
    stop = threading.Event()

    def kill_every_soffice() -> None:
        while not stop.is_set():
            for pid in soffice_pids(sandbox.tmp):  # ours only: their profile is in our TMPDIR
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            stop.wait(0.02)

    killer = threading.Thread(target=kill_every_soffice, daemon=True)
    killer.start()
    try:
        second = sandbox.run("build", forms, "--policy", "voorbeeld", "--out", out,
                             "--jobs", "1", timeout=300)
    finally:
        stop.set()
        killer.join(timeout=10)
    text = second.stdout + second.stderr
    assert second.returncode == 1, text
    assert "Traceback" not in text
    assert "MISLUKT" in text
    assert (out / "balie" / "teamprotocol-balie.docx").is_file()  # the new .docx
    assert not pdf.exists()  # and no PDF of the old text beside it
