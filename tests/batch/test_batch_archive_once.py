"""One archived record per version (issue 21, item 3), through the real `teamprotocol build`.

Correcting an archived version's adoption date is refused with a Dutch message instead of
archiving the version a second time; an archive that already holds a version twice (as 0.3.1
wrote it) lists that version once in the Versiebeheer, and "Vervangt" never points to itself.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from helpers.batch import ARCHIVE, adopted_answers, docx_paragraphs, run_cli, write_team
from lxml import etree

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # builds with PDFs

MDTO_NS = {"m": "https://www.nationaalarchief.nl/mdto"}
FIRST = dt.date(2026, 9, 1)


def _build(root: Path, answers: dict) -> tuple[int, str]:
    forms = root / "formulieren"
    shutil.rmtree(forms, ignore_errors=True)
    write_team(forms, "balie", answers)
    proc = run_cli("build", forms, "--policy", "voorbeeld", "--out", root / "uit", cwd=root)
    return proc.returncode, proc.stdout + proc.stderr


def _records(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "uit" / ARCHIVE).glob("*.protocol.json"))


def test_a_corrected_adoption_date_is_refused_not_archived_twice(tmp_path):
    rc, out = _build(tmp_path, adopted_answers(**{"team.versie": "1.1",
                                                   "team.vastgesteld_op": FIRST}))
    assert rc == 0, out
    [record] = _records(tmp_path)
    rc, out = _build(tmp_path, adopted_answers(**{"team.versie": "1.1",
                                                   "team.vastgesteld_op": FIRST.replace(day=2)}))
    assert rc == 1, out
    assert "Traceback" not in out
    assert "versie 1.1 is al vastgesteld op 1 september 2026 en gearchiveerd" in out
    assert "Zet de vaststellingsdatum terug op 1 september 2026" in out
    assert _records(tmp_path) == [record]  # never a second record


def test_an_archive_holding_a_version_twice_lists_it_once_and_never_replaces_itself(tmp_path):
    rc, out = _build(tmp_path, adopted_answers(**{"team.versie": "1.1",
                                                   "team.vastgesteld_op": FIRST}))
    assert rc == 0, out
    archive = tmp_path / "uit" / ARCHIVE
    # What 0.3.1 left after a corrected date: the same version archived again, a day later.
    [json_path] = archive.glob("*.protocol.json")
    stem = json_path.name.removesuffix(".protocol.json")
    twice = stem.replace(FIRST.isoformat(), FIRST.replace(day=2).isoformat())
    data = json.loads(json_path.read_bytes())
    data["meta"]["adopted_on"] = FIRST.replace(day=2).isoformat()
    (archive / f"{twice}.protocol.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(archive / f"{stem}.pdf", archive / f"{twice}.pdf")

    # Version 1.2 rests on a new Stap 1 and Stap 2, after 1.1's adoption.
    rc, out = _build(tmp_path, adopted_answers(**{"team.versie": "1.2",
                                                   "team.inventarisatie": dt.date(2026, 9, 10),
                                                   "team.teamoverleg": dt.date(2026, 9, 20),
                                                   "team.evaluatie_datum": dt.date(2026, 9, 8),
                                                   "team.evaluatie_naleving": "Ja.",
                                                   "team.vastgesteld_op": dt.date(2026, 10, 1)}))
    assert rc == 0, out
    protocol = json.loads((tmp_path / "uit" / "balie" / "protocol.json").read_bytes())
    versions = [h["version"] for h in protocol["meta"]["history"]]
    assert versions == ["1.1", "1.2"]  # each version once
    changes = " ".join(docx_paragraphs(tmp_path / "uit" / "balie" / "wijzigingen-balie.docx"))
    assert "versie 1.1, vastgesteld op 1 september 2026" in changes  # Dutch, not 2026-09-01
    assert "2026-09-01" not in changes
    [new] = [p for p in archive.glob("*.mdto.xml") if "_1.2_" in p.name
             and not p.name.endswith(".bestand.mdto.xml")]
    replaced = etree.parse(str(new)).findtext(
        ".//m:gerelateerdInformatieobjectVerwijzing/m:verwijzingIdentificatie/"
        "m:identificatieKenmerk", namespaces=MDTO_NS)
    assert replaced == stem  # the first record of 1.1, never 1.2 itself
