"""render_protocol: content read back with python-docx and docx2python, strictness, sandbox."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx2python import docx2python
from helpers.render import COLOUR, ORG, ORG_TEXT, TRICKY, make_policy, make_protocol
from lxml import etree
from pypdf import PdfReader

from pipeline.batch import assemble
from pipeline.catalogue import CHAPTERS
from pipeline.errors import TemplateError
from pipeline.models import FormData, Status, TeamForms
from pipeline.render import (
    STATUS_LOOK,
    SYMBOL_FONT,
    TEMPLATE,
    render_protocol,
    template_context,
)
from pipeline.render.context import UNANSWERED_INTRO
from pipeline.render.toc_pages import toc_entries

WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


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
    expected = [f"{n}. {t}" for n, t in CHAPTERS.items()] + [
        "7. Checklist: wat is geregeld", "Bijlage 1: Balie en spreekkamer",
        "Bijlage 2: Telefoon, e-mail, post en sociale media"]
    assert headings == expected
    subheads = [t for s, t in _paragraphs(document) if s == "Heading 2"]
    assert "1.1 Kader van de organisatie" in subheads
    assert "6.2 Afspraken van het team" in subheads
    assert "7.4 Overzicht naar de elf onderwerpen van de Werkwijzer (2019)" in subheads


def test_team_text_literal_in_both_readers(document, text2):
    texts = [t for _, t in _paragraphs(document)]
    for line in TRICKY:
        assert line in texts
        assert line in text2
    assert "49" not in " ".join(t for t in texts if t.startswith("Formule"))
    # In table cells too (a location address with &).
    assert "Markt 1 & 2" in _all_cells(document)


def test_organisation_text_and_sources(document):
    """The source once per section, not a line under every block; an organisation text in the
    team's part is labelled as such."""
    pars = _paragraphs(document)
    assert ("Normal", ORG_TEXT) in pars
    sources = [t for s, t in pars if s == "Bron"]
    # The policy's kind is "organisatie": the name stays as written ("de gemeente …" only
    # when the name starts with the kind); the chapter's documents follow the line.
    line = f"Bron: het beleid van {ORG}; dit geldt voor alle teams."
    assert len([t for t in sources if t.startswith(line)]) == 6
    assert "Bron: het teamformulier, ingevuld door Burgerzaken & Publiek." in sources
    assert any(t.startswith("Bron: het formulier ‘") for t in sources)
    # Two per chapter (the frame, the team's part) and one per appendix, whatever the blocks.
    assert len(sources) <= 2 * 6 + 2
    # No source line stands directly before a heading: it always keeps with its text.
    for (style, _), (after, _) in zip(pars, pars[1:], strict=False):
        if style == "Bron":
            assert not after.startswith("Heading 1"), after


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
    assert facts["Versie"] == "1.2 (concept), 20 januari 2026"
    assert facts["Status"] == "concept"
    assert facts["Volgende evaluatie"] == "20 januari 2027"
    assert facts["Vastgesteld door"] == "nog niet vastgesteld"


def test_a_concept_holding_last_versions_adoption_does_not_print_it():
    """A form set back to concept for the next version still holds who adopted the last one
    and when: the title page says the concept is not adopted, with the team meeting's date."""
    protocol = make_protocol(status="vastgesteld")
    protocol.meta.status = "concept"
    protocol.meta.version = "1.3"
    document = docx.Document(io.BytesIO(render_protocol(protocol, make_policy())))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Vastgesteld door"] == "nog niet vastgesteld"
    assert facts["Vastgesteld op"] == "nog niet vastgesteld"
    assert facts["Versie"] == "1.3 (concept), 20 januari 2026"
    assert "Directeur Publiekszaken" not in " ".join(facts.values())


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
    assert cells.count("✓ geregeld") >= 6
    assert "? te beoordelen" in cells
    assert "Melden van incidenten: beoordeeld door R. de Vries op 1 maart 2026: akkoord" \
        in cells
    assert "◐ deels" in cells
    assert "✗ ontbreekt" in cells
    assert "– n.v.t." in cells
    for score in protocol.annex.chapters:
        assert f"{score.counts[Status.GEREGELD]} van {score.applicable}" in cells
    assert "Regel V2 & zorg <dat> het klopt" in cells
    assert "Risico-inventarisatie en -evaluatie" in cells
    # Status cells are shaded in the status colour (docxtpl cellbg).
    xml = document.element.xml
    for _symbol, _colour, fill in STATUS_LOOK.values():
        assert f'w:fill="{fill}"' in xml


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an RRGGBB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_status_colours_have_contrast_and_differ_in_grey():
    """Every status text colour reaches 4.5:1 on its fill (WCAG 1.4.3, PDF/UA), and the fills
    of deels and ontbreekt differ in grey (they were the same before)."""
    for status, (_symbol, colour, fill) in STATUS_LOOK.items():
        light, dark = sorted((_luminance(colour), _luminance(fill)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, status
    deels, ontbreekt = STATUS_LOOK[Status.DEELS][2], STATUS_LOOK[Status.ONTBREEKT][2]
    assert abs(_luminance(deels) - _luminance(ontbreekt)) > 0.1


def test_toc_is_plain_lines_with_pageref_fields(rendered, document):
    """No TOC field: one `toc n` line per heading, hyperlinked, with a standalone PAGEREF."""
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        body = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert " TOC " not in body
    assert '<w:updateFields w:val="true"/>' in settings
    entries = toc_entries(rendered)
    headings = [(s, t) for s, t in _paragraphs(document) if s in ("Heading 1", "Heading 2")]
    assert [t for _, t in entries] == [t for _, t in headings]
    for anchor, _ in entries:
        assert f'w:name="{anchor}"' in body
        assert body.count(f" PAGEREF {anchor} \\h ") == 1
    lines = [(p.style.name, p.text) for p in document.paragraphs
             if p.style.name.startswith("toc")]
    assert lines == [(s.replace("Heading", "toc"), t + "\t") for s, t in headings]


def test_branding_applied_to_styles():
    data = render_protocol(make_protocol(), make_policy(colour="#1A6B30", font="Caladea"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:color w:val="1A6B30"' in styles
    assert 'w:fill="1A6B30"' in styles
    assert 'w:ascii="Caladea"' in styles
    assert "1F4E79" not in styles
    assert COLOUR.lstrip("#") not in styles


def test_core_properties(document):
    props = document.core_properties
    assert props.title == f"Teamprotocol Burgerzaken en Publiek — {ORG}"  # & escapes badly
    assert props.subject == "Veilige publieke dienstverlening"
    assert props.author == ORG
    assert props.language == "nl-NL"
    assert "versie\u00a01.2" in props.keywords.split(";")
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
    assert set(context) == {"org", "team", "meta", "history", "chapters", "appendices", "annex",
                            "card"}
    assert len(context["annex"]["checks"]) == 30
    assert len(context["annex"]["topics"]) == 11


@pytest.mark.slow
def test_template_file_is_the_committed_one(tmp_path: Path):
    """The shipped template is what `scripts/make_template.py` writes now, part by part (the
    zip's own timestamps differ per run); run it after changing the script."""
    import difflib
    import sys

    fresh = tmp_path / "protocol.docx"
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_template.py"
    subprocess.run([sys.executable, str(script), str(fresh)], check=True, capture_output=True,
                   timeout=120)
    assert TEMPLATE.name == "protocol.docx"
    with zipfile.ZipFile(TEMPLATE) as shipped, zipfile.ZipFile(fresh) as made:
        assert shipped.namelist() == made.namelist(), "other parts: run scripts/make_template.py"
        for name in shipped.namelist():
            old, new = shipped.read(name), made.read(name)
            if old != new:
                diff = difflib.unified_diff(
                    old.decode("utf-8", "replace").replace("><", ">\n<").splitlines(),
                    new.decode("utf-8", "replace").replace("><", ">\n<").splitlines(),
                    "committed/" + name, "make_template.py/" + name, lineterm="", n=2)
                pytest.fail(f"{name} differs; run scripts/make_template.py:\n"
                            + "\n".join(list(diff)[:60]))


def _to_pdf(src: Path, out: Path) -> PdfReader:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/lo",
                    "--convert-to", "pdf", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=120)
    return PdfReader(out / (src.stem + ".pdf"))


def _heading_pages(reader: PdfReader) -> dict[str, int]:
    """Heading text -> page, from the PDF outline LibreOffice writes for every heading."""
    found: dict[str, int] = {}

    def walk(entries) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.setdefault(entry.title.strip(), reader.get_destination_page_number(entry) + 1)

    walk(reader.outline)
    return found


@pytest.mark.slow
@pytest.mark.libreoffice
def test_pdf_toc_numbers_right_after_one_conversion(tmp_path, rendered):
    """Real LibreOffice, ONE conversion: every contents line ends in its heading's page."""
    source = tmp_path / "protocol.docx"
    source.write_bytes(rendered)
    reader = _to_pdf(source, tmp_path)
    texts = [p.extract_text() for p in reader.pages]
    assert f"Pagina 2 van {len(reader.pages)}" in texts[1]
    contents = [line for t in texts[1:3] for line in t.splitlines()]
    outline = _heading_pages(reader)
    printed = {}
    for _, title in toc_entries(rendered):
        line = next(x for x in contents if x.startswith(title + "."))
        printed[title] = int(re.search(r"(\d+)\s*$", line).group(1))
    assert printed == {title: outline[title] for title in printed}
    # The headings really are on those pages (not only in the outline), from the first
    # chapter to the annex and the last appendix; and the numbers are not all alike.
    for title in ("1. Visie op veilige publieke dienstverlening", "4.2 Afspraken van het team",
                  "7. Checklist: wat is geregeld", "7.4 Overzicht naar de elf onderwerpen van de "
                  "Werkwijzer (2019)",
                  "Bijlage 2: Telefoon, e-mail, post en sociale media"):
        assert title in texts[printed[title] - 1].splitlines()
    assert printed["1. Visie op veilige publieke dienstverlening"] == 3
    assert printed["Bijlage 2: Telefoon, e-mail, post en sociale media"] > printed[
        "7. Checklist: wat is geregeld"]


def test_appendix_pointers_name_the_appendix_headings():
    """Chapters 3 and 4 point to the appendices with exactly the words of their headings."""
    team = FormData(path="team.docx", kind="team", team_id="t", schema_version="1",
                    fields={"team.contact_balie": True, "team.contact_digitaal": True})
    protocol = assemble(make_policy(), TeamForms(team_id="t", forms={"team": team}))
    document = docx.Document(io.BytesIO(render_protocol(protocol, make_policy())))
    pars = _paragraphs(document)
    appendices = [t for s, t in pars if s == "Heading 1" and t.startswith("Bijlage")]
    assert appendices == ["Bijlage 1: Balie en spreekkamer",
                          "Bijlage 2: Telefoon, e-mail, post en sociale media"]
    start = pars.index(("Heading 3", "Afspraken per contactvorm"))
    assert [t for s, t in pars[start:] if s == "List Bullet"][:2] == appendices


def test_metadata_text_and_keywords_survive_libreoffice_unchanged():
    from pipeline.render import metadata_keywords, metadata_text

    assert metadata_text("Toezicht (boa's) & <Wijk> \"Noord\"") == \
        "Toezicht (boa’s) en ‹Wijk› ”Noord”"
    nbsp = "\u00a0"
    assert metadata_keywords(["Gemeente Lindenhoven", "Wijk, Noord; Zuid", "concept"]) == \
        f"Gemeente{nbsp}Lindenhoven;Wijk{nbsp}Noord{nbsp}Zuid;concept"


def test_numbered_steps_are_a_word_list_numbered_from_one_each() -> None:
    """Steps typed with their numbers become a real numbered list (Word numbering, hanging
    indent), each list from 1, kept together; a mixed list stays bullets."""
    protocol = make_protocol()
    protocol.chapters[3].organisation[0].bullets = ["1. Begrenzen: benoem het gedrag.",
                                                    "2) Beëindigen: stop het gesprek."]
    protocol.chapters[4].organisation[0].bullets = ["1. Eerst dit", "en dan dat"]  # mixed
    protocol.chapters[5].organisation[0].bullets = ["Stap een", "Stap twee", "Stap drie"]
    protocol.chapters[5].organisation[0].numbered = True
    document = docx.Document(io.BytesIO(render_protocol(protocol, make_policy())))
    paragraphs = document.paragraphs
    style = {p.text: p.style.name for p in paragraphs}
    steps = ["Begrenzen: benoem het gedrag.", "Beëindigen: stop het gesprek."]
    assert [style[s] for s in steps] == ["List Number", "List Number"]
    assert style["1. Eerst dit"] == style["en dan dat"] == "List Bullet"
    texts = [p.text for p in paragraphs]
    first = texts.index(steps[0])
    assert texts[first - 1:first + 2] == ["Tweede alinea.", *steps]
    lists = {}
    for p in paragraphs:
        if p.style.name == "List Number":
            num = p._p.pPr.numPr
            lists.setdefault(num.numId.val, []).append(p)
    assert [len(v) for v in lists.values()] == [2, 3]
    numbering = document.part.numbering_part.element
    for num_id, items in lists.items():
        [num] = [n for n in numbering.num_lst if n.numId == num_id]
        assert num.xpath("w:lvlOverride/w:startOverride/@w:val") == ["1"]
        kept = [p.style.paragraph_format.keep_with_next if p.paragraph_format.keep_with_next
                is None else p.paragraph_format.keep_with_next for p in items]
        assert kept == [True] * (len(items) - 1) + [False]


def test_annex_chapter_rows_keep_with_their_first_item(document) -> None:
    """A chapter's row in table 7.2 never ends a page alone: its paragraph keeps with next."""
    rows = [row for table in document.tables for row in table.rows
            if re.match(r"\d\. .+ — ", row.cells[0].text) and len(set(row.cells)) == 1]
    assert len(rows) == len(CHAPTERS)
    assert all(p.paragraph_format.keep_with_next for row in rows for p in row.cells[0].paragraphs)


def _docpr_descriptions(data: bytes) -> list[str | None]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    return [d.get("descr") for d in body.iter(f"{{{WP_NS}}}docPr")]


def test_logo_has_alternative_text(logo):
    """The logo's `wp:docPr/@descr` (the PDF's Figure /Alt): the policy's text, else a default."""
    data = render_protocol(make_protocol(), make_policy(), logo=logo)
    assert _docpr_descriptions(data) == [f"Logo van {ORG}"]
    policy = make_policy()
    branding = policy.branding.model_copy(update={"logo_alt": "Wapen van de gemeente"})
    policy = policy.model_copy(update={"branding": branding})
    data = render_protocol(make_protocol(), policy, logo=logo)
    assert _docpr_descriptions(data) == ["Wapen van de gemeente"]


def test_headings_never_skip_a_level(document):
    """Heading 1 → 2 → 3 without jumps, also in the appendices (PDF/UA-1 7.4.2)."""
    level = 0
    for style, _text in _paragraphs(document):
        if style.startswith("Heading "):
            new = int(style.split()[1])
            assert new <= level + 1, (style, _text)
            level = new


def test_bullets_are_text_bullets_in_the_text_font(rendered):
    """The list marker is "•" with no font of its own (Symbol's U+F0B7 has no real Unicode)."""
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    bullets = numbering.xpath("//w:lvl[w:numFmt/@w:val='bullet']", namespaces=ns)
    assert bullets
    for lvl in bullets:
        assert lvl.xpath("string(w:lvlText/@w:val)", namespaces=ns) == "\u2022"
        assert not lvl.xpath("w:rPr/w:rFonts", namespaces=ns)


def test_status_symbols_are_runs_in_one_symbol_font(rendered):
    """Each ✓ ◐ ✗ of a status label is a run of its own in SYMBOL_FONT (Calibri has none)."""
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    runs = [r for r in body.iterfind(".//w:tc//w:r", ns)
            if r.findtext("w:t", "", ns).strip() in ("✓", "◐", "✗")]
    assert len(runs) >= 20
    for run in runs:
        assert run.xpath("string(w:rPr/w:rFonts/@w:ascii)", namespaces=ns) == SYMBOL_FONT


def test_what_is_missing_is_one_line_per_form_without_the_obvious_reason():
    from pipeline.models import MissingPart
    from pipeline.render.annex import missing_lines

    def team(form, question, reason, empty=False):
        return MissingPart(party="team", form=form, question=question, reason=reason,
                           empty=empty)

    assert missing_lines([
        team("balie", "Minimale bezetting", "niet ingevuld", empty=True),
        team("team", "Derden die met het team werken", "‘n.v.t.’ regelt niets"),
        team("balie", "Er hangen camera's bij de balie", "niet beantwoord", empty=True),
        team("team", "Datum van het teamoverleg (stap 2)", "de datum ligt in de toekomst"),
        MissingPart(party="organisatie", reason="nog niet geregeld in het beleid"),
        MissingPart(party="team", form="huisbezoek", reason="ontbreekt"),
        # A team's open action is its own line, whatever brackets its text holds.
        MissingPart(party="team", reason="openstaande actie van het team: Tweede uitgang "
                                         "(spreekkamer 3)"),
    ]) == [
        "Bijlage balie en spreekkamer: Minimale bezetting; Er hangen camera's bij de balie",
        "Teamformulier: Derden die met het team werken (‘n.v.t.’ regelt niets); Datum van het "
        "teamoverleg (stap 2) (de datum ligt in de toekomst)",
        "Organisatie: nog niet geregeld in het beleid",
        "Bijlage huis- en bedrijfsbezoek ontbreekt",
        "Openstaande actie van het team: Tweede uitgang (spreekkamer 3)",
    ]


def test_unanswered_questions_in_a_row_are_one_box_naming_each():
    """A contact form left almost empty: the questions without an answer that follow each
    other are one box naming each (by its protocol heading) with its checklist items, not a
    heading and an identical box per question; a statement is named in its box, with no
    sentence above it saying the same.
    An answered question in between splits the run."""
    team = FormData(path="team.docx", kind="team", team_id="t", schema_version="1",
                    fields={"team.contact_balie": True})
    balie = FormData(path="balie.docx", kind="balie", team_id="t", schema_version="1",
                     fields={"balie.spreekkamer": "Twee uitgangen in elke spreekkamer."})
    protocol = assemble(make_policy(), TeamForms(team_id="t",
                                                 forms={"team": team, "balie": balie}))
    document = docx.Document(io.BytesIO(render_protocol(protocol, make_policy())))
    pars = _paragraphs(document)
    start = pars.index(("Heading 1", "Bijlage 1: Balie en spreekkamer"))
    appendix = pars[start + 1:]
    boxes = [t for s, t in appendix if s == "Open punt"]
    assert boxes == [
        "Nog niet ingevuld; zie onderdeel O1 in hoofdstuk 7.",  # Locaties, alone: its own
        f"{UNANSWERED_INTRO}\n"
        "• De huisregels hangen zichtbaar op elke locatie (O4)\n"
        "• Bekendmaking van de huisregels (O3)\n"
        "• Ordebewaking aan de balie (O5)\n"
        "• Controle op toegangsverboden (O5, N9)\n"
        "• Minimale bezetting en risicomomenten (N5)",
        f"{UNANSWERED_INTRO}\n"
        "• Vluchtwegen (N6)\n"
        "• Scheiding van publieks- en kantoorruimte (N6)\n"
        "• Er hangen camera's bij de balie en de ingang (N6)\n"
        "• Elke balie en spreekkamer heeft een alarmknop (N7)\n"
        "• Alarmopvolging (N7)\n"
        "• Test van het alarm (N7)",
    ]
    headings = [t for s, t in appendix if s.startswith("Heading") or s == "Bijlagekop"]
    assert headings.count("Nog niet ingevuld") == 2  # each run under a heading of its own
    assert "Wie de orde bewaakt en hoe" not in headings
    assert "Locaties" in headings
    assert "Inrichting van de spreekkamers" in headings  # the answered one keeps its own
    assert not [t for _, t in appendix if "niet beantwoord." in t]
