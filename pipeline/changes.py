"""The change document: the new protocol itself, with Word revisions (`w:ins`/`w:del`).

`wijzigingen-<team>.docx` is the rendered protocol of the version being built (same
template: house style, logo, header, footer, page numbers, Dutch), with every difference
from the rendered last adopted version as a tracked change by author "teamprotocol", inside
its own paragraphs, tables and lists: title facts, the alarm card, every chapter, the annex
and the appendices. Page 1 is a summary, one line per changed place, per chapter; the same
lines give the new version's Versiebeheer note (`version_note`).

Both documents are compared paragraph by paragraph in reading order (difflib on their
texts), then a changed paragraph word by word. Changes are whole words: the text is split
into words, spaces and punctuation, and a change broken only by a space or a single short
word is taken as one change, so a reader sees "~~over schuldhulp~~ na een afwijzing", not a
sentence to rebuild from alternating fragments; a paragraph with most of its words changed
is shown as a whole sentence deleted and inserted. difflib (standard library) does the
alignment, as before: no hand-written LCS.

The contents list and paragraphs with fields or pictures are left as they are: their
differences follow from the others.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from pipeline import ooxml
from pipeline.text import dutch_date

AUTHOR = "teamprotocol"
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# A summary line shows old and new text when both are at most this long, else "tekst gewijzigd".
SHORT = 60
# The Versiebeheer note lists the summary lines up to this length, else only their places.
NOTE_LENGTH = 240
# Parts of the document whose changes follow from others: not in the summary.
_NOT_SUMMARISED = {"Versiebeheer", "Inhoud"}
_SKIPPED_STYLE = re.compile(r"^(toc|TOC|Inhopg)")
_COMPLEX = {"fldChar", "instrText", "fldSimple", "drawing", "pict", "object", "sdt",
            "hyperlink", "delText", "footnoteReference", "endnoteReference"}
_PLAIN_CHILDREN = {"pPr", "r", "bookmarkStart", "bookmarkEnd", "proofErr"}


def _w(tag: str) -> str:
    return f"{{{ooxml.W_NS}}}{tag}"


def _local(el: etree._Element) -> str:
    return str(el.tag).rsplit("}", 1)[-1]


def _style(p: etree._Element) -> str:
    s = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return s.get(_w("val"), "") if s is not None else ""


def _text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(_w("t"), _w("tab"), _w("br")):
        if el.tag == _w("t"):
            parts.append(el.text or "")
        elif el.getparent() is not None and el.getparent().tag == _w("r"):
            parts.append("\t" if el.tag == _w("tab") else "\n")
    return "".join(parts)


def _bold(cell: etree._Element) -> bool:
    """Every run with text in `cell` is bold."""
    runs = [r for r in cell.iter(_w("r")) if _text_of_run(r).strip()]
    return bool(runs) and all(
        (b := r.find(f"{_w('rPr')}/{_w('b')}")) is not None
        and b.get(_w("val"), "true") not in ("0", "false") for r in runs)


@dataclass
class _Para:
    """One paragraph of a rendered document, with where it stands."""

    el: etree._Element
    text: str
    chapter: str
    place: str          # the nearest heading: "4.2 Risico's op agressie"
    plain: bool         # runs of text only: its words can be marked
    in_row: bool = True  # False: a whole row's summary, labelled by its place

    @property
    def label(self) -> str:
        """Where a change is: the label of its table cell, else its place (asked only for
        changed paragraphs: finding a cell's label reads the row)."""
        return (_row_label(self.el) if self.in_row else None) or self.place


def _row_label(p: etree._Element) -> str | None:
    """The label of the table cell holding `p`: the nearest bold cell to its left (the alarm
    card's table has two label-value pairs a row), else the row's first cell; None outside a
    table and in a row's first cell."""
    tc = next((a for a in p.iterancestors(_w("tc"))), None)
    if tc is None or tc.getprevious() is None:
        return None
    left = list(tc.itersiblings(_w("tc"), preceding=True))
    label = next((c for c in left if _bold(c)), left[-1] if left else None)
    if label is None:
        return None
    return " ".join("".join(_text(q) for q in label.iter(_w("p"))).split()) or None


def _paragraphs(body: etree._Element) -> list[_Para]:
    """The paragraphs of `body` in reading order, each with its chapter and place."""
    found: list[_Para] = []
    chapter, section, sub = "Titelpagina", "", ""
    for p in body.iter(_w("p")):
        if any(a.tag == _w("txbxContent") for a in p.iterancestors()):
            continue
        style, text = _style(p), _text(p)
        clean = " ".join(text.split())
        if style == "Heading1":
            chapter, section, sub = clean, "", ""
        elif style == "Heading2":
            section, sub = clean, ""
        elif style in ("Heading3", "Kaartkop", "Bijlagekop"):
            sub = clean
        elif style == "Kaarttitel":
            chapter, section, sub = "Alarmkaart", "", ""
        elif style == "Kopvoorwerk":
            chapter, section, sub = clean, "", ""
        number = section.split(" ", 1)[0] if section[:1].isdigit() else section
        place = (f"{number} {sub}".strip() if number else sub) if sub else section or chapter
        kids = {_local(c) for c in p}
        plain = kids <= _PLAIN_CHILDREN and not any(
            _local(el) in _COMPLEX for r in p.iterchildren(_w("r")) for el in r)
        found.append(_Para(p, text, chapter, place, plain))
    return [q for q in found if not _SKIPPED_STYLE.match(_style(q.el))]


# --- tracked changes --------------------------------------------------------------------------

class _Marks:
    """Makes `w:ins`/`w:del` marks, each with its own `w:id`, one author and one date."""

    def __init__(self, when: dt.datetime) -> None:
        self.date = when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        self.next_id = 1

    def mark(self, name: str) -> etree._Element:
        el = etree.Element(_w(name))
        el.set(_w("id"), str(self.next_id))
        el.set(_w("author"), AUTHOR)
        el.set(_w("date"), self.date)
        self.next_id += 1
        return el

    def paragraph_mark(self, p: etree._Element, name: str) -> None:
        """Mark the paragraph mark itself inserted or deleted (a whole paragraph changed)."""
        ppr = p.find(_w("pPr"))
        if ppr is None:
            ppr = etree.Element(_w("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(_w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, _w("rPr"))  # rPr is the last of pPr's own elements
            sect = ppr.find(_w("sectPr"))
            if sect is not None:
                sect.addprevious(rpr)
        rpr.insert(0, self.mark(name))

    def wrap_runs(self, p: etree._Element, name: str) -> None:
        """Put every run of `p` inside one `w:ins` or `w:del` (a whole paragraph)."""
        for run in list(p.iter(_w("r"))):
            parent = run.getparent()
            if parent is None or parent.tag not in (_w("p"), _w("hyperlink")):
                continue
            mark = self.mark(name)
            run.addprevious(mark)
            mark.append(run)
            if name == "del":
                for t in run.iter(_w("t"), _w("instrText")):
                    t.tag = _w("delText") if t.tag == _w("t") else _w("delInstrText")


def _run(text: str, rpr: etree._Element | None, deleted: bool) -> etree._Element:
    run = etree.Element(_w("r"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for piece in re.split(r"([\t\n])", text):
        if piece == "\t":
            etree.SubElement(run, _w("tab"))
        elif piece == "\n":
            etree.SubElement(run, _w("br"))
        elif piece:
            t = etree.SubElement(run, _w("delText" if deleted else "t"))
            t.text = piece
            t.set(_XML_SPACE, "preserve")
    return run


def _formats(p: etree._Element) -> list[tuple[int, etree._Element | None]]:
    """Where each run of `p` starts in its text, with the run's properties."""
    spans, at = [], 0
    for r in p.iterchildren(_w("r")):
        spans.append((at, r.find(_w("rPr"))))
        at += len(_text_of_run(r))
    return spans


def _text_of_run(r: etree._Element) -> str:
    return "".join(el.text or "" if el.tag == _w("t") else "\t" if el.tag == _w("tab") else "\n"
                   for el in r if el.tag in (_w("t"), _w("tab"), _w("br")))


def _pieces(text: str, start: int, spans: list[tuple[int, etree._Element | None]]
            ) -> list[tuple[str, etree._Element | None]]:
    """`text` (which starts at `start` of its paragraph) cut where the paragraph's runs are."""
    out = []
    pos = start
    end = start + len(text)
    while pos < end:
        idx = max((i for i, (s, _) in enumerate(spans) if s <= pos), default=0)
        nxt = spans[idx + 1][0] if idx + 1 < len(spans) else end
        stop = min(end, max(nxt, pos + 1))
        out.append((text[pos - start:stop - start], spans[idx][1] if spans else None))
        pos = stop
    return out


def _word_ops(old: str, new: str) -> list[tuple[str, str, str]]:
    """(op, old text, new text) by whole words; a change broken only by spaces, punctuation
    or one short word is one change."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops: list[list] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        ops.append([op, "".join(a[i1:i2]), "".join(b[j1:j2])])
    merged: list[list] = []
    for k, item in enumerate(ops):
        op, o, n = item
        between = 0 < k < len(ops) - 1
        small = sum(1 for t in _TOKENS.findall(o) if t[0].isalnum() or t[0] == "_") <= 1 \
            and len(o.strip()) <= 3
        if op == "equal" and between and small and merged and merged[-1][0] != "equal":
            merged[-1][1] += o
            merged[-1][2] += n
            continue
        if op != "equal" and merged and merged[-1][0] != "equal":
            merged[-1][1] += o
            merged[-1][2] += n
            continue
        merged.append([op if op == "equal" else "change", o, n])
    return [(op, o, n) for op, o, n in merged]


def _mark_words(marks: _Marks, new: _Para, old: _Para) -> None:
    """Rewrite `new`'s runs as its text with `old`'s differences marked, formats kept."""
    ops = _word_ops(old.text, new.text)
    changed = sum(len(o) + len(n) for op, o, n in ops if op != "equal")
    if changed > 0.6 * (len(old.text) + len(new.text)):
        ops = [("change", old.text, new.text)]  # most of it changed: the whole sentence
    new_spans, old_spans = _formats(new.el), _formats(old.el)
    runs = list(new.el.iterchildren(_w("r")))
    anchor = etree.Element(_w("r"))
    if runs:
        runs[0].addprevious(anchor)
    else:
        new.el.append(anchor)
    for r in runs:
        new.el.remove(r)
    out: list[etree._Element] = []
    at_old = at_new = 0
    for op, o, n in ops:
        if op == "equal":
            out += [_run(t, f, False) for t, f in _pieces(n, at_new, new_spans)]
        else:
            if o:
                d = marks.mark("del")
                for t, f in _pieces(o, at_old, old_spans):
                    d.append(_run(t, f, True))
                out.append(d)
            if n:
                i = marks.mark("ins")
                for t, f in _pieces(n, at_new, new_spans):
                    i.append(_run(t, f, False))
                out.append(i)
        at_old += len(o)
        at_new += len(n)
    for el in out:
        anchor.addprevious(el)
    new.el.remove(anchor)


def _deleted_copy(marks: _Marks, old: _Para, num_ids: set[str]) -> etree._Element:
    """A copy of an old paragraph for the new document, all of it marked deleted."""
    p = copy.deepcopy(old.el)
    for el in list(p.iter(_w("bookmarkStart"), _w("bookmarkEnd"))):
        el.getparent().remove(el)
    for link in list(p.iter(_w("hyperlink"))):  # its relationship is the old document's
        for child in list(link):
            link.addprevious(child)
        link.getparent().remove(link)
    for r in list(p.iter(_w("r"))):
        if r.find(_w("drawing")) is not None or r.find(_w("pict")) is not None:
            r.getparent().remove(r)
    num = p.find(f"{_w('pPr')}/{_w('numPr')}")
    if num is not None:
        nid = num.find(_w("numId"))
        if nid is None or nid.get(_w("val")) not in num_ids:
            num.getparent().remove(num)
    marks.wrap_runs(p, "del")
    marks.paragraph_mark(p, "del")
    return p


def _pairs(olds: list[_Para], news: list[_Para]) -> list[tuple[_Para | None, _Para | None]]:
    """A replaced block as (old, new) pairs: same count, by position (a table cell's
    paragraph stays that cell's); else alike paragraphs paired in order."""
    if len(olds) == len(news):
        return list(zip(olds, news, strict=True))
    out: list[tuple[_Para | None, _Para | None]] = []
    i = j = 0
    while i < len(olds) and j < len(news):
        if _alike(olds[i].text, news[j].text):
            out.append((olds[i], news[j]))
            i, j = i + 1, j + 1
        elif any(_alike(olds[i].text, n.text) for n in news[j + 1:]):
            out.append((None, news[j]))
            j += 1
        else:
            out.append((olds[i], None))
            i += 1
    out += [(o, None) for o in olds[i:]] + [(None, n) for n in news[j:]]
    return out


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


# --- the summary ------------------------------------------------------------------------------

@dataclass
class Comparison:
    """What changed, per chapter in the new document's order: {chapter: {place: [parts]}}."""

    chapters: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    count: int = 0

    def add(self, chapter: str, label: str, part: str) -> None:
        self.count += 1
        if chapter in _NOT_SUMMARISED:
            return
        parts = self.chapters.setdefault(chapter, {}).setdefault(label, [])
        if part not in parts:
            parts.append(part)

    def lines(self) -> list[tuple[str, str]]:
        """(chapter, line) in order: "Leidinggevende: Sven Mulder, 06 1234 0005 → …"."""
        return [(chapter, f"{label}: {'; '.join(_tidy(parts))}")
                for chapter, places in self.chapters.items() for label, parts in places.items()]


def _tidy(parts: list[str]) -> list[str]:
    """One place's parts as a reader wants them: a part that came or went says it all, and
    text removed and added at one place is text changed."""
    whole = [p for p in parts if p in ("onderdeel toegevoegd", "onderdeel vervallen")]
    if whole:
        return whole
    if "tekst verwijderd" in parts and "tekst toegevoegd" in parts:
        parts = ["tekst gewijzigd" if p == "tekst verwijderd" else p for p in parts
                 if p != "tekst toegevoegd"]
    return list(dict.fromkeys(parts))


def _flat(text: str) -> str:
    return " ".join(text.split())


_CLAUSE_END = re.compile(r"[,;:]")
_HEADINGS = {"Heading1", "Heading2", "Heading3", "Kaarttitel", "Kaartkop", "Bijlagekop"}


def _clause(before: str, after: str) -> tuple[str, str]:
    """With one place changed, the clause around it on both sides (between commas, semicolons
    or colons): "Sven Mulder, 06 1234 0005" to "…, 06 9999 0000" is "06 1234 0005" → "06
    9999 0000"."""
    ops = _word_ops(before, after)
    if sum(op != "equal" for op, _, _ in ops) != 1:
        return before, after
    at_old = at_new = 0
    for op, o, n in ops:
        if op != "equal":
            break
        at_old, at_new = at_old + len(o), at_new + len(n)

    def around(text: str, start: int, length: int) -> str:
        left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
        right = next((m.start() for m in _CLAUSE_END.finditer(text, start + length)), len(text))
        return text[left:right].strip()

    return around(before, at_old, len(o)), around(after, at_new, len(n))


def _describe(result: Comparison, old: _Para | None, new: _Para | None) -> None:
    where = new if new is not None else old
    assert where is not None
    before = _flat(old.text) if old is not None else ""
    after = _flat(new.text) if new is not None else ""
    if before == after:
        return
    short = len(before) <= SHORT and len(after) <= SHORT
    if _style(where.el) in _HEADINGS:  # a heading names a part: the part came or went
        part = ("kop gewijzigd: " + f"{before} → {after}" if before and after else
                "onderdeel toegevoegd" if after else "onderdeel vervallen")
        result.add(where.chapter, where.label, part)
        return
    if short and before and after:
        before, after = _clause(before, after)
    if before and after:
        part = f"{before} → {after}" if short else "tekst gewijzigd"
    elif after:
        part = f"{after} (nieuw)" if short else "tekst toegevoegd"
    else:
        part = f"{before} (vervallen)" if short else "tekst verwijderd"
    result.add(where.chapter, where.label, part)


def _compare(old_body: etree._Element, new_body: etree._Element, marks: _Marks | None,
             num_ids: set[str]) -> Comparison:
    """Compare two bodies; with `marks`, write the tracked changes into `new_body`."""
    old, new = _paragraphs(old_body), _paragraphs(new_body)
    result = Comparison()
    matcher = difflib.SequenceMatcher(None, [q.text for q in old], [q.text for q in new],
                                      autojunk=False)
    pairs = [(j1, j2, _pairs(old[i1:i2], new[j1:j2]))
             for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    alone = {id(q.el) for _, _, block in pairs for pair in block
             if None in pair for q in pair if q is not None}
    whole_rows: set[int] = set()  # a row that is all new or all gone: one summary line
    for _j1, _j2, block in pairs:
        for o, n in block:
            q = n if n is not None else o
            assert q is not None
            tr = next(q.el.iterancestors(_w("tr")), None)
            if None in (o, n) and tr is not None and \
                    all(id(p) in alone for p in tr.iter(_w("p"))):
                if id(tr) not in whole_rows:
                    whole_rows.add(id(tr))
                    cells = " · ".join(_flat("".join(_text(p) for p in tc.iter(_w("p"))))
                                       for tc in tr.iter(_w("tc")))
                    row = _Para(q.el, cells, q.chapter, q.place, False, in_row=False)
                    _describe(result, row if o is not None else None,
                              row if n is not None else None)
            else:
                _describe(result, o, n)
    for j1, _j2, block in pairs:
        before = new[j1 - 1].el if j1 > 0 else None
        after = new[j1].el if j1 < len(new) else None
        for o, n in block:
            if marks is None:
                continue
            if o is not None and n is not None:
                if n.plain and o.plain:
                    _mark_words(marks, n, o)
                else:
                    marks.wrap_runs(n.el, "ins")
                before = n.el
            elif n is not None:
                marks.wrap_runs(n.el, "ins")
                marks.paragraph_mark(n.el, "ins")
                before = n.el
            elif o is not None:
                gone = _deleted_copy(marks, o, num_ids)
                if before is not None:
                    before.addnext(gone)
                elif after is not None:
                    after.addprevious(gone)
                before = gone
    if marks is not None:
        _mark_rows(marks, new_body)
    return result


def _mark_rows(marks: _Marks, body: etree._Element) -> None:
    """A table row whose every paragraph is new is an inserted row."""
    for tr in body.iter(_w("tr")):
        ps = list(tr.iter(_w("p")))
        if ps and all(p.find(f"{_w('pPr')}/{_w('rPr')}/{_w('ins')}") is not None for p in ps):
            trpr = tr.find(_w("trPr"))
            if trpr is None:
                trpr = etree.Element(_w("trPr"))
                tbl_pr_ex = tr.find(_w("tblPrEx"))
                if tbl_pr_ex is not None:
                    tbl_pr_ex.addnext(trpr)
                else:
                    tr.insert(0, trpr)
            trpr.append(marks.mark("ins"))


def _body(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read("word/document.xml")).find(_w("body"))


def compare(old_docx: bytes, new_docx: bytes) -> Comparison:
    """What changed from one rendered protocol to the next (nothing written)."""
    return _compare(_body(old_docx), _body(new_docx), None, set())


# The title page's facts that change with every new version: the Versiebeheer row itself
# says them (version, date, status, who adopted), so its note leaves them out.
_VERSION_FACTS = {"Titelpagina", "Versie", "Status", "Vastgesteld door", "Vastgesteld op",
                  "Volgende evaluatie"}


def version_note(result: Comparison) -> str:
    """The Versiebeheer note of the new version: its summary lines, or their places when
    they are long; without the facts every new version changes (`_VERSION_FACTS`)."""
    lines = [line for chapter, line in result.lines()
             if chapter != "Titelpagina" or line.split(": ", 1)[0] not in _VERSION_FACTS]
    if not lines:
        return "geen inhoudelijke wijzigingen"
    note = "gewijzigd: " + "; ".join(lines)
    if len(note) <= NOTE_LENGTH:
        return note
    places = list(dict.fromkeys(line.split(": ", 1)[0] for line in lines))
    note = "gewijzigd: " + "; ".join(places)
    if len(note) <= NOTE_LENGTH:
        return note
    chapters = [c for c in result.chapters if c != "Titelpagina"]
    return "gewijzigd: " + "; ".join(chapters)


# --- the document -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Versions:
    """The facts the change document's title and summary name."""

    team: str
    version: str
    status: str
    previous_version: str
    previous_adopted: dt.date | None


def _paragraph(style: str, text: str, ppr: etree._Element | None = None) -> etree._Element:
    p = etree.Element(_w("p"))
    if ppr is not None:
        p.append(copy.deepcopy(ppr))
    else:
        etree.SubElement(etree.SubElement(p, _w("pPr")), _w("pStyle")).set(_w("val"), style)
    if text:
        p.append(_run(text, None, False))
    return p


def _summary(result: Comparison, facts: Versions, body: etree._Element) -> list[etree._Element]:
    """Page 1: what this document is and, per chapter, one line per changed place."""
    adopted = dutch_date(facts.previous_adopted) if facts.previous_adopted else "onbekende datum"
    out = [_paragraph("Title", f"Wijzigingen teamprotocol {facts.team}"),
           _paragraph("Subtitle", f"Versie {facts.version} ({facts.status}) ten opzichte van "
                                  f"versie {facts.previous_version}, vastgesteld op {adopted}"),
           _paragraph("Toelichting",
                      "Dit document is het nieuwe protocol, met wat verschilt van de vastgestelde "
                      "versie als bijgehouden wijziging: verwijderde tekst doorgestreept, nieuwe "
                      "tekst onderstreept. In Word vindt u ze onder Controleren > Wijzigingen, "
                      "waar u elke wijziging kunt accepteren of weigeren. Hieronder staat per "
                      "hoofdstuk wat er is gewijzigd."),
           _paragraph("Kopvoorwerk", "Samenvatting van de wijzigingen")]
    bullet = next((p.find(_w("pPr")) for p in body.iter(_w("p"))
                   if _style(p) == "ListBullet"), None)
    lines = result.lines()
    if not lines:
        out.append(_paragraph("", "De tekst is gelijk aan die van de vastgestelde versie."))
    chapter = None
    for name, line in lines:
        if name != chapter:
            out.append(_paragraph("Heading3", name))
            chapter = name
        out.append(_paragraph("ListBullet", line, bullet))
    page_break = etree.Element(_w("p"))
    etree.SubElement(etree.SubElement(page_break, _w("r")), _w("br")).set(_w("type"), "page")
    out.append(page_break)
    return out


def _core(xml: bytes, title: str, when: dt.datetime) -> bytes:
    root = etree.fromstring(xml)
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
    stamp = when.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    for path, value in (("dc:title", title), ("dcterms:created", stamp),
                        ("dcterms:modified", stamp), ("cp:lastPrinted", stamp),
                        ("cp:category", "Wijzigingen teamprotocol")):
        el = root.find(path, ns)
        if el is not None:
            el.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def changes_docx(old_docx: bytes, new_docx: bytes, facts: Versions, *, when: dt.datetime
                 ) -> tuple[bytes, Comparison]:
    """The change document: `new_docx` (a rendered protocol) with its differences from
    `old_docx` (the rendered last adopted version) tracked, and a summary as page 1."""
    with zipfile.ZipFile(io.BytesIO(new_docx)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    document = etree.fromstring(files["word/document.xml"])
    body = document.find(_w("body"))
    num_ids = set()
    if "word/numbering.xml" in files:
        numbering = etree.fromstring(files["word/numbering.xml"])
        num_ids = {n.get(_w("numId")) for n in numbering.iter(_w("num"))}
    result = _compare(_body(old_docx), body, _Marks(when), num_ids)
    for i, p in enumerate(_summary(result, facts, body)):
        body.insert(i, p)
    files["word/document.xml"] = etree.tostring(document, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    # Track the manager's own edits too: this document is for reviewing changes.
    settings = etree.fromstring(files["word/settings.xml"])
    if settings.find(_w("trackRevisions")) is None:
        track = etree.Element(_w("trackRevisions"))
        later = next((el for el in settings if _local(el) in _AFTER_TRACK), None)
        if later is not None:
            later.addprevious(track)
        else:
            settings.append(track)
    files["word/settings.xml"] = etree.tostring(settings, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    title = (f"Wijzigingen teamprotocol {facts.team}, versie {facts.version} ten opzichte van "
             f"{facts.previous_version}")
    files["docProps/core.xml"] = _core(files["docProps/core.xml"], title, when)
    # Fixed zip dates: the same two versions on the same day give the same bytes.
    return (ooxml.finish_package(ooxml.write_zip(files), {"teamprotocol.kind": "wijzigingen"}),
            result)


# Settings that follow `w:trackRevisions` in CT_Settings's sequence (ECMA-376 part 1, 17.15.1).
_AFTER_TRACK = {"doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
                "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop",
                "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
                "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
                "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
                "bookFoldPrintingSheets", "drawingGridHorizontalSpacing",
                "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
                "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
                "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData",
                "noPunctuationKerning", "characterSpacingControl", "compat", "rsids", "mathPr",
                "themeFontLang", "clrSchemeMapping", "shapeDefaults", "decimalSymbol",
                "listSeparator"}
