"""Incremental rebuilds: unchanged teams are skipped, changed ones rebuilt, outputs reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.batch import (
    ANNEX_HEADING,
    build,
    copy_tree,
    docx_headers,
    docx_paragraphs,
    manifest,
    mtimes,
    protocol_json,
    required_answers,
    run_cli,
    sha256,
    write_team,
)
from helpers.golden import assert_same_file
from PIL import Image

from pipeline.batch.hashes import HASHES_NAME
from pipeline.batch.records import RECORDS_NAME
from pipeline.pdf.verify import verify_pdf
from pipeline.policy import dump_default_policy

# Every test builds; only the two reading `example_build` convert (conftest marks them
# `libreoffice`), the others build without PDFs.
pytestmark = pytest.mark.slow

OVERVIEW = {"overzicht.xlsx", "overzicht.html"}
MANIFEST = "manifest.json"
TEAMS = ("alfa", "beta", "gamma")


def _statuses(report) -> dict[str, str]:
    return {r.team_id: r.status for r in report.results}


@pytest.fixture
def small_forms(tmp_path: Path) -> Path:
    """Three small teams with real forms; each test may change them."""
    forms = tmp_path / "formulieren"
    for team_id in TEAMS:
        write_team(forms, team_id, required_answers(**{
            "team.competenties": f"Competenties van {team_id}."}))
    return forms


def test_second_build_skips_every_team_and_rewrites_nothing(example_build, example_forms,
                                                            tmp_path):
    _, first = example_build
    out = copy_tree(first, tmp_path / "output")
    before = mtimes(out)
    manifest_before = (out / "manifest.json").read_bytes()

    report = build(example_forms, out)

    assert set(_statuses(report).values()) == {"ongewijzigd"}
    after = mtimes(out)
    # Nothing added, nothing removed; but the hash cache, which keeps only files older than
    # 2 s (hashes.SETTLE_NS): the first build may have found none of them old enough.
    assert after.keys() - {HASHES_NAME} == before.keys() - {HASHES_NAME}
    changed = {p for p in after if before.get(p) != after[p]}
    # Not even the overview: it shows the same teams as the build before (which were
    # "gebouwd" then and are "ongewijzigd" now, a difference it does not show). Only the
    # files' hashes are written again (the copy gave every file a new inode).
    assert not changed & OVERVIEW, changed
    assert changed <= {RECORDS_NAME, HASHES_NAME}, changed
    assert (out / "manifest.json").read_bytes() == manifest_before
    # Skipped teams keep their outputs and protocol in the report, for the overview.
    for result in report.results:
        assert result.protocol is not None
        assert result.team
        assert {"docx", "pdf", "json"} <= set(result.outputs)
        assert all((out / p).is_file() for p in result.outputs.values())


def test_changed_form_rebuilds_only_that_team(small_forms, tmp_path):
    out = tmp_path / "output"
    assert set(_statuses(build(small_forms, out, pdf=False)).values()) == {"gebouwd"}
    before = mtimes(out)
    changed_answer = "Nieuwe afspraak: wie de balie doet, wisselt elk uur."
    [team_form] = [p for p in write_team(small_forms, "beta", required_answers(**{
        "team.competenties": changed_answer})) if p.name == "team.docx"]

    report = build(small_forms, out, pdf=False)

    assert _statuses(report) == {"alfa": "ongewijzigd", "beta": "gebouwd",
                                 "gamma": "ongewijzigd"}
    after = mtimes(out)
    for rel in before:
        if rel.startswith(("alfa/", "gamma/")):
            assert after[rel] == before[rel], rel
    docx = out / "beta" / "teamprotocol-beta.docx"
    assert after["beta/teamprotocol-beta.docx"] != before["beta/teamprotocol-beta.docx"]
    assert changed_answer in docx_paragraphs(docx)
    assert "Competenties van beta." not in docx_paragraphs(docx)
    entry = manifest(out)["teams"]["beta"]
    assert entry["inputs"]["beta/team.docx"] == sha256(team_form)
    assert entry["outputs"]["beta/teamprotocol-beta.docx"] == sha256(docx)


def test_force_rebuilds_every_team(small_forms, tmp_path):
    out = tmp_path / "output"
    build(small_forms, out, pdf=False)
    assert set(_statuses(build(small_forms, out, pdf=False)).values()) == {"ongewijzigd"}

    report = build(small_forms, out, pdf=False, force=True)

    assert set(_statuses(report).values()) == {"gebouwd"}


def test_deleted_pdf_rebuilds_just_that_team(example_build, example_forms, examples, tmp_path):
    _, first = example_build
    out = copy_tree(first, tmp_path / "output")
    # An adopted team: its archived PDF is the adopted record and is never replaced.
    team_id = next(t for t, (_, a) in examples.items() if a["team"]["team.status"] == "vastgesteld")
    pdf = out / team_id / f"teamprotocol-{team_id}.pdf"
    [archived] = [rel for rel in manifest(out)["teams"][team_id]["outputs"]
                  if rel.startswith("archief/") and rel.endswith(".pdf")]
    archived_bytes = (out / archived).read_bytes()
    pdf.unlink()
    before = mtimes(out)

    report = build(example_forms, out, jobs=1)

    assert _statuses(report) == {t: "gebouwd" if t == team_id else "ongewijzigd"
                                 for t in examples}
    assert verify_pdf(pdf, expect_text=ANNEX_HEADING) == []
    after = mtimes(out)
    for rel in before:
        if not rel.startswith(f"{team_id}/") and rel not in {*OVERVIEW, MANIFEST, RECORDS_NAME,
                                                                    HASHES_NAME}:
            assert after[rel] == before[rel], rel
    assert (out / archived).read_bytes() == archived_bytes
    entry = manifest(out)["teams"][team_id]
    assert entry["outputs"][f"{team_id}/{pdf.name}"] == sha256(pdf)
    assert entry["outputs"][archived] == sha256(out / archived)
    # LibreOffice stamps every PDF with its creation time, so the new one differs, but it
    # was made from the .docx the archived one was made from: nothing to warn about.
    [result] = [r for r in report.results if r.team_id == team_id]
    assert result.warnings == []
    # Without an archived copy the new PDF is archived.
    (out / archived).unlink()
    report = build(example_forms, out, jobs=1, force=True)
    assert sha256(out / archived) == sha256(pdf)
    assert not [r.warnings for r in report.results if r.team_id == team_id][0]


def test_same_inputs_give_identical_files(example_forms, tmp_path):
    one = build(example_forms, tmp_path / "een", pdf=False)
    two = build(example_forms, tmp_path / "twee", pdf=False)

    assert one.failed == []
    assert two.failed == []
    for result in one.results:
        for kind in ("docx", "json"):
            rel = result.outputs[kind]
            assert_same_file(tmp_path / "een" / rel, tmp_path / "twee" / rel)


@pytest.mark.parametrize("content", [
    b"{dit is geen json",
    b"",
    b"[]",
    b'{"manifest_version": 1, "teams": {"alfa": 5}}',
    b'{"manifest_version": 999, "teams": {}}',
    b"\xff\xfe\x00garbage",
])
def test_corrupt_manifest_gives_a_full_rebuild(small_forms, tmp_path, content):
    out = tmp_path / "output"
    build(small_forms, out, pdf=False)
    (out / "manifest.json").write_bytes(content)

    report = build(small_forms, out, pdf=False)

    assert set(_statuses(report).values()) == {"gebouwd"}
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(data["teams"]) == list(TEAMS)
    assert protocol_json(out, "alfa")["meta"]["team_id"] == "alfa"


def test_policy_and_logo_are_inputs_of_every_team(small_forms, tmp_path):
    policy, logo = dump_default_policy(tmp_path / "beleid" / "beleid.yaml")
    out = tmp_path / "output"
    build(small_forms, out, pdf=False, policy_path=policy)
    for entry in manifest(out)["teams"].values():
        assert entry["inputs"]["beleid"] == sha256(policy)
        assert entry["inputs"]["logo"] == sha256(logo)

    policy.write_text(policy.read_text(encoding="utf-8") + "\n# aangepast\n", encoding="utf-8")
    assert set(_statuses(build(small_forms, out, pdf=False, policy_path=policy)).values()) == {
        "gebouwd"}
    assert set(_statuses(build(small_forms, out, pdf=False, policy_path=policy)).values()) == {
        "ongewijzigd"}

    Image.new("RGB", (300, 100), (10, 120, 60)).save(logo)  # a new logo, same file name
    report = build(small_forms, out, pdf=False, policy_path=policy)
    assert set(_statuses(report).values()) == {"gebouwd"}
    for entry in manifest(out)["teams"].values():
        assert entry["inputs"]["beleid"] == sha256(policy)
        assert entry["inputs"]["logo"] == sha256(logo)


def test_init_then_build_with_the_copied_policy(tmp_path):
    """`teamprotocol init DIR` and then the build command it prints, as real subprocesses."""
    init = run_cli("init", "eigen", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    forms, policy = tmp_path / "eigen" / "formulieren", tmp_path / "eigen" / "beleid.yaml"

    proc = run_cli("build", forms, "--policy", "voorbeeld",
                   "--policy", policy, "--out", "uit", "--no-pdf", cwd=tmp_path)

    # The copy is still the invented example organisation's (issue 21, item 6): its concepts
    # are built, its two adopted example teams are refused, naming what is still the example.
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "het beleid is nog (deels) het voorbeeld" in proc.stdout
    adopted = {"burgerzaken", "handhaving"}
    data = manifest(tmp_path / "uit")
    assert sorted(data["teams"]) == sorted(p.name for p in forms.iterdir()
                                           if p.is_dir() and p.name not in adopted)
    assert {e["inputs"]["beleid"] for e in data["teams"].values()} == {sha256(policy)}
    assert not list((tmp_path / "uit").rglob("*.pdf"))  # --no-pdf
    # Each concept says, on its title page and in its header, that it rests on the example.
    docx = tmp_path / "uit" / "belastingen" / "teamprotocol-belastingen.docx"
    assert "VOORBEELDBELEID" in docx_paragraphs(docx)
    assert any("Gemaakt met (deels) het voorbeeldbeleid" in p for p in docx_paragraphs(docx))
    assert any("CONCEPT VOORBEELDBELEID versie" in h for h in docx_headers(docx))

    # The example chosen on purpose (the demo) carries no such mark.
    on_purpose = run_cli("build", forms, "--policy", "voorbeeld", "--out", "demo", "--no-pdf",
                         cwd=tmp_path)
    assert on_purpose.returncode == 0, on_purpose.stdout + on_purpose.stderr
    demo = tmp_path / "demo" / "belastingen" / "teamprotocol-belastingen.docx"
    assert "CONCEPT" in docx_paragraphs(demo)
    assert "VOORBEELDBELEID" not in " ".join(docx_paragraphs(demo) + docx_headers(demo))
