"""A rows field's table read back (`w:tbl`): found by its tagged cell controls, or else as the
table below the question label; each cell's column by its tag, or else by the header row."""

from __future__ import annotations

from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import Field
from pipeline.forms.document import NEW_FORM, FormDocument, norm
from pipeline.forms.values import value
from pipeline.models import Cell

qn = ooxml.qn
MAX_ROWS = 100  # rows of one table field; the examples have at most 6


def rows(doc: FormDocument, field: Field) -> list[dict[str, Cell]]:
    """Table rows of a rows field, found from their cell controls or else the label."""
    tags = {f"{field.tag}.{c.name}": c for c in field.columns}
    tables: list[etree._Element] = []
    for tag in tags:
        for el in doc.by_tag.get(tag, []):
            tbl = next(el.iterancestors(qn("w:tbl")), None)
            if tbl is not None and tbl not in tables:
                tables.append(tbl)
    if not tables:
        i = doc.label_index(field)
        tbl = next((b for b in doc.blocks[i + 1:] if b.tag == qn("w:tbl")), None) \
            if i is not None else None
        if tbl is None:
            doc.problem(True, field, "de tabel ontbreekt in het formulier", NEW_FORM)
            return []
        tables.append(tbl)
    out: list[dict[str, Cell]] = []
    plain = 0
    for tbl in tables:
        trs = [tr for tr in tbl.iter(qn("w:tr"))
               if next(tr.iterancestors(qn("w:tbl"))) is tbl]
        header = [norm(ooxml.content_text(tc)) for tc in trs[0].findall(qn("w:tc"))] \
            if trs else []
        cols = [next((c for c in field.columns if norm(c.label) == h), None)
                for h in header]
        if not any(cols):
            cols = list(field.columns)
        if len(trs) - 1 > MAX_ROWS:
            doc.problem(True, field, f"de tabel heeft {len(trs) - 1} rijen, maximaal "
                        f"{MAX_ROWS}", "Laat alleen de rijen staan die u nodig hebt")
            return []
        for tr in trs[1:]:
            row: dict[str, Cell] = {}
            for pos, tc in enumerate(tr.findall(qn("w:tc"))):
                ctrl = next((s for s in tc.iter(qn("w:sdt")) if ooxml.sdt_tag(s) in tags),
                            None)
                col = tags[ooxml.sdt_tag(ctrl) or ""] if ctrl is not None else \
                    (cols[pos] if pos < len(cols) else None)
                if col is None:
                    continue
                text = ooxml.sdt_text(ctrl) if ctrl is not None else ooxml.content_text(tc)
                answer = value(doc, field, text, sdt=ctrl, column=col)
                plain += ctrl is None and answer is not None
                # A column is text, a choice or a date: never a checkbox or rows.
                row[col.name] = None if isinstance(answer, bool | list) else answer
            if any(v is not None for v in row.values()):
                out.append({c.name: row.get(c.name) for c in field.columns})
    if plain:
        doc.problem(False, field, f"{plain} cel(len) zonder invulvak gelezen via de "
                    "kolomkop", "Controleer of de antwoorden in de tabel kloppen")
    return out
