"""The PDF's text compared with the text of the .docx it was made from (issue 21, item 1).

LibreOffice 25.2 garbled emoji in an answer and the digits beside them ("📞 112" printed as
"✗12") while the .docx was right, and nothing noticed. This reads the visible text of the
.docx (body, headers, footers; not field results such as page numbers, not hidden or deleted
text) and the text PDFium extracts from every page, and reports what the PDF lost:

- numbers: every run of digits of the .docx (phone numbers, dates, versions), counted, must
  be in the PDF as often; digits separated by spaces only are one number on both sides, so
  a phone number written `020 123 4567`, or broken over two lines, is compared whole;
- characters: a character of the .docx the PDF has nowhere (an emoji no font has, which
  LibreOffice 25.2 drops), and one in the PDF the .docx has nowhere (what a wrong glyph
  mapping prints instead), other than list markers LibreOffice draws itself;
- words (for the alarm card, whose every word matters): every word of the .docx must be in
  the PDF as often.

The PDF may hold more than the .docx (page numbers, the contents' page numbers, list
numbers), so each comparison asks only whether the .docx's text is all there.
"""

from __future__ import annotations

import ctypes
import difflib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from lxml import etree

from pipeline.ooxml import qn
from pipeline.pdf.read import PdfFile, opened

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# Joiners and presentation selectors: nothing of their own to show (text.pdf_safe drops them).
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f\u00ad")
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
# Characters LibreOffice draws that are in no w:t of the .docx: list bullets and numbering
# punctuation (from numbering.xml's lvlText, read too), the hyphen of a hyphenated word.
_DRAWN = set("•◦▪‧·-‐\u00ad")


@dataclass
class Difference:
    """Text of the .docx that is not in the PDF as it should be."""

    # "getal", "teken" (in the PDF only), "ontbreekt" (not in the PDF), "woord", or
    # "lettertype": a glyph the PDF maps to no character (what the validator's
    # PDFUA1-FONT-UNICODE-MAPPING finding is about), `text` the font it is drawn in
    kind: str
    text: str  # the number, character or word
    paragraph: str  # the .docx's paragraph it is in (how the field it belongs to is found)

    def suspects(self) -> list[str]:
        """The characters of the paragraph a PDF may not show: symbols, emoji (outside the
        Basic Multilingual Plane), private-use and unassigned code points, joiners."""
        return list(dict.fromkeys(c for c in self.paragraph
                                  if _suspect(c) and c not in _INVISIBLE))


@dataclass
class TextComparison:
    differences: list[Difference] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.differences)


def _visible_text(root: etree._Element) -> str:
    """The text a reader sees in one WordprocessingML part: w:t, tabs and breaks as spaces,
    paragraphs as lines; field results (between `separate` and `end`), deleted and hidden
    (w:vanish) runs left out."""
    out: list[str] = []
    depth_result = 0  # inside how many field results
    fields: list[bool] = []  # per open field: whether its result has started
    for el in root.iter(qn("w:p"), qn("w:r"), qn("w:fldSimple")):
        if el.tag == qn("w:p"):
            out.append("\n")
            continue
        if el.tag == qn("w:fldSimple"):
            continue  # its runs (the field's result) are skipped below by their ancestor
        if any(a.tag == qn("w:fldSimple") for a in el.iterancestors()):
            continue
        rpr = el.find(qn("w:rPr"))
        hidden = rpr is not None and rpr.find(qn("w:vanish")) is not None
        for child in el:
            if child.tag == qn("w:fldChar"):
                kind = child.get(qn("w:fldCharType"))
                if kind == "begin":
                    fields.append(False)
                elif kind == "separate" and fields and not fields[-1]:
                    fields[-1] = True
                    depth_result += 1
                elif kind == "end" and fields and fields.pop():
                    depth_result -= 1
            elif hidden or depth_result:
                continue
            elif child.tag == qn("w:t"):
                out.append(child.text or "")
            elif child.tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
                out.append(" ")
    return "".join(out)


def docx_text(data: bytes) -> tuple[str, set[str]]:
    """The visible text of a .docx's body, headers, footers and notes, and the characters of
    its list markers (numbering.xml's lvlText)."""
    texts: list[str] = []
    markers: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in sorted(zf.namelist()):
            if _PARTS.fullmatch(name):
                texts.append(_visible_text(etree.fromstring(zf.read(name), _PARSER)))
            elif name == "word/numbering.xml":
                root = etree.fromstring(zf.read(name), _PARSER)
                for lvl in root.iter(qn("w:lvlText")):
                    markers.update(re.sub(r"%\d", "", lvl.get(qn("w:val")) or ""))
    return "\n".join(texts), markers


def pdf_text(source: Path | PdfFile) -> str:
    """The text of every page of a PDF, read by PDFium, pages separated by a line."""
    with opened(source) as pdf:
        return pdf.all_text()


def _normal(text: str) -> str:
    # PDFium gives ligatures and compatibility forms as LibreOffice drew them (ﬁ for fi).
    return unicodedata.normalize("NFKC", text)


def _numbers(text: str) -> Counter[str]:
    return Counter(_NUMBER.findall(text))


def _suspect(char: str) -> bool:
    return (ord(char) > 0xFFFF
            or unicodedata.category(char) in ("So", "Sk", "Co", "Cn", "Cs"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraph(source: list[str], printed: str, found: re.Pattern[str]) -> str:
    """The first paragraph of the .docx holding `found` that the PDF does not hold whole,
    else the first holding `found`; "" when none does."""
    holding = [p for p in source if found.search(p)]
    for paragraph in holding:
        if _squash(paragraph) not in printed:
            return paragraph
    return holding[0] if holding else ""


def compare(docx: bytes, pdf: Path | PdfFile, *, words: bool = False) -> TextComparison:
    """What of the .docx's text the PDF does not have (`words`: compare every word too)."""
    source, markers = docx_text(docx)
    source = _normal(source)
    printed = _normal(pdf_text(pdf))
    result = TextComparison()
    paragraphs = [p for p in source.split("\n") if p.strip()]
    flat = _squash(printed)
    have = _numbers(printed)
    for number, count in _numbers(source).items():
        if have[number] < count:
            at = re.compile(rf"(?<!\d){number}(?!\d)")
            result.differences.append(Difference("getal", number,
                                                 _paragraph(paragraphs, flat, at)))
    shown = set(printed)
    for char in dict.fromkeys(source):
        if (char not in shown and not char.isspace() and char not in _INVISIBLE
                and unicodedata.category(char)[0] != "C"):  # bidi and other controls
            at = re.compile(re.escape(char))
            result.differences.append(Difference("ontbreekt", char,
                                                 _paragraph(paragraphs, flat, at)))
    allowed = set(source) | set(_normal("".join(markers))) | _DRAWN
    lines = printed.splitlines()
    for char in dict.fromkeys(printed):
        if char not in allowed and not char.isspace() and unicodedata.category(char)[0] != "C":
            line = next(x for x in lines if char in x)
            close = difflib.get_close_matches(_squash(line), paragraphs, n=1, cutoff=0.3)
            result.differences.append(Difference("teken", char, close[0] if close else ""))
    if words:
        have_words = Counter(_WORD.findall(flat.lower()))
        for word, count in Counter(_WORD.findall(source.lower())).items():
            if have_words[word] < count and not word.isdigit():
                at = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
                result.differences.append(Difference("woord", word,
                                                     _paragraph(paragraphs, flat, at)))
    return result


# PDFium's codes for a glyph without a character (2 is the hyphen of a broken line).
_UNMAPPED = frozenset({0, 1, 0xFFFD})
_AROUND = 60  # characters of the PDF's text around such a glyph, to find its paragraph


def unmapped_glyphs(docx: bytes, pdf: Path) -> list[Difference]:
    """The glyphs of the PDF that map to no character, as `lettertype` differences: the font
    they are drawn in and the .docx paragraph closest to the PDF's text around them.

    For a validator finding about a font's Unicode mapping, which names only an object
    number: this says which text, so the coordinator knows which field to correct.
    """
    paragraphs = [p for p in _normal(docx_text(docx)[0]).split("\n") if p.strip()]
    found: dict[str, Difference] = {}
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            textpage = page.get_textpage()
            try:
                for index in range(textpage.count_chars()):
                    if pdfium_c.FPDFText_GetUnicode(textpage, index) not in _UNMAPPED:
                        continue
                    pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name),
                                                  ctypes.byref(flags))
                    start = max(0, index - _AROUND)
                    line = _squash(textpage.get_text_range(start, 2 * _AROUND))
                    close = difflib.get_close_matches(line, paragraphs, n=1, cutoff=0.2)
                    paragraph = close[0] if close else ""
                    font = name.value.decode("latin-1").split("+")[-1]
                    found.setdefault(paragraph, Difference("lettertype", font, paragraph))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return list(found.values())
