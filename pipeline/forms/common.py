"""What the writer puts on a form and the reader knows it by: the custom properties naming the
form, its file name, the fixed instructions, marks, notes and placeholders, and the numbered
section headings (no python-docx here: reading a form does not need it)."""

from __future__ import annotations

from pipeline.catalogue import Field, FieldType, FormSpec

# Paragraph styles of our own (forms/layout.py defines them); the reader recognises a question
# by its text, not its style, and a locked organisation text by its style.
QUESTION, ANSWER, LOCKED, NOTE = "Vraag", "Antwoord", "Organisatietekst", "Toelichting"
# Custom document properties: which form this is, of which schema, for which team.
PROP_KIND = "teamprotocol.kind"
PROP_SCHEMA = "teamprotocol.schema_version"
PROP_TEAM = "teamprotocol.team_id"
# The team id a renamed team had before (the teams CSV's `vorige_team_id`), so `build` finds
# its archived versions: not an answer, so not a field the team could change by mistake.
PROP_PREVIOUS = "teamprotocol.vorige_team_id"
REQUIRED_MARK = " *"
ROWS_NOTE = ("Meer rijen nodig? In Word: klik in de laatste rij op het plusteken rechtsonder. "
             "In LibreOffice: Tabel > Invoegen > Rijen eronder.")
# Placeholder text of a table cell control, by column type.
CELL_PLACEHOLDER = {FieldType.TEXT: "Vul in", FieldType.CHOICE: "Kies",
                    FieldType.DATE: "Kies een datum"}
# A drop-down's first item: choosing it takes an answer back to "not answered" (Word offers no
# other way back once an item was chosen). Word's own default list starts the same way.
CHOOSE = "Kies…"
# Shown right above an inherit or extend answer, before the organisation's text (read-only).
FRAME_NOTE = "Dit geldt al voor de hele organisatie:"
# How the two kinds of text look (forms/layout.py), said the same way on every form.
LOCKED_INSTRUCTION = ("Tekst met een grijze streep ervoor, zonder vak, stelt de organisatie "
                      "vast; die kunt u niet wijzigen.")
INSTRUCTIONS = (
    "Klik in een invulvak (een gekleurd vak met een rand eromheen) en typ uw antwoord. De "
    "grijze tekst in het vak is een toelichting; die verdwijnt zodra u begint te typen.",
    "Vragen met een * zijn verplicht.",
    "Verwijder geen vakken en verander de vragen niet: het formulier wordt automatisch gelezen.",
    "Sla het formulier op als Word-document (.docx) onder dezelfde naam en stuur het terug naar "
    "de coördinator agressie en geweld.",
)


def form_file_name(kind: str) -> str:
    """`<kind>.docx`: the file name of a form in its team folder."""
    return f"{kind}.docx"


def placeholder(field: Field) -> str:
    """The placeholder text a field's control shows while unanswered: its help text."""
    return field.help


def section_headings(spec: FormSpec) -> list[str]:
    """The headings of a form's sections as they stand on the form: a section that feeds a
    chapter of the protocol carries that chapter's number ("4. Normoverschrijdend gedrag
    tegengaan", also on a contact form), the others none ("Gegevens van het team",
    "Openstaande acties"). Counted 1, 2, … the form's "7." was the protocol's chapter 4
    (issue 22); `counted_headings` are those older headings, which the reader still knows.
    """
    return [f"{s.number}. {s.title}" if s.chapter is not None and s.number.isdigit()
            else s.title for s in spec.sections]


def counted_headings(spec: FormSpec) -> list[str]:
    """The headings forms written before version 0.4 carry: numbered 1, 2, … on the form."""
    return [f"{n}. {s.title}" for n, s in enumerate(spec.sections, 1)]
