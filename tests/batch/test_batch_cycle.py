"""The yearly cycle in real builds: MDTO sidecars and protocol.json in the archive, agenda.ics,
and after a changed adopted version the tracked-changes document and the full Versiebeheer.

Every check reads real files: the sidecars with the independent `xmlschema` validator and the
schema of ../shared/mdto/, the agenda with `icalendar`, the tracked changes after a real
LibreOffice conversion to ODT (its changed regions), the Versiebeheer from the .docx.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import xmlschema
from helpers.batch import ARCHIVE, build, copy_tree, docx_paragraphs, manifest
from icalendar import Calendar
from lxml import etree

from pipeline.forms.write import locked_texts_of, write_team_forms
from pipeline.policy import load_policy

pytestmark = pytest.mark.libreoffice  # its tests convert with LibreOffice

SHARED_XSD = Path(__file__).resolve().parents[1] / "data" / "mdto" / "MDTO-XML1.0.1.xsd"
MDTO_NS = {"m": "https://www.nationaalarchief.nl/mdto"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ADDED = "Nieuwe collega's lopen eerst drie weken mee met een ervaren collega."


def _adopted(examples) -> dict[str, dict]:
    return {tid: answers["team"] for tid, (_, answers) in examples.items()
            if answers["team"]["team.status"] == "vastgesteld"}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- MDTO sidecars and the archived protocol.json -------------------------------------------

def test_every_archived_pdf_has_valid_mdto_sidecars_listed_in_the_manifest(example_build,
                                                                             examples):
    _, out = example_build
    schema = xmlschema.XMLSchema(str(SHARED_XSD))
    pdfs = sorted((out / ARCHIVE).glob("*.pdf"))
    assert len(pdfs) == len(_adopted(examples)) >= 1
    entries = manifest(out)["teams"]
    for pdf in pdfs:
        stem = pdf.name.removesuffix(".pdf")
        record = out / ARCHIVE / f"{stem}.mdto.xml"
        file_ = out / ARCHIVE / f"{stem}.pdf.bestand.mdto.xml"
        saved = out / ARCHIVE / f"{stem}.protocol.json"
        for sidecar in (record, file_):
            schema.validate(str(sidecar))
        bestand = etree.parse(str(file_))
        assert bestand.findtext("m:bestand/m:omvang", namespaces=MDTO_NS) == str(
            pdf.stat().st_size)
        assert bestand.findtext("m:bestand/m:checksum/m:checksumWaarde",
                                namespaces=MDTO_NS) == _sha(pdf)
        assert bestand.findtext("m:bestand/m:bestandsformaat/m:begripCode",
                                namespaces=MDTO_NS) == "fmt/476"  # PDF/A-2a
        meta = json.loads(saved.read_bytes())["meta"]
        assert meta["status"] == "vastgesteld"
        outputs = entries[meta["team_id"]]["outputs"]
        for path in (pdf, record, file_, saved):
            rel = path.relative_to(out).as_posix()
            assert outputs[rel] == _sha(path), rel


def test_concept_teams_have_nothing_in_the_archive(example_build, examples):
    _, out = example_build
    adopted = _adopted(examples)
    archived = {json.loads(p.read_bytes())["meta"]["team_id"]
                for p in (out / ARCHIVE).glob("*.protocol.json")}
    assert archived == set(adopted)


# --- agenda.ics --------------------------------------------------------------------------------

def test_agenda_lists_every_evaluation_and_dated_action(example_build, examples):
    report, out = example_build
    cal = Calendar.from_ical((out / "agenda.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    for r in report.results:
        meta = r.protocol.meta
        if meta.next_evaluation is None:
            assert f"Evaluatie teamprotocol {meta.team}" not in summaries
            continue
        event = next(e for e in events if str(e["SUMMARY"]) == f"Evaluatie teamprotocol "
                     f"{meta.team}")
        assert event.decoded("DTSTART") == meta.next_evaluation
        assert event.decoded("DTEND") == meta.next_evaluation + dt.timedelta(days=1)
    dated = {(a.item, a.what, a.due) for r in report.results for a in r.protocol.annex.actions
             if a.due is not None}
    assert dated
    for item, what, due in dated:
        matching = [e for e in events if e.decoded("DTSTART") == due
                    and (item or "actie") in str(e["SUMMARY"])
                    and what[:40] in " ".join(str(e["DESCRIPTION"]).split())]
        assert matching, (item, what)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    evaluations = sum(r.protocol.meta.next_evaluation is not None for r in report.results)
    assert sum(s.startswith("Evaluatie teamprotocol") for s in summaries) == evaluations


# --- the next cycle: a changed adopted team ----------------------------------------------------

@pytest.fixture(scope="module")
def next_version(example_build, examples, tmp_path_factory):
    """burgerzaken changed one answer and adopted version 2.1; built on the first build's output."""
    _, first = example_build
    root = tmp_path_factory.mktemp("cyclus")
    out = copy_tree(first, root / "output")
    identity, answers = examples["burgerzaken"]
    team = dict(answers["team"])
    old_version = team["team.versie"]
    # A new version rests on a new Stap 1 and Stap 2, after the previous adoption.
    team.update({"team.versie": "2.1", "team.vastgesteld_op": dt.date(2026, 11, 20),
                 "team.inventarisatie": dt.date(2026, 11, 2),
                 "team.teamoverleg": dt.date(2026, 11, 16),
                 "team.evaluatie_datum": dt.date(2026, 10, 26),
                 "team.evaluatie_naleving": "Ja; de nazorg kwam een keer te laat op gang.",
                 "team.competenties": team["team.competenties"] + "\n" + ADDED})
    forms = root / "formulieren"
    write_team_forms(identity, forms, {**answers, "team": team}, locked_texts_of(load_policy()))
    report = build(forms, out, jobs=1)
    return report, out, old_version


def test_second_adopted_version_gets_sidecars_that_point_to_the_first(next_version):
    report, out, old = next_version
    assert [r.status for r in report.results] == ["gebouwd"]
    stems = sorted(p.name.removesuffix(".pdf")
                   for p in (out / ARCHIVE).glob("*_burgerzaken_*.pdf"))
    assert len(stems) == 2
    first, second = (s for s in sorted(stems, key=lambda s: s.endswith("2.1_2026-11-20")))
    record = etree.parse(str(out / ARCHIVE / f"{second}.mdto.xml"))
    assert record.findtext(".//m:gerelateerdInformatieobjectVerwijzing/m:verwijzingIdentificatie/"
                           "m:identificatieKenmerk", namespaces=MDTO_NS) == first
    xmlschema.XMLSchema(str(SHARED_XSD)).validate(str(out / ARCHIVE / f"{second}.mdto.xml"))
    assert old in first


def test_versiebeheer_lists_both_adopted_versions(next_version):
    _, out, old = next_version
    history = json.loads((out / "burgerzaken" / "protocol.json").read_bytes())["meta"]["history"]
    assert [(h["version"], h["status"]) for h in history] == [(old, "vastgesteld"),
                                                               ("2.1", "vastgesteld")]
    assert "eerste vastgestelde versie" in history[0]["note"]
    # The change document's summary: the place and what happened there.
    changed = "gewijzigd: 2.2 Competenties bij de werkverdeling"
    assert changed in history[1]["note"]
    text = "\n".join(docx_paragraphs(out / "burgerzaken" / "teamprotocol-burgerzaken.docx"))
    assert changed in text
    assert "eerste vastgestelde versie" in text


def test_changes_document_has_dated_word_revisions_by_teamprotocol(next_version):
    _, out, _ = next_version
    path = out / "burgerzaken" / "wijzigingen-burgerzaken.docx"
    assert manifest(out)["teams"]["burgerzaken"]["outputs"][
        "burgerzaken/wijzigingen-burgerzaken.docx"] == _sha(path)
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        settings = etree.fromstring(z.read("word/settings.xml"))
    inserted = body.findall(f".//{W}ins")
    assert inserted
    for mark in inserted + body.findall(f".//{W}del"):
        assert mark.get(f"{W}author") == "teamprotocol"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mark.get(f"{W}date"))
    new_text = "".join(t.text for ins in inserted for t in ins.iter(f"{W}t"))
    assert "drie weken mee" in new_text
    assert settings.find(f"{W}trackRevisions") is not None
    ids = [m.get(f"{W}id") for m in body.iter(f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids))


def test_changes_document_opens_in_libreoffice_with_the_change_tracked(next_version, tmp_path):
    _, out, _ = next_version
    src = out / "burgerzaken" / "wijzigingen-burgerzaken.docx"
    profile = tmp_path / "profiel"
    run = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--convert-to", "odt", "--outdir", str(tmp_path), str(src)],
                         capture_output=True, text=True, timeout=180, check=False)
    odt = tmp_path / "wijzigingen-burgerzaken.odt"
    assert odt.is_file(), run.stderr
    with zipfile.ZipFile(odt) as z:
        content = etree.fromstring(z.read("content.xml"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "dc": "http://purl.org/dc/elements/1.1/"}
    regions = content.findall(".//text:tracked-changes/text:changed-region", ns)
    assert regions, "LibreOffice kept no tracked change"
    assert {r[0].tag.split("}")[1] for r in regions} <= {"insertion", "deletion"}
    creators = {c.text for c in content.iterfind(".//text:changed-region//dc:creator", ns)}
    assert creators == {"teamprotocol"}
    tracked = content.find(".//text:tracked-changes", ns)
    # Recording stays on for the manager's edits: ODF's default for text:track-changes is
    # true; without w:trackRevisions LibreOffice writes "false" here (measured, 25.2).
    assert tracked.get(f"{{{ns['text']}}}track-changes", "true") == "true"
    # The inserted sentence is in the text, between the change marks LibreOffice placed.
    body = etree.tostring(content, encoding="unicode", method="text")
    assert ADDED in " ".join(body.split())


def test_a_first_adopted_version_has_no_changes_document(example_build, examples):
    _, out = example_build
    for team_id in examples:
        assert not (out / team_id / f"wijzigingen-{team_id}.docx").exists()


def test_a_sidecar_that_does_not_validate_archives_nothing_and_unpublishes_the_pdf(
        example_build, tmp_path):
    """The archive record is checked before the PDF is archived; a bad one stops both."""
    from pipeline import history
    from pipeline.errors import MetadataError
    from pipeline.models import Protocol

    _, out = example_build
    pdf = tmp_path / "burgerzaken" / "teamprotocol-burgerzaken.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes((out / "burgerzaken" / "teamprotocol-burgerzaken.pdf").read_bytes())
    protocol = Protocol.model_validate_json((out / "burgerzaken" / "protocol.json").read_bytes())
    # A retention period the schema refuses, set past the policy model's own check.
    settings = load_policy().archive.model_copy(update={"bewaartermijn": "tien jaar"})
    archive = tmp_path / ARCHIVE
    target = archive / "lindenhoven_burgerzaken_teamprotocol_2.0_2026-10-14.pdf"
    with pytest.raises(MetadataError) as info:
        history.record_files(protocol, settings, history.ArchiveIndex(archive), target, pdf,
                             dt.datetime.now(dt.UTC))
    assert "MDTO-XML 1.0.1" in info.value.format()
    assert not pdf.exists()
    assert not archive.exists()
