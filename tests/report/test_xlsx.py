"""overzicht.xlsx read back with openpyxl: types, layout, print setup, text never a formula."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from helpers.render import COLOUR
from helpers.report import TODAY
from openpyxl import load_workbook

from pipeline.catalogue import CHAPTERS
from pipeline.report import XLSX, build_overview, write_overview
from pipeline.report.data import SHORT_CHAPTERS

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def book(results, report_policy, tmp_path):
    write_overview(results, tmp_path, today=TODAY, policy=report_policy)
    return load_workbook(tmp_path / XLSX)


def table(ws, header_row: int) -> list[dict[str, object]]:
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, (c.value for c in row), strict=True))
            for row in ws.iter_rows(min_row=header_row + 1)]


def test_sheets_hold_rows_and_no_empty_one(book, results):
    assert book.sheetnames == ["Overzicht", "Open acties", "Organisatie", "Problemen"]
    for ws in book:
        assert ws.max_row >= 2, ws.title


def test_numbers_dates_and_text_are_typed(book, results, report_policy):
    expected = {t.team_id: t for t in build_overview(results, report_policy, TODAY).teams}
    rows = table(book["Overzicht"], 2)
    assert [r["Team-id"] for r in rows] == ["belastingen", "wijkteam", "burgerzaken"]
    for row in rows:
        team = expected[row["Team-id"]]
        if team.failed:
            assert row["Status"] == "mislukt"
            assert row["Open punten van het team"] is None
            continue
        assert row["Open punten van het team"] == team.open
        assert isinstance(row["Open punten van het team"], int)
        for n in CHAPTERS:
            value = row[f"{n}. {SHORT_CHAPTERS[n]}"]
            assert isinstance(value, float | int), (n, value)
            assert value == pytest.approx(team.chapters[n].share)
        assert row["Geregeld"] == team.arranged
        assert row["Te beoordelen (beoordelingen.xlsx)"] == team.review
        assert row["Van toepassing"] == team.applicable
        assert row["Open bij de organisatie"] == 1
        # openpyxl reads a date cell back as a datetime at midnight.
        assert row["Volgende evaluatie"].date() == team.next_evaluation
    wijk = next(r for r in rows if r["Team-id"] == "wijkteam")
    assert wijk["Team"] == "Wijkteam <Noord> & Zuid"
    assert wijk["Afdeling"] == expected["wijkteam"].department
    assert next(r for r in rows if r["Team-id"] == "belastingen")["Afdeling"] is None
    assert wijk["Evaluatie"] == "verlopen"  # 20 januari 2027 < 1 maart 2027
    assert wijk["Protocol"] == "PDF"
    ws = book["Overzicht"]
    assert "1. Visie op veilige publieke dienstverlening" in ws["A1"].value
    cell = ws.cell(4, [c.value for c in ws[2]].index("Protocol") + 1)
    assert cell.hyperlink.target == "wijkteam/teamprotocol-wijkteam.pdf"  # relative
    shares = ws.cell(4, [c.value for c in ws[2]].index("1. Visie") + 1)
    assert shares.number_format == "0%"
    assert ws.conditional_formatting  # the heatmap colour scale
    actions = table(book["Open acties"], 1)
    dated = [a for a in actions if a["Uiterlijk"] is not None]
    assert dated
    assert all(isinstance(a["Uiterlijk"], dt.datetime) for a in dated)
    assert {a["Verlopen"] for a in dated} == {"verlopen"}  # all due 1 september 2026
    assert {a["Team-id"] for a in actions} == {"wijkteam"}
    # Filterable by department and owner: both are columns under the sheet's autofilter.
    assert {a["Afdeling"] for a in actions} == {expected["wijkteam"].department}
    assert "Eigenaar" in actions[0]
    assert book["Open acties"].auto_filter.ref.startswith("A1:")
    [org] = table(book["Organisatie"], 1)
    assert org["Onderdeel"] == "V2"
    assert org["Uiterlijk"].date() == dt.date(2027, 6, 30)
    assert org["Aantal teams"] == 2
    [problem] = table(book["Problemen"], 1)
    assert problem["Bestand"] == "belastingen/team.docx"
    assert problem["Veld"] == "Vastgesteld op"
    assert problem["Wat te doen"] == "Vul het in, of zet de status op 'concept'."


def test_every_sheet_is_a_styled_filtered_printable_table(book):
    for ws in book:
        header_row = 2 if ws.title == "Overzicht" else 1
        header = ws[header_row]
        last = header[-1].column_letter
        assert ws.auto_filter.ref == f"A{header_row}:{last}{ws.max_row}", ws.title
        assert ws.freeze_panes == f"B{header_row + 1}", ws.title
        assert ws.print_title_rows == f"${header_row}:${header_row}"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        height = ws.row_dimensions[header_row].height
        for cell in header:
            assert cell.font.b, cell.value
            assert cell.fill.fgColor.rgb == "FF" + COLOUR[1:].upper()
            assert cell.alignment.wrap_text
            # Nothing clipped: at ~1 character per width unit, every word fits the column and
            # the lines the title wraps to fit the row's height (15 points a line).
            width = ws.column_dimensions[cell.column_letter].width
            words = str(cell.value).split()
            assert max(len(w) for w in words) <= width, cell.value
            lines, used = 1, 0
            for word in words:
                if used and used + 1 + len(word) > width - 1:
                    lines, used = lines + 1, len(word)
                else:
                    used += len(word) + (1 if used else 0)
            assert height >= 15 * lines, (ws.title, cell.value, height)


def test_text_from_forms_is_never_a_formula(results, report_policy, tmp_path):
    results[0].team = FORMULA
    results[0].protocol.meta.team = FORMULA
    results[0].protocol.annex.actions[0].owner = "=1+1"
    write_overview(results, tmp_path, today=TODAY, policy=report_policy)
    book = load_workbook(tmp_path / XLSX)
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    names = [c for c in cells if c.value == FORMULA]
    assert len(names) >= 2  # Overzicht and Open acties
    assert all(c.data_type == "s" for c in names)
    assert any(c.value == "=1+1" and c.data_type == "s" for c in cells)
    with zipfile.ZipFile(tmp_path / XLSX) as zf:
        sheets = [n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert sheets
        for name in sheets:
            assert b"<f>" not in zf.read(name), name
