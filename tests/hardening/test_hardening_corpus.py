"""The hostile corpus through the real batch: `teamprotocol build` beside good teams.

Bounds: the whole batch (25 team folders, 3 good ones with PDF/A) in < 90 s; every failed
team named with file, field and a Dutch hint; good teams built and verified as if alone.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers.hardening import BAD_FOLDER_NAMES, TWO_TEAM_FORMS, tree_digest
from helpers.hostile import CASES, GOOD, UNICODE_TEAM, UNICODE_TEXT, Case
from openpyxl import load_workbook

from pipeline.archive import LOCK_NAME
from pipeline.batch.hashes import HASHES_NAME
from pipeline.batch.records import RECORDS_NAME
from pipeline.batch.shared import POLICY_CACHE
from pipeline.files import sha256_file
from pipeline.pdf.verify import verify_pdf
from pipeline.render import ANNEX_HEADING
from pipeline.text import pdf_safe

GOOD_TEAMS = (*GOOD, UNICODE_TEAM)
FAILED = len(CASES) + len(BAD_FOLDER_NAMES) + 1


def test_exit_code_summary_and_no_traceback(corpus_build):
    proc = corpus_build.proc
    assert proc.returncode == 1, proc.stdout + proc.stderr  # documented: 1 = some teams failed
    assert "Traceback" not in proc.stdout + proc.stderr
    total = len(GOOD_TEAMS) + FAILED
    assert f"{total} teams: {len(GOOD_TEAMS)} gebouwd, 0 ongewijzigd, {FAILED} mislukt." \
        in proc.stdout


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.team)
def test_hostile_form_fails_alone_with_a_dutch_line(corpus_build, case: Case):
    block = corpus_build.team_block(case.team)
    assert block.split("\n")[0].split() == [case.team, "MISLUKT"]
    problem = block.split("\n")[1].strip()
    # file — [field —] what is wrong. What to do.
    assert problem.startswith(f"{corpus_build.forms / case.team / 'team.docx'} — "), problem
    assert case.message in problem
    if case.field:
        assert f" — {case.field} — " in problem
    assert re.search(r"\. [A-Z][^.]+", problem.split(case.message, 1)[1]), "geen hint: " + problem
    # Nothing for the failed team: no folder, no docx/pdf/json, no archive copy.
    assert not (corpus_build.out / case.team).exists()
    assert not list((corpus_build.out / "archief").glob(f"*_{case.team}_*"))


@pytest.mark.parametrize("name", BAD_FOLDER_NAMES)
def test_team_folder_name_that_is_no_team_id(corpus_build, name):
    block = corpus_build.team_block(name)
    assert block.split("\n")[0].rsplit(None, 1)[1] == "MISLUKT"
    assert "de mapnaam is geen geldige team-id" in block
    assert "Geef de map de team_id van het team" in block
    if name == "nul":
        assert "een naam die Windows niet toestaat" in block
    assert not (corpus_build.out / name).exists()


def test_two_team_forms_in_one_folder(corpus_build):
    block = corpus_build.team_block(TWO_TEAM_FORMS)
    assert "MISLUKT" in block
    assert "dit soort formulier staat al in de map" in block
    assert not (corpus_build.out / TWO_TEAM_FORMS).exists()


@pytest.mark.parametrize("team", GOOD_TEAMS)
def test_good_teams_are_built_and_verified(corpus_build, team):
    block = corpus_build.team_block(team, required=False)
    if block:  # printed only with remarks (an answer that arranges nothing)
        status, *remarks = block.split("\n")
        assert status.split() == [team, "gebouwd"]
    else:
        remarks = []
    # An example team may carry remarks (an answer that arranges nothing), never a failure.
    assert all(r.strip().startswith("Let op:") for r in remarks), remarks
    folder = corpus_build.out / team
    pdf = folder / f"teamprotocol-{team}.pdf"
    assert (folder / f"teamprotocol-{team}.docx").is_file()
    assert verify_pdf(pdf, expect_text=ANNEX_HEADING) == []
    manifest = json.loads((corpus_build.out / "manifest.json").read_text(encoding="utf-8"))
    outputs = manifest["teams"][team]["outputs"]
    assert f"{team}/teamprotocol-{team}.pdf" in outputs
    for rel, digest in outputs.items():
        assert sha256_file(corpus_build.out / rel) == digest, rel


def test_hostile_team_claiming_a_good_team_did_not_touch_it(corpus_build):
    manifest = json.loads((corpus_build.out / "manifest.json").read_text(encoding="utf-8"))
    inputs = manifest["teams"]["burgerzaken"]["inputs"]
    assert all(not k.startswith("h-") for k in inputs)
    assert sorted(manifest["teams"]) == sorted(GOOD_TEAMS)
    assert list((corpus_build.out / "archief").glob("*_burgerzaken_*.pdf"))  # adopted: archived


def test_unicode_answers_survive(corpus_build):
    protocol = json.loads((corpus_build.out / UNICODE_TEAM / "protocol.json").read_bytes())
    shown, emoji = pdf_safe(UNICODE_TEXT)
    assert emoji == ["🙂"]  # an emoji becomes words on purpose, in the PDF too (issue 21)
    assert shown in json.dumps(protocol, ensure_ascii=False)
    assert protocol["meta"]["team_lead"] == "Ame\u0301lie"  # combining accent kept as typed


def test_nothing_written_outside_out_and_no_half_files(corpus_build):
    out = corpus_build.out.relative_to(corpus_build.sandbox.root)
    changed = {k for k in set(corpus_build.before) | set(corpus_build.after)
               if corpus_build.before.get(k) != corpus_build.after.get(k)
               and not (k == str(out) or k.startswith(f"{out}/"))}
    assert changed == set()  # forms untouched, nothing in cwd, TMPDIR empty again
    assert corpus_build.sandbox.leftovers() == []
    assert not (corpus_build.sandbox.root / "buiten").exists()  # the team id '../../buiten'
    names = [p.relative_to(corpus_build.out) for p in corpus_build.out.rglob("*")]
    # The lock file and the overview's records stay by design; nothing else hidden or temporary.
    assert [n for n in names if (n.name.startswith(".") or n.suffix == ".tmp")
            and n.name not in (LOCK_NAME, RECORDS_NAME, POLICY_CACHE, HASHES_NAME)] == []
    expected_top = {*GOOD_TEAMS, "archief", "manifest.json", "overzicht.html", "overzicht.xlsx",
                    "agenda.ics", LOCK_NAME, RECORDS_NAME, POLICY_CACHE}
    # The hash cache keeps files older than 2 s only (hashes.SETTLE_NS): it may not be there.
    assert {str(n) for n in names if len(n.parts) == 1} - {HASHES_NAME} == expected_top
    assert tree_digest(corpus_build.forms) == {
        k.removeprefix("formulieren/"): v for k, v in corpus_build.before.items()
        if k.startswith("formulieren/")}


def test_overview_lists_every_failed_team(corpus_build):
    html = (corpus_build.out / "overzicht.html").read_text(encoding="utf-8")
    book = load_workbook(corpus_build.out / "overzicht.xlsx")
    cells = " ".join(str(c) for row in book["Problemen"].iter_rows(values_only=True)
                     for c in row if c)
    for case in CASES:
        assert case.team in html
        assert case.team in cells
    assert "is te lang" in cells
    assert "Incidentcijfers bij de evaluatie" in cells
