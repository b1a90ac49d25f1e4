"""overzicht.html: the overview rendered from `templates/overzicht.html.j2` (top level) by Jinja.

Autoescape is on (team names come from forms) and undefined variables fail. The page is one
self-contained file: inline CSS, one small inline script (the search box and the print view
of one department; without it every group can still be opened and printed), the logo as a
data: URI, so the output folder can be copied or shared as it is and the links to the
protocols (relative) keep working.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from PIL import Image

from pipeline.catalogue import CHAPTERS
from pipeline.files import sha256_bytes
from pipeline.policy.model import relative_luminance
from pipeline.report.data import SHORT_CHAPTERS, ActionRow, Overview, TeamRow
from pipeline.text import dutch_date

TEMPLATE = "overzicht.html.j2"
RED, YELLOW, GREEN = (0xF8, 0x69, 0x6B), (0xFF, 0xEB, 0x84), (0x63, 0xBE, 0x7B)
# Up to this many teams every department and every team's actions are shown open; a larger
# organisation (1,000-2,000 teams) sees each department's counts first and opens what it
# needs: Chromium lays out a closed <details> not at all, so the page opens in a second.
# Measured at 2,000 teams (issue 26, Chromium's main-thread CPU while loading): the actions'
# 2,000 team summaries and the open points' 2,000 rows laid out at once were half of it, the
# heat cells' 22,000 style attributes much of the rest; they come closed per department, the
# colours as classes, the search words made by the script, and the page went from 3.8 to
# 2.5 MB and from ~0.85 to ~0.4 CPU-s.
OPEN_UP_TO = 60
LOGO_HEIGHT = 112  # px: the page shows the logo at most 56 px high
MIME = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def heat_colour(share: float) -> str:
    """`#RRGGBB` on the red → yellow → green scale for a share between 0 and 1."""
    low, high, t = (RED, YELLOW, share * 2) if share < 0.5 else (YELLOW, GREEN, share * 2 - 1)
    return "#" + "".join(f"{round(a + (b - a) * t):02X}" for a, b in zip(low, high, strict=True))


_luminance = relative_luminance  # one formula: the policy checks the house colour with it


def text_on(colour: str) -> str:
    """Black or white, whichever has more contrast on the house colour."""
    luminance = _luminance(colour)
    # Contrast with white (1.05 / (L + 0.05)) against black ((L + 0.05) / 0.05).
    return "#ffffff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#000000"


def heading_colour(colour: str) -> str:
    """The house colour for headings on white, or near-black when it is too light to read
    (WCAG AA for large text: contrast 3:1)."""
    return colour if 1.05 / (_luminance(colour) + 0.05) >= 3 else "#1d1d1d"


def logo_uri(logo: Path | None) -> str | None:
    """The logo as a data: URI, at most twice the height the page shows it (PNG or JPEG,
    already checked by the policy loader).

    The example logo (34 kB, 600 px wide) would be 45 kB of base64 in a page of 12 kB;
    scaled to 112 px high it is a few kB, sharp on a phone's 2× screen too.
    """
    if logo is None:
        return None
    data = Path(logo).read_bytes()
    mime = next((m for magic, m in MIME.items() if data.startswith(magic)), "image/png")
    with Image.open(io.BytesIO(data)) as img:
        if img.height > LOGO_HEIGHT:
            width = max(1, round(img.width * LOGO_HEIGHT / img.height))
            small = img.resize((width, LOGO_HEIGHT), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            if mime == "image/jpeg":
                small.convert("RGB").save(buffer, "JPEG", quality=90)
            else:
                small.save(buffer, "PNG", optimize=True)
            data = buffer.getvalue()
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _date(value: dt.date | None) -> str:
    return dutch_date(value) if value is not None else "–"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.templates", "."), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(date=_date, percent=_percent, heat=heat_colour)
    return env


@cache
def template_hash() -> str:
    """SHA-256 of the page's template: a new template writes the page again."""
    source = _environment().loader.get_source(_environment(), TEMPLATE)[0]  # type: ignore[union-attr]
    return sha256_bytes(source.encode("utf-8"))


def html_text(overview: Overview, colour: str = "#1F4E79", logo: Path | None = None) -> str:
    """The overview page as html text."""
    template = _environment().get_template(TEMPLATE)
    large = len(overview.teams) > OPEN_UP_TO
    # The search box finds a team by the owners of its actions too.
    owners: dict[str, set[str]] = {}
    for a in overview.actions:
        if a.owner:
            owners.setdefault(a.team_id, set()).add(a.owner)
    legend = [0, 0.25, 0.5, 0.75, 1]
    return template.render(
        o=overview, chapters=CHAPTERS, short=SHORT_CHAPTERS, colour=colour,
        on_colour=text_on(colour), heading=heading_colour(colour), logo=logo_uri(logo),
        legend=legend, large=large, heat_class=_heat_classes(overview, legend),
        data=_page_data(overview, owners, large), action_groups=_action_groups(overview))


def _action_groups(overview: Overview) -> list[tuple[str, list[tuple[TeamRow, list[ActionRow]]],
                                                     int]]:
    """The teams' planned actions per department, in the overview's order, with the number of
    actions in each (a large organisation's page shows a department's teams when opened)."""
    groups: dict[str, list[tuple[TeamRow, list[ActionRow]]]] = {}
    for team, rows in overview.planned_per_team:
        groups.setdefault(team.department or "", []).append((team, rows))
    return [(dept, teams, sum(len(rows) for _, rows in teams)) for dept, teams in groups.items()]


def _heat_classes(overview: Overview, legend: list[float]) -> dict[str, str]:
    """A class per heat colour the page uses (`#RRGGBB` -> `k<n>`), in colour order: 2,000
    teams' 22,000 cells each with its own `style` attribute made Chromium parse 22,000
    declarations (measured, issue 26); a class is one rule."""
    colours = {heat_colour(s) for s in legend}
    colours |= {heat_colour(cell.share) for t in overview.teams if not t.failed
                for cell in t.chapters.values() if cell.share is not None}
    return {c: f"k{n}" for n, c in enumerate(sorted(colours))}


def _page_data(overview: Overview, owners: dict[str, set[str]],
               large: bool) -> dict[str, object]:
    """What the page's script reads: the owners of each team's actions (the search box finds
    a team by them), and for a large organisation the planned actions (per team a row of
    item, action, owner, date as shown, overdue), every text once in `s` and named by its
    place there, each item's text once in `onderdelen`."""
    strings: dict[str, int] = {}

    def ref(text: str) -> int:
        return strings.setdefault(text, len(strings))

    data: dict[str, object] = {
        "eigenaren": {t: [ref(o) for o in sorted(names)] for t, names in sorted(owners.items())}}
    if large:
        teams: dict[str, list[list[object]]] = {}
        texts: dict[str, str] = {}
        for a in overview.planned:
            if a.item and a.item_text:
                texts[a.item] = a.item_text
            teams.setdefault(a.team_id, []).append(
                [a.item or "", ref(a.what or ""), ref(a.owner or ""),
                 ref(_date(a.due) if a.due else ""), 1 if a.overdue else 0])
        data.update(onderdelen=texts, teams=teams)
    data["s"] = list(strings)
    return data
