"""The status palette as the rendered protocol shows it: 7.1's bar of symbols and 7.2's status
cells in colours that read in grey and by contrast, symbols that say the status without
colour, one legend in words; the title page's facts table has a header row."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections import Counter

import pytest
from helpers.render import make_policy, make_protocol
from lxml import etree

from pipeline.models import Status
from pipeline.render import SYMBOL_FONT, render_protocol
from pipeline.render.palette import PALETTE

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
SYMBOLS = {look.symbol for look in PALETTE.values()}
WHITE = "FFFFFF"


@pytest.fixture(scope="module")
def body() -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(render_protocol(make_protocol(), make_policy()))) as z:
        return etree.fromstring(z.read("word/document.xml"))


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an RRGGBB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _symbol_runs(body: etree._Element) -> list[etree._Element]:
    """Runs of status symbols: set in SYMBOL_FONT (the empty mark "–" of a cell is not)."""
    return [run for run in body.iterfind(".//w:tc//w:r", NS)
            if run.xpath("string(w:rPr/w:rFonts/@w:ascii)", namespaces=NS) == SYMBOL_FONT
            and set("".join(run.itertext()).strip()) <= SYMBOLS]


def _bar_runs(body: etree._Element) -> list[etree._Element]:
    """7.1's bars: a symbol run ending in a space (a status label's symbol stands alone)."""
    return [run for run in _symbol_runs(body) if "".join(run.itertext()).endswith(" ")]


def test_the_bar_is_status_symbols_in_the_palette_colours(body):
    text = "".join(body.itertext())
    assert "■" not in text
    runs = _bar_runs(body)
    assert runs
    by_symbol = {look.symbol: look.colour for look in PALETTE.values()}
    for run in runs:
        symbols = set("".join(run.itertext()).strip())
        assert len(symbols) == 1  # one status per run, its symbol repeated per item
        colour = run.xpath("string(w:rPr/w:color/@w:val)", namespaces=NS)
        assert colour == by_symbol[symbols.pop()]


def test_status_colours_in_the_protocol_read_in_grey_and_on_white(body):
    """Taken from the rendered protocol: every colour of a status symbol or word reaches
    4.5:1 on white and on the cell fill it stands on; geregeld, deels and ontbreekt differ
    by at least 1.5:1 from each other (docs/template.md says why 3:1 cannot be had)."""
    colours = {run.xpath("string(w:rPr/w:color/@w:val)", namespaces=NS)
               for run in _symbol_runs(body)}
    palette = {look.colour: (status, look.fill) for status, look in PALETTE.items()}
    assert colours
    assert colours <= set(palette)
    fills = set(body.xpath(".//w:tcPr/w:shd/@w:fill", namespaces=NS))
    for colour in colours:
        status, fill = palette[colour]
        assert contrast(colour, WHITE) >= 4.5, status
        assert contrast(colour, fill) >= 4.5, status
    assert {look.fill for look in PALETTE.values()} <= fills
    told_apart = [PALETTE[s].colour for s in (Status.GEREGELD, Status.DEELS, Status.ONTBREEKT)]
    for a, b in itertools.combinations(told_apart, 2):
        assert contrast(a, b) >= 1.5, (a, b)


def test_every_status_has_its_own_symbol_and_the_legend_says_them_in_words(body):
    assert len(SYMBOLS) == len(PALETTE)
    text = "".join(body.itertext())
    assert "blokje" not in text
    assert "oranje" not in text
    for status, look in PALETTE.items():
        assert f"{look.symbol} {status.value}" in text


def test_the_title_facts_table_has_a_header_row(body):
    table = next(t for t in body.iterfind(".//w:tbl", NS)
                 if "Leidinggevende" in "".join(t.itertext()))
    first = table.find("w:tr", NS)
    assert first.find("w:trPr/w:tblHeader", NS) is not None
    assert "".join(first.itertext()) == "Over dit protocol"


def test_each_bar_says_its_symbols_in_words_below_them(body):
    """7.1's bar cell: the symbols, then the same counts in words, which is what a listener
    hears and what a reader who does not know the symbols reads."""
    words_of = {look.symbol: status.value for status, look in PALETTE.items()}
    bar = set(_bar_runs(body))  # found once: lxml keeps one proxy per element while held
    cells = [tc for tc in body.iterfind(".//w:tc", NS) if any(
        r in bar for r in tc.iterfind(".//w:r", NS))]
    assert cells
    for tc in cells:
        symbols = "".join("".join(r.itertext()) for r in tc.iterfind(".//w:r", NS)
                          if r in bar).replace(" ", "")
        text = "".join("\n" if el.tag.endswith("}br") else (el.text or "")
                       for el in tc.iter(f"{{{NS['w']}}}t", f"{{{NS['w']}}}br"))
        words = text.split("\n")[-1]
        counts = Counter(symbols)  # in the bar's order, which is the palette's
        assert words == ", ".join(f"{n} {words_of[s]}" for s, n in counts.items()), words


def test_no_legend_ends_in_a_double_full_stop(body):
    assert ".." not in "".join(body.itertext())
