"""One form's `w:document` indexed for reading: its controls by tag, its body's paragraphs and
tables, where each question label stands and the texts we wrote around the answers; plus the
problems found in it so far (errors: the answer is wrong; warnings: missing, or recovered)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from lxml import etree

from pipeline import ooxml, terms
from pipeline.catalogue import FORMS, Field, FormSpec
from pipeline.errors import Problem
from pipeline.forms.common import (
    FRAME_NOTE,
    REQUIRED_MARK,
    ROWS_NOTE,
    counted_headings,
    section_headings,
)

qn = ooxml.qn
NEW_FORM = "Gebruik een nieuw formulier van de coördinator en neem uw antwoorden daarin over"


class FormDocument:
    """One form being read (`kind` from its properties); collects problems instead of raising."""

    def __init__(self, file: str, kind: str, document: etree._Element,
                 application: str | None = None) -> None:
        self.file, self.spec, self.application = file, FORMS[kind], application
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.by_tag: dict[str, list[etree._Element]] = defaultdict(list)
        for el in document.iter(qn("w:sdt")):
            tag = ooxml.sdt_tag(el)
            if tag and ooxml.sdt_kind(el) not in ("repeating", "repeating-item"):
                self.by_tag[tag].append(el)
        body = document.find(qn("w:body"))
        self.blocks = list(_flatten(body)) if body is not None else []
        self.label_at: dict[str, int] = {}
        for i, b in enumerate(self.blocks):
            if b.tag == qn("w:p"):
                self.label_at.setdefault(norm(ooxml.content_text(b)), i)
        self.our_texts = {norm(t) for t in _our_texts(self.spec)}

    def problem(self, errors: bool, field: Field | None, message: str,
                hint: str | None = None) -> None:
        """Record an error (`errors`) or a warning about `field` (None: the whole form)."""
        (self.errors if errors else self.warnings).append(Problem(
            file=self.file, field=field.label if field else None,
            tag=field.tag if field else None, message=message, hint=hint))

    def label_index(self, field: Field) -> int | None:
        """The position in `blocks` of the paragraph holding `field`'s question label."""
        for text in (field.label + REQUIRED_MARK, field.label):
            if (i := self.label_at.get(norm(text))) is not None:
                return i
        return None

    def is_ours(self, text: str) -> bool:
        """Whether `text` is one the writer put on the form (a label, heading or note)."""
        return norm(text) in self.our_texts


def norm(text: str) -> str:
    """Whitespace collapsed and inwoner/klant read as burger, to recognise our own texts."""
    return " ".join(terms.neutral(text).split())


def _flatten(parent: etree._Element) -> Iterator[etree._Element]:
    """Body-level paragraphs and tables, looking inside block-level controls."""
    for el in parent:
        if el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _flatten(content)
        elif el.tag in (qn("w:p"), qn("w:tbl")):
            yield el


def _our_texts(spec: FormSpec) -> list[str]:
    """Every paragraph text the writer puts around answers: labels, headings, notes."""
    # Headings as the form numbers them, and as older forms did (the catalogue's numbers).
    texts = [*section_headings(spec), *counted_headings(spec),
             *(f"{s.number}. {s.title}" for s in spec.sections),
             ROWS_NOTE, FRAME_NOTE]
    for f in spec.fields:
        texts += [f.label, f.label + REQUIRED_MARK, f.help]
    return texts
