"""The tracked-changes document: the protocol's text with Word revisions (`w:ins`/`w:del`).

`wijzigingen-<team>.docx` holds the text of the protocol being built, with every difference
from the last adopted version as a tracked change by author "teamprotocol": a changed
paragraph shows the words deleted and inserted, a new paragraph is one insertion (its
paragraph mark too), a dropped one a deletion. The adopting manager sees in Word exactly
what is new and accepts or rejects each change (Controleren > Wijzigingen). LibreOffice
shows them the same way (tested: its ODT export holds every change as a changed region).
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from typing import TYPE_CHECKING

from docx import Document
from lxml import etree

from pipeline import ooxml
from pipeline.models import Protocol
from pipeline.protocol_text import sections
from pipeline.text import dutch_date

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

AUTHOR = "teamprotocol"
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
qn = ooxml.qn


class _Revisions:
    """Builds paragraphs with tracked changes; every revision gets its own `w:id`."""

    def __init__(self, when: dt.datetime) -> None:
        self.date = when.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        self.next_id = 1

    def _mark(self, name: str) -> etree._Element:
        el = ooxml._el(name)
        el.set(qn("w:id"), str(self.next_id))
        el.set(qn("w:author"), AUTHOR)
        el.set(qn("w:date"), self.date)
        self.next_id += 1
        return el

    @staticmethod
    def _run(text: str, deleted: bool) -> etree._Element:
        run = ooxml._el("w:r")
        t = ooxml._el("w:delText" if deleted else "w:t", run)
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return run

    def plain(self, p: etree._Element, text: str) -> None:
        p.append(self._run(text, False))

    def inserted(self, p: etree._Element, text: str) -> None:
        ins = self._mark("w:ins")
        ins.append(self._run(text, False))
        p.append(ins)

    def deleted(self, p: etree._Element, text: str) -> None:
        d = self._mark("w:del")
        d.append(self._run(text, True))
        p.append(d)

    def mark_paragraph(self, p: etree._Element, name: str) -> None:
        """Mark the paragraph mark itself inserted or deleted (a whole paragraph changed)."""
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = ooxml._el("w:pPr")
            p.insert(0, ppr)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = ooxml._el("w:rPr", ppr)
        rpr.append(self._mark(name))

    def words(self, p: etree._Element, old: str, new: str) -> None:
        """A changed paragraph: equal words plain, the others deleted and inserted."""
        a, b = _TOKENS.findall(old), _TOKENS.findall(new)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                self.plain(p, "".join(a[i1:i2]))
                continue
            if i2 > i1:
                self.deleted(p, "".join(a[i1:i2]))
            if j2 > j1:
                self.inserted(p, "".join(b[j1:j2]))


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


def _lines(doc: DocxDocument, rev: _Revisions, old: list[str], new: list[str],
           style: str | None) -> int:
    """Add `new` with its differences from `old` as revisions; the number of changes."""
    changes = 0

    def para(text_style: str | None = style) -> etree._Element:
        p = doc.add_paragraph(style=text_style)
        return p._p

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for line in new[j1:j2]:
                rev.plain(para(), line)
            continue
        olds, news = old[i1:i2], new[j1:j2]
        changes += max(len(olds), len(news))
        # Pair a replaced line with its new wording when they are alike: one paragraph with
        # word changes reads far better than a whole paragraph deleted and another inserted.
        while olds and news and _similar(olds[0], news[0]):
            rev.words(para(), olds.pop(0), news.pop(0))
        for line in olds:
            p = para()
            rev.deleted(p, line)
            rev.mark_paragraph(p, "w:del")
        for line in news:
            p = para()
            rev.inserted(p, line)
            rev.mark_paragraph(p, "w:ins")
    return changes


def changes_docx(old: Protocol, new: Protocol, *, when: dt.datetime) -> tuple[bytes, int]:
    """The tracked-changes document of `new` against `old` and the number of changed lines."""
    doc = Document()
    rev = _Revisions(when)
    meta, before = new.meta, old.meta
    doc.add_heading(f"Wijzigingen in het teamprotocol van {meta.team}", level=0)
    adopted = dutch_date(before.adopted_on) if before.adopted_on else "onbekende datum"
    doc.add_paragraph(
        f"Dit document bevat de tekst van versie {meta.version} ({meta.status}) van het "
        f"teamprotocol. Wat verschilt van de vastgestelde versie {before.version} (vastgesteld "
        f"op {adopted}) staat erin als bijgehouden wijziging: verwijderde tekst doorgestreept, "
        "nieuwe tekst onderstreept. In Word vindt u ze onder Controleren > Wijzigingen, waar u "
        "elke wijziging kunt accepteren of weigeren.")
    old_sections = dict(sections(old))
    new_sections = sections(new)
    total = 0
    for heading, lines in new_sections:
        h = doc.add_heading(level=1)
        if heading in old_sections:
            rev.plain(h._p, heading)
        else:
            rev.inserted(h._p, heading)
            rev.mark_paragraph(h._p, "w:ins")
        total += _lines(doc, rev, old_sections.get(heading, []), lines, None)
    for heading, lines in old_sections.items():
        if heading not in dict(new_sections):
            h = doc.add_heading(level=1)
            rev.deleted(h._p, heading)
            rev.mark_paragraph(h._p, "w:del")
            total += _lines(doc, rev, lines, [], None)
    if total == 0:
        doc.add_paragraph("De tekst is gelijk aan die van de vastgestelde versie.")
    # Track the manager's own edits too: this document is for reviewing changes.
    settings = doc.settings.element
    tab_stop = settings.find(qn("w:defaultTabStop"))  # trackRevisions must come before it
    track = ooxml._el("w:trackRevisions")
    if tab_stop is not None:
        tab_stop.addprevious(track)
    else:
        settings.append(track)
    out = io.BytesIO()
    doc.save(out)
    # Fixed zip dates: the same two versions on the same day give the same bytes.
    return ooxml.finish_package(out.getvalue(), {"teamprotocol.kind": "wijzigingen"}), total
