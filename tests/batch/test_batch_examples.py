"""The example teams through the whole batch: files, manifest, PDF/A, archive and CONCEPT mark."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers.batch import (
    ANNEX_HEADING,
    ARCHIVE,
    TODAY,
    assert_overview_matches_annex,
    docx2python_text,
    docx_headers,
    docx_paragraphs,
    find_in_pdf,
    manifest,
    overview_rows,
    pdf_text,
    protocol_json,
    sha256,
    squash,
)
from helpers.golden import assert_same_file
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from pipeline.batch import BuildOptions, build_all
from pipeline.batch.hashes import HASHES_NAME
from pipeline.batch.records import RECORDS_NAME
from pipeline.batch.shared import POLICY_CACHE
from pipeline.examples import example_teams
from pipeline.pdf.verify import verify_pdf
from pipeline.policy import default_policy_path
from pipeline.render import metadata_text

pytestmark = pytest.mark.libreoffice  # its tests convert with LibreOffice

TEAM_IDS = [identity.team_id for identity, _ in example_teams()]
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "protocol.docx"
CARD_TEMPLATE = TEMPLATE.with_name("kaart.docx")
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def team_files(out: Path, team_id: str) -> dict[str, Path]:
    folder = out / team_id
    return {"docx": folder / f"teamprotocol-{team_id}.docx",
            "pdf": folder / f"teamprotocol-{team_id}.pdf", "json": folder / "protocol.json",
            # the alarm card as a document of its own (issue 22)
            "kaart_docx": folder / f"kaart-{team_id}.docx",
            "kaart_pdf": folder / f"kaart-{team_id}.pdf"}


def _status(examples, team_id: str) -> str:
    return examples[team_id][1]["team"]["team.status"]


# --- 1. build: every team, manifest, overview ----------------------------------------------

def test_every_example_team_is_built_with_docx_pdf_and_json(example_build, examples):
    report, out = example_build

    assert sorted(r.team_id for r in report.results) == sorted(examples)
    assert report.failed == []
    for result in report.results:
        identity = examples[result.team_id][0]
        assert result.status == "gebouwd", result.problems
        assert result.team == identity.team
        files = team_files(out, result.team_id)
        for kind, path in files.items():
            assert path.is_file(), path
            assert path.stat().st_size > 0, path
            assert result.outputs[kind] == path.relative_to(out).as_posix()
        assert files["docx"].read_bytes()[:2] == b"PK"
        assert files["pdf"].read_bytes()[:5] == b"%PDF-"
        meta = protocol_json(out, result.team_id)["meta"]
        assert (meta["team_id"], meta["team"], meta["department"]) == (
            identity.team_id, identity.team, identity.department)


def test_manifest_hashes_every_input_and_output(example_build, example_forms, examples,
                                                default_policy):
    report, out = example_build
    data = manifest(out)
    logo = default_policy_path().parent / default_policy.branding.logo

    assert sorted(data["teams"]) == sorted(examples)
    claimed: set[str] = set()
    for team_id, entry in data["teams"].items():
        inputs = entry["inputs"]
        assert inputs["beleid"] == sha256(default_policy_path())
        assert inputs["sjabloon"] == sha256(TEMPLATE)
        assert inputs["kaartsjabloon"] == sha256(CARD_TEMPLATE)
        assert inputs["logo"] == sha256(logo)
        forms = sorted((example_forms / team_id).glob("*.docx"))
        assert len(forms) == 1 + len(examples[team_id][0].contact_kinds)
        for form in forms:
            assert inputs[f"{team_id}/{form.name}"] == sha256(form)
        form_keys = {k for k in inputs if k.endswith(".docx")}
        assert form_keys == {f"{team_id}/{f.name}" for f in forms}

        outputs = entry["outputs"]
        expected = {p.relative_to(out).as_posix() for p in team_files(out, team_id).values()}
        if _status(examples, team_id) == "vastgesteld":
            archived = [p for p in (out / ARCHIVE).iterdir() if f"_{team_id}_" in p.name]
            expected |= {p.relative_to(out).as_posix() for p in archived}
        assert set(outputs) == expected
        for rel, digest in outputs.items():
            assert not Path(rel).is_absolute()
            assert ".." not in Path(rel).parts
            assert digest == sha256(out / rel), rel
        claimed |= set(outputs)
        assert entry["status"] == _status(examples, team_id)

    # Every file the batch wrote is some team's output, except the batch's own files.
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # The lock file stays (an OS lock lives on its open file, see archive.output_lock); the
    # overview's records and the files' hashes are the batch's own (batch/records.py,
    # batch/hashes.py). The hashes are there once a file was older than 2 s when hashed
    # (hashes.SETTLE_NS), which a quick first build may not reach.
    assert written - claimed - {HASHES_NAME} == {
        "manifest.json", "overzicht.xlsx", "overzicht.html", "agenda.ics",
        ".teamprotocol.lock", RECORDS_NAME, POLICY_CACHE}
    assert HASHES_NAME not in claimed


def test_overview_files_list_every_team(example_build, examples):
    report, out = example_build

    assert sorted(p.name for p in report.overview) == ["overzicht.html", "overzicht.xlsx"]
    assert all(p.parent == out and p.is_file() for p in report.overview)
    sheet = load_workbook(out / "overzicht.xlsx")["Overzicht"]
    ids = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(ids) == sorted(examples)
    overview = overview_rows(out / "overzicht.html")
    assert sorted(next(t for t in examples if t in row[0]) for row in overview[1:]) == sorted(
        examples)
    assert 'id="mislukt"' not in (out / "overzicht.html").read_text(encoding="utf-8")


def test_cli_build_without_arguments_builds_the_examples(cli_demo, examples):
    proc, out = cli_demo

    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    # A line per team that needs attention only; the summary counts every team.
    assert f"{len(examples)} teams: {len(examples)} gebouwd, 0 ongewijzigd, 0 mislukt." \
        in proc.stdout
    for team_id in examples:
        line = next((line for line in proc.stdout.splitlines()
                     if line.split()[:1] == [team_id]), f"{team_id} gebouwd")
        assert line.split()[1] == "gebouwd"
        for path in team_files(out, team_id).values():
            assert path.is_file(), path
            assert path.stat().st_size > 0, path
    for entry in manifest(out)["teams"].values():
        for rel, digest in entry["outputs"].items():
            assert digest == sha256(out / rel)
    assert (out / "overzicht.xlsx").is_file()
    assert (out / "overzicht.html").is_file()
    assert sorted(manifest(out)["teams"]) == sorted(examples)
    # The incomplete example team has many unanswered questions: a few are shown, then a
    # count, so a batch of many teams stays readable.
    remarks = [line for line in proc.stdout.splitlines() if line.strip().startswith("Let op:")]
    assert remarks
    assert "… en nog" in proc.stdout
    assert "'teamprotocol check'" in proc.stdout
    blocks = re.split(r"\n  (?! )", proc.stdout)  # one block per team line (with remarks)
    assert len(blocks) > 2
    assert max(block.count("Let op:") for block in blocks) == 3
    # The example forms were in a temporary folder, gone after the run: the remarks name
    # them by team folder, and the last line says how to get a copy to check.
    assert "teamprotocol-voorbeeld-" not in proc.stdout
    assert re.search(r"Let op: belastingen/balie\.docx — ", proc.stdout)
    assert "'teamprotocol init MAP'" in proc.stdout.splitlines()[-1]


def test_cli_and_library_write_the_same_documents(cli_demo, examples, example_forms, tmp_path):
    """Both wrote the same example forms, so the rendered .docx must be equal byte for byte.

    The CLI builds as of today (an action due before the build date is *verlopen*), so the
    library builds as of today too; both with PDFs, whose page numbers the contents get.
    """
    _, cli_out = cli_demo
    build_all(BuildOptions(forms_dir=example_forms, out_dir=tmp_path / "uit",
                           today=dt.date.today()))
    lib_out = tmp_path / "uit"
    for team_id in examples:
        assert_same_file(team_files(lib_out, team_id)["docx"], team_files(cli_out, team_id)["docx"])


# --- 3. adopted versus concept --------------------------------------------------------------

def test_only_adopted_teams_go_to_the_archive(example_build, examples, default_policy):
    report, out = example_build
    short = default_policy.branding.short_name
    adopted = {tid: ans["team"] for tid, (_, ans) in examples.items()
               if ans["team"]["team.status"] == "vastgesteld"}
    assert adopted
    assert len(adopted) < len(examples)

    expected = {tid: f"{short}_{tid}_teamprotocol_{a['team.versie']}_"
                     f"{a['team.vastgesteld_op'].isoformat()}.pdf" for tid, a in adopted.items()}
    # Beside each PDF: its protocol.json and MDTO sidecars (tests/batch/test_batch_cycle.py).
    assert sorted(p.name for p in (out / ARCHIVE).glob("*.pdf")) == sorted(expected.values())
    for result in report.results:
        if result.team_id in adopted:
            archived = out / ARCHIVE / expected[result.team_id]
            assert result.outputs["archief"] == f"{ARCHIVE}/{archived.name}"
            assert archived.read_bytes() == team_files(out, result.team_id)["pdf"].read_bytes()
        else:
            assert "archief" not in result.outputs


@pytest.mark.parametrize("team_id", TEAM_IDS)
def test_concept_mark_in_docx_and_pdf(example_build, examples, team_id):
    _, out = example_build
    files = team_files(out, team_id)
    concept = _status(examples, team_id) == "concept"
    assert protocol_json(out, team_id)["meta"]["status"] == _status(examples, team_id)

    headers = docx_headers(files["docx"])
    body, header_text = docx2python_text(files["docx"])
    assert any("CONCEPT" in h for h in headers) is concept
    assert ("CONCEPT" in header_text) is concept
    assert ("CONCEPT" in docx_paragraphs(files["docx"])) is concept  # the title page mark
    assert ("CONCEPT" in body) is concept

    reader = PdfReader(files["pdf"])
    first_pages = pdf_text(reader, range(min(4, len(reader.pages))))
    assert ("CONCEPT" in first_pages) is concept


# --- 4. PDF/A -------------------------------------------------------------------------------

@pytest.mark.parametrize("team_id", TEAM_IDS)
def test_pdf_passes_verify(example_build, team_id):
    _, out = example_build
    assert verify_pdf(team_files(out, team_id)["pdf"], expect_text=ANNEX_HEADING) == []


def _xmp_pdfaid(reader: PdfReader) -> dict[str, str]:
    root = etree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    found = {}
    for name in ("part", "conformance"):
        for el in root.iter(PDFAID + name):
            found[name] = (el.text or "").strip()
        for el in root.iter():
            if PDFAID + name in el.attrib:
                found[name] = el.attrib[PDFAID + name]
    return found


@pytest.mark.parametrize("team_id", TEAM_IDS)
def test_pdf_is_tagged_pdfa2b_with_metadata(example_build, examples, default_policy, team_id):
    _, out = example_build
    identity, answers = examples[team_id]
    organisation = default_policy.branding.organisation
    reader = PdfReader(team_files(out, team_id)["pdf"])
    root = reader.trailer["/Root"]

    # An adopted protocol goes to the archive, validated as PDF/A-2a; a concept is PDF/A-2b.
    adopted = answers.get("team", {}).get("team.status") == "vastgesteld"
    assert _xmp_pdfaid(reader) == {"part": "2", "conformance": "A" if adopted else "B"}
    marked = root["/MarkInfo"].get_object()["/Marked"]
    assert getattr(marked, "value", marked) is True
    assert "/StructTreeRoot" in root
    info = reader.metadata
    # Metadata spell ' & < > with look-alikes (LibreOffice escapes them twice in the XMP).
    team = metadata_text(identity.team)
    assert team in squash(info["/Title"])
    assert squash(info["/Author"]) == organisation
    # The XMP copy of the title says the same as the Info dictionary.
    dc_title = [el.text for el in etree.fromstring(
        root["/Metadata"].get_object().get_data()).iter(
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")]
    assert info["/Title"] in dc_title, dc_title
    keywords = [squash(k) for k in info["/Keywords"].split(",")]
    version, status = answers["team"]["team.versie"], answers["team"]["team.status"]
    assert organisation in keywords
    assert team in keywords
    assert any(k.split()[-1] == version for k in keywords), keywords
    assert status in keywords
    assert len(keywords) == 4, keywords  # no keyword split into pieces
    assert len(reader.pages) > 0
    assert find_in_pdf(reader, ANNEX_HEADING) is not None


def test_overview_chapter_shares_match_the_annex(example_build, examples):
    """The overview's per-chapter numbers are those of each protocol.json's annex."""
    _, out = example_build
    assert sorted(assert_overview_matches_annex(out)) == sorted(examples)


def test_overview_shows_protocol_status_and_next_evaluation(example_build, examples):
    _, out = example_build
    sheet = load_workbook(out / "overzicht.xlsx")["Overzicht"]
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert any(r["Evaluatie"] == "verlopen" for r in rows)  # TODAY is after one evaluation
    for row in rows:
        answers = examples[row["Team-id"]][1]["team"]
        assert row["Status"] == answers["team.status"]
        evaluation: dt.date | None = answers.get("team.volgende_evaluatie")
        if evaluation is None:
            assert row["Volgende evaluatie"] is None
            assert row["Evaluatie"] == "niet gepland"
        else:
            assert row["Volgende evaluatie"].date() == evaluation  # a date, not text
            assert (row["Evaluatie"] == "verlopen") is (evaluation < TODAY)
