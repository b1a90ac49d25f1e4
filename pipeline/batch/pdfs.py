"""The PDF side of a batch: each written .docx converted while the batch renders the next,
each PDF verified as soon as it is there, its contents' page numbers stamped into the .docx,
and an adopted one archived with its MDTO record; the alarm card's own PDF beside it."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline import history
from pipeline.archive import ArchiveRecord
from pipeline.batch.checks import (
    Check,
    Checked,
    check_card,
    check_pdf,
    check_pool,
    text_problems,
)
from pipeline.batch.records import slim
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
from pipeline.catalogue import ProtocolStatus
from pipeline.errors import ConversionError, Problem, TeamprotocolError
from pipeline.files import atomic_copy, ensure_inside, sha256_file
from pipeline.models import BuildStatus, TeamResult
from pipeline.pdf.convert import PdfConverter
from pipeline.pdf.read import text_digest

_POLL = 0.05  # seconds between looks at soffice while the batch waits for the last PDFs


def _failed(r: TeamResult, problems: list[Problem], warnings: list[Problem]) -> TeamResult:
    return r.model_copy(update={"status": BuildStatus.FAILED,
                                "problems": [*r.problems, *problems], "warnings": warnings})


def _conversion_failed(r: TeamResult, outcome: Exception | None,
                       opts: BuildOptions) -> TeamResult:
    """The team's result when LibreOffice made no PDF. The previous build's PDF would sit
    beside the new .docx, showing text that is no longer true (issue 21): it goes."""
    pdf = ensure_inside(opts.out_dir, Path(outputs_of(r.team_id)["pdf"]))
    pdf.unlink(missing_ok=True)
    error = outcome if isinstance(outcome, TeamprotocolError) else None
    return _failed(r, [Problem(file=r.outputs["docx"], message=(
        error.message if error else "LibreOffice heeft geen PDF gemaakt"),
        hint="Probeer het opnieuw; blijft het mislukken, meld het dan aan de beheerder")],
        list(r.warnings))


def _check_of(r: TeamResult, shared: Shared, opts: BuildOptions, *, card: bool = False
              ) -> Check:
    """What the worker checks of a team whose PDF LibreOffice made: the protocol's
    (`checks.check_pdf`), or with `card` the alarm card's (`checks.check_card`)."""
    rel_pdf = outputs_of(r.team_id)["kaart_pdf" if card else "pdf"]
    docx = r.outputs["kaart_docx" if card else "docx"]
    adopted = r.protocol is not None and r.protocol.meta.status is ProtocolStatus.ADOPTED
    return Check(pdf=opts.out_dir / rel_pdf, docx=opts.out_dir / docx, rel_pdf=rel_pdf,
                 adopted=adopted, font=shared.policy.branding.font, out_dir=opts.out_dir,
                 team_id=r.team_id)


def _publish(r: TeamResult, check: Check, checked: Checked, shared: Shared,
             opts: BuildOptions) -> TeamResult:
    """A checked PDF: published, and archived when adopted; a bad one is not published.

    What goes to the archive was validated for PDF/A-2b and PDF/UA-1 (`checks.check_pdf`);
    a concept claims PDF/UA-1 only when it passed (else a warning). Returns the team's final
    result (a new one: `r` is the result of its .docx).
    """
    warnings = [*r.warnings, *checked.warnings]
    problems = [*checked.problems,
                *text_problems(checked.differences, r.protocol, check.rel_pdf)]
    if problems:
        check.pdf.unlink(missing_ok=True)  # a PDF that fails verification is never published
        shared.pdf_refused.add(r.team_id)  # the same inputs give the same verdict next run
        return _failed(r, problems, warnings)
    if checked.font is not None:
        warnings.insert(0, checked.font)
    protocol = r.protocol
    assert protocol is not None
    rel_pdf = check.rel_pdf
    outputs = {**r.outputs, "pdf": rel_pdf}
    written = shared.written[r.team_id]
    written[rel_pdf] = checked.pdf_hash  # the file just verified, under this run's lock
    rendered = written[outputs["docx"]]  # the hash adopted-but-changed is compared on
    if checked.stamped_docx_hash is not None:  # the .docx now holds the page numbers
        written[outputs["docx"]] = checked.stamped_docx_hash
    if check.adopted:
        rel = archive_rel(shared, protocol, r.team_id)
        target = ensure_inside(opts.out_dir, Path(rel))
        # The MDTO sidecars are made and validated before anything is archived.
        record_files = history.record_files(protocol, shared.policy.archive, shared.archive,
                                            target, check.pdf, dt.datetime.now().astimezone(),
                                            example=shared.demo)
        with shared.times.stage("archive copy"):
            record = _archive(check.pdf, target, shared.manifest.archive.get(rel), r.team_id,
                              rendered)
        if record is None:  # an archive without a record holds another text
            check.pdf.unlink(missing_ok=True)
            del written[rel_pdf]
            return _failed(r, [changed_problem(protocol, rel, outputs["docx"])], warnings)
        shared.manifest.archive[rel] = record
        written[rel] = record.pdf
        outputs["archief"] = rel
        for key, name in history.write_record(target, record_files).items():
            outputs[key] = f"{ARCHIVE_DIR}/{name}"
            written[outputs[key]] = sha256_file(target.parent / name)
    return r.model_copy(update={"outputs": outputs, "warnings": warnings})


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


def _finish_card(r: TeamResult, outcome: Checked | Exception | None, shared: Shared,
                 opts: BuildOptions) -> TeamResult:
    """The alarm card's own PDF (`kaart-<team>.pdf`), checked the way the protocol's is
    (`checks.check_card`), published or not. A card that fails is not published; the team
    keeps its protocol and gets a warning, as the card is a copy of the protocol's page 2. A
    team that failed publishes no card PDF either."""
    rel = outputs_of(r.team_id)["kaart_pdf"]
    pdf = opts.out_dir / rel
    if r.status != BuildStatus.BUILT:
        pdf.unlink(missing_ok=True)
        return r
    warnings = list(r.warnings)
    if not isinstance(outcome, Checked):
        pdf.unlink(missing_ok=True)
        warnings.append(Problem(file=r.outputs.get("kaart_docx", rel), message=(
            "LibreOffice heeft van de alarmkaart geen PDF gemaakt"),
            hint="Probeer het opnieuw; de kaart staat ook op pagina 2 van het protocol"))
        return r.model_copy(update={"warnings": warnings})
    problems = [*outcome.problems, *text_problems(outcome.differences, r.protocol, rel)]
    if problems:
        pdf.unlink(missing_ok=True)
        return r.model_copy(update={"warnings": [*warnings, *outcome.warnings, *problems]})
    shared.written[r.team_id][rel] = outcome.pdf_hash
    return r.model_copy(update={"outputs": {**r.outputs, "kaart_pdf": rel},
                                "warnings": [*warnings, *outcome.warnings]})


class Pdfs:
    """The PDF side of a batch: submits each written .docx, checks each PDF that comes back.

    LibreOffice starts on the first documents while the batch is still rendering the rest,
    and every PDF is checked (verified, validated, its contents stamped) in a worker process
    as soon as its list is done (`checks.py`), so soffice, the checks and the batch's own
    thread work at the same time instead of one after the other. The converter and the
    workers start with the first team that needs a PDF: an unchanged rebuild starts neither.
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
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: dict[Path, TeamResult] = {}  # in LibreOffice
        self._checking: dict[Future[Checked], tuple[TeamResult, Check]] = {}  # in a worker
        # The alarm card's .docx -> its check; a team is finished when both PDFs are checked.
        self._cards: dict[Path, Check] = {}
        self._card_checking: dict[Future[Checked], Check] = {}  # in a worker
        self._card_done: dict[str, Checked | ConversionError | None] = {}
        self._protocol_done: dict[str, TeamResult] = {}  # protocol published, card pending
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
            with self._times.stage("check workers start"):
                self._pool = check_pool(self._opts.jobs)
            # Registered after the converter's, so it runs first: on Ctrl-C or an error the
            # checks still queued are dropped, the running ones end, then soffice stops.
            self._stack.callback(self._pool.shutdown, wait=True, cancel_futures=True)
        docx = self._opts.out_dir / r.outputs["docx"]
        self._waiting[docx] = r
        outputs = outputs_of(r.team_id)
        items = [(docx, self._opts.out_dir / outputs["pdf"])]
        if "kaart_docx" in r.outputs:
            card = _check_of(r, self._shared, self._opts, card=True)
            self._cards[card.docx] = card
            items.append((card.docx, card.pdf))
        with self._times.stage("hand over to soffice (submit)"):
            failed = self._converter.submit(items)
        self._converted(failed)

    def _close(self, converter: PdfConverter) -> None:
        with self._times.stage("LibreOffice pool stop"):
            converter.close()
        self._times.count(SOFFICE_STARTS, converter.processes_started)

    def poll(self) -> None:
        """Hand the PDFs converted so far to the workers, finish those checked; never wait."""
        if self._converter is not None:
            with self._times.stage("look at soffice (poll, no wait)"):
                done = self._converter.poll(min_list=self.MIN_LIST)
            self._converted(done)
            self._checked(wait=0)

    def drain(self) -> None:
        """Wait for every PDF still being converted or checked, finishing each as soon as it
        is there."""
        converter = self._converter
        if converter is None:
            return
        while converter.busy or self._checking or self._card_checking:
            with self._times.stage("look at soffice (poll, no wait)"):
                done = converter.poll()
            self._converted(done)
            # Waiting on the checks is the pause between looks at soffice.
            with self._times.stage("wait for soffice and the checks (drain)"):
                self._checked(wait=0 if done else _POLL)

    def _converted(self, outcomes: Mapping[Path, Path | ConversionError]) -> None:
        """Each PDF LibreOffice made goes to a worker; a team without one has failed."""
        for docx, outcome in outcomes.items():
            if docx in self._cards:
                card = self._cards.pop(docx)
                if isinstance(outcome, Exception) or outcome is None:
                    self._card_done[card.team_id] = outcome
                    self._complete(card.team_id)
                else:
                    self._card_checking[self._submit(check_card, card)] = card
                continue
            r = self._waiting.pop(docx)
            if isinstance(outcome, Exception) or outcome is None:
                self._done(r, _conversion_failed(r, outcome, self._opts))
                continue
            check = _check_of(r, self._shared, self._opts)
            self._checking[self._submit(check_pdf, check)] = (r, check)

    def _submit(self, work: Callable[[Check], Checked], check: Check) -> Future[Checked]:
        """`work(check)` in a worker; here, when the workers are gone."""
        assert self._pool is not None
        try:
            return self._pool.submit(work, check)
        except BrokenProcessPool:
            return _in_process(work, check)

    def _checked(self, wait: float) -> None:
        """Finish the teams whose check is done, waiting up to `wait` seconds for one."""
        if not self._checking and not self._card_checking:
            if wait:
                time.sleep(wait)
            return
        done, _ = futures_wait([*self._checking, *self._card_checking], timeout=wait,
                               return_when=FIRST_COMPLETED)
        for future in sorted(done & self._card_checking.keys(),
                             key=lambda f: self._card_checking[f].team_id):
            card = self._card_checking.pop(future)
            self._card_done[card.team_id] = self._result(future, check_card, card)
            self._complete(card.team_id)
        for future in sorted(done & self._checking.keys(),
                             key=lambda f: self._checking[f][0].team_id):
            r, check = self._checking.pop(future)
            checked = self._result(future, check_pdf, check)
            try:
                final = _publish(r, check, checked, self._shared, self._opts)
            except TeamprotocolError as e:  # the archive copy could not be written
                final = _failed(r, problems_of(e, r.team_id), r.warnings)
            self._done(r, final)

    def _result(self, future: Future[Checked], work: Callable[[Check], Checked],
                check: Check) -> Checked:
        """A finished check's result, its CPU seconds counted per stage."""
        try:
            checked = future.result()
        except BrokenProcessPool:
            # A worker died (out of memory, killed): this PDF is checked here instead; its
            # validation is never skipped.
            checked = work(check)
        for label, seconds in checked.cpu.items():
            self._times.add_cpu(label, seconds)
        return checked

    def _done(self, r: TeamResult, final: TeamResult) -> None:
        """The protocol's PDF is finished; the team is, once its card's PDF is back too."""
        self._protocol_done[r.team_id] = final
        self._complete(r.team_id)

    def _complete(self, team_id: str) -> None:
        final = self._protocol_done.get(team_id)
        if final is None:
            return
        has_card = "kaart_docx" in final.outputs
        if has_card and team_id not in self._card_done:
            return
        del self._protocol_done[team_id]
        if has_card:
            final = _finish_card(final, self._card_done.pop(team_id), self._shared, self._opts)
        self.final[team_id] = slim(final)  # its files are done: keep what the overview reads
        self._progress(team_id)


def _in_process(work: Callable[[Check], Checked], check: Check) -> Future[Checked]:
    """`work(check)` run here, as a finished future (the workers are gone)."""
    future: Future[Checked] = Future()
    future.set_result(work(check))
    return future
