"""One team's failure never stops the others: bad teams are reported, good ones built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.batch import (
    ANNEX_HEADING,
    ARCHIVE,
    adopted_answers,
    build,
    manifest,
    overview_rows,
    required_answers,
    run_cli,
    write_team,
)
from openpyxl import load_workbook

from pipeline.catalogue import FORMS
from pipeline.pdf.verify import verify_pdf

# Builds and `teamprotocol` subprocesses; those reading `mixed_cli` convert (conftest marks them
# `libreoffice`), the rest build without PDFs.
pytestmark = pytest.mark.slow

GOOD_CONCEPT, GOOD_ADOPTED = "goed-concept", "goed-vastgesteld"
UNREADABLE, NO_TEAM_FORM, COPY, NOT_ADOPTED = ("kapot", "zonder-teamformulier", "kopie",
                                               "vastgesteld-leeg")
BAD = (UNREADABLE, NO_TEAM_FORM, COPY, NOT_ADOPTED)
# A recognisable answer in a failing team's form: it must never show up in a message.
SECRET = "Geheim antwoord 06-12345678"
ADOPTED_BY = FORMS["team"].field("team.vastgesteld_door").label
ADOPTED_ON = FORMS["team"].field("team.vastgesteld_op").label
ACTIONS = FORMS["team"].field("team.acties").label


@pytest.fixture(scope="module")
def mixed_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two good teams next to four bad ones, all from real forms."""
    forms = tmp_path_factory.mktemp("gemengd") / "formulieren"
    write_team(forms, GOOD_CONCEPT, required_answers())
    write_team(forms, GOOD_ADOPTED, adopted_answers())
    # A form that is not a Word file at all (e.g. a PDF or a broken download).
    write_team(forms, UNREADABLE, required_answers())
    (forms / UNREADABLE / "team.docx").write_bytes(b"%PDF-1.4 dit is geen Word-bestand")
    # Only the contact-type form was sent back.
    write_team(forms, NO_TEAM_FORM, required_answers())
    (forms / NO_TEAM_FORM / "team.docx").unlink()
    # A folder whose forms claim another team: two folders now claim GOOD_CONCEPT.
    shutil.copytree(forms / GOOD_CONCEPT, forms / COPY)
    # Adopted, but without who adopted it and when.
    write_team(forms, NOT_ADOPTED, required_answers(**{
        "team.status": "vastgesteld", "team.competenties": SECRET}))
    return forms


@pytest.fixture(scope="module")
def mixed_report(mixed_forms: Path, tmp_path_factory: pytest.TempPathFactory):
    """The library's report for the mixed teams (no PDFs: the problems are the point)."""
    return build(mixed_forms, tmp_path_factory.mktemp("gemengd-uit") / "output", pdf=False)


@pytest.fixture(scope="module")
def mixed_cli(mixed_forms: Path, tmp_path_factory: pytest.TempPathFactory):
    """`teamprotocol build FORMS --out OUT` with PDFs, as a real subprocess."""
    cwd = tmp_path_factory.mktemp("gemengd-cli")
    proc = run_cli("build", mixed_forms, "--policy", "voorbeeld",
                   "--out", "uit", "--jobs", "2", cwd=cwd)
    return proc, cwd / "uit"


def _result(report, team_id):
    return next(r for r in report.results if r.team_id == team_id)


def test_good_teams_are_built_and_verified(mixed_cli):
    _, out = mixed_cli
    for team_id in (GOOD_CONCEPT, GOOD_ADOPTED):
        pdf = out / team_id / f"teamprotocol-{team_id}.pdf"
        assert (out / team_id / f"teamprotocol-{team_id}.docx").is_file()
        assert verify_pdf(pdf, expect_text=ANNEX_HEADING) == []
    [archived] = (out / ARCHIVE).glob("*.pdf")
    assert f"_{GOOD_ADOPTED}_" in archived.name
    assert sorted(manifest(out)["teams"]) == [GOOD_CONCEPT, GOOD_ADOPTED]


def test_bad_teams_get_no_documents(mixed_cli):
    _, out = mixed_cli
    for team_id in BAD:
        written = list((out / team_id).rglob("*")) if (out / team_id).exists() else []
        assert written == [], team_id
        assert not [p for p in (out / ARCHIVE).iterdir() if f"_{team_id}_" in p.name]


def test_cli_exit_code_1_and_one_line_per_team_that_needs_attention(mixed_cli):
    proc, _ = mixed_cli
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = {line.split()[0]: line.split()[1] for line in proc.stdout.splitlines()
             if line.startswith("  ") and not line.startswith("      ")}
    # A team built without a remark has no line of its own; the summary counts it.
    good = {t: "gebouwd" for t in (GOOD_CONCEPT, GOOD_ADOPTED) if t in lines}
    assert lines == {**good, **{t: "MISLUKT" for t in BAD}}
    assert f"{2 + len(BAD)} teams: 2 gebouwd, 0 ongewijzigd, {len(BAD)} mislukt." in proc.stdout
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize(("team", "message", "in_hint"), [
    (UNREADABLE, "geen Word-document", None),
    (NO_TEAM_FORM, "teamformulier ontbreekt", "team.docx"),
])
def test_unreadable_or_missing_team_form_names_the_file(mixed_report, team, message, in_hint):
    result = _result(mixed_report, team)
    assert result.status == "mislukt"
    [problem] = result.problems
    assert Path(problem.file).parts[-2:] == (team, "team.docx")
    assert message in problem.message
    assert problem.hint
    if in_hint is not None:
        assert in_hint in problem.hint


def test_forms_of_another_team_name_both_teams(mixed_report, mixed_forms):
    result = _result(mixed_report, COPY)
    assert result.status == "mislukt"
    # Every form in the folder claims the other team, and each is named.
    assert sorted(Path(p.file).name for p in result.problems) == sorted(
        p.name for p in (mixed_forms / COPY).glob("*.docx"))
    for problem in result.problems:
        assert Path(problem.file).parent.name == COPY
        assert f"'{GOOD_CONCEPT}'" in problem.message
        assert f"'{COPY}'" in problem.message
    # The team the copies claim to be is not disturbed by them.
    assert _result(mixed_report, GOOD_CONCEPT).status == "gebouwd"


def test_adopted_without_adoption_fields_names_both_fields(mixed_report):
    result = _result(mixed_report, NOT_ADOPTED)
    assert result.status == "mislukt"
    by_field = {p.field: p for p in result.problems}
    # Who and when are empty; the gaps have no actions either (the adoption gates).
    assert set(by_field) == {ADOPTED_BY, ADOPTED_ON, ACTIONS}
    for problem in result.problems:
        assert Path(problem.file).parts[-2:] == (NOT_ADOPTED, "team.docx")
        assert "concept" in problem.hint
        assert SECRET not in problem.format()
    for field in (ADOPTED_BY, ADOPTED_ON):
        assert "vastgesteld" in by_field[field].message
        assert "leeg" in by_field[field].message


def test_good_teams_succeed_next_to_bad_ones(mixed_report):
    assert sorted(r.team_id for r in mixed_report.failed) == sorted(BAD)
    for team_id in (GOOD_CONCEPT, GOOD_ADOPTED):
        assert _result(mixed_report, team_id).status == "gebouwd"


def test_overview_lists_failed_teams_with_file_and_message(mixed_cli, mixed_report):
    _, out = mixed_cli
    expected = {(r.team_id, Path(p.file).name, p.field or "–") for r in mixed_report.failed
                for p in r.problems}

    overview = overview_rows(out / "overzicht.html")
    status = {next(t for t in (*BAD, GOOD_CONCEPT, GOOD_ADOPTED) if t in row[0]): row[1]
              for row in overview[1:]}
    assert all(status[t] == "mislukt" for t in BAD)
    assert status[GOOD_CONCEPT].startswith("concept")
    assert status[GOOD_ADOPTED].startswith("vastgesteld")

    sheet = load_workbook(out / "overzicht.xlsx")["Problemen"]
    header = [c.value for c in sheet[1]]
    assert header == ["Team", "Team-id", "Bestand", "Veld", "Melding", "Wat te doen"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {(r[1], Path(r[2]).name, r[3]) for r in rows} == expected
    assert all(r[4] for r in rows)
    page = (out / "overzicht.html").read_text(encoding="utf-8")
    assert SECRET not in page
    assert "geen Word-document" in page
    assert "teamformulier ontbreekt" in page


def test_usage_errors_exit_2(tmp_path):
    missing = run_cli("build", tmp_path / "bestaat-niet", "--policy", "voorbeeld",
                      "--no-pdf", cwd=tmp_path)
    assert missing.returncode == 2, missing.stderr
    assert "bestaat-niet" in missing.stderr
    for jobs in ("0", "veel", "17"):
        bad = run_cli("build", tmp_path, "--policy", "voorbeeld", "--jobs", jobs, cwd=tmp_path)
        assert bad.returncode == 2, (jobs, bad.stderr)
        assert "--jobs" in bad.stderr
    for proc in (missing, bad):
        assert "Traceback" not in proc.stderr
        assert proc.stderr.startswith(("Gebruik:", "Fout:"))
    assert not (tmp_path / "output").exists()


def test_output_folder_inside_the_forms_folder_is_no_team(tmp_path):
    """`teamprotocol build .` in the forms folder writes ./output there; the next run must
    not take that folder for a team without a team form."""
    forms = tmp_path / "formulieren"
    write_team(forms, GOOD_CONCEPT, required_answers())

    first = run_cli("build", ".", "--policy", "voorbeeld", "--no-pdf", cwd=forms)
    second = run_cli("build", ".", "--policy", "voorbeeld", "--no-pdf", cwd=forms)

    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "ongewijzigd" in second.stdout
    assert "output" not in [line.split()[0] for line in second.stdout.splitlines()
                            if line.startswith("  ")]
    assert sorted(manifest(forms / "output")["teams"]) == [GOOD_CONCEPT]


def test_output_folder_equal_to_the_forms_folder_is_a_usage_error(tmp_path):
    forms = tmp_path / "formulieren"
    write_team(forms, GOOD_CONCEPT, required_answers())
    before = sorted(p.relative_to(forms) for p in forms.rglob("*"))

    proc = run_cli("build", forms, "--policy", "voorbeeld",
                   "--out", forms, "--no-pdf", cwd=tmp_path)

    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "uitvoermap" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.relative_to(forms) for p in forms.rglob("*")) == before


def test_a_form_that_cannot_be_opened_fails_its_team_only(tmp_path):
    """A folder named like a form (an unpacked zip, a sync tool's conflict copy) cannot be
    read: that team fails with a Dutch reason, the other is built."""
    forms = tmp_path / "formulieren"
    write_team(forms, GOOD_CONCEPT, required_answers())
    write_team(forms, "map-als-formulier", required_answers())
    odd = forms / "map-als-formulier" / "balie.docx"
    odd.unlink(missing_ok=True)
    odd.mkdir()

    report = build(forms, tmp_path / "output", pdf=False)

    status = {r.team_id: r for r in report.results}
    assert status[GOOD_CONCEPT].status == "gebouwd"
    [problem] = status["map-als-formulier"].problems
    assert status["map-als-formulier"].status == "mislukt"
    assert "(is een map)" in problem.message
    assert "Error" not in problem.format()  # no Python exception names for a coordinator


@pytest.mark.parametrize(("content", "words"), [(None, "niet gevonden"),
                                                 (b"geen zip", "geen leesbaar Word-bestand")])
def test_a_wrong_template_is_one_dutch_line_before_any_team(tmp_path, content, words):
    forms = tmp_path / "formulieren"
    write_team(forms, GOOD_CONCEPT, required_answers())
    template = tmp_path / "huisstijl.docx"
    if content is not None:
        template.write_bytes(content)

    proc = run_cli("build", forms, "--policy", "voorbeeld",
                   "--out", tmp_path / "output", "--no-pdf",
                   "--template", template, cwd=tmp_path)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    [line] = [line for line in proc.stderr.splitlines() if line.startswith("Fout:")]
    assert str(template) in line
    assert words in line
    assert not (tmp_path / "output" / GOOD_CONCEPT).exists()
