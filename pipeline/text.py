"""Text helpers shared by every stage (a leaf): Dutch dates and numbers, the names of the
forms, and the rules for characters: what XML cannot hold, what a message may show."""

from __future__ import annotations

import datetime as dt
import re

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


def dutch_number(n: int) -> str:
    """`12.345`: a number as Dutch text, with a dot between thousands."""
    return f"{n:,}".replace(",", ".")


def printable(text: str, limit: int, *, mark: str = "") -> str:
    """A value from a file for a message: every character that is not printable (newlines
    that forge output lines, direction overrides) shown as `?`, at most `limit` characters,
    then `mark` when it was cut."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[:limit] + mark


# Characters XML 1.0 cannot hold (lxml refuses them): C0 controls but tab, newline and
# carriage return, the non-characters U+FFFE/U+FFFF and lone surrogates.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def invalid_xml_chars(text: str) -> bool:
    """Whether `text` holds a character XML 1.0 cannot hold."""
    return _XML_INVALID.search(text) is not None
