"""One answer from a content control, or from plain text where the control is gone: a
placeholder is no answer, a choice must be on its list, a date must read as one, text has a
length limit; line breaks an old LibreOffice moved out of the control, and text typed beside
the control, are handled with a warning."""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from pipeline import ooxml, terms
from pipeline.catalogue import Column, Field, FieldType
from pipeline.forms.common import CELL_PLACEHOLDER, CHOOSE, placeholder
from pipeline.forms.document import FormDocument
from pipeline.models import Answer
from pipeline.text import dutch_number, parse_date, pdf_safe

# Word's own placeholders (nl/en), shown when a user empties a control: never an answer.
WORD_PLACEHOLDERS = {"Klik of tik om tekst in te voeren.", "Click or tap here to enter text.",
                     "Kies een item.", "Choose an item.", "Klik of tik om een datum in te voeren.",
                     "Click or tap to enter a date.", "Klik hier als u tekst wilt invoeren.",
                     # the empty first item of our drop-downs, also when its control is gone
                     "Kies…", "Kies..."}
# An answer longer than this is pasted by mistake or hostile: it would turn the protocol into
# hundreds of pages and LibreOffice into minutes of work. The longest example answer is ~900
# characters; 25,000 is about ten pages of text.
MAX_ANSWER_CHARS = 25_000
SHORTEN = "Kort het antwoord in; verwijs voor details naar een eigen document"
# Where two lines were run together: a sentence or list item's end directly followed (no
# space) by the start of the next, a capital or a list mark, or a digit not after a digit
# (a time like 12.30 is no seam).
_BLANK_END = re.compile(r"(\n[ \t]*)+$")
_GLUED = re.compile(r"(?<=[.!?:;)])(?=[A-ZÀ-Ý•*–-])|(?<=\D[.!?:;)])(?=\d)")


def _is_empty(text: str, placeholders: set[str]) -> bool:
    t = text.strip()
    # The form may be written in the policy's word for burger: compare in one word.
    t = terms.neutral(t)
    return not t or t in placeholders or t in WORD_PLACEHOLDERS or t == CHOOSE


def _prompt_item(sdt: etree._Element, text: str) -> bool:
    """Whether a drop-down shows its prompt item: the first item, with an empty value
    ("Kies…"), chosen means no answer; Word shows its display text as the content."""
    items = ooxml.dropdown_items(sdt)
    return bool(items) and items[0][1] == "" and items[0][0].strip() == text.strip()


def value(doc: FormDocument, field: Field, text: str, *, sdt: etree._Element | None,
          column: Column | None = None) -> Answer:
    """One answer from a control (or plain text) for a field or a table column."""
    type_ = column.type if column else field.type
    placeholders = {CELL_PLACEHOLDER[type_]} if column else {placeholder(field)}
    where = f" (kolom {column.label})" if column else ""
    if type_ is FieldType.CHECKBOX:
        checked = ooxml.sdt_checked(sdt) if sdt is not None else None
        return checked if checked is not None else ooxml.CHECKED_CHAR in text
    if (sdt is not None and ooxml.showing_placeholder(sdt)) or \
            _is_empty(text, placeholders) or \
            (type_ is FieldType.CHOICE and sdt is not None and _prompt_item(sdt, text)):
        return None
    if len(text) > MAX_ANSWER_CHARS:
        doc.problem(True, field, f"het antwoord{where} is te lang ({dutch_number(len(text))} "
                    f"tekens, maximaal {dutch_number(MAX_ANSWER_CHARS)})", SHORTEN)
        return None
    if type_ is FieldType.CHOICE:
        choices = column.choices if column else field.choices
        display = column.shown_as if column else str
        # The choice itself or the text the list shows for it ("N6 Bouwkundige en …").
        wanted = " ".join(text.split()).lower()
        match = [c for c in choices if wanted in (c.lower(), display(c).lower())]
        if not match:
            doc.problem(True, field, f"het antwoord{where} staat niet in de keuzelijst",
                        "Kies een van: " + ", ".join(choices))
            return None
        return match[0]
    if type_ is FieldType.DATE:
        parsed = parse_date(text)
        stored = ooxml.sdt_full_date(sdt) if parsed is None and sdt is not None else None
        if stored is not None and _shows(text, stored):
            parsed = stored  # the picker's date in a format we do not parse ("March 1, 2026")
        elif stored is not None:
            # Text typed over a date picker: LibreOffice 25.2 keeps the old w:fullDate
            # (measured: "nog niet gepland" over 18-11-2028 read as 2028-11-18). The visible
            # text is what the team lead meant, so the stale hidden date is never the answer.
            doc.problem(False, field, f"in de datumkiezer{where} staat tekst die geen datum "
                        "is; het veld telt als niet ingevuld (de verborgen oude datum wordt "
                        "niet gebruikt)", "Kies de datum in de datumkiezer of typ hem als "
                        "1-3-2026, of maak het veld leeg als er nog geen datum is")
            return None
        if parsed is None:
            doc.problem(True, field, f"het antwoord{where} is geen datum",
                        "Kies de datum in de datumkiezer of typ hem als 1-3-2026")
        return parsed
    safe, emoji = pdf_safe(text)
    if emoji:
        shown = ", ".join(f"{e} (U+{ord(e[0]):04X})" for e in emoji)
        doc.problem(False, field, f"het antwoord{where} bevat {shown}, dat de PDF niet kan "
                    "tonen; in het protocol staat daar een woord tussen haakjes, zoals "
                    "'(telefoon)'", "Schrijf het in woorden als u iets anders bedoelt")
    return safe if safe.strip() else None  # only a presentation selector: no answer


def _shows(text: str, date: dt.date) -> bool:
    """Whether `text` shows `date` in some format: its day and its year as numbers."""
    numbers = set(re.findall(r"\d+", text))
    return str(date.day) in {n.lstrip("0") for n in numbers} and (
        str(date.year) in numbers or f"{date.year % 100:02d}" in numbers)


def from_control(doc: FormDocument, field: Field, sdt: etree._Element) -> Answer:
    """The answer in `field`'s own control `sdt`."""
    text = ooxml.sdt_text(sdt)
    if field.type is FieldType.MULTILINE:
        # A long answer's box may end in empty paragraphs or lines (Enter pressed once more).
        text = _BLANK_END.sub("", text)
    answer = value(doc, field, text, sdt=sdt)
    if field.type is FieldType.MULTILINE and isinstance(answer, str):
        answer = _glued(doc, field, sdt, answer)
    return answer


def _glued(doc: FormDocument, field: Field, sdt: etree._Element, value: str) -> str:
    """A multi-line answer whose line breaks an old LibreOffice moved out of the control.

    LibreOffice 7.4 saves a multi-line text control with its `w:br` breaks as runs just
    before the control and the lines inside run together ("…verwacht.- Iemand…",
    word-forms.md). The breaks are put back only where exactly as many sentence or list
    boundaries run together as breaks were moved out; else the answer is kept as it is
    and the warning says the line breaks were lost.
    """
    moved = ooxml.breaks_before(sdt)
    if not moved or "\n" in value:
        return value
    by = f" door {doc.application}" if doc.application else ""
    seams = list(_GLUED.finditer(value))
    if len(seams) == moved:
        for seam in reversed(seams):
            value = value[:seam.end()] + "\n" + value[seam.end():]
        doc.problem(False, field, f"de regelafbrekingen van dit antwoord waren bij het "
                    f"opslaan{by} uit het invulvak geschoven; ze zijn teruggezet",
                    "Controleer of de regels van het antwoord goed onder elkaar staan")
    else:
        breaks = "de regelafbreking van dit antwoord is" if moved == 1 else \
            f"de {moved} regelafbrekingen van dit antwoord zijn"
        doc.problem(False, field, f"{breaks} "
                    f"bij het opslaan{by} verloren gegaan; de regels staan aan elkaar",
                    "Controleer het antwoord en zet de regels weer onder elkaar, of vul "
                    "het formulier in Word of een nieuwere LibreOffice in")
    return value


def with_text_beside(doc: FormDocument, field: Field, sdt: etree._Element,
                     answer: Answer) -> Answer:
    """`answer` plus text typed in the answer's box but outside its control.

    Beside: an inline control is only as wide as its text, the box is its paragraph, so a
    click to the right of the grey text types outside the control (Word, emulated). Below:
    a paragraph after Enter at the end of the box, or one LibreOffice moved out of a long
    answer's control (`ooxml.paragraphs_below`). A text answer gets that text added with a
    warning; for other kinds it is reported. Nothing typed in a box is dropped silently.
    """
    beside = ooxml.text_beside(sdt)
    if field.type is FieldType.CHECKBOX:
        beside = beside.replace(field.help, "")
    beside = beside.strip()
    below = [t for t in (ooxml.content_text(p).strip() for p in ooxml.paragraphs_below(sdt))
             if t and not doc.is_ours(t)]
    if beside and not doc.is_ours(beside):
        answer = _added(doc, field, answer, [beside], " ", "er stond tekst naast het invulvak")
    if below:
        answer = _added(doc, field, answer, below,
                        "\n" if field.type is FieldType.MULTILINE else " ",
                        "er stond tekst onder het antwoord, in hetzelfde vak maar buiten "
                        "het invulvak")
    return answer


def _added(doc: FormDocument, field: Field, answer: Answer, texts: list[str], sep: str,
           where: str) -> Answer:
    """`answer` with `texts` found around its control added (text fields), with a warning."""
    extra = sep.join(texts)
    if field.type in (FieldType.TEXT, FieldType.MULTILINE) and \
            len(extra) <= MAX_ANSWER_CHARS:
        doc.problem(False, field, f"{where}; die is bij het antwoord gevoegd",
                    "Controleer of het antwoord klopt")
        return f"{answer}{sep}{extra}" if isinstance(answer, str) and answer else extra
    doc.problem(False, field, f"{where.replace('stond', 'staat')}; die is niet gelezen",
                "Zet het antwoord in het invulvak zelf")
    return answer
