"""The PDF's text compared with its .docx (issue 21, item 1): a real protocol rendered with
the emoji LibreOffice garbles left in an answer (as 0.3.1 did), converted by LibreOffice and
checked by the batch's own check: the digits the PDF lost are found, the team's field and the
characters behind it are named, and the answer itself is not repeated. A clean protocol and
its alarm card compare equal, so the check does not cry wolf."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from helpers.examples import example
from pypdf import PdfReader

from pipeline.batch import assemble
from pipeline.batch.checks import Check, check_pdf, text_problems
from pipeline.models import Block, Origin, Protocol, Source
from pipeline.pdf.compare import compare, docx_text, unmapped_glyphs
from pipeline.pdf.convert import PdfConverter
from pipeline.pdf.verify import validate_pdf
from pipeline.policy import load_policy
from pipeline.render import render_card, render_protocol

pytestmark = pytest.mark.libreoffice  # converts with LibreOffice

TODAY = dt.date(2026, 12, 1)
CLEAN = "Bij nood 112 bellen, of 06-12345678."
GARBLED = "Alarm 🚨; bij nood 📞 112 bellen, of 📞 0612345678. Agent 👮\u200d♀️ komt."


def _with_answer(protocol: Protocol, text: str) -> Protocol:
    """The protocol with `text` as the team's answer 'Orde bewaken' in chapter 3."""
    block = Block(title="Orde bewaken", paragraphs=[text],
                  source=Source(origin=Origin.TEAM, form="team", tag="team.orde",
                                label="Wie de orde bewaakt en hoe"))
    chapters = [c.model_copy(update={"team": [*c.team, block]}) if c.number == 3 else c
                for c in protocol.chapters]
    return protocol.model_copy(update={"chapters": chapters})


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Protocol]]:
    """name -> (docx, pdf, protocol): a protocol with raw emoji, a clean one, its card."""
    base = tmp_path_factory.mktemp("pdftext")
    policy = load_policy()
    protocol = assemble(policy, example("burgerzaken"), today=TODAY)
    garbled = _with_answer(protocol, GARBLED)
    clean = _with_answer(protocol, CLEAN)
    docs = {"garbled": (render_protocol(garbled, policy), garbled),
            "clean": (render_protocol(clean, policy), clean),
            "card": (render_card(clean, policy), clean)}
    items, out = [], {}
    for name, (data, protocol) in docs.items():
        docx = base / f"{name}.docx"
        docx.write_bytes(data)
        items.append((docx, base / f"{name}.pdf"))
        out[name] = (docx, base / f"{name}.pdf", protocol)
    with PdfConverter(jobs=1) as converter:
        done = converter.convert(items)
    assert all(isinstance(v, Path) for v in done.values()), done
    return out


def test_emoji_lost_in_the_pdf_fail_the_check_naming_field_and_characters(pdfs):
    docx, pdf, protocol = pdfs["garbled"]
    printed = " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
    assert "📞" in docx_text(docx.read_bytes())[0]
    assert "📞" not in printed
    lost = {d.text for d in compare(docx.read_bytes(), pdf).differences}
    # LibreOffice 25.2 drops (or, on 0.3.1's machine, misprinted) the emoji no font has.
    assert {"🚨", "📞"} <= lost

    checked = check_pdf(Check(pdf=pdf, docx=docx, rel_pdf="t/t.pdf", adopted=False,
                              font="Calibri", out_dir=pdf.parent, team_id="t"))
    assert checked.differences
    assert not checked.problems
    assert checked.pdf_hash == ""  # not stamped, not published: the batch fails the team
    problems = text_problems(checked.differences, protocol, "t/t.pdf")
    assert [p.field for p in problems] == ["Wie de orde bewaakt en hoe"]
    line = problems[0].format()
    assert "t/t.pdf — Wie de orde bewaakt en hoe — de tekst van de PDF wijkt af" in line

    assert "'📞' (U+1F4DE)" in line
    assert "'🚨' (U+1F6A8)" in line
    assert "112" not in line
    assert "0612345678" not in line


def test_a_clean_protocol_and_its_card_compare_equal(pdfs):
    for name in ("clean", "card"):
        docx, pdf, _ = pdfs[name]
        assert compare(docx.read_bytes(), pdf, words=name == "card").differences == [], name


def test_a_number_changed_after_conversion_is_found_in_its_field(pdfs, tmp_path):
    """The .docx says 113 where its PDF says 112: the one number is reported, in its field."""
    docx, pdf, protocol = pdfs["clean"]
    changed = tmp_path / "changed.docx"
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(changed, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"Bij nood 112 bellen", b"Bij nood 113 bellen")
            zout.writestr(item, data)
    differences = compare(changed.read_bytes(), pdf).differences
    assert [(d.kind, d.text) for d in differences] == [("getal", "113")]
    moved = _with_answer(protocol, CLEAN.replace("112", "113"))
    assert [p.field for p in text_problems(differences, moved, "x.pdf")] == [
        "Wie de orde bewaakt en hoe"]


def test_the_validators_font_finding_is_named_with_its_field(pdfs, tmp_path):
    """page's PDFUA1-FONT-UNICODE-MAPPING-001 names only an object: the glyphs without a
    character are found in the PDF, and with them the field whose text holds them."""
    docx, pdf, protocol = pdfs["garbled"]
    copy = tmp_path / "t.pdf"
    copy.write_bytes(pdf.read_bytes())  # validate_pdf sets the PDF/A level in place
    findings = [p.message for p in validate_pdf(copy, name="t/t.pdf")]
    assert any("PDFUA1-FONT-UNICODE-MAPPING" in m for m in findings), findings
    glyphs = unmapped_glyphs(docx.read_bytes(), copy)
    assert glyphs
    assert all(d.kind == "lettertype" for d in glyphs)
    problems = text_problems(glyphs, protocol, "t/t.pdf")
    assert [p.field for p in problems] == ["Wie de orde bewaakt en hoe"]
    assert "PDFUA1-FONT-UNICODE-MAPPING" in problems[0].message
    assert "'♀' (U+2640)" in problems[0].message  # the emoji's part still in the text
    clean = tmp_path / "clean.pdf"
    clean.write_bytes(pdfs["clean"][1].read_bytes())
    assert unmapped_glyphs(pdfs["clean"][0].read_bytes(), clean) == []


def test_a_table_row_libreoffice_left_out_fails_with_a_layout_hint():
    """A real case (tests/data/lost-row): LibreOffice dropped a table row at a page break.
    The check names the field and says it is the layout, not a character, and what to do."""
    data = Path(__file__).parent.parent / "data" / "lost-row"
    protocol = Protocol.model_validate_json((data / "protocol.json").read_bytes())
    docx = (data / "teamprotocol-burgerzaken-0049.docx").read_bytes()
    found = compare(docx, data / "teamprotocol-burgerzaken-0049.pdf").differences
    assert {d.text for d in found} >= {"40"}
    assert {d.kind for d in found} == {"getal"}
    [problem] = text_problems(found, protocol, "t/t.pdf")
    assert problem.field == "Locaties"
    assert "LibreOffice liet deze tekst weg" in (problem.hint or "")
    assert "emoji" not in (problem.hint or "")
