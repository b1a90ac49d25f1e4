"""One question on a form: its label, the organisation's read-only text, and the answer's
content control (`w:sdt`: inline, or around the whole box for a long answer), or a table whose
every cell is one; values checked as they go in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.text.paragraph import Paragraph

from pipeline import ooxml
from pipeline.catalogue import Column, Field, FieldType, Merge
from pipeline.errors import FormError
from pipeline.forms import layout
from pipeline.forms.common import (
    CELL_PLACEHOLDER,
    CHOOSE,
    FRAME_NOTE,
    REQUIRED_MARK,
    ROWS_NOTE,
    placeholder,
)
from pipeline.models import Answer
from pipeline.text import invalid_xml_chars

DEFAULT_ROWS = 3
KEEP_ROWS_TOGETHER = 10  # rows (with the header) of a table kept on one page
LOCKED_DEFAULT = "Deze tekst stelt de organisatie vast; u vindt hem in het protocol."


def para(doc: DocxDocument, text: str = "", style_id: str | None = None) -> Paragraph:
    """Add a paragraph by style id: python-docx's lookup by style name costs ~2 ms each."""
    p = doc.add_paragraph(text)
    if style_id:
        p._p.style = style_id
    return p


def _check_text(field: Field, text: str, column: Column | None = None) -> str:
    name = field.label if column is None else f"{field.label}, kolom {column.label}"
    if invalid_xml_chars(text):
        raise FormError("het antwoord bevat een stuurteken dat Word niet kan opslaan",
                        field=name, hint="Haal het teken weg (vaak geplakt uit een ander "
                        "programma) en probeer het opnieuw")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _choice(value: object, choices: tuple[str, ...], name: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in choices:
        raise FormError("deze keuze staat niet in de lijst", field=name,
                        hint="Kies uit: " + ", ".join(choices))
    return str(value)


def _date(value: object, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise FormError("dit antwoord is geen datum", field=name)


def _control(field: Field, value: Answer) -> object:
    """The inline control for one (non-rows) field holding `value`."""
    ph = placeholder(field)
    if field.type is FieldType.CHECKBOX:
        return ooxml.checkbox_control(field.tag, field.label, value is True)
    if field.type is FieldType.CHOICE:
        chosen = _choice(value, field.choices, field.label)
        return ooxml.dropdown_control(field.tag, field.label, field.choices, chosen, ph,
                                      empty_item=CHOOSE)
    if field.type is FieldType.DATE:
        return ooxml.date_control(field.tag, field.label, _date(value, field.label), ph)
    text = _check_text(field, str(value)) if value not in (None, "") else None
    return ooxml.text_control(field.tag, field.label, text, ph)


def _cell_control(field: Field, col: Column, value: object) -> object:
    tag, ph = f"{field.tag}.{col.name}", CELL_PLACEHOLDER[col.type]
    name = f"{field.label}, kolom {col.label}"
    if col.type is FieldType.CHOICE:
        return ooxml.dropdown_control(tag, col.label, col.choices,
                                      _choice(value, col.choices, name), ph, shown=col.shown)
    if col.type is FieldType.DATE:
        return ooxml.date_control(tag, col.label, _date(value, name), ph)
    text = _check_text(field, str(value), col) if value not in (None, "") else None
    return ooxml.text_control(tag, col.label, text, ph)


def _rows_table(doc: DocxDocument, field: Field, rows: list[dict], look: layout.Look) -> None:
    """Header row plus one row per answer (at least DEFAULT_ROWS), each cell one control."""
    n = max(len(rows), DEFAULT_ROWS)
    table = doc.add_table(rows=1 + n, cols=len(field.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, col in zip(table.rows[0].cells, field.columns, strict=True):
        cell.paragraphs[0].add_run(col.label).bold = True
        layout.shade_cell(cell, look.header_fill)
    header_tr = table.rows[0]._tr
    trpr = header_tr.get_or_add_trPr()
    trpr.append(ooxml.element("w:tblHeader"))  # repeat the header on a new page
    for i, row in enumerate(table.rows[1:]):
        data = rows[i] if i < len(rows) else {}
        for cell, col in zip(row.cells, field.columns, strict=True):
            cell.paragraphs[0]._p.append(_cell_control(field, col, data.get(col.name)))
    # A short table stays on one page with its question above and its note below, so the
    # form never ends on a page holding one row and the note; a long one may break.
    keep = table.rows if len(table.rows) <= KEEP_ROWS_TOGETHER else table.rows[-1:]
    for row in keep:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    layout.table_borders(table, look.answer_border)
    data_rows = [r._tr for r in table.rows[1:]]
    for tr in data_rows:
        table._tbl.remove(tr)
    table._tbl.append(ooxml.repeating_section(field.tag, field.label, data_rows))


def add_field(doc: DocxDocument, field: Field, value: Answer,
              locked_texts: Mapping[str, str], look: layout.Look) -> None:
    """The question `field` with its answer box holding `value` (locked: the organisation's
    text from `locked_texts`; inherit and extend: that text read-only above the box)."""
    para(doc, field.label + (REQUIRED_MARK if field.required else ""), layout.QUESTION)
    if field.merge is Merge.LOCKED:
        para(doc, field.help.rstrip(".") + "; deze tekst kunt u niet wijzigen.", layout.NOTE)
        text = locked_texts.get(field.policy_text or "", "") or LOCKED_DEFAULT
        p = para(doc, "", layout.LOCKED)
        p._p.append(ooxml.text_control(field.tag, field.label, _check_text(field, text), "",
                                       multiline=True, locked=True))
        return
    if field.type is FieldType.ROWS:
        para(doc, field.help, layout.NOTE)
        _rows_table(doc, field, list(value) if isinstance(value, list) else [], look)
        para(doc, ROWS_NOTE, layout.NOTE)
        return
    frame = locked_texts.get(field.policy_text or "") if field.merge in (
        Merge.INHERIT, Merge.EXTEND) else None
    if frame:
        # The text the team's answer adds to, read-only above the answer box: the team lead
        # sees what already applies before writing (the reader skips these paragraphs).
        para(doc, FRAME_NOTE, layout.NOTE)
        lines = [line for line in _check_text(field, frame).split("\n") if line.strip()]
        for line in lines:
            last = para(doc, line, layout.LOCKED)
        # The frame's last paragraph stays with the answer box: no box alone atop a page.
        last.paragraph_format.keep_with_next = True
    p = para(doc, "", layout.ANSWER)
    if field.type is FieldType.MULTILINE:
        # The box is the control (block level): a click anywhere in it, and Enter, stay in
        # the answer. An empty long answer's box is a few lines tall, as on a paper form.
        given = _check_text(field, str(value)) if value not in (None, "") else None
        ooxml.block_text_control(field.tag, field.label, given, placeholder(field), p._p,
                                 blank_lines=layout.LONG_ANSWER_LINES)
        return
    p._p.append(_control(field, value))
    if field.type is FieldType.CHECKBOX:
        run = p.add_run("  " + field.help)
        run.font.color.rgb = layout.GREY
