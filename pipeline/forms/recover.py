"""The second route to an answer: the paragraph(s) below its question label, when its
control's tag is gone (LibreOffice 7.4 drops every tag on save; a user may delete a control
and type over it). An answer found this way comes with a warning saying so."""

from __future__ import annotations

from lxml import etree

from pipeline import ooxml
from pipeline.catalogue import Field, FieldType
from pipeline.forms.common import FRAME_NOTE, LOCKED
from pipeline.forms.document import NEW_FORM, FormDocument, norm
from pipeline.forms.values import from_control, value
from pipeline.models import Answer

qn = ooxml.qn


def recover(doc: FormDocument, field: Field) -> Answer:
    """Answer from the paragraph(s) after the question label, when the tag is gone."""
    i = doc.label_index(field)
    if i is None:
        if field.added_in is None:  # else a form made before the question existed
            doc.problem(True, field, "de vraag en het invulvak ontbreken in het formulier",
                        NEW_FORM)
        return None
    paras = []
    start = i + 1
    # Skip the organisation's read-only text that the form shows above an inherit or
    # extend answer: it is the frame, never the team's answer.
    while start < len(doc.blocks) and _is_frame(doc.blocks[start]):
        start += 1
    for b in doc.blocks[start:]:
        if b.tag != qn("w:p") or doc.is_ours(ooxml.content_text(b)):
            break
        paras.append(b)
        if field.type is not FieldType.MULTILINE:
            break
    if not paras:
        return None
    sdts = paras[0].findall(".//" + qn("w:sdt"))
    if sdts and len(paras) == 1:
        answer = from_control(doc, field, sdts[0])
    else:
        # A paragraph's trailing breaks are the empty lines an empty long answer's box
        # holds (forms/fields.py), still there when the control was deleted and typed over.
        text = "\n".join(ooxml.content_text(p).rstrip("\n") for p in paras)
        if field.type is FieldType.CHECKBOX:
            text = text.replace(field.help, "")
        answer = value(doc, field, text, sdt=None)
    if answer not in (None, False):
        doc.problem(False, field, "het invulvak was beschadigd; het antwoord is gevonden "
                    "via de vraag erboven", "Controleer of het antwoord klopt")
    return answer


def _is_frame(block: etree._Element) -> bool:
    """A paragraph of the organisation's read-only frame text (or its lead-in note)."""
    if block.tag != qn("w:p"):
        return False
    style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is not None and style.get(qn("w:val")) == LOCKED:
        return True
    return norm(ooxml.content_text(block)) == FRAME_NOTE
