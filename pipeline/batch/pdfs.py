"""The PDF side of a batch: each written .docx converted while the batch renders the next,
each PDF verified as soon as it is there, its contents' page numbers stamped into the .docx,
and an adopted one archived with its MDTO record."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from pipeline import history
from pipeline.archive import ArchiveRecord, note_written
from pipeline.batch.shared import (
    ARCHIVE_DIR,
    BuildOptions,
    Progress,
    Shared,
    archive_rel,
    changed_problem,
    outputs_of,
)
from pipeline.batch.team import problems_of
from pipeline.batch.timing import SOFFICE_STARTS
from pipeline.errors import ConversionError, Problem, TeamprotocolError
from pipeline.files import atomic_copy, atomic_write_bytes, ensure_inside, sha256_bytes, sha256_file
from pipeline.models import BuildStatus, TeamResult
from pipeline.pdf.convert import PdfConverter
from pipeline.pdf.read import page_fonts, text_digest, toc_link_pages
from pipeline.pdf.soffice import metric_twin
from pipeline.pdf.verify import settle_ua_claim, validate_pdf, verify_pdf
from pipeline.render import ANNEX_HEADING
from pipeline.render.toc_pages import stamp_toc, toc_pages_from_links


def _failed(r: TeamResult, problems: list[Problem], warnings: list[Problem]) -> TeamResult:
    return r.model_copy(update={"status": BuildStatus.FAILED,
                                "problems": [*r.problems, *problems], "warnings": warnings})


def _finish_pdf(r: TeamResult, outcome: Path | Exception | None, shared: Shared,
                opts: BuildOptions) -> TeamResult:
    """Verify one converted PDF/A and archive it when adopted; a bad one is not published.

    Returns the team's final result (a new one: `r` is the result of its .docx).
    """
    pdf = opts.out_dir / outputs_of(r.team_id)["pdf"]
    warnings = list(r.warnings)
    if isinstance(outcome, Exception) or outcome is None:
        error = outcome if isinstance(outcome, TeamprotocolError) else None
        # The previous build's PDF would sit beside the new .docx, showing text that is no
        # longer true (issue 21): the team fails without a PDF.
        ensure_inside(opts.out_dir, pdf.relative_to(opts.out_dir)).unlink(missing_ok=True)
        return _failed(r, [Problem(file=r.outputs["docx"], message=(
            error.message if error else "LibreOffice heeft geen PDF gemaakt"),
            hint="Probeer het opnieuw; blijft het mislukken, meld het dan aan de beheerder")],
            warnings)
    protocol = r.protocol
    assert protocol is not None  # a built team's result carries its protocol (team.py)
    adopted = protocol.meta.status == "vastgesteld"
    # What goes to the archive is validated for PDF/A-2b and PDF/UA-1 and is not archived
    # when it fails; a concept claims PDF/UA-1 only when it passes (else a warning).
    rel_pdf = outputs_of(r.team_id)["pdf"]
    times = shared.times
    with times.stage("verify (pypdf + PDFium)"):
        problems = verify_pdf(pdf, expect_text=ANNEX_HEADING, name=rel_pdf)
    if not problems and adopted:
        with times.stage("validate archived (page)"):
            problems = validate_pdf(pdf, name=rel_pdf)
    if not problems and not adopted:
        with times.stage("PDF/UA-1 claim of concepts (page)"):
            warnings.extend(settle_ua_claim(pdf, name=rel_pdf))
    if problems:
        pdf.unlink(missing_ok=True)  # a PDF that fails verification is never published
        return _failed(r, problems, warnings)
    outputs = {**r.outputs, "pdf": rel_pdf}
    written = shared.written[r.team_id]
    written[rel_pdf] = sha256_file(pdf)  # the file just verified, under this run's lock
    if (font := _font_missing(pdf, shared.policy.branding.font)) is not None:
        warnings.insert(0, font)
    rendered = written[outputs["docx"]]  # the hash adopted-but-changed is compared on
    stamped = _stamp_contents(opts.out_dir, r.team_id, outputs["docx"], pdf)
    if stamped is not None:  # the .docx on disk now holds the page numbers: record that
        written[outputs["docx"]] = stamped
    if adopted:
        rel = archive_rel(shared, protocol, r.team_id)
        target = ensure_inside(opts.out_dir, Path(rel))
        # The MDTO sidecars are made and validated before anything is archived.
        record_files = history.record_files(protocol, shared.policy.archive, shared.archive,
                                            target, pdf, dt.datetime.now().astimezone())
        with times.stage("archive copy"):
            record = _archive(pdf, target, shared.manifest.archive.get(rel), r.team_id,
                              rendered)
        if record is None:  # an archive without a record holds another text
            pdf.unlink(missing_ok=True)
            del written[rel_pdf]
            return _failed(r, [changed_problem(protocol, rel, outputs["docx"])], warnings)
        shared.manifest.archive[rel] = record
        written[rel] = record.pdf
        outputs["archief"] = rel
        for key, name in history.write_record(target, record_files).items():
            outputs[key] = f"{ARCHIVE_DIR}/{name}"
            written[outputs[key]] = sha256_file(target.parent / name)
    return r.model_copy(update={"outputs": outputs, "warnings": warnings})


def _stamp_contents(out_dir: Path, team_id: str, rel: str, pdf: Path) -> str | None:
    """Give the .docx a real TOC field holding the page numbers LibreOffice laid out; the
    SHA-256 of the stamped file, or None when nothing changed."""
    docx = out_dir / rel
    stamped = stamp_toc(docx.read_bytes(), toc_pages_from_links(toc_link_pages(pdf)))
    if stamped is None:
        return None
    digest = sha256_bytes(stamped)
    note_written(out_dir, team_id, digest)  # before the file: see archive.JOURNAL_NAME
    atomic_write_bytes(docx, stamped)
    return digest


def _archive(pdf: Path, target: Path, record: ArchiveRecord | None, team_id: str,
             docx_hash: str) -> ArchiveRecord | None:
    """Copy an adopted protocol's PDF into the archive; an archived PDF is never replaced.

    Returns the archive's record; None when the archive already holds a PDF under this name
    that no record describes (an older manifest, or one lost) and whose text differs.
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if not target.exists():
        atomic_copy(pdf, target)
        return ArchiveRecord(team_id=team_id, docx=docx_hash, pdf=sha256_file(target), time=now)
    if record is not None:  # its .docx hash was compared before this team's .docx was written
        return record
    same = text_digest(target)
    if same is None or same != text_digest(pdf):
        return None
    return ArchiveRecord(team_id=team_id, docx=docx_hash, pdf=sha256_file(target), time=now)


class Pdfs:
    """The PDF side of a batch: submits each written .docx, finishes each PDF that comes back.

    LibreOffice starts on the first documents while the batch is still rendering the rest,
    and every PDF is verified as soon as its list is done, so Python and soffice work at the
    same time instead of one after the other. The converter starts with the first team that
    needs a PDF: an unchanged rebuild starts no LibreOffice at all.
    """

    # An idle soffice process waits for this many documents while more are being rendered:
    # a process start (~0.3 s) for a single document would cost more than it gains.
    MIN_LIST = 4

    def __init__(self, stack: contextlib.ExitStack, shared: Shared, opts: BuildOptions,
                 progress: Progress) -> None:
        self._stack, self._shared, self._opts, self._progress = stack, shared, opts, progress
        # Each team's final result, by team id: its PDF verified (and archived), or failed;
        # a team that needs no PDF (unchanged, or failed before) keeps the result it came with.
        self.final: dict[str, TeamResult] = {}
        self._converter: PdfConverter | None = None
        self._waiting: dict[Path, TeamResult] = {}
        self._times = shared.times

    def add(self, r: TeamResult) -> None:
        """Queue a built team's .docx; skipped and failed teams only advance the progress."""
        if r.status != BuildStatus.BUILT:
            self.final[r.team_id] = r
            self._progress(r.team_id)
            return
        if self._converter is None:
            with self._times.stage("LibreOffice pool start"):
                converter = PdfConverter(jobs=self._opts.jobs)
            self._stack.callback(self._close, converter)
            self._converter = converter
        docx = self._opts.out_dir / r.outputs["docx"]
        self._waiting[docx] = r
        pdf = self._opts.out_dir / outputs_of(r.team_id)["pdf"]
        with self._times.stage("hand over to soffice (submit)"):
            failed = self._converter.submit([(docx, pdf)])
        self._finish(failed)

    def _close(self, converter: PdfConverter) -> None:
        with self._times.stage("LibreOffice pool stop"):
            converter.close()
        self._times.count(SOFFICE_STARTS, converter.processes_started)

    def poll(self) -> None:
        """Finish the PDFs done so far, without waiting."""
        if self._converter is not None:
            with self._times.stage("look at soffice (poll, no wait)"):
                done = self._converter.poll(min_list=self.MIN_LIST)
            self._finish(done)

    def drain(self) -> None:
        """Wait for every PDF still being converted, finishing each as soon as it is there."""
        if self._converter is None:
            return
        outcomes = self._converter.drain()
        while True:
            with self._times.stage("wait for soffice (drain)"):
                done = next(outcomes, None)
            if done is None:
                return
            self._finish(done)

    def _finish(self, outcomes: Mapping[Path, Path | ConversionError]) -> None:
        for docx, outcome in outcomes.items():
            r = self._waiting.pop(docx)
            try:
                final = _finish_pdf(r, outcome, self._shared, self._opts)
            except TeamprotocolError as e:  # the archive copy could not be written
                final = _failed(r, problems_of(e, r.team_id), r.warnings)
            self.final[r.team_id] = final
            self._progress(r.team_id)


def _font_missing(pdf: Path, font: str) -> Problem | None:
    """A warning when the PDF does not embed the policy's font (or its metric twin)."""
    wanted = {font.replace(" ", "").lower(), metric_twin(font).replace(" ", "").lower()}
    embedded = page_fonts(pdf)
    if any(name.lower().startswith(w) for name in embedded for w in wanted if w):
        return None
    shown = ", ".join(sorted({n.split("-")[0] for n in embedded})[:3]) or "geen"
    return Problem(file=pdf.name, field="branding.font", message=(
        f"de PDF/A bevat het lettertype '{font}' niet, maar {shown}"),
        hint="Installeer het lettertype op deze computer, of kies in het beleid een "
             "lettertype dat er wel is, zoals Calibri (LibreOffice gebruikt dan Carlito)")
