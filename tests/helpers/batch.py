"""Helpers for batch tests (plain functions and data; the fixtures are in its conftest)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from docx2python import docx2python
from openpyxl import load_workbook
from pypdf import PdfReader

from pipeline.batch import BatchReport, BuildOptions, build_all
from pipeline.forms.write import locked_texts_of, write_team_forms
from pipeline.models import Answer, TeamIdentity
from pipeline.policy import load_policy

TODAY = dt.date(2027, 1, 1)  # after one example team's next evaluation


ANNEX_HEADING = "Checklist: wat is geregeld"


ARCHIVE = "archief"


W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


VENV_BIN = Path(sys.executable).parent


TEAMPROTOCOL = VENV_BIN / "teamprotocol"


# Text a team lead might type: it must reach the document literally (not evaluated by the
# template engine, not escaped twice).
TRICKY_NORM = "Schelden & dreigen aan de balie <bij afwijzing>"


TRICKY_COMPETENCES = "Formule {{ 7*7 }} blijft gewoon tekst"


TRICKY_DILEMMA = "Voorwaarde {% if x %}ja{% endif %} is geen code"


def required_answers(**overrides: Answer) -> dict[str, Answer]:
    """Team-form answers with every required question filled; `overrides` by full tag."""
    answers: dict[str, Answer] = {
        "team.versie": "1.0",
        "team.status": "concept",
        "team.competenties": "Ervaren collega's voeren de moeilijke gesprekken.",
        "team.norm_voorbeelden": "Een bezoeker die scheldt omdat de wachttijd lang is.",
        "team.dilemmas": "Wanneer maak je een uitzondering?",
        "team.inventarisatie": dt.date(2026, 2, 17),
        "team.teamoverleg": dt.date(2026, 3, 3),
        "team.volgende_evaluatie": dt.date(2027, 3, 3),
        "team.opvolging": "De teamleider",
    }
    answers.update(overrides)
    return answers


def adopted_answers(kinds: tuple[str, ...] = ("balie",), **overrides: Answer) -> dict[str, Answer]:
    """Team-form answers of a protocol that passes the adoption gates: adopted by the manager
    above the team lead after the Stap 2 meeting, and an action with owner and date for every
    item the team's (otherwise empty) forms leave open, found with the annex's own rule."""
    from pipeline.assess import open_items
    from pipeline.catalogue import CONTACT_KINDS, FORMS, Merge
    from pipeline.models import FormData

    answers = required_answers(**{"team.status": "vastgesteld",
                                  "team.vastgesteld_door": "A. Hoofd, afdelingshoofd",
                                  "team.vastgesteld_op": dt.date(2026, 9, 1), **overrides})
    open_ids: list[str] = []
    for kind in ("team", *kinds):
        fields = {f.tag: None for f in FORMS[kind].fields if f.merge is not Merge.LOCKED}
        if kind == "team":
            fields.update(answers)
            fields.update({f"team.contact_{k}": k in kinds for k in CONTACT_KINDS})
        form = FormData(path=f"x/{kind}.docx", kind=kind, team_id="x", schema_version="2",
                        fields=fields)
        open_ids += [i for i, _ in open_items(form, today=TODAY) if i not in open_ids]
    answers["team.acties"] = [{"wat": f"Afspraken maken over {i}", "onderdeel": i,
                               "eigenaar": "L. Eiding", "datum": dt.date(2027, 6, 1)}
                              for i in open_ids]
    return answers


def write_team(forms_dir: Path, team_id: str, team_answers: Mapping[str, Answer], *,
               team: str | None = None, kinds: tuple[str, ...] = ("balie",),
               other: Mapping[str, Mapping[str, Answer]] | None = None) -> list[Path]:
    """Write the real Word forms of one team into `forms_dir/<team_id>/`."""
    identity = TeamIdentity(team_id=team_id, team=team or f"Team {team_id}",
                            department="Publiekszaken", team_lead="L. Eiding",
                            contact_kinds=kinds)
    answers = {"team": dict(team_answers), **(other or {})}
    return write_team_forms(identity, forms_dir, answers, locked_texts_of(load_policy()))


def build(forms_dir: Path, out_dir: Path, **options: Any) -> BatchReport:
    """build_all with a fixed `today`, so the overview does not depend on the clock."""
    return build_all(BuildOptions(forms_dir=forms_dir, out_dir=out_dir, today=TODAY, **options))


def run_cli(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """`teamprotocol ARGS` as a real subprocess of the venv's console script."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(TEAMPROTOCOL), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def squash(text: str) -> str:
    """Whitespace (also no-break spaces and tabs) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body (tables and content controls included), via python-docx."""
    document = Document(str(path))
    return [Paragraph(p, document).text for p in document.element.body.iter(W_P)]


def docx_headers(path: Path) -> list[str]:
    """The paragraph texts of every header of every section, via python-docx."""
    document = Document(str(path))
    texts = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                texts += [p.text for p in header.paragraphs]
    return texts


def docx2python_text(path: Path) -> tuple[str, str]:
    """(body text, header text) read by the independent reader docx2python."""
    with docx2python(str(path)) as doc:
        return doc.text, "\n".join(_flatten(doc.header))


def _flatten(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [s for v in value for s in _flatten(v)]  # type: ignore[attr-defined]


def pdf_text(reader: PdfReader, pages: range | None = None) -> str:
    pages = pages if pages is not None else range(len(reader.pages))
    return "\n".join(reader.pages[i].extract_text() or "" for i in pages)


def find_in_pdf(reader: PdfReader, text: str) -> int | None:
    """Index of the last page whose text contains `text` (searched from the end), or None."""
    wanted = squash(text)
    for index in range(len(reader.pages) - 1, -1, -1):
        if wanted in squash(reader.pages[index].extract_text() or ""):
            return index
    return None


class _Tables(HTMLParser):
    """The tables of an html page as lists of rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(path: Path) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser.tables


def overview_rows(path: Path) -> list[list[str]]:
    """The overview page's team table: its header row, then every team's row from every
    department's table (the page groups the teams per department, one table each)."""
    tables = html_tables(path)
    header = tables[0][0]
    return [header, *(row for t in tables if t and t[0] == header for row in t[1:])]


def manifest(out_dir: Path) -> dict[str, Any]:
    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))


def protocol_json(out_dir: Path, team_id: str) -> dict[str, Any]:
    return json.loads((out_dir / team_id / "protocol.json").read_text(encoding="utf-8"))


def mtimes(folder: Path) -> dict[str, int]:
    """Path relative to `folder` -> mtime in ns, for every file below it."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_tree(src: Path, dst: Path) -> Path:
    """A copy of a folder with the files' mtimes preserved."""
    shutil.copytree(src, dst, copy_function=shutil.copy2)
    return dst


def assert_overview_matches_annex(out: Path) -> list[str]:
    """Check overzicht.xlsx and .html against every built team's protocol.json; the team ids.

    Per chapter the share of the team's applicable items (not n.v.t.) that are geregeld, the
    annex's own count (one number for a team). Open items: those with a part of the team's
    open (te beoordelen, deels or ontbreekt). The page lists the same teams, per department.
    """
    sheet = load_workbook(out / "overzicht.xlsx")["Overzicht"]
    header = [c.value for c in sheet[2]]
    columns = [i for i, h in enumerate(header) if h and h[:1].isdigit() and ". " in h]
    open_column = header.index("Open punten van het team")
    html_header, *html_rows = overview_rows(out / "overzicht.html")
    html_columns = [i for i, h in enumerate(html_header) if h[:1].isdigit()]
    assert len(columns) == len(html_columns) == 6
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(html_rows)
    seen = []
    for row in rows:
        team_id = row[1]
        [html_row] = [r for r in html_rows if team_id in r[0]]
        if not (out / team_id / "protocol.json").is_file():
            continue  # a failed team: no protocol, no numbers
        seen.append(team_id)
        items = protocol_json(out, team_id)["annex"]["items"]

        def team_done(item: dict[str, Any]) -> bool:
            return bool(item["status"] == "geregeld")

        for n, (col, hcol) in enumerate(zip(columns, html_columns, strict=True), 1):
            applicable = [i for i in items if i["chapter"] == n and i["status"] != "n.v.t."]
            if applicable:
                share = sum(team_done(i) for i in applicable) / len(applicable)
                assert row[col] == pytest.approx(share), (team_id, n)
                assert html_row[hcol].startswith(f"{round(100 * share)}%"), (team_id, n)
            else:
                assert row[col] is None, (team_id, n)
                assert html_row[hcol] == "–", (team_id, n)
        assert row[open_column] == sum(
            i["status"] in ("te beoordelen", "deels", "ontbreekt")
            and any(m["party"] == "team" for m in i["missing"]) for i in items), team_id
    return seen


def own_policy(folder: Path) -> Path:
    """A copy of the example policy made an organisation's own (no example marker left: its
    archive code, its logo, its addresses and texts), as `<folder>/beleid.yaml`."""
    from PIL import Image

    from pipeline.policy import default_policy_path

    folder.mkdir(parents=True, exist_ok=True)
    text = default_policy_path().read_text(encoding="utf-8").replace("tooi: gm0000",
                                                                     "tooi: gm0363")
    text = text.replace("lindenhoven.example", "zuidwolde.nl").replace("Lindenhoven", "Zuidwolde")
    policy = folder / "beleid.yaml"
    policy.write_text(text.replace("lindenhoven", "zuidwolde"), encoding="utf-8")
    Image.new("RGB", (300, 100), (20, 60, 110)).save(folder / "logo.png")
    return policy
