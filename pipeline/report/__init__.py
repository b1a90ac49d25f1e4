"""The coordinator's overview across teams: overzicht.html and overzicht.xlsx.

`data` computes what the overview says (pure), `html` renders the page from its Jinja
template, `xlsx` writes the workbook; `write_overview` writes both into the output folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.files import atomic_write_bytes
from pipeline.models import TeamResult
from pipeline.policy import Policy
from pipeline.report.data import Overview, build_overview
from pipeline.report.html import html_text, text_on
from pipeline.report.xlsx import workbook_bytes

XLSX = "overzicht.xlsx"
HTML = "overzicht.html"
DEFAULT_COLOUR = "#1F4E79"

__all__ = ["HTML", "XLSX", "Overview", "build_overview", "write_overview"]


def write_overview(results: list[TeamResult], out_dir: Path, *, today: dt.date,
                   policy: Policy | None = None, logo: Path | None = None) -> list[Path]:
    """Write overzicht.xlsx and overzicht.html into out_dir (atomically); return both paths.

    `today` is the build date (overdue actions and evaluations are relative to it); the
    policy gives the house colour, the organisation's own open items and, with `logo` (the
    resolved logo file), the page's logo.
    """
    overview = build_overview(results, policy, today)
    colour = policy.branding.colour if policy is not None else DEFAULT_COLOUR
    xlsx, page = Path(out_dir) / XLSX, Path(out_dir) / HTML
    atomic_write_bytes(xlsx, workbook_bytes(overview, colour, text_on(colour)))
    atomic_write_bytes(page, html_text(overview, colour, logo).encode("utf-8"))
    return [xlsx, page]
