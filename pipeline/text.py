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


def capital(text: str) -> str:
    """`text` with its first letter a capital and the rest as it is: `Bijlage huisbezoek`."""
    return text[:1].upper() + text[1:]


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


_MONTHS = {m: i for i, names in enumerate(
    (("januari", "jan"), ("februari", "feb"), ("maart", "mrt", "mar"), ("april", "apr"),
     ("mei",), ("juni", "jun"), ("juli", "jul"), ("augustus", "aug"),
     ("september", "sep", "sept"), ("oktober", "okt", "oct"), ("november", "nov"),
     ("december", "dec")), start=1) for m in names}


_WEEKDAY = re.compile(r"^(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
                      r"ma|di|wo|do|vr|za|zo)\.?,?\s+")


def _year(digits: str) -> int:
    """A year as typed: `2026`, or `26` for 2026 (a protocol's dates are this century)."""
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def parse_date(text: str) -> dt.date | None:
    """`1-3-2026`, `01/03/26`, `1.3.2026`, `2026-03-01`, `1 maart 2026`, `wo 1 mrt 26`;
    None if none fits.

    Two-digit years and written dates (with or without the weekday, as Word's date picker
    shows them) are what a team lead types in a plain table cell, where no date picker helps.
    """
    t = _WEEKDAY.sub("", text.strip().lower(), count=1)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})", t):
            return dt.date(_year(m[3]), int(m[2]), int(m[1]))
        if (m := re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4}|\d{2})", t)) \
                and m[2] in _MONTHS:
            return dt.date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:
        return None
    return None


# Lines of a policy text that start with one of these are list items (bullets).
BULLET_MARKERS = ("- ", "• ", "* ", "– ")


def unwrap_text(text: str) -> str:
    """A policy text with the YAML author's line wrapping undone.

    Blank lines separate paragraphs and a line starting with a bullet marker is a list item;
    any other line continues the paragraph above it. The forms show the result, and merge
    reads it line by line, so both see the same paragraphs.
    """
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        continues = (line and lines and lines[-1]
                     and not line.startswith(BULLET_MARKERS)
                     and not lines[-1].startswith(BULLET_MARKERS))
        if continues:
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines).strip()


# A protocol's version as team leads type it: `1.0`, `v1.0`, `versie 2`, `1,0` (a Dutch
# decimal comma), `1.0 definitief`, `2.1 (concept)`, `1.0.1`. Three parsers disagreed on these
# (issue 21: `forms --from` turned "v1.0" into an empty version); this is the one.
_VERSION = re.compile(r"(?:v|versie|version|vs\.?)?\s*(\d{1,4})(?:[.,](\d{1,4}))?(?:\.(\d{1,4}))?"
                      r"(?:(?:\s+|\s*[-–(]\s*)[a-z][a-z ]*\)?)?", re.IGNORECASE)


def parse_version(text: object) -> tuple[int, ...] | None:
    """`v1.0` -> (1, 0), `1,2 definitief` -> (1, 2), `3` -> (3, 0), `1.0.1` -> (1, 0, 1);
    None when the text is not a version number (then the caller says so)."""
    if not isinstance(text, str):
        return None
    m = _VERSION.fullmatch(text.strip())
    if not m:
        return None
    parts = (int(m[1]), int(m[2] or 0))
    return (*parts, int(m[3])) if m[3] else parts


def version_text(version: tuple[int, ...]) -> str:
    """(1, 0) -> `1.0`: a parsed version as the forms and the archive write it."""
    return ".".join(str(p) for p in version)


def next_minor(text: object) -> str | None:
    """`2.0` -> `2.1`, `1.9` -> `1.10`, `v3` -> `3.1`, `1.0.1` -> `1.1`; None when the text is
    not a version number."""
    version = parse_version(text)
    return None if version is None else f"{version[0]}.{version[1] + 1}"


# Characters outside Unicode's Basic Multilingual Plane (emoji: 🚨 📞 👮‍♀️) are garbled in the
# PDF/A: none of the embedded fonts (Carlito, DejaVu) has them, and LibreOffice 25.2's
# export then maps the wrong glyphs and drops characters around them (measured with
# pdftotext: "Alarm 🚨; bij nood 📞 112" came out as "Alarm ;✓bij nood ✗ / 112"). BMP
# symbols (✓ ✗ ☎ ★ → ❤ ✅) come out right from DejaVu. So an emoji, with the joiners,
# variation selectors and skin tones that make it one picture, becomes Dutch words in the
# .docx and the PDF alike, and the reader warns, naming the character.
_EMOJI = re.compile("[\U00010000-\U0010ffff](?:[\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff]"
                    "|\u200d.)*", re.DOTALL)
# Presentation selectors and the keycap (1️⃣ is "1"): nothing of their own to show.
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u20e3]")
_EMOJI_WORDS = {
    "🚨": "alarm", "📞": "telefoon", "📱": "mobiel", "📧": "e-mail", "📩": "e-mail",
    "👮": "agent", "👮\u200d♀": "agente", "👮\u200d♂": "agent", "🚓": "politieauto",
    "🚑": "ambulance", "🚒": "brandweer", "🆘": "SOS", "🔔": "bel", "🔒": "slot",
    "📅": "agenda", "📆": "agenda", "🕐": "klok", "⏰": "wekker", "🏢": "gebouw",
    "🏠": "huis", "💬": "gesprek", "👍": "duim omhoog", "👎": "duim omlaag",
    "👉": "zie", "👆": "zie boven", "👇": "zie onder", "🙂": "glimlach", "😀": "lach",
    "😊": "glimlach", "😡": "boos", "😠": "boos", "😢": "verdrietig", "🤝": "handdruk",
    "🔴": "rood", "🟠": "oranje", "🟡": "geel", "🟢": "groen", "🔵": "blauw",
    "💡": "idee", "📌": "let op", "📝": "notitie", "📋": "lijst", "🚫": "verboden",
}


def pdf_safe(text: str) -> tuple[str, list[str]]:
    """`text` with every emoji replaced by Dutch words in brackets (`📞` -> `(telefoon)`,
    unknown ones `(symbool)`), and the emoji replaced, each once, in order of appearance."""
    found: list[str] = []

    def words(m: re.Match[str]) -> str:
        emoji = _INVISIBLE.sub("", m[0])
        if emoji not in found:
            found.append(emoji)
        base = re.sub("[\U0001f3fb-\U0001f3ff]", "", emoji)  # skin tones say nothing here
        return f"({_EMOJI_WORDS.get(base) or _EMOJI_WORDS.get(base[:1]) or 'symbool'})"

    if not _EMOJI.search(text) and not _INVISIBLE.search(text):
        return text, []
    return _INVISIBLE.sub("", _EMOJI.sub(words, text)), found
