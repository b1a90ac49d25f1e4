"""Which document a hung or crashed soffice is blamed for (issue 21, item 12: a hung
LibreOffice took three timeouts while the message said "tweede poging").

After a kill the last PDF made may be half written, so it is converted again; but the
document being converted when soffice hung is the first one *without* a PDF. Charging the
first document left (the innocent last-made one) gave the culprit a third timeout. Tested on
`collect` with a real ended process and real files in its output folder; the pool around it is
tested with LibreOffice in test_convert.py."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from pipeline.pdf.run import Doc, Run, collect


def test_a_hung_run_blames_the_first_document_without_a_pdf(tmp_path: Path) -> None:
    outdir = tmp_path / "werk"
    outdir.mkdir()
    docs = [Doc(key=tmp_path / f"{n}.docx", src=tmp_path / f"{n}.docx",
                dst=tmp_path / f"{n}.pdf") for n in ("a", "h", "b")]
    (outdir / "a.pdf").write_bytes(b"%PDF-1.7 maybe half")  # made just before the hang
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    run = Run(docs=docs, outdir=outdir, proc=proc, deadline=time.monotonic(), timed_out=True)

    out = collect(run)

    assert [d.key.stem for d in out.left] == ["a", "h", "b"]  # a's PDF is not trusted
    assert not out.made_none
    assert out.suspect is docs[1]  # h was being converted, not a
