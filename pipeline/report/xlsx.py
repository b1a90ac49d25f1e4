"""overzicht.xlsx: the overview as a workbook for spreadsheet users.

Every sheet is one table: a styled header row (wrapped, tall enough for its longest header),
frozen with the first column, an autofilter, landscape and one page wide when printed, the
header repeated on every page. Dates are dates and counts and shares are numbers, so they
sort and filter. Text from forms is always stored as text: openpyxl makes a string that
starts with `=` a formula (measured: `=HYPERLINK(…)` became a live link), so every string is
written with the string type and a quote prefix. A sheet with no rows is left out.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.catalogue import CHAPTERS
from pipeline.report.data import SHORT_CHAPTERS, Overview
from pipeline.report.html import GREEN, RED, YELLOW
from pipeline.text import dutch_date

DATE_FORMAT = "d-m-yyyy"
LATE_FILL = PatternFill("solid", fgColor="FFF8D7DA")
# openpyxl's default body font; a Font() without a name prints in the viewer's default (a
# serif in LibreOffice, measured), so every font we set names it too.
FONT = "Calibri"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
# Excel's row height in points per line of 11-point text, and a margin.
LINE_HEIGHT, HEADER_MARGIN = 15, 4
MAX_WIDTH = 40

Value = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    wrap: bool = False
    number_format: str | None = None


def _hex(rgb: tuple[int, int, int]) -> str:
    return "".join(f"{v:02X}" for v in rgb)


def _argb(colour: str) -> str:
    """`#RRGGBB` as opaque ARGB (openpyxl's default alpha for six digits is 00)."""
    return "FF" + colour.lstrip("#").upper()


# Per workbook, a column cell's style (alignment, number format) as openpyxl's array of
# style ids, made once and copied: setting `alignment` looked the style up in the workbook's
# list by its hash for each of 2,000 teams' ~180,000 cells (5 of the workbook's 7 CPU-s,
# issue 26). The same ids in the same order: the same bytes.
_STYLES: weakref.WeakKeyDictionary[Workbook, dict[tuple[bool, str], StyleArray]] = (
    weakref.WeakKeyDictionary())


def _put(ws: Worksheet, row: int, col: int, value: Value, column: Column | None = None
         ) -> Cell:
    cell = ws.cell(row, col)
    cell.value = value
    if column is not None:
        number_format = (column.number_format
                         if column.number_format and not isinstance(value, str) else "")
        styles = _STYLES.setdefault(ws.parent, {})
        key = (column.wrap, number_format)
        if key in styles:
            cell._style = copy.copy(styles[key])  # noqa: SLF001  (openpyxl's own way to copy)
        else:
            cell.alignment = WRAP if column.wrap else TOP
            if number_format:
                cell.number_format = number_format
            styles[key] = copy.copy(cell._style)  # noqa: SLF001
    if isinstance(value, str):
        # Never a formula: a team named `=HYPERLINK("…")` stays that text.
        cell.data_type = "s"
        cell.quotePrefix = value[:1] in ("=", "+", "-", "@")
    return cell


def _header_lines(title: str, width: float) -> int:
    """Lines a header needs in a column of `width` characters, wrapping at spaces."""
    lines, used = 1, 0
    for word in title.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > width:
            lines, used = lines + 1, len(word)
        else:
            used += need
        lines += max(0, math.ceil(len(word) / width) - 1)
    return lines


def _table(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Value]],
           colour: str, on_colour: str, first_row: int = 1) -> None:
    """Header at `first_row`, then the rows; styling, freeze, filter and print setup."""
    fill = PatternFill("solid", fgColor=_argb(colour))
    font = Font(name=FONT, bold=True, color=_argb(on_colour))
    widths = []
    for c, column in enumerate(columns, 1):
        cell = _put(ws, first_row, c, column.title)
        cell.font, cell.fill = font, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        # A header wraps at spaces only: its longest word, in bold, sets the least width; a
        # column that does not wrap (ids, dates) is as wide as its longest value.
        least = max(len(w) for w in column.title.split()) + 2
        if not column.wrap:
            texts = [v for r in rows if isinstance(v := r[c - 1], str)]
            least = max([least, *(len(t) + 2 for t in texts)])
        widths.append(max(column.width, min(least, MAX_WIDTH)))
        ws.column_dimensions[get_column_letter(c)].width = widths[-1]
    lines = max(_header_lines(c.title, w - 1) for c, w in zip(columns, widths, strict=True))
    ws.row_dimensions[first_row].height = lines * LINE_HEIGHT + HEADER_MARGIN
    for r, values in enumerate(rows, first_row + 1):
        for c, (value, column) in enumerate(zip(values, columns, strict=True), 1):
            _put(ws, r, c, value, column)
    last = f"{get_column_letter(len(columns))}{first_row + max(len(rows), 1)}"
    ws.auto_filter.ref = f"A{first_row}:{last}"
    ws.freeze_panes = ws.cell(first_row + 1, 2)
    ws.print_title_rows = f"{first_row}:{first_row}"
    ws.print_area = f"A1:{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _overview_sheet(ws: Worksheet, o: Overview, colour: str, on_colour: str) -> None:
    ws.title = "Overzicht"
    title = "Overzicht teamprotocollen"
    if o.organisation:
        title += f" {o.organisation}"
    chapters_line = "; ".join(f"{n}. {t}" for n, t in CHAPTERS.items())
    cell = _put(ws, 1, 1, f"{title}, stand van {dutch_date(o.today)}.\n"
                          f"Hoofdstukken: {chapters_line}.")
    cell.font = Font(name=FONT, bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    chapters = [Column(f"{n}. {SHORT_CHAPTERS[n]}", 11, number_format="0%") for n in CHAPTERS]
    columns = [Column("Team", 24, wrap=True), Column("Team-id", 14),
               Column("Afdeling", 18, wrap=True), Column("Status", 11),
               Column("Open punten van het team", 9, number_format="0"),
               *chapters, Column("Geregeld", 10, number_format="0"),
               Column("Van toepassing", 10, number_format="0"),
               Column("Open bij de organisatie", 11, number_format="0"),
               Column("Volgende evaluatie", 11, number_format=DATE_FORMAT),
               Column("Evaluatie", 15), Column("Protocol", 9),
               Column("Te beoordelen (beoordelingen.xlsx)", 13, number_format="0")]
    rows = []
    for t in o.teams:
        rows.append([t.team, t.team_id, t.department, "mislukt" if t.failed else t.status,
                     t.open,
                     *[t.chapters[n].share if t.chapters else None for n in CHAPTERS],
                     t.arranged, t.applicable, t.organisation_open, t.next_evaluation,
                     t.evaluation_flag, "PDF" if t.links.get("pdf") else None, t.review])
    _table(ws, columns, rows, colour, on_colour, first_row=2)
    # The title spans the table, so it wraps within the printed width instead of running off.
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.row_dimensions[1].height = 3 * LINE_HEIGHT + HEADER_MARGIN
    titles = [c.title for c in columns]
    evaluation = titles.index("Volgende evaluatie") + 1
    status = titles.index("Status") + 1
    for r, t in enumerate(o.teams, 3):
        if t.failed:
            ws.cell(r, status).font = Font(name=FONT, bold=True, color="FFC00000")
        if t.evaluation_flag:
            for c in (evaluation, evaluation + 1):
                ws.cell(r, c).fill = LATE_FILL
        if t.links.get("pdf"):
            link = ws.cell(r, titles.index("Protocol") + 1)
            link.hyperlink = t.links["pdf"]  # relative to the workbook
            link.font = Font(name=FONT, color="FF0B4F9C", underline="single")
    chapter_one = titles.index(chapters[0].title) + 1
    first = get_column_letter(chapter_one)
    last = get_column_letter(chapter_one + len(CHAPTERS) - 1)
    if o.teams:
        ws.conditional_formatting.add(
            f"{first}3:{last}{ws.max_row}",
            ColorScaleRule(start_type="num", start_value=0, start_color=_hex(RED),
                           mid_type="num", mid_value=0.5, mid_color=_hex(YELLOW),
                           end_type="num", end_value=1, end_color=_hex(GREEN)))


def _actions_sheet(ws: Worksheet, o: Overview, colour: str, on_colour: str) -> None:
    # Filtered by department and owner with the sheet's autofilter (issue 26: 42,969 rows
    # at 2,000 teams).
    columns = [Column("Team", 28, wrap=True), Column("Team-id", 18),
               Column("Afdeling", 20, wrap=True), Column("Onderdeel", 10),
               Column("Omschrijving onderdeel", 40, wrap=True), Column("Actie", 50, wrap=True),
               Column("Eigenaar", 24, wrap=True),
               Column("Uiterlijk", 12, number_format=DATE_FORMAT), Column("Verlopen", 10)]
    rows = [[a.team, a.team_id, a.department, a.item, a.item_text,
             a.what or "nog geen actie afgesproken", a.owner or "nog niet bepaald", a.due,
             "verlopen" if a.overdue else None] for a in o.actions]
    _table(ws, columns, rows, colour, on_colour)
    for r, a in enumerate(o.actions, 2):
        if a.overdue:
            ws.cell(r, 8).fill = ws.cell(r, 9).fill = LATE_FILL


def _organisation_sheet(ws: Worksheet, o: Overview, colour: str, on_colour: str) -> None:
    columns = [Column("Onderdeel", 10), Column("Omschrijving onderdeel", 40, wrap=True),
               Column("Actie", 50, wrap=True), Column("Eigenaar", 28, wrap=True),
               Column("Uiterlijk", 12, number_format=DATE_FORMAT), Column("Verlopen", 10),
               Column("Aantal teams", 9, number_format="0")]
    rows = [[a.item, a.item_text, a.what, a.owner or "nog niet bepaald", a.due,
             "verlopen" if a.overdue else None, a.teams] for a in o.organisation_actions]
    _table(ws, columns, rows, colour, on_colour)


def _problems_sheet(ws: Worksheet, o: Overview, colour: str, on_colour: str) -> None:
    columns = [Column("Team", 28, wrap=True), Column("Team-id", 18),
               Column("Bestand", 36, wrap=True), Column("Veld", 28, wrap=True),
               Column("Melding", 60, wrap=True), Column("Wat te doen", 50, wrap=True)]
    rows = [[t.team, t.team_id, p["file"], p["field"], p["message"], p["hint"] or None]
            for t in o.failed for p in t.problems]
    _table(ws, columns, rows, colour, on_colour)


def _archive_sheet(ws: Worksheet, o: Overview, colour: str, on_colour: str) -> None:
    columns = [Column("Gearchiveerde versie", 60, wrap=True), Column("Bestand", 50, wrap=True),
               Column("Bewaartermijn verstreken op", 16, number_format=DATE_FORMAT)]
    rows: list[list[Value]] = [[d.name, d.file, d.end] for d in o.destroyable]
    _table(ws, columns, rows, colour, on_colour)


def workbook_bytes(o: Overview, colour: str, on_colour: str) -> bytes:
    """overzicht.xlsx: Overzicht, and Open acties, Organisatie, Problemen and Archief (versions
    that may be destroyed) when they have rows."""
    wb = Workbook()
    _overview_sheet(wb.active, o, colour, on_colour)
    if o.actions:
        _actions_sheet(wb.create_sheet("Open acties"), o, colour, on_colour)
    if o.organisation_actions:
        _organisation_sheet(wb.create_sheet("Organisatie"), o, colour, on_colour)
    if o.failed:
        _problems_sheet(wb.create_sheet("Problemen"), o, colour, on_colour)
    if o.destroyable:
        _archive_sheet(wb.create_sheet("Mag worden vernietigd"), o, colour, on_colour)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
