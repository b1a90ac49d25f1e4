"""beoordelingen.xlsx: the coordinator's review of every answer the program could not judge.

One row per answer that is *te beoordelen* (team, form, question, the exact text, why), with
a drop-down *Oordeel* (akkoord / niet akkoord), a note, who and when. `build` reads the
workbook before it builds, applies every decision to the answer whose text it was made for
(`Sleutel`: `answers.answer_key`), and writes it back with the new answers added. A row is
never removed: an answer that changed keeps its old row, marked *vervallen*, and gets a new
one. The workbook is the coordinator's: a file open in Excel (its `~$` lock file) or one that
cannot be read is left exactly as it is, and only this step says why.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Problem
from pipeline.files import atomic_write_bytes
from pipeline.models import Decision, Review, ReviewItem
from pipeline.text import form_name, parse_date

REVIEWS_XLSX = "beoordelingen.xlsx"
SHEET = "Te beoordelen"
COLUMNS = ("Team", "Formulier", "Vraag", "Antwoord", "Waarom te beoordelen", "Oordeel",
           "Toelichting", "Beoordeeld door", "Datum", "Stand", "Veld", "Sleutel")
OPEN, DONE, STALE = "open", "beoordeeld", "vervallen: het antwoord is gewijzigd"
MAX_BYTES = 20 * 1024 * 1024
_WIDTHS = (18, 16, 30, 50, 30, 14, 30, 20, 12, 18, 22, 18)


@dataclass
class ReviewRow:
    """One row of the workbook, as the coordinator left it."""

    team_id: str
    form: str
    question: str
    text: str
    reason: str
    tag: str
    key: str
    decision: Decision | None = None
    note: str = ""
    by: str = ""
    on: dt.date | None = None
    state: str = OPEN

    def review(self) -> Review | None:
        if self.decision is None:
            return None
        return Review(team_id=self.team_id, form=self.form, tag=self.tag, key=self.key,
                      decision=self.decision, note=self.note, by=self.by, on=self.on)


@dataclass
class ReviewBook:
    """The workbook's rows, what was wrong in them, and whether it may be rewritten."""

    rows: list[ReviewRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    writable: bool = True
    _by_team: dict[str, dict[str, Review]] | None = field(default=None, repr=False)

    def reviews(self, team_id: str) -> dict[str, Review]:
        """The decisions on one team's answers, by answer key (indexed once per build: the
        inputs hash and the build of every team ask)."""
        if self._by_team is None:
            self._by_team = {}
            for row in self.rows:
                if (review := row.review()) is not None:
                    self._by_team.setdefault(row.team_id, {})[row.key] = review
        return self._by_team.get(team_id, {})


def lock_file(out_dir: Path) -> Path:
    """Excel's owner file beside an open workbook (`~$beoordelingen.xlsx`)."""
    return Path(out_dir) / f"~${REVIEWS_XLSX}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> dt.date | None | str:
    """A date cell (Excel stores a datetime), a date typed as text (`text.parse_date`), or
    the text it holds."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    return parse_date(text) or text


def read_reviews(out_dir: Path) -> ReviewBook:
    """The workbook in `out_dir`, or an empty book when there is none yet.

    Never raises for the workbook's content: what cannot be read becomes a problem, and the
    book is then not writable, so the build leaves the file exactly as it is.
    """
    path = Path(out_dir) / REVIEWS_XLSX
    book = ReviewBook()
    if lock_file(out_dir).exists():
        book.writable = False
        book.problems.append(Problem(
            file=REVIEWS_XLSX, message="het bestand is geopend in Excel (of Excel sloot niet "
            "netjes af); de laatst opgeslagen oordelen zijn gebruikt, maar nieuwe antwoorden om "
            "te beoordelen zijn er niet bijgezet", hint="Sla het bestand op, sluit het en bouw "
            "opnieuw"))
    if not path.exists():
        return book
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("te groot")
        from openpyxl import load_workbook  # heavy: only when there is a workbook
        workbook = load_workbook(io.BytesIO(path.read_bytes()), data_only=True)
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as e:
        book.writable = False
        book.problems.append(Problem(
            file=REVIEWS_XLSX, message=f"het bestand kan niet worden gelezen ({e}); de oordelen "
            "erin zijn deze keer niet gebruikt en het bestand is niet gewijzigd",
            hint="Herstel het bestand (of zet een reservekopie terug) en bouw opnieuw"))
        return book
    header = [_text(c) for c in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        book.writable = False
        book.problems.append(Problem(
            file=REVIEWS_XLSX, message="de kolommen " + ", ".join(missing) + " ontbreken; de "
            "oordelen zijn deze keer niet gebruikt en het bestand is niet gewijzigd",
            hint="Zet de kolomkoppen terug zoals teamprotocol ze schreef"))
        return book
    at = {name: header.index(name) for name in COLUMNS}
    for number, values in enumerate(rows[1:], 2):
        def cell(name: str, values: tuple[object, ...] = values) -> object:
            i = at[name]
            return values[i] if i < len(values) else None

        if not _text(cell("Sleutel")):
            continue
        row = ReviewRow(team_id=_text(cell("Team")), form=_text(cell("Formulier")),
                        question=_text(cell("Vraag")), text=_text(cell("Antwoord")),
                        reason=_text(cell("Waarom te beoordelen")), tag=_text(cell("Veld")),
                        key=_text(cell("Sleutel")), note=_text(cell("Toelichting")),
                        by=_text(cell("Beoordeeld door")), state=_text(cell("Stand")) or OPEN)
        said = _text(cell("Oordeel")).lower()
        if said:
            try:
                row.decision = Decision(said)
            except ValueError:
                book.problems.append(Problem(
                    file=REVIEWS_XLSX, field=f"rij {number}, Oordeel", message=(
                        f"‘{said[:30]}’ is geen oordeel; dit antwoord blijft te beoordelen"),
                    hint="Kies akkoord of niet akkoord"))
        when = _date(cell("Datum"))
        if isinstance(when, str):
            book.problems.append(Problem(
                file=REVIEWS_XLSX, field=f"rij {number}, Datum", message=(
                    f"‘{when[:20]}’ is geen datum; het oordeel telt wel, zonder datum"),
                hint="Vul de datum in als dd-mm-jjjj"))
            when = None
        row.on = when
        book.rows.append(row)
    return book


def merge_reviews(book: ReviewBook, current: dict[str, list[ReviewItem]]) -> list[ReviewRow]:
    """The workbook's rows after this build: every old row kept, its *Stand* brought up to
    date for the teams in `current` (team id -> its answers te beoordelen now), and a new row
    for each answer that has none yet."""
    rows = list(book.rows)
    known = {(r.team_id, r.key) for r in rows}
    for team_id, items in current.items():
        keys = {i.key for i in items}
        for row in rows:
            if row.team_id == team_id:
                row.state = (DONE if row.decision is not None else OPEN) if row.key in keys \
                    else STALE
        for item in items:
            if (team_id, item.key) not in known:
                known.add((team_id, item.key))
                rows.append(ReviewRow(team_id=team_id, form=form_name(item.form),
                                      question=item.question, text=item.text,
                                      reason=item.reason, tag=item.tag, key=item.key))
    return rows


def workbook_bytes(rows: Iterable[ReviewRow]) -> bytes:
    """The workbook: one table, a drop-down for the decision, dates as dates, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values: list[object] = [row.team_id, row.form, row.question, row.text, row.reason,
                                row.decision.value if row.decision else "", row.note, row.by,
                                row.on, row.state, row.tag, row.key]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever a team typed
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(sheet.max_row, COLUMNS.index("Datum") + 1).number_format = "dd-mm-yyyy"
    choice = DataValidation(type="list", formula1='"akkoord,niet akkoord"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Oordeel",
                            error="Kies akkoord of niet akkoord.")
    column = get_column_letter(COLUMNS.index("Oordeel") + 1)
    choice.add(f"{column}2:{column}{max(sheet.max_row, 2) + 500}")
    sheet.add_data_validation(choice)
    for n, width in enumerate(_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_reviews(out_dir: Path, book: ReviewBook,
                  current: dict[str, list[ReviewItem]]) -> Path | None:
    """Write the merged workbook atomically; None (file untouched) when it may not be
    rewritten or nothing is to be reviewed at all."""
    if not book.writable:
        return None
    rows = merge_reviews(book, current)
    path = Path(out_dir) / REVIEWS_XLSX
    if not rows and not path.exists():
        return None
    atomic_write_bytes(path, workbook_bytes(rows))
    return path
