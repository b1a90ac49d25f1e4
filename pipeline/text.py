"""Dutch text helpers shared by every stage: dates written out and the names of the forms."""

from __future__ import annotations

import datetime as dt

from pipeline.catalogue import CONTACT_KINDS, TEAM_KIND

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def dutch_date(value: dt.date) -> str:
    """A date written out in Dutch, e.g. `3 maart 2026` (independent of the OS locale)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def form_name(kind: str) -> str:
    """Short Dutch name of a form for notes: `teamformulier`, `bijlage balie en spreekkamer`."""
    if kind == TEAM_KIND:
        return "teamformulier"
    return "bijlage " + CONTACT_KINDS[kind][0].lower() + CONTACT_KINDS[kind][1:]


def plural(n: int, one: str, many: str) -> str:
    """`1 rij`, `3 rijen`: a count with the right Dutch form of its noun."""
    return f"{n} {one if n == 1 else many}"
