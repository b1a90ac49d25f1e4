"""The example build's PDFs by the independent validator, and its contents in Word."""

from __future__ import annotations

import zipfile

import page
import pytest
from helpers.batch import ARCHIVE

from pipeline.examples import example_teams
from pipeline.pdf.read import toc_link_pages
from pipeline.pdf.validate import STREAM_LENGTH_RULE, _excused, conformance
from pipeline.render.toc_pages import toc_entries

pytestmark = pytest.mark.libreoffice  # its tests convert with LibreOffice

TEAM_IDS = [identity.team_id for identity, _ in example_teams()]


def test_every_example_pdf_passes_pdfa_and_pdfua1(example_build):
    """Zero failures from page for the PDF/A level each claims and PDF/UA-1, also the archived
    copies, and each claims PDF/UA-1 (a concept keeps the claim only when it passed). What
    goes to the archive claims PDF/A-2a, which the validator passed; concepts PDF/A-2b."""
    _, out = example_build
    pdfs = [*sorted(out.glob("*/teamprotocol-*.pdf")), *sorted((out / ARCHIVE).glob("*.pdf"))]
    assert len(pdfs) == len(TEAM_IDS) + 2
    archived = sorted((out / ARCHIVE).glob("*.pdf"))
    assert all(conformance(pdf.read_bytes()) == "A" for pdf in archived)
    for pdf in pdfs:
        level = conformance(pdf.read_bytes())
        for profile in ("2a" if level == "A" else "2b", "ua1"):
            failures = page.validate_pdf(pdf, profile=profile).failures
            # The one documented false report (a stream ending in 0x0D before the EOL and
            # endstream, /Length right) is verified byte by byte; nothing else may be left.
            assert {f.rule_id for f in failures} <= {STREAM_LENGTH_RULE,
                                                      "PDFA2A-STREAM-LENGTH-001"}, (pdf.name,
                                                                                    profile)
            assert _excused(pdf, failures) == [], (pdf.name, profile)
        assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf.read_bytes()


@pytest.mark.parametrize("team_id", TEAM_IDS)
def test_docx_contents_is_a_toc_field_with_the_pdf_page_numbers(example_build, team_id):
    """The Word protocol's contents is a real TOC field whose stored page numbers are those
    of the PDF, and Word is not asked to update fields."""
    _, out = example_build
    docx = out / team_id / f"teamprotocol-{team_id}.docx"
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert "updateFields" not in settings
    assert body.count(' TOC \\o "1-2" \\h \\z ') == 1
    # The PDF's contents links are named by their heading's text (pdf/links.py).
    pages = toc_link_pages(out / team_id / f"teamprotocol-{team_id}.pdf")
    for anchor, text in toc_entries(docx.read_bytes()):
        cached = body.split(f" PAGEREF {anchor} \\h ", 1)[1]
        number = cached.split("<w:t", 1)[1].split(">", 1)[1].split("<", 1)[0]
        assert number == str(pages[text]), anchor


def test_the_logo_is_kept_lossless_and_the_examples_are_short(example_build):
    """The PNG logo is not recompressed into JPEG, and chapters follow on: no example protocol
    has a page with fewer than 5 lines of text except its last, and none is longer than 25
    pages (they were 24-33 with a page break before every chapter, at most 23 without; the
    parts issue 22 added to the example policy, such as the serious-incident chain, the
    dadergerichte aanpak, derden and the rules on home visits, take about a page more)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    _, out = example_build
    for team_id in TEAM_IDS:
        pdf = out / team_id / f"teamprotocol-{team_id}.pdf"
        images = PdfReader(pdf).pages[0]["/Resources"]["/XObject"]
        assert {str(x.get_object()["/Filter"]) for x in images.values()} == {"/FlateDecode"}
        document = pdfium.PdfDocument(pdf)
        lines = [len([line for line in p.get_textpage().get_text_range().splitlines()
                      if line.strip()]) for p in document]
        assert len(lines) <= 25, team_id
        assert min(lines[:-1]) >= 5, (team_id, lines)


def _struct_elements(reader, kind: str) -> list:
    """Every structure element of type `kind` (after the role map), in document order."""
    from pypdf.generic import IndirectObject

    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    roles = root.get("/RoleMap", {})
    found = []

    def walk(node) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        s = node.get("/S")
        if s is not None and roles.get(s, s) == kind:
            found.append(node)
        if node.get("/K") is not None:
            walk(node["/K"])

    walk(root["/K"])
    return found


def _kids(node, roles) -> list:
    from pypdf.generic import IndirectObject

    kids = node.get("/K")
    kids = kids if isinstance(kids, list) else [kids]
    out = []
    for kid in kids:
        kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if hasattr(kid, "get"):
            out.append(kid)
    return out


@pytest.mark.parametrize("team_id", TEAM_IDS)
def test_a_listener_hears_link_names_and_table_headers(example_build, team_id):
    """Walking the PDF's structure tree: every contents link is announced by its heading's
    text (not `_Toc00001`), and the title page's facts table starts with header cells."""
    from pypdf import PdfReader

    from pipeline.render.toc_pages import toc_entries

    _, out = example_build
    reader = PdfReader(out / team_id / f"teamprotocol-{team_id}.pdf")
    headings = {text for _, text in toc_entries(
        (out / team_id / f"teamprotocol-{team_id}.docx").read_bytes())}
    names = []
    for link in _struct_elements(reader, "/Link"):
        for kid in _kids(link, {}):
            if kid.get("/Type") == "/OBJR":
                names.append(str(kid["/Obj"].get_object().get("/Contents", "")))
    assert len(names) >= len(headings) > 10
    assert not [n for n in names if n.startswith("_Toc")]
    assert set(names) == headings
    roles = reader.trailer["/Root"]["/StructTreeRoot"].get_object().get("/RoleMap", {})
    facts = _struct_elements(reader, "/Table")[0]
    first_row = next(k for k in _kids(facts, roles) if roles.get(k["/S"], k["/S"]) == "/TR")
    cells = [roles.get(c["/S"], c["/S"]) for c in _kids(first_row, roles)]
    assert cells == ["/TH"]


@pytest.mark.parametrize("team_id", TEAM_IDS)
def test_no_protocol_ends_on_a_near_empty_page(example_build, team_id):
    """The last page's text (header and footer bands left out) fills at least a quarter of
    the body's height: version 0.3.1 ended handhaving on a page used for 13 %, the tail of a
    stack of identical gap boxes (issue 23)."""
    import pypdfium2 as pdfium

    _, out = example_build
    doc = pdfium.PdfDocument(out / team_id / f"teamprotocol-{team_id}.pdf")
    try:
        last = doc[len(doc) - 1]
        height = last.get_height()
        text = last.get_textpage()
        # (left, bottom, right, top) of each text rectangle, in points from the page's foot.
        body = [rect for rect in (text.get_rect(i) for i in range(text.count_rects()))
                if 0.08 * height < rect[1] and rect[3] < 0.92 * height]
        used = (max(r[3] for r in body) - min(r[1] for r in body)) / (0.84 * height)
    finally:
        doc.close()
    assert used >= 0.25, f"{used:.0%}"
