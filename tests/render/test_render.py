"""render_protocol: content read back with python-docx and docx2python, strictness, sandbox."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx2python import docx2python
from pypdf import PdfReader

from pipeline.catalogue import CHAPTERS
from pipeline.docx_toc import number_toc, toc_entries, toc_pages
from pipeline.errors import TemplateError
from pipeline.render import TEMPLATE, render_protocol, template_context
from tests.render.conftest import COLOUR, ORG, ORG_TEXT, TRICKY, make_policy, make_protocol


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_protocol(make_protocol(), make_policy())


@pytest.fixture(scope="module")
def document(rendered):
    return docx.Document(io.BytesIO(rendered))


@pytest.fixture(scope="module")
def text2(rendered) -> str:
    with docx2python(io.BytesIO(rendered)) as result:
        return result.text


def _paragraphs(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def _all_cells(document) -> list[str]:
    return [c.text for t in document.tables for row in t.rows for c in row.cells]


def test_chapter_headings_in_werkwijzer_order(document):
    headings = [t for s, t in _paragraphs(document) if s == "Heading 1"]
    expected = [f"{n}. {t}" for n, t in CHAPTERS.items()] + ["7. Checklist: wat is geregeld",
                                                              "Bijlage A. Balie en spreekkamer"]
    assert headings[:8] == expected
    assert headings[8].startswith("Bijlage B. Telefoon")
    subheads = [t for s, t in _paragraphs(document) if s == "Heading 2"]
    assert "1.1 Kader van de organisatie" in subheads
    assert "6.2 Afspraken van het team" in subheads
    assert "7.4 Toetsing door de Nederlandse Arbeidsinspectie" in subheads


def test_team_text_literal_in_both_readers(document, text2):
    texts = [t for _, t in _paragraphs(document)]
    for line in TRICKY:
        assert line in texts
        assert line in text2
    assert "49" not in " ".join(t for t in texts if t.startswith("Formule"))
    # In table cells too (a location address with &).
    assert "Markt 1 & 2" in _all_cells(document)


def test_organisation_text_and_sources(document):
    pars = _paragraphs(document)
    assert ("Normal", ORG_TEXT) in pars
    sources = [t for s, t in pars if s == "Bron"]
    assert "Bron: organisatiebeleid" in sources
    assert "Bron: teamformulier, ‘Wat in ons werk over de grens gaat’" in sources
    assert "Bron: organisatiebeleid (geldt voor alle teams)" in sources
    assert "Bron: bijlage balie en spreekkamer, ‘Locaties’" in sources


def test_block_tables_are_word_tables(document):
    behaviour = next(t for t in document.tables
                     if t.rows[0].cells[0].text == "(Non-)verbale agressie")
    assert [c.text for c in behaviour.rows[1].cells] == ["schelden", "stalken", "slaan"]
    assert len(behaviour.rows) == 3


def test_title_page_facts_and_concept(document):
    pars = _paragraphs(document)
    assert ("Title", "Teamprotocol veilige publieke dienstverlening") in pars
    assert ("Concept", "CONCEPT") in pars
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Organisatie"] == ORG
    assert facts["Team"] == "Burgerzaken & Publiek"
    assert facts["Versie"] == "1.2"
    assert facts["Status"] == "concept"
    assert facts["Volgende evaluatie"] == "20 januari 2027"
    assert facts["Vastgesteld door"] == "nog niet vastgesteld"


def test_adopted_protocol_has_no_concept_mark():
    data = render_protocol(make_protocol(status="vastgesteld"), make_policy())
    document = docx.Document(io.BytesIO(data))
    assert "CONCEPT" not in [p.text for p in document.paragraphs]
    header = document.sections[0].header.paragraphs[0].text
    assert "CONCEPT" not in header
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Vastgesteld op"] == "10 februari 2026"
    assert facts["Vastgesteld door"] == "Directeur Publiekszaken"


def test_header_and_footer(document, rendered):
    header = document.sections[0].header.paragraphs[0].text
    assert "Burgerzaken & Publiek" in header
    assert "CONCEPT" in header
    assert "versie 1.2" in header
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        footers = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert "Pagina" in footers
    assert " PAGE " in footers
    assert " NUMPAGES " in footers


def test_annex_statuses_scores_actions_topics(document):
    protocol = make_protocol()
    cells = _all_cells(document)
    for item in protocol.annex.items:
        assert item.id in cells
    assert cells.count("✓ geregeld") >= 8
    assert "◐ deels" in cells
    assert "✗ ontbreekt" in cells
    assert "– n.v.t." in cells
    for score in protocol.annex.chapters:
        assert score.line() in cells
    assert "Regel V2 & zorg <dat> het klopt" in cells
    assert "Risico-inventarisatie en -evaluatie" in cells
    # Status cells are shaded in the status colour (docxtpl cellbg).
    xml = document.element.xml
    for fill in ("E2EFDA", "FCE4D6", "F8D7DA", "EDEDED"):
        assert f'w:fill="{fill}"' in xml


def test_toc_is_a_dirty_field_filled_with_headings(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        body = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert 'w:fldCharType="begin" w:dirty="true"' in body
    assert " TOC \\o " in body
    assert '<w:updateFields w:val="true"/>' in settings
    anchors = toc_entries(rendered)
    assert len(anchors) > 20
    assert all(f'w:name="{a}"' in body for a in anchors)


def test_branding_applied_to_styles():
    data = render_protocol(make_protocol(), make_policy(colour="#12AB34", font="Caladea"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:color w:val="12AB34"' in styles
    assert 'w:fill="12AB34"' in styles
    assert 'w:ascii="Caladea"' in styles
    assert "1F4E79" not in styles
    assert COLOUR.lstrip("#") not in styles


def test_core_properties(document):
    props = document.core_properties
    assert props.title == f"Teamprotocol Burgerzaken & Publiek — {ORG}"
    assert props.subject == "Veilige publieke dienstverlening"
    assert props.author == ORG
    assert props.language == "nl-NL"
    assert "versie 1.2" in props.keywords
    assert "concept" in props.keywords
    assert props.created.date().isoformat() == "2026-01-20"


def test_same_inputs_same_bytes(rendered, logo):
    assert render_protocol(make_protocol(), make_policy()) == rendered
    first = render_protocol(make_protocol(), make_policy(), logo=logo)
    assert render_protocol(make_protocol(), make_policy(), logo=logo) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 20, 12, 0, 0)}


def _custom_template(tmp_path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "huisstijl.docx"
    document.save(str(path))
    return path


def test_unknown_variable_fails_in_dutch(tmp_path):
    template = _custom_template(tmp_path, "Team: {{ team.name }} {{ team.onbekend }}")
    with pytest.raises(TemplateError) as info:
        render_protocol(make_protocol(), make_policy(), template=template)
    assert info.value.file == str(template)
    assert info.value.field == "onbekend"
    assert "variabele ‘onbekend’" in info.value.message
    assert "bestaat" in info.value.message


def test_sandbox_refuses_python_internals(tmp_path):
    template = _custom_template(tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(TemplateError) as info:
        render_protocol(make_protocol(), make_policy(), template=template)
    assert "niet is toegestaan" in info.value.message


def test_custom_template_with_known_variables(tmp_path):
    template = _custom_template(tmp_path, "{{ org.name }} / {{ team.name }}")
    data = render_protocol(make_protocol(), make_policy(), template=template)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == f"{ORG} / Burgerzaken & Publiek"


def test_missing_or_broken_template(tmp_path):
    with pytest.raises(TemplateError, match="niet gevonden"):
        render_protocol(make_protocol(), make_policy(), template=tmp_path / "weg.docx")
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"geen zip")
    with pytest.raises(TemplateError, match="geen leesbaar Word-bestand"):
        render_protocol(make_protocol(), make_policy(), template=broken)


def test_context_is_plain_data():
    context = template_context(make_protocol(), make_policy())
    assert set(context) == {"org", "team", "meta", "history", "chapters", "appendices", "annex"}
    assert len(context["annex"]["checks"]) == 30
    assert len(context["annex"]["topics"]) == 11


def test_template_file_is_the_committed_one():
    assert TEMPLATE.name == "protocol.docx"
    assert TEMPLATE.is_file()


def _to_pdf(src: Path, out: Path) -> PdfReader:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo",
                    "--convert-to", "pdf", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    return PdfReader(out / (src.stem + ".pdf"))


@pytest.mark.slow
def test_pdf_shows_toc_and_page_x_of_y(tmp_path, rendered):
    """Real LibreOffice: TOC entries and 'Pagina X van Y' in the PDF; a second pass numbers
    the TOC with the pages of the first PDF."""
    first = tmp_path / "protocol.docx"
    first.write_bytes(rendered)
    reader = _to_pdf(first, tmp_path)
    toc_page = reader.pages[1].extract_text()
    for title in CHAPTERS.values():
        assert title in toc_page
    assert "7. Checklist: wat is geregeld" in toc_page
    assert f"Pagina 2 van {len(reader.pages)}" in toc_page
    pages = toc_pages(rendered, first.with_suffix(".pdf"))
    assert len(pages) == len(toc_entries(rendered))

    second = tmp_path / "genummerd.docx"
    second.write_bytes(number_toc(rendered, first.with_suffix(".pdf")))
    numbered = _to_pdf(second, tmp_path)
    assert len(numbered.pages) == len(reader.pages)
    lines = numbered.pages[1].extract_text().splitlines()
    entry = next(x for x in lines if x.startswith("4. Normoverschrijdend gedrag tegengaan"))
    heading_page = next(i for i, p in enumerate(numbered.pages, 1)
                        if "4. Normoverschrijdend gedrag tegengaan" in p.extract_text()
                        and i > 2)
    assert entry.rstrip().endswith(str(heading_page))
