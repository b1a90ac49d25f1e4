"""An upgrade keeps the history (issue 21, item 7), on real archives written by earlier versions
(`tests/data/upgrade/`, README there): handhaving 1.0 as version 0.2.0 archived it (the PDF
alone), and 1.1 as 0.3.1 archived it on top (PDF, protocol.json, MDTO sidecars). The current
`teamprotocol build` adopts 2.0 over each: the Versiebeheer lists every earlier version once,
the change document is made against the last one, and the new MDTO record (valid against the
schema) "Vervangt" it. 0.3.1 itself lost the 0.2.0 version from all three."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import xmlschema
from helpers.batch import run_cli, sha256
from lxml import etree

from pipeline import mdto
from pipeline.examples import example_teams
from pipeline.forms.write import locked_texts_of, look_of, write_team_forms
from pipeline.pdf.compare import docx_text
from pipeline.policy import load_policy

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]  # builds with LibreOffice

DATA = Path(__file__).resolve().parents[1] / "data" / "upgrade"
SCHEMA = Path(__file__).resolve().parents[1] / "data" / "mdto" / mdto.SCHEMA_FILE
V10 = "lindenhoven_handhaving_teamprotocol_1.0_2026-05-20"
V11 = "lindenhoven_handhaving_teamprotocol_1.1_2026-11-02"
V20 = "lindenhoven_handhaving_teamprotocol_2.0_2026-11-25"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _archive_as(version: str, out: Path) -> dict[str, str]:
    """`out` as the given version left it: its manifest and archive files; their hashes."""
    (out / "archief").mkdir(parents=True)
    shutil.copy(DATA / f"manifest-{version}.json", out / "manifest.json")
    for path in (DATA / "archief").iterdir():
        if version == "0.3.1" or path.name.startswith(V10):
            shutil.copy(path, out / "archief" / path.name)
    return {p.name: sha256(p) for p in (out / "archief").iterdir()}


def _forms_for_2_0(forms: Path) -> None:
    """handhaving's example forms, adopted again as 2.0 after an evaluation, a new Stap 1 and
    Stap 2."""
    policy = load_policy()
    identity, answers = next((i, a) for i, a in example_teams() if i.team_id == "handhaving")
    team = answers["team"]
    team.update({"team.versie": "2.0", "team.vastgesteld_op": dt.date(2026, 11, 25),
                 "team.inventarisatie": dt.date(2026, 11, 6),
                 "team.teamoverleg": dt.date(2026, 11, 20),
                 "team.volgende_evaluatie": dt.date(2027, 11, 20),
                 # The evaluation of the version in force, which a new version needs.
                 "team.evaluatie_datum": dt.date(2026, 11, 10),
                 "team.evaluatie_naleving": "De afspraken zijn nageleefd. Twee keer liep een "
                                            "boa 's avonds alleen; dat is in het teamoverleg "
                                            "besproken en het rooster is aangepast.",
                 "team.competenties": f"{team['team.competenties']} Elk koppel evalueert "
                                      "maandelijks met de coördinerend boa.",
                 "team.acties": [*team.get("team.acties", []),  # type: ignore[misc]
                                 {"wat": "Afspraken maken over B1", "onderdeel": "B1",
                                  "eigenaar": "Peter Jansen", "datum": dt.date(2027, 6, 1)}]})
    write_team_forms(identity, forms, answers, locked_texts_of(policy), look=look_of(policy))


@pytest.mark.parametrize(("written_by", "earlier"), [
    ("0.2.0", [("1.0", V10)]),
    ("0.3.1", [("1.0", V10), ("1.1", V11)]),
])
def test_a_new_version_over_an_old_archive_keeps_the_history(tmp_path, written_by, earlier):
    out, forms = tmp_path / "uit", tmp_path / "formulieren"
    before = _archive_as(written_by, out)
    _forms_for_2_0(forms)
    proc = run_cli("build", forms, "--policy", "voorbeeld", "--out", out, "--jobs", "1",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr

    # The Versiebeheer: every earlier version once, then 2.0; 1.0's adopter read from its PDF.
    history = json.loads((out / "handhaving" / "protocol.json").read_bytes())["meta"]["history"]
    assert [h["version"] for h in history] == [v for v, _ in earlier] + ["2.0"]
    assert history[0]["date"] == "2026-05-20"
    assert history[0]["note"].startswith("Vastgesteld door Peter Jansen, teamleider")
    shown = docx_text((out / "handhaving" / "teamprotocol-handhaving.docx").read_bytes())[0]
    assert "Peter Jansen, teamleider Toezicht en Handhaving" in shown

    # The change document, against the last earlier version, with real Word revisions.
    changes = out / "handhaving" / "wijzigingen-handhaving.docx"
    with zipfile.ZipFile(changes) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    assert body.findall(f".//{W}ins"), "no tracked insertion in the change document"
    inserted = " ".join(t.text or "" for t in body.iter(f"{W}t")
                        if any(a.tag == f"{W}ins" for a in t.iterancestors()))
    assert "maandelijks" in inserted

    # The new record replaces the last earlier one, and is valid MDTO.
    record = out / "archief" / f"{V20}.mdto.xml"
    xmlschema.XMLSchema(str(SCHEMA)).validate(str(record))
    root = etree.parse(io.BytesIO(record.read_bytes()))
    ns = {"m": mdto.NS}
    assert root.xpath("//m:gerelateerdInformatieobject//m:identificatieKenmerk/text()",
                      namespaces=ns) == [earlier[-1][1]]
    assert root.xpath("//m:gerelateerdInformatieobjectTypeRelatie/m:begripLabel/text()",
                      namespaces=ns) == ["Vervangt"]
    # What the earlier versions archived is untouched, but for the one change ever made to an
    # archived file: the replaced version's record gets the start of its retention term, the
    # new version's adoption day (issue 24), and stays valid.
    replaced = f"{earlier[-1][1]}.mdto.xml"
    changed = {n for n in before if sha256(out / "archief" / n) != before[n]}
    assert changed <= {replaced}
    if replaced in before:  # 0.2.0 archived no record
        xmlschema.XMLSchema(str(SCHEMA)).validate(str(out / "archief" / replaced))
        old = etree.parse(io.BytesIO((out / "archief" / replaced).read_bytes()))
        assert old.xpath("//m:termijnStartdatumLooptijd/text()", namespaces=ns) == [
            "2026-11-25"]
