"""The coordinator's overview across teams: overzicht.html and overzicht.xlsx.

`data` computes what the overview says (pure), `html` renders the page from its Jinja
template, `xlsx` writes the workbook; `write_overview` writes both into the output folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.files import atomic_write_bytes, sha256_bytes, sha256_file
from pipeline.models import TeamResult
from pipeline.policy import Policy
from pipeline.report.data import DestroyRow, Overview, build_overview
from pipeline.report.html import html_text, template_hash, text_on
from pipeline.report.xlsx import workbook_bytes

XLSX = "overzicht.xlsx"
HTML = "overzicht.html"
DEFAULT_COLOUR = "#1F4E79"
# Raised with a change to `xlsx.py` or `html.py` that writes other bytes for the same
# overview, so an unchanged rebuild does not keep the old files (the page's template is in
# the key by its own hash).
FORMAT = 2

__all__ = ["HTML", "XLSX", "DestroyRow", "Overview", "build_overview", "write_overview",
           "write_overview_if_changed"]


def write_overview(results: list[TeamResult], out_dir: Path, *, today: dt.date,
                   policy: Policy | None = None, logo: Path | None = None) -> list[Path]:
    """Write overzicht.xlsx and overzicht.html into out_dir (atomically); return both paths.

    `today` is the build date (overdue actions and evaluations are relative to it); the
    policy gives the house colour, the organisation's own open items and, with `logo` (the
    resolved logo file), the page's logo.
    """
    return write_overview_if_changed(results, out_dir, today=today, policy=policy,
                                     logo=logo)[0]


def write_overview_if_changed(results: list[TeamResult], out_dir: Path, *, today: dt.date,
                              policy: Policy | None = None, logo: Path | None = None,
                              last: tuple[str, dict[str, str]] = ("", {}),
                              destroyable: Sequence[DestroyRow] = (), same: bool = False,
                              hash_file: Callable[[Path], str] = sha256_file
                              ) -> tuple[list[Path], str, dict[str, str]]:
    """`write_overview`, unless the files hold this overview already.

    `last` is the key of the overview last written and the SHA-256 of its files; when the
    key is the same and the files are still those, nothing is written (the workbook's cell
    styles made it ~1 s of an unchanged rebuild of 200 teams). Returns the paths, this
    overview's key and the files' hashes. `same` says the caller knows the overview is the
    one last written (every team and input as then): with the files still those, nothing is
    made or compared (2,000 teams' overview took seconds to make and compare, issue 26).
    `hash_file` hashes the files last written; the batch's answers from its cache while a
    file's `stat` is unchanged (`batch.hashes`), so it reads them no more than it did when
    deciding `same`.
    """
    xlsx, page = Path(out_dir) / XLSX, Path(out_dir) / HTML
    if same and last[0] and _still(last[1], hash_file, xlsx, page):
        return [xlsx, page], last[0], last[1]
    overview = build_overview(results, policy, today, destroyable)
    colour = policy.branding.colour if policy is not None else DEFAULT_COLOUR
    # The overview is frozen dataclasses of plain values: its repr is all it shows.
    logo_hash = sha256_file(logo) if logo is not None else ""
    key = sha256_bytes(f"{FORMAT}/{template_hash()}/{overview!r}/{colour}/{logo_hash}".encode())
    last_key, last_files = last
    if key == last_key and _still(last_files, hash_file, xlsx, page):
        return [xlsx, page], key, last_files
    files = {}
    for path, data in ((xlsx, workbook_bytes(overview, colour, text_on(colour))),
                       (page, html_text(overview, colour, logo).encode("utf-8"))):
        atomic_write_bytes(path, data)
        files[path.name] = sha256_bytes(data)
    return [xlsx, page], key, files


def _still(files: dict[str, str], hash_file: Callable[[Path], str], *paths: Path) -> bool:
    """True when every path is a file with the hash `files` records for its name."""
    try:
        return all(path.name in files and hash_file(path) == files[path.name]
                   for path in paths)
    except OSError:
        return False
