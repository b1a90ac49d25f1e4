"""A team that failed on a verdict about inputs that did not change is reported again from its
record, not rebuilt (`pipeline.batch.failures`); a changed input, `--force` or a failure the
next run may not repeat (a file not read, LibreOffice making no PDF) rebuilds it."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from pathlib import Path

import pytest
from helpers.batch import TODAY, build, manifest, required_answers, run_cli, write_team
from helpers.render import make_protocol

from pipeline.batch import BuildOptions, build_all, checks, failures, pdfs, team
from pipeline.batch.records import RECORDS_NAME, load_records
from pipeline.errors import ConversionError, Problem
from pipeline.models import BuildStatus, TeamResult

pytestmark = pytest.mark.slow

GOOD, BAD = "goed", "onvolledig"
# An answer far over its limit: the forms are refused before a protocol is made of them,
# whatever the run.
TOO_LONG = required_answers(**{"team.opvolging": "woord " * 30_000})
# Adopted without who adopted it and when: the adoption gates refuse it, whatever the run;
# its protocol was made, so it is assembled again each run (nothing of it is kept).
NOT_ADOPTED = required_answers(**{"team.status": "vastgesteld"})


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    folder = tmp_path / "formulieren"
    write_team(folder, GOOD, required_answers())
    write_team(folder, BAD, TOO_LONG)
    return folder


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The teams whose forms were read and protocol assembled, in order."""
    seen: list[str] = []
    real = team._build_docx

    def counted(folder: Path, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(folder.name)
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(team, "_build_docx", counted)
    return seen


def _by_team(report) -> dict[str, TeamResult]:  # noqa: ANN001
    return {r.team_id: r for r in report.results}


def test_a_refused_team_is_reported_again_without_rebuilding(forms, tmp_path, rendered):
    out = tmp_path / "output"
    first = _by_team(build(forms, out, pdf=False))
    assert first[BAD].status == BuildStatus.FAILED
    assert rendered == [GOOD, BAD]
    manifest_before = (out / "manifest.json").read_bytes()

    rendered.clear()
    again = _by_team(build(forms, out, pdf=False))

    assert rendered == []  # neither team read, merged or rendered
    assert again[GOOD].status == BuildStatus.UNCHANGED
    assert again[BAD].status == BuildStatus.FAILED
    assert again[BAD].problems == first[BAD].problems  # the same verdict, word for word
    note = failures.repeated_note(BAD)
    assert again[BAD].warnings[0] == note  # first: the command line shows three remarks
    assert note.message.startswith("niet opnieuw gebouwd")
    # The remaining warnings are those of the failing run, none twice.
    assert [w for w in again[BAD].warnings if w != note] == first[BAD].warnings
    assert (out / "manifest.json").read_bytes() == manifest_before
    assert BAD not in manifest(out)["teams"]


def test_the_cli_still_exits_1_and_prints_the_failure(forms, tmp_path):
    out = tmp_path / "output"
    args = ("build", forms, "--policy", "voorbeeld", "--out", out, "--no-pdf")
    first = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    second = run_cli(*args, cwd=tmp_path)
    assert second.returncode == 1, second.stderr
    assert BAD in second.stdout
    assert "MISLUKT" in second.stdout
    assert "niet opnieuw gebouwd" in second.stdout
    assert "1 ongewijzigd, 1 mislukt" in second.stdout


def test_a_changed_form_force_or_another_day_rebuild_the_failed_team(forms, tmp_path,
                                                                     rendered):
    out = tmp_path / "output"
    build(forms, out, pdf=False)

    rendered.clear()
    build(forms, out, pdf=False, force=True)
    assert rendered == [GOOD, BAD]

    # The adoption gates read the date: another day's build judges the team again.
    rendered.clear()
    build_all(BuildOptions(forms_dir=forms, out_dir=out, pdf=False,
                           today=TODAY + dt.timedelta(days=1)))
    assert BAD in rendered

    write_team(forms, BAD, required_answers())  # the form fixed: concept again
    rendered.clear()
    fixed = _by_team(build(forms, out, pdf=False))
    assert rendered == [BAD]
    assert fixed[BAD].status == BuildStatus.BUILT
    assert BAD not in load_records(out).failed


def test_a_form_that_could_not_be_read_is_tried_again(forms, tmp_path, monkeypatch, rendered):
    out = tmp_path / "output"
    real = team.read_team_folder

    def locked(folder: Path):  # noqa: ANN202
        if folder.name == GOOD:
            raise PermissionError(13, "Permission denied", str(folder / "team.docx"))
        return real(folder)

    monkeypatch.setattr(team, "read_team_folder", locked)
    first = _by_team(build(forms, out, pdf=False))
    assert first[GOOD].status == BuildStatus.FAILED
    assert GOOD not in load_records(out).failed

    monkeypatch.setattr(team, "read_team_folder", real)
    rendered.clear()
    again = _by_team(build(forms, out, pdf=False))
    assert GOOD in rendered
    assert again[GOOD].status == BuildStatus.BUILT


def test_a_damaged_record_file_rebuilds_the_failed_team(forms, tmp_path, rendered):
    out = tmp_path / "output"
    build(forms, out, pdf=False)
    (out / RECORDS_NAME).write_text("{kapot", encoding="utf-8")
    rendered.clear()
    again = _by_team(build(forms, out, pdf=False))
    assert rendered == [BAD]
    assert again[BAD].status == BuildStatus.FAILED


# --- the PDF stage, without LibreOffice: a converter and a check that answer as told ---------

class _Converter:
    """Stands in for `PdfConverter`: 'converts' at once, or fails as LibreOffice can."""

    outcome = "pdf"  # or "crash"
    processes_started = 0

    def __init__(self, jobs: int) -> None:
        self._done: dict[Path, Path | ConversionError] = {}

    def submit(self, items):  # noqa: ANN001, ANN201
        for docx, pdf in items:
            if self.outcome == "pdf":
                pdf.write_bytes(b"%PDF-1.7\n% stand-in\n")
                self._done[docx] = pdf
            else:
                self._done[docx] = ConversionError("LibreOffice is onverwacht gestopt")
        return {}

    def poll(self, min_list: int = 0):  # noqa: ANN201, ARG002
        done, self._done = self._done, {}
        return done

    @property
    def busy(self) -> bool:
        return bool(self._done)

    def close(self) -> None:
        pass


class _Pool:
    """Stands in for the check workers: the check runs at once, here."""

    def submit(self, fn, check):  # noqa: ANN001, ANN201
        future: Future = Future()
        future.set_result(fn(check))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:  # noqa: ARG002
        pass


def _lost_row(check: checks.Check) -> checks.Checked:
    """The check's verdict on the bench's burgerzaken-0049: a problem naming the PDF."""
    return checks.Checked(problems=[Problem(
        file=check.rel_pdf, message="de tekst van de PDF wijkt af van het document")])


@pytest.fixture
def fake_pdfs(monkeypatch: pytest.MonkeyPatch) -> type[_Converter]:
    monkeypatch.setattr(pdfs, "PdfConverter", _Converter)
    monkeypatch.setattr(pdfs, "check_pool", lambda jobs: _Pool())
    monkeypatch.setattr(pdfs, "check_pdf", _lost_row)
    monkeypatch.setattr(_Converter, "outcome", "pdf")
    return _Converter


def test_a_pdf_check_verdict_is_reported_again(tmp_path, fake_pdfs, rendered):
    forms = tmp_path / "formulieren"
    write_team(forms, GOOD, required_answers())
    out = tmp_path / "output"
    first = _by_team(build(forms, out))
    assert first[GOOD].status == BuildStatus.FAILED
    assert GOOD in load_records(out).failed

    rendered.clear()
    again = _by_team(build(forms, out))
    assert rendered == []
    assert again[GOOD].status == BuildStatus.FAILED
    assert again[GOOD].problems == first[GOOD].problems

    # The same forms without PDFs are other inputs: built, and the record goes.
    rendered.clear()
    assert _by_team(build(forms, out, pdf=False))[GOOD].status == BuildStatus.BUILT
    assert rendered == [GOOD]
    assert GOOD not in load_records(out).failed


def test_libreoffice_making_no_pdf_is_tried_again(tmp_path, fake_pdfs, rendered):
    forms = tmp_path / "formulieren"
    write_team(forms, GOOD, required_answers())
    out = tmp_path / "output"
    fake_pdfs.outcome = "crash"
    first = _by_team(build(forms, out))
    assert first[GOOD].status == BuildStatus.FAILED
    assert GOOD not in load_records(out).failed

    rendered.clear()
    again = _by_team(build(forms, out))
    assert rendered == [GOOD]
    assert again[GOOD].status == BuildStatus.FAILED  # crashed again, and tried again


def test_a_verdict_is_forms_refused_or_a_pdf_the_checks_refused():
    def failed(protocol: bool = False) -> TeamResult:
        return TeamResult(team_id="t", status=BuildStatus.FAILED,
                          problems=[Problem(file="t/teamprotocol-t.pdf", message="x")],
                          protocol=make_protocol() if protocol else None)

    # At the PDF: only where the checks refused it (pdfs.py marks it), whatever files its
    # problems name; LibreOffice making no PDF or the archive copy failing is tried again.
    assert failures.is_verdict(BuildStatus.BUILT, failed(True), transient=False,
                               pdf_refused=True)
    assert not failures.is_verdict(BuildStatus.BUILT, failed(True), transient=False,
                                   pdf_refused=False)
    # At the .docx: forms refused before a protocol was made; not a file that could not be
    # read or written, and not a team the adoption gates refused (its protocol was made).
    assert failures.is_verdict(BuildStatus.FAILED, failed(), transient=False, pdf_refused=False)
    assert not failures.is_verdict(BuildStatus.FAILED, failed(), transient=True,
                                   pdf_refused=False)
    assert not failures.is_verdict(BuildStatus.FAILED, failed(True), transient=False,
                                   pdf_refused=False)
    built = TeamResult(team_id="t", status=BuildStatus.BUILT)
    assert not failures.is_verdict(BuildStatus.BUILT, built, transient=False, pdf_refused=True)


def test_the_folder_remarks_are_this_run_s(forms, tmp_path, rendered):
    out = tmp_path / "output"
    (forms / BAD / "notities.txt").write_text("x", encoding="utf-8")
    first = _by_team(build(forms, out, pdf=False))
    assert sum("niet gelezen" in w.message for w in first[BAD].warnings) == 1
    (forms / BAD / "notities.txt").unlink()  # not a form: no input, the verdict stands
    rendered.clear()
    again = _by_team(build(forms, out, pdf=False))
    assert rendered == []
    assert not any("niet gelezen" in w.message for w in again[BAD].warnings)
    (forms / BAD / "oud.pdf").write_bytes(b"%PDF")
    third = _by_team(build(forms, out, pdf=False))
    assert rendered == []
    assert sum("niet gelezen" in w.message for w in third[BAD].warnings) == 1


def test_a_team_the_adoption_gates_refuse_is_assembled_again_and_nothing_of_it_kept(
        tmp_path, rendered):
    # Its protocol was made but no folder written: a record of it would be the only place
    # its answers stay in the output folder.
    folder, out = tmp_path / "formulieren", tmp_path / "output"
    write_team(folder, BAD, NOT_ADOPTED)
    first = _by_team(build(folder, out, pdf=False))
    assert first[BAD].status == BuildStatus.FAILED
    assert first[BAD].protocol is not None
    assert not (out / BAD).exists()
    assert BAD not in load_records(out).failed
    rendered.clear()
    again = _by_team(build(folder, out, pdf=False))
    assert rendered == [BAD]
    assert again[BAD].problems == first[BAD].problems
    assert failures.repeated_note(BAD) not in again[BAD].warnings
