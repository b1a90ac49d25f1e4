"""The answer box is the control: what a team lead types in a long answer's box is read, and
what lands beside or below a control in its box is read with a warning, never dropped
(Word's XML written with lxml; the real LibreOffice round trip in test_forms_libreoffice)."""

from __future__ import annotations

import copy
import zipfile

from helpers.forms_wordfill import NS, _runs, as_inline, box_of, control, edit_docx, fill_text, w
from lxml import etree

from pipeline.forms import layout
from pipeline.forms.read import read_form

TAG = "balie.bezetting"  # a long (multi-line) answer
BELOW = "onder het antwoord"


def _enter_and_type(after: etree._Element, text: str) -> etree._Element:
    """Enter at the end of paragraph `after`, then typing: Word's new paragraph keeps the
    paragraph properties (the box's style) of the one it was split from."""
    p = etree.Element(w("p"))
    ppr = after.find("w:pPr", NS)
    if ppr is not None:
        p.append(copy.deepcopy(ppr))
    p.append(_runs(text))
    after.addnext(p)
    return p


def _warnings(data, tag=TAG):
    return [p.message for p in data.warnings if p.tag == tag]


def test_the_long_answer_box_is_one_block_level_control(make_form):
    """The box paragraph lies inside the control: nothing of the box is outside it."""
    src = make_form("balie")
    with zipfile.ZipFile(src) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    sdt = control(body, TAG)
    assert sdt.getparent().tag == w("body")
    (box,) = sdt.findall("w:sdtContent/w:p", NS)
    assert box.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) == layout.ANSWER
    nxt = sdt.getnext()
    assert nxt.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) != layout.ANSWER


def test_enter_in_the_box_below_a_filled_answer_is_inside_the_control(make_form, tmp_path):
    """Word: a click below the filled answer in its box, Enter, a second paragraph. In the
    block-level control that paragraph is the control's own: read exactly, no warning."""
    src = make_form("balie")

    def typed(root):
        fill_text(root, TAG, "Altijd twee mensen aan de balie.")
        first = control(root, TAG).find("w:sdtContent/w:p", NS)
        _enter_and_type(first, "Op dinsdag drie.")

    data = read_form(edit_docx(src, tmp_path / "enter.docx", typed))
    assert data.errors == []
    assert data.fields[TAG] == "Altijd twee mensen aan de balie.\nOp dinsdag drie."
    assert _warnings(data) == []


def test_empty_paragraphs_at_the_end_of_the_box_are_no_part_of_the_answer(make_form, tmp_path):
    src = make_form("balie")

    def typed(root):
        fill_text(root, TAG, "Twee mensen.")
        first = control(root, TAG).find("w:sdtContent/w:p", NS)
        _enter_and_type(_enter_and_type(first, ""), "  ")

    data = read_form(edit_docx(src, tmp_path / "leeg.docx", typed))
    assert data.fields[TAG] == "Twee mensen."
    assert _warnings(data) == []


def test_a_paragraph_after_an_inline_answer_in_its_box_is_read_with_a_warning(make_form,
                                                                               tmp_path):
    """Version 0.3's shape (the control inline in the box paragraph, as LibreOffice also
    saves it): Enter after the filled answer types a paragraph with the box's style outside
    the control. It is added to the answer with a warning, never dropped."""
    src = make_form("balie")

    def typed(root):
        sdt = as_inline(root, TAG)
        fill_text(root, TAG, "Altijd twee mensen aan de balie.")
        _enter_and_type(box_of(sdt), "Op dinsdag drie.")

    data = read_form(edit_docx(src, tmp_path / "v19.docx", typed))
    assert data.errors == []
    assert data.fields[TAG] == "Altijd twee mensen aan de balie.\nOp dinsdag drie."
    (message,) = _warnings(data)
    assert BELOW in message
    assert "bij het antwoord gevoegd" in message
    assert "dinsdag" not in message  # messages never quote answers


def test_a_paragraph_below_an_empty_control_becomes_the_answer(make_form, tmp_path):
    src = make_form("balie")

    def typed(root):
        _enter_and_type(box_of(as_inline(root, TAG)), "Twee mensen.")

    data = read_form(edit_docx(src, tmp_path / "leeg-erboven.docx", typed))
    assert data.fields[TAG] == "Twee mensen."
    assert any(BELOW in m for m in _warnings(data))


def test_a_paragraph_below_a_short_answer_joins_it(make_form, tmp_path):
    src = make_form("team")
    tag = "team.coordinator"

    def typed(root):
        fill_text(root, tag, "Hans")
        _enter_and_type(box_of(control(root, tag)), "Verbeek")

    data = read_form(edit_docx(src, tmp_path / "kort.docx", typed))
    assert data.fields[tag] == "Hans Verbeek"
    assert any(BELOW in m for m in _warnings(data, tag))


def test_text_below_a_choice_is_reported_not_lost(make_form, tmp_path):
    """Below a drop-down (no free text) the text cannot be the answer: a warning names it."""
    src = make_form("balie")
    tag = "balie.alarmknop"

    def typed(root):
        _enter_and_type(box_of(control(root, tag)), "we hebben er twee")

    data = read_form(edit_docx(src, tmp_path / "keuze.docx", typed))
    assert data.fields[tag] is None
    assert any(BELOW in m and "niet gelezen" in m
               for m in _warnings(data, tag))


def test_the_next_question_is_never_read_as_text_below(make_form, tmp_path):
    """Only paragraphs in the box's style count: the next label, note or heading ends it."""
    src = make_form("balie")
    data = read_form(edit_docx(src, tmp_path / "niets.docx",
                               lambda r: fill_text(r, TAG, "Twee mensen.")))
    assert data.fields[TAG] == "Twee mensen."
    assert not [p for p in data.warnings if BELOW in p.message]
