"""PdfConverter with the real LibreOffice: PDF/A-2b out, crashes, timeouts, no process left."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from helpers.archive import ANNEX, AUTHOR, SUBJECT, make_docx
from helpers.procs import ctrl_c_as_at_a_terminal, process_pids
from pypdf import PdfReader

from pipeline.errors import ConversionError
from pipeline.pdf.convert import PdfConverter
from pipeline.pdf.soffice import PDFA_OPTIONS, filter_argument
from pipeline.pdf.verify import verify_pdf

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]
ROOT = Path(__file__).resolve().parents[2]


def test_filter_argument_types_every_option() -> None:
    arg = filter_argument({"SelectPdfVersion": 2, "UseTaggedPDF": True, "Watermark": "x"})
    assert arg == ('pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
                   '"UseTaggedPDF":{"type":"boolean","value":"true"},'
                   '"Watermark":{"type":"string","value":"x"}}')
    assert PDFA_OPTIONS == {"SelectPdfVersion": 2, "UseTaggedPDF": True,
                            "PDFUACompliance": True, "DisplayPDFDocumentTitle": True,
                            "UseLosslessCompression": True, "ReduceImageResolution": False}


@pytest.mark.parametrize(("name", "title"), [("balie", "Teamprotocol Balie"),
                                             ("wijk", "Teamprotocol Wijkteam"),
                                             ("kcc", "Teamprotocol KCC")])
def test_conversion_gives_verified_pdfa(converted: dict[str, tuple[Path, Path]], name: str,
                                        title: str) -> None:
    _, pdf = converted[name]
    assert verify_pdf(pdf, expect_text=ANNEX, expect_title=title) == []
    info = PdfReader(pdf).metadata
    assert (info.title, info.subject, info.author) == (title, SUBJECT, AUTHOR)
    assert "balie" in info["/Keywords"]  # LibreOffice writes the docx's "a; b" as "a, b"


def test_same_file_names_do_not_overwrite_each_other(
        converted: dict[str, tuple[Path, Path]]) -> None:
    titles = {name: PdfReader(converted[name][1]).metadata.title for name in ("balie", "wijk")}
    assert titles == {"balie": "Teamprotocol Balie", "wijk": "Teamprotocol Wijkteam"}
    assert len(PdfReader(converted["wijk"][1]).pages) > len(PdfReader(converted["balie"][1]).pages)


def test_verify_catches_plain_and_untagged_pdf(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "gewoon.docx", title="Gewoon")
    with PdfConverter(jobs=1, pdf_options={}) as plain:  # soffice's plain `pdf` export
        assert plain.convert([(docx, tmp_path / "plain.pdf")]) == {docx: tmp_path / "plain.pdf"}
    with PdfConverter(jobs=1, pdf_options={"UseTaggedPDF": False}) as untagged:
        untagged.convert([(docx, tmp_path / "untagged.pdf")])
    plain_problems = [p.message for p in verify_pdf(tmp_path / "plain.pdf", expect_text=ANNEX)]
    assert len(plain_problems) == 1
    assert "geen PDF/A-2b" in plain_problems[0]  # 25.2 tags by default, but claims no PDF/A
    untagged = verify_pdf(tmp_path / "untagged.pdf", expect_text=ANNEX)
    untagged_problems = [p.message for p in untagged]
    assert any("niet getagd" in p for p in untagged_problems)
    assert any("geen PDF/A-2b" in p for p in untagged_problems)


def test_missing_input_and_profiles_removed_after_close(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "a.docx", title="A", pages=1)
    missing = tmp_path / "weg.docx"
    converter = PdfConverter(jobs=2)
    results = converter.convert([(docx, tmp_path / "a.pdf"), (missing, tmp_path / "weg.pdf")])
    assert results[docx] == tmp_path / "a.pdf"
    assert isinstance(results[missing], ConversionError)
    assert results[missing].file == str(missing)
    assert not (tmp_path / "weg.pdf").exists()
    profiles = converter.profile_dirs
    assert profiles[0].is_dir()  # kept warm between convert() calls
    converter.close()
    assert not any(p.exists() for p in profiles)
    assert process_pids(profiles[0].parent) == []
    with pytest.raises(ConversionError):
        converter.convert([(docx, tmp_path / "a.pdf")])


def test_no_list_of_one_or_two_when_more_are_waiting(tmp_path: Path) -> None:
    """7 documents, 2 processes: 4 + 3, not 4 + 2 and then a third start for the last one."""
    docs = [make_docx(tmp_path / f"d{n}.docx", title=f"D{n}", pages=1) for n in range(7)]
    with PdfConverter(jobs=2) as converter:
        results = converter.convert([(d, d.with_suffix(".pdf")) for d in docs])
        assert results == {d: d.with_suffix(".pdf") for d in docs}
        assert converter.processes_started == 2
    with PdfConverter(jobs=2) as converter:  # lists never longer than max_list
        converter.max_list = 2
        converter.convert([(d, tmp_path / f"{d.stem}-2.pdf") for d in docs])
        assert converter.processes_started == 4


def test_missing_soffice_says_run_make_setup(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError) as info:
        PdfConverter()
    assert "make setup" in info.value.format()


def test_timeout_kills_and_reports_in_dutch(tmp_path: Path) -> None:
    docs = [make_docx(tmp_path / f"t{i}.docx", title=f"T{i}", pages=2) for i in range(2)]
    with PdfConverter(jobs=1, timeout=0.1) as converter:
        results = converter.convert([(d, tmp_path / f"{d.stem}.pdf") for d in docs])
        marker = converter.profile_dirs[0]
        assert process_pids(marker) == []
    for docx in docs:
        error = results[docx]
        assert isinstance(error, ConversionError)
        assert "reageerde niet binnen 0.1 s" in error.message
        assert "tweede poging" in error.message
        assert error.file == str(docx)
        assert not (tmp_path / f"{docx.stem}.pdf").exists()


@pytest.mark.parametrize("when", ["start", "mid-list"])
def test_killed_soffice_documents_are_retried(tmp_path: Path, when: str) -> None:
    docs = [make_docx(tmp_path / f"k{i}.docx", title=f"K{i}", pages=8) for i in range(10)]
    killed: list[int] = []
    first_pdf: list[bool] = []

    with PdfConverter(jobs=1) as converter:
        marker = converter.profile_dirs[0]
        work = marker.parent  # soffice writes into work/run-<n>/ before the PDF is moved

        def kill_when_converting() -> None:
            """SIGKILL soffice.bin as soon as it runs, or once its first PDF exists."""
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if when == "start" or any(work.glob("run-1/*.pdf")):
                    first_pdf.append(any(work.glob("run-1/*.pdf")))
                    for pid in process_pids(marker):
                        with contextlib.suppress(OSError):  # it may just have exited
                            with open(f"/proc/{pid}/comm") as f:
                                is_office = f.read().strip() == "soffice.bin"
                            if is_office:
                                os.kill(pid, signal.SIGKILL)
                                killed.append(pid)
                    if killed:
                        return
                time.sleep(0.005)

        killer = threading.Thread(target=kill_when_converting)
        killer.start()
        results = converter.convert([(d, tmp_path / f"{d.stem}.pdf") for d in docs])
        killer.join()
        assert process_pids(marker) == []
        assert converter.processes_started >= 2  # the killed list, then the retry
    assert killed, "soffice.bin was never seen converting"
    if when == "start":  # nothing was converted: the suspect alone, then the rest as a list
        assert first_pdf[-1] is False
        assert converter.processes_started == 3
        assert all(isinstance(o, Path) for o in results.values())
    assert set(results) == set(docs)
    for docx, outcome in results.items():
        if isinstance(outcome, ConversionError):
            assert outcome.file == str(docx)
            assert "tweede poging" in outcome.message
        else:
            assert verify_pdf(outcome, expect_text=ANNEX, expect_title=f"K{docx.stem[1:]}") == []
    # One kill costs at most the document being converted; a retry converts the rest.
    assert sum(isinstance(o, Path) for o in results.values()) >= len(docs) - 1


SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipeline.pdf.convert import PdfConverter
    from pipeline.pdf.processes import signals_end_the_run
    docs = [Path(p) for p in sys.argv[1:]]
    with signals_end_the_run([]), PdfConverter(jobs=2) as converter:
        converter.convert([(d, d.with_suffix(".pdf")) for d in docs])
    print("klaar")
""")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_batch_leaves_no_soffice(tmp_path: Path, signum: int) -> None:
    docs = [make_docx(tmp_path / f"s{i}.docx", title=f"S{i}", pages=8) for i in range(12)]
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, *map(str, docs)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=ctrl_c_as_at_a_terminal)
    try:
        deadline = time.monotonic() + 60
        # Signal once the first PDF of a list exists: soffice is mid-list, not starting up.
        while not any(private_tmp.glob("teamprotocol-lo-*/run-*/*.pdf")):
            assert time.monotonic() < deadline, "soffice never produced a PDF"
            time.sleep(0.005)
        assert process_pids(private_tmp)
        proc.send_signal(signum)
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert b"klaar" not in out  # it really was interrupted
    assert proc.returncode != 0
    assert process_pids(private_tmp) == []
    assert list(private_tmp.iterdir()) == []  # profiles and work folders removed


def test_profile_seed_is_saved_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    docx = make_docx(tmp_path / "z.docx", title="Z", pages=1)
    with PdfConverter(jobs=1) as first:
        assert not any(first.profile_dirs[0].glob("*"))  # no seed yet: a fresh profile
        assert first.convert([(docx, tmp_path / "z1.pdf")]) == {docx: tmp_path / "z1.pdf"}
    seeds = list((tmp_path / "cache" / "teamprotocol").glob("lo-profile-*"))
    assert len(seeds) == 1
    assert (seeds[0] / "user" / "registrymodifications.xcu").is_file()
    with PdfConverter(jobs=2) as second:
        assert all((p / "user" / "registrymodifications.xcu").is_file()
                   for p in second.profile_dirs)
        assert second.convert([(docx, tmp_path / "z2.pdf")]) == {docx: tmp_path / "z2.pdf"}
    assert verify_pdf(tmp_path / "z2.pdf", expect_text=ANNEX, expect_title="Z") == []
