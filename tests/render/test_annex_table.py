"""Table 7.2 read back from the rendered .docx: an item with nothing missing and no action is
one cell across "Wat ontbreekt" and "Actie" (`w:gridSpan` 2), never two "–" cells; an item
with a gap keeps its five columns; the header row keeps its five header cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from helpers.render import make_policy, make_protocol
from lxml import etree

from pipeline.models import ItemAssessment, Protocol
from pipeline.render import render_protocol
from pipeline.render.annex import SETTLED_LINE
from pipeline.render.common import EMPTY

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HEADER = ["Nr.", "Onderdeel", "Status", "Wat ontbreekt", "Actie"]


def _text(tc: etree._Element) -> str:
    """A `<w:tc>`'s text, one line per paragraph."""
    return "\n".join("".join(p.xpath(".//w:t/text()", namespaces=NS))
                     for p in tc.xpath("w:p", namespaces=NS))


def _span(tc: etree._Element) -> int:
    """A `<w:tc>`'s `w:gridSpan`, 1 without one."""
    return int(tc.xpath("string(w:tcPr/w:gridSpan/@w:val)", namespaces=NS) or 1)


def _settled(item: ItemAssessment) -> bool:
    return not (item.missing or item.conflicts or item.reviews) and item.action is None


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return make_protocol()


@pytest.fixture(scope="module")
def table(protocol: Protocol) -> etree._Element:
    """7.2's `<w:tbl>`: the table whose header row is Nr., Onderdeel, Status, Wat ontbreekt,
    Actie."""
    with zipfile.ZipFile(io.BytesIO(render_protocol(protocol, make_policy()))) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    [tbl] = [t for t in body.iter(f"{{{W}}}tbl")
             if [_text(tc) for tc in t.xpath("w:tr[1]/w:tc", namespaces=NS)] == HEADER]
    return tbl


def _item_rows(table: etree._Element, protocol: Protocol) -> dict[str, list[etree._Element]]:
    ids = {i.id for i in protocol.annex.items}
    rows = {}
    for tr in table.xpath("w:tr", namespaces=NS):
        tcs = tr.xpath("w:tc", namespaces=NS)
        if _text(tcs[0]) in ids:
            rows[_text(tcs[0])] = tcs
    assert set(rows) == ids  # one row per item
    return rows


def test_header_row_keeps_its_five_header_cells(table):
    """The header a listener hears before each cell, repeated on every page: five cells over
    a five-column grid, whatever the rows below merge."""
    assert len(table.xpath("w:tblGrid/w:gridCol", namespaces=NS)) == 5
    first = table.xpath("w:tr[1]", namespaces=NS)[0]
    assert first.xpath("w:trPr/w:tblHeader", namespaces=NS)
    assert [_span(tc) for tc in first.xpath("w:tc", namespaces=NS)] == [1] * 5


def test_item_with_nothing_missing_is_one_cell_without_placeholders(table, protocol):
    rows = _item_rows(table, protocol)
    settled = [i for i in protocol.annex.items if _settled(i)]
    assert settled  # the premise: geregeld and n.v.t. items without a review
    for item in settled:
        cells = rows[item.id]
        assert [_span(tc) for tc in cells] == [1, 1, 1, 2], item.id
        assert _text(cells[3]) == SETTLED_LINE, item.id
        assert EMPTY not in [_text(tc) for tc in cells], item.id


def test_item_with_a_gap_keeps_its_columns(table, protocol):
    rows = _item_rows(table, protocol)
    open_items = [i for i in protocol.annex.items if i.missing]
    assert open_items  # the premise: deels, ontbreekt and te beoordelen items
    for item in open_items:
        cells = rows[item.id]
        assert [_span(tc) for tc in cells] == [1] * 5, item.id
        assert _text(cells[3]) not in (EMPTY, SETTLED_LINE), item.id  # what is missing
        assert _text(cells[4]) != SETTLED_LINE, item.id  # the action, or "–" without one
