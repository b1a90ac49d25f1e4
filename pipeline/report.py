"""The coordinator's overview across teams: overzicht.xlsx and overzicht.html.

Teams × chapters completeness as a heatmap (share of applicable items *geregeld*), open
items per team, protocol status, evaluation dates (overdue ones highlighted) and, for every
team that failed, the file, field and message of each problem. The numbers come from
`overview_rows` and `failure_rows`, so tests can check them without opening a file.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.archive import atomic_write_bytes
from pipeline.catalogue import CHAPTERS
from pipeline.merge import dutch_date
from pipeline.models import Status, TeamResult

XLSX = "overzicht.xlsx"
HTML = "overzicht.html"
RED, YELLOW, GREEN = (0xF8, 0x69, 0x6B), (0xFF, 0xEB, 0x84), (0x63, 0xBE, 0x7B)
OVERDUE_FILL = "F8D7DA"
BUILD_STATUS = {"gebouwd": "gebouwd", "ongewijzigd": "ongewijzigd (niet opnieuw gemaakt)",
                "mislukt": "mislukt"}


def overview_rows(results: list[TeamResult], today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per team: status, share geregeld per chapter (0–1, None when all n.v.t.), open
    items (deels + ontbreekt), next evaluation and whether it is overdue on `today`."""
    today = today or dt.date.today()
    rows = []
    for result in sorted(results, key=lambda r: r.team_id):
        protocol = result.protocol
        row: dict[str, Any] = {
            "team_id": result.team_id,
            "team": result.team or (protocol.meta.team if protocol else result.team_id),
            "build": result.status,
            "status": protocol.meta.status if protocol else None,
            "chapters": {n: None for n in CHAPTERS},
            "geregeld": None, "applicable": None, "open": None,
            "next_evaluation": None, "overdue": False,
            "problems": len(result.problems),
        }
        if protocol is not None and protocol.annex is not None:
            items = protocol.annex.items
            for number in CHAPTERS:
                applicable = [i for i in items
                              if i.chapter == number and i.status is not Status.NVT]
                done = sum(i.status is Status.GEREGELD for i in applicable)
                row["chapters"][number] = done / len(applicable) if applicable else None
            applicable = [i for i in items if i.status is not Status.NVT]
            row["applicable"] = len(applicable)
            row["geregeld"] = sum(i.status is Status.GEREGELD for i in applicable)
            row["open"] = sum(i.status in (Status.DEELS, Status.ONTBREEKT) for i in items)
        if protocol is not None:
            nxt = protocol.meta.next_evaluation
            row["next_evaluation"] = nxt
            row["overdue"] = nxt is not None and nxt < today
        rows.append(row)
    return rows


def failure_rows(results: list[TeamResult]) -> list[dict[str, str]]:
    """One row per problem of every failed team: team, file, field and the Dutch message."""
    rows = []
    for result in sorted(results, key=lambda r: r.team_id):
        if result.status != "mislukt":
            continue
        for problem in result.problems:
            message = problem.message.rstrip(".") + "."
            if problem.hint:
                message += " " + problem.hint.rstrip(".") + "."
            rows.append({"team_id": result.team_id, "file": problem.file,
                         "field": problem.field or "–", "message": message})
    return rows


def _colour(share: float) -> str:
    """Hex colour on the red → yellow → green scale for a share between 0 and 1."""
    low, high, t = (RED, YELLOW, share * 2) if share < 0.5 else (YELLOW, GREEN, share * 2 - 1)
    return "".join(f"{round(a + (b - a) * t):02X}" for a, b in zip(low, high, strict=True))


def _evaluation(row: dict[str, Any]) -> str:
    if row["next_evaluation"] is None:
        return "niet gepland" if row["build"] != "mislukt" else "–"
    text = dutch_date(row["next_evaluation"])
    return text + " (verlopen)" if row["overdue"] else text


def _status_text(row: dict[str, Any]) -> str:
    if row["build"] == "mislukt":
        return "mislukt"
    return row["status"] or BUILD_STATUS[row["build"]]


HEADERS = ["Team", "Team-id", "Status", "Open punten", *[f"{n}. {t}" for n, t in CHAPTERS.items()],
           "Geregeld", "Volgende evaluatie"]


def workbook_bytes(rows: list[dict[str, Any]], failures: list[dict[str, str]],
                   today: dt.date) -> bytes:
    """overzicht.xlsx: sheet Overzicht (heatmap as a colour scale) and sheet Problemen."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Overzicht"
    ws.append([f"Overzicht teamprotocollen — stand van {dutch_date(today)}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        geregeld = (f"{row['geregeld']} van {row['applicable']}"
                    if row["applicable"] is not None else "–")
        ws.append([row["team"], row["team_id"], _status_text(row), row["open"],
                   *[row["chapters"][n] for n in CHAPTERS], geregeld, _evaluation(row)])
        r = ws.max_row
        for c in range(5, 5 + len(CHAPTERS)):
            ws.cell(r, c).number_format = "0%"
        if row["overdue"]:
            ws.cell(r, len(HEADERS)).fill = PatternFill("solid", fgColor=OVERDUE_FILL)
        if row["build"] == "mislukt":
            ws.cell(r, 3).font = Font(bold=True, color="C00000")
    first, last = get_column_letter(5), get_column_letter(4 + len(CHAPTERS))
    if rows:
        ws.conditional_formatting.add(
            f"{first}3:{last}{ws.max_row}",
            ColorScaleRule(start_type="num", start_value=0, start_color="".join(
                f"{v:02X}" for v in RED), mid_type="num", mid_value=0.5, mid_color="".join(
                f"{v:02X}" for v in YELLOW), end_type="num", end_value=1, end_color="".join(
                f"{v:02X}" for v in GREEN)))
    widths = [28, 16, 14, 11, *[16] * len(CHAPTERS), 12, 24]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "B3"
    problems = wb.create_sheet("Problemen")
    problems.append(["Team-id", "Bestand", "Veld", "Melding"])
    for cell in problems[1]:
        cell.font = Font(bold=True)
    for f in failures:
        problems.append([f["team_id"], f["file"], f["field"], f["message"]])
    for i, width in enumerate((16, 36, 28, 90), 1):
        problems.column_dimensions[get_column_letter(i)].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


CSS = """
body{font-family:Carlito,Calibri,Arial,sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
p.sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #bfbfbf;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#1f4e79;color:#fff}
td.num{text-align:right}td.heat{text-align:center;min-width:64px}
td.na{color:#7f7f7f;background:#ededed;text-align:center}
td.late{background:#f8d7da;font-weight:bold}td.fail{color:#c00000;font-weight:bold}
.legend span{display:inline-block;padding:2px 8px;margin-right:4px}
"""


# Short chapter names for the narrow heatmap columns of the html page; the full titles follow.
SHORT = {1: "Visie", 2: "Kwaliteit", 3: "Orde", 4: "Normoverschrijdend gedrag",
         5: "Lerende aanpak", 6: "Borging"}


def html_text(rows: list[dict[str, Any]], failures: list[dict[str, str]],
              today: dt.date) -> str:
    """overzicht.html: one self-contained page (inline CSS, no scripts), every value escaped."""
    e = html.escape
    short = ["Team", "Team-id", "Status", "Open punten",
             *[f"{n}. {SHORT.get(n, t)}" for n, t in CHAPTERS.items()], "Geregeld",
             "Volgende evaluatie"]
    head = "".join(f"<th>{e(h)}</th>" for h in short)
    chapters = " · ".join(f"{n}. {e(t)}" for n, t in CHAPTERS.items())
    body = []
    for row in rows:
        cells = [f"<td>{e(row['team'])}</td>", f"<td>{e(row['team_id'])}</td>",
                 f"<td class=\"{'fail' if row['build'] == 'mislukt' else ''}\">"
                 f"{e(_status_text(row))}</td>",
                 f"<td class=\"num\">{'' if row['open'] is None else row['open']}</td>"]
        for n in CHAPTERS:
            share = row["chapters"][n]
            if share is None:
                cells.append("<td class=\"na\">–</td>")
            else:
                cells.append(f"<td class=\"heat\" style=\"background:#{_colour(share)}\">"
                             f"{round(share * 100)}%</td>")
        geregeld = (f"{row['geregeld']} van {row['applicable']}"
                    if row["applicable"] is not None else "–")
        cells.append(f"<td class=\"num\">{e(geregeld)}</td>")
        cells.append(f"<td class=\"{'late' if row['overdue'] else ''}\">"
                     f"{e(_evaluation(row))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if failures:
        problem_rows = "".join(
            f"<tr><td>{e(f['team_id'])}</td><td>{e(f['file'])}</td><td>{e(f['field'])}</td>"
            f"<td>{e(f['message'])}</td></tr>" for f in failures)
        problems = ("<table><tr><th>Team-id</th><th>Bestand</th><th>Veld</th><th>Melding</th>"
                    f"</tr>{problem_rows}</table>")
    else:
        problems = "<p>Alle teams zijn gelukt.</p>"
    legend = "".join(f"<span style=\"background:#{_colour(s)}\">{round(s * 100)}%</span>"
                     for s in (0, 0.25, 0.5, 0.75, 1))
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Overzicht teamprotocollen</title><style>{CSS}</style></head><body>
<h1>Overzicht teamprotocollen</h1>
<p class="sub">Stand van {e(dutch_date(today))} · {len(rows)} teams ·
per hoofdstuk het deel van de checklistonderdelen dat geregeld is (n.v.t. telt niet mee).
Open punten: onderdelen die deels geregeld zijn of ontbreken.</p>
<p class="legend">{legend}</p>
<p class="sub">Hoofdstukken: {chapters}.</p>
<table><tr>{head}</tr>{"".join(body)}</table>
<h2>Teams die niet gelukt zijn</h2>
{problems}
</body></html>
"""


def write_overview(results: list[TeamResult], out_dir: Path,
                   today: dt.date | None = None) -> list[Path]:
    """Write overzicht.xlsx and overzicht.html into out_dir (atomically); return both paths."""
    today = today or dt.date.today()
    rows = overview_rows(results, today)
    failures = failure_rows(results)
    xlsx, page = Path(out_dir) / XLSX, Path(out_dir) / HTML
    atomic_write_bytes(xlsx, workbook_bytes(rows, failures, today))
    atomic_write_bytes(page, html_text(rows, failures, today).encode("utf-8"))
    return [xlsx, page]
