"""Read a filled form back: answers by content-control tag, and by question label as a fallback.

A file that cannot be read at all raises FormError. Problems with single answers do not
raise: they are collected in `FormData.errors` (the answer is wrong) and `.warnings` (the
answer is missing, or was found by the second route), each naming the field, never its value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pipeline import answers, ooxml, terms
from pipeline.answers import AnswerState
from pipeline.catalogue import (
    FORMS,
    SCHEMA_VERSION,
    Column,
    Field,
    FieldType,
    FormSpec,
    Merge,
)
from pipeline.errors import FormError, Problem
from pipeline.forms import common, layout
from pipeline.forms.package import open_package
from pipeline.models import Answer, Cell, FormData
from pipeline.text import dutch_number, parse_date, printable

qn = ooxml.qn
# Word's own placeholders (nl/en), shown when a user empties a control: never an answer.
WORD_PLACEHOLDERS = {"Klik of tik om tekst in te voeren.", "Click or tap here to enter text.",
                     "Kies een item.", "Choose an item.", "Klik of tik om een datum in te voeren.",
                     "Click or tap to enter a date.", "Klik hier als u tekst wilt invoeren.",
                     # the empty first item of our drop-downs, also when its control is gone
                     "Kies…", "Kies..."}
_NEW_FORM = "Gebruik een nieuw formulier van de coördinator en neem uw antwoorden daarin over"
# An answer longer than this is pasted by mistake or hostile: it would turn the protocol into
# hundreds of pages and LibreOffice into minutes of work. The longest example answer is ~900
# characters; 25,000 is about ten pages of text.
MAX_ANSWER_CHARS = 25_000
MAX_ROWS = 100  # rows of one table field; the examples have at most 6
MAX_FORM_CHARS = 150_000  # all answers of one form together
_SHOWN = 40  # characters of a value from the file shown in a message (never an answer)
_SHORTEN = "Kort het antwoord in; verwijs voor details naar een eigen document"


def shown_value(value: str) -> str:
    """A form property (kind, version, team id) for a message: no control characters, short.

    These values are ours, not answers, but a hostile file can put newlines (forged output
    lines), direction overrides or megabytes in them.
    """
    return printable(value, _SHOWN, mark="…")








class _Reader:
    """Reads one form document; collects problems instead of raising."""

    def __init__(self, file: str, kind: str, document: etree._Element,
                 application: str | None = None) -> None:
        self.file, self.spec, self.application = file, FORMS[kind], application
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.by_tag: dict[str, list[etree._Element]] = defaultdict(list)
        for el in document.iter(qn("w:sdt")):
            tag = ooxml.sdt_tag(el)
            if tag and ooxml.sdt_kind(el) not in ("repeating", "repeating-item"):
                self.by_tag[tag].append(el)
        body = document.find(qn("w:body"))
        self.blocks = list(_flatten(body)) if body is not None else []
        self.label_at: dict[str, int] = {}
        for i, b in enumerate(self.blocks):
            if b.tag == qn("w:p"):
                self.label_at.setdefault(_norm(ooxml.content_text(b)), i)
        self.our_texts = {_norm(t) for t in _our_texts(self.spec)}

    def problem(self, errors: bool, field: Field | None, message: str,
                hint: str | None = None) -> None:
        (self.errors if errors else self.warnings).append(Problem(
            file=self.file, field=field.label if field else None,
            tag=field.tag if field else None, message=message, hint=hint))

    # --- single values ---------------------------------------------------------------------

    def _is_empty(self, text: str, placeholders: set[str]) -> bool:
        t = text.strip()
        # The form may be written in the policy's word for burger: compare in one word.
        t = terms.neutral(t)
        return not t or t in placeholders or t in WORD_PLACEHOLDERS or t == common.CHOOSE

    def value(self, field: Field, text: str, *, sdt: etree._Element | None,
              column: Column | None = None) -> Answer:
        """One answer from a control (or plain text) for a field or a table column."""
        type_ = column.type if column else field.type
        placeholders = {common.CELL_PLACEHOLDER[type_]} if column else {common.placeholder(field)}
        where = f" (kolom {column.label})" if column else ""
        if type_ is FieldType.CHECKBOX:
            checked = ooxml.sdt_checked(sdt) if sdt is not None else None
            return checked if checked is not None else ooxml.CHECKED_CHAR in text
        if (sdt is not None and ooxml.showing_placeholder(sdt)) or \
                self._is_empty(text, placeholders) or \
                (type_ is FieldType.CHOICE and sdt is not None and _prompt_item(sdt, text)):
            return None
        if len(text) > MAX_ANSWER_CHARS:
            self.problem(True, field, f"het antwoord{where} is te lang ({dutch_number(len(text))} "
                         f"tekens, maximaal {dutch_number(MAX_ANSWER_CHARS)})", _SHORTEN)
            return None
        if type_ is FieldType.CHOICE:
            choices = column.choices if column else field.choices
            match = [c for c in choices if c.lower() == text.strip().lower()]
            if not match:
                self.problem(True, field, f"het antwoord{where} staat niet in de keuzelijst",
                             "Kies een van: " + ", ".join(choices))
                return None
            return match[0]
        if type_ is FieldType.DATE:
            parsed = parse_date(text)
            if parsed is None and sdt is not None:
                parsed = ooxml.sdt_full_date(sdt)
            if parsed is None:
                self.problem(True, field, f"het antwoord{where} is geen datum",
                             "Kies de datum in de datumkiezer of typ hem als 1-3-2026")
            return parsed
        return text

    def from_control(self, field: Field, sdt: etree._Element) -> Answer:
        value = self.value(field, ooxml.sdt_text(sdt), sdt=sdt)
        if field.type is FieldType.MULTILINE and isinstance(value, str):
            value = self.glued(field, sdt, value)
        return value

    def glued(self, field: Field, sdt: etree._Element, value: str) -> str:
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
        by = f" door {self.application}" if self.application else ""
        seams = list(_GLUED.finditer(value))
        if len(seams) == moved:
            for seam in reversed(seams):
                value = value[:seam.end()] + "\n" + value[seam.end():]
            self.problem(False, field, f"de regelafbrekingen van dit antwoord waren bij het "
                         f"opslaan{by} uit het invulvak geschoven; ze zijn teruggezet",
                         "Controleer of de regels van het antwoord goed onder elkaar staan")
        else:
            breaks = "de regelafbreking van dit antwoord is" if moved == 1 else \
                f"de {moved} regelafbrekingen van dit antwoord zijn"
            self.problem(False, field, f"{breaks} "
                         f"bij het opslaan{by} verloren gegaan; de regels staan aan elkaar",
                         "Controleer het antwoord en zet de regels weer onder elkaar, of vul "
                         "het formulier in Word of een nieuwere LibreOffice in")
        return value

    # --- the second route: the question label ----------------------------------------------

    def label_index(self, field: Field) -> int | None:
        for text in (field.label + common.REQUIRED_MARK, field.label):
            if (i := self.label_at.get(_norm(text))) is not None:
                return i
        return None

    def recover(self, field: Field) -> Answer:
        """Answer from the paragraph(s) after the question label, when the tag is gone."""
        i = self.label_index(field)
        if i is None:
            self.problem(True, field, "de vraag en het invulvak ontbreken in het formulier",
                         _NEW_FORM)
            return None
        paras = []
        start = i + 1
        # Skip the organisation's read-only text that the form shows above an inherit or
        # extend answer: it is the frame, never the team's answer.
        while start < len(self.blocks) and _is_frame(self.blocks[start]):
            start += 1
        for b in self.blocks[start:]:
            if b.tag != qn("w:p") or _norm(ooxml.content_text(b)) in self.our_texts:
                break
            paras.append(b)
            if field.type is not FieldType.MULTILINE:
                break
        if not paras:
            return None
        sdts = paras[0].findall(".//" + qn("w:sdt"))
        if sdts and len(paras) == 1:
            value = self.from_control(field, sdts[0])
        else:
            # A paragraph's trailing breaks are the empty lines an empty long answer's box
            # holds (common.py), still there when the control was deleted and typed over.
            text = "\n".join(ooxml.content_text(p).rstrip("\n") for p in paras)
            if field.type is FieldType.CHECKBOX:
                text = text.replace(field.help, "")
            value = self.value(field, text, sdt=None)
        if value not in (None, False):
            self.problem(False, field, "het invulvak was beschadigd; het antwoord is gevonden "
                         "via de vraag erboven", "Controleer of het antwoord klopt")
        return value

    # --- rows ------------------------------------------------------------------------------

    def rows(self, field: Field) -> list[dict[str, Cell]]:
        """Table rows of a rows field, found from their cell controls or else the label."""
        tags = {f"{field.tag}.{c.name}": c for c in field.columns}
        tables: list[etree._Element] = []
        for tag in tags:
            for el in self.by_tag.get(tag, []):
                tbl = next(el.iterancestors(qn("w:tbl")), None)
                if tbl is not None and tbl not in tables:
                    tables.append(tbl)
        if not tables:
            i = self.label_index(field)
            tbl = next((b for b in self.blocks[i + 1:] if b.tag == qn("w:tbl")), None) \
                if i is not None else None
            if tbl is None:
                self.problem(True, field, "de tabel ontbreekt in het formulier", _NEW_FORM)
                return []
            tables.append(tbl)
        out: list[dict[str, Cell]] = []
        plain = 0
        for tbl in tables:
            trs = [tr for tr in tbl.iter(qn("w:tr"))
                   if next(tr.iterancestors(qn("w:tbl"))) is tbl]
            header = [_norm(ooxml.content_text(tc)) for tc in trs[0].findall(qn("w:tc"))] \
                if trs else []
            cols = [next((c for c in field.columns if _norm(c.label) == h), None)
                    for h in header]
            if not any(cols):
                cols = list(field.columns)
            if len(trs) - 1 > MAX_ROWS:
                self.problem(True, field, f"de tabel heeft {len(trs) - 1} rijen, maximaal "
                             f"{MAX_ROWS}", "Laat alleen de rijen staan die u nodig hebt")
                return []
            for tr in trs[1:]:
                row: dict[str, Cell] = {}
                for pos, tc in enumerate(tr.findall(qn("w:tc"))):
                    ctrl = next((s for s in tc.iter(qn("w:sdt")) if ooxml.sdt_tag(s) in tags),
                                None)
                    col = tags[ooxml.sdt_tag(ctrl) or ""] if ctrl is not None else \
                        (cols[pos] if pos < len(cols) else None)
                    if col is None:
                        continue
                    text = ooxml.sdt_text(ctrl) if ctrl is not None else ooxml.content_text(tc)
                    value = self.value(field, text, sdt=ctrl, column=col)
                    plain += ctrl is None and value is not None
                    # A column is text, a choice or a date: never a checkbox or rows.
                    row[col.name] = None if isinstance(value, bool | list) else value
                if any(v is not None for v in row.values()):
                    out.append({c.name: row.get(c.name) for c in field.columns})
        if plain:
            self.problem(False, field, f"{plain} cel(len) zonder invulvak gelezen via de "
                         "kolomkop", "Controleer of de antwoorden in de tabel kloppen")
        return out

    def with_text_beside(self, field: Field, sdt: etree._Element, value: Answer) -> Answer:
        """`value` plus text typed in the answer's paragraph but outside its control.

        The light-blue box is the paragraph, the control only as wide as its text, so a click
        to the right of the grey text types outside the control (Word, emulated). A text
        answer gets that text added with a warning; for other kinds it is reported.
        """
        beside = ooxml.text_beside(sdt)
        if field.type is FieldType.CHECKBOX:
            beside = beside.replace(field.help, "")
        beside = beside.strip()
        if not beside or _norm(beside) in self.our_texts:
            return value
        if field.type in (FieldType.TEXT, FieldType.MULTILINE) and \
                len(beside) <= MAX_ANSWER_CHARS:
            self.problem(False, field, "er stond tekst naast het invulvak; die is bij het "
                         "antwoord gevoegd", "Controleer of het antwoord klopt")
            return f"{value} {beside}" if isinstance(value, str) and value else beside
        self.problem(False, field, "er staat tekst naast het invulvak; die is niet gelezen",
                     "Zet het antwoord in het invulvak zelf")
        return value

    def outer_control(self, sdt: etree._Element, known: set[str]) -> str | None:
        """The label of a form control that `sdt` sits inside (our forms never nest them)."""
        for outer in sdt.iterancestors(qn("w:sdt")):
            tag = ooxml.sdt_tag(outer)
            if tag in known:
                field = next((f for f in self.spec.fields if f.tag == tag), None)
                return field.label if field else tag
        return None

    # --- the whole form --------------------------------------------------------------------

    def read(self) -> dict[str, Answer]:
        fields: dict[str, Answer] = {}
        known = {f.tag for f in self.spec.fields}
        known |= {f"{f.tag}.{c.name}" for f in self.spec.fields for c in f.columns}
        for tag in sorted(set(self.by_tag) - known):
            alias = ooxml.sdt_alias(self.by_tag[tag][0])
            self.warnings.append(Problem(
                file=self.file, field=shown_value(alias) if alias else None, tag=shown_value(tag),
                message="dit invulvak hoort niet bij dit formulier en is overgeslagen"))
        for f in self.spec.fields:
            if f.merge is Merge.LOCKED:
                continue  # organisation text: never read back as an answer
            if f.type is FieldType.ROWS:
                value: Answer = self.rows(f)
            elif len(found := self.by_tag.get(f.tag, [])) > 1:
                self.problem(True, f, f"het invulvak staat {len(found)} keer in het formulier",
                             "Laat één invulvak staan en verwijder de kopieën")
                value = None
            elif found and (outer := self.outer_control(found[0], known)) is not None:
                self.problem(True, f, f"het invulvak staat binnen het invulvak '{outer}'",
                             "Zet elk antwoord in een eigen invulvak, of gebruik een nieuw "
                             "formulier van de coördinator")
                value = None
            elif found:
                value = self.with_text_beside(f, found[0], self.from_control(f, found[0]))
            else:
                value = self.recover(f)
            fields[f.tag] = value
            if f.required and answers.is_empty(f, value):
                self.problem(False, f, "nog niet ingevuld", "Dit is een verplichte vraag")
            elif f.merge is not Merge.TEAM and answers.state(f, value) is AnswerState.NOTHING:
                self.problem(False, f, f"{answers.describe(f, value)}; voor deze vraag geldt de "
                             "tekst van de organisatie al", "Laat het vak leeg, of schrijf op "
                             "wat uw team anders of extra doet")
            elif f.required and answers.state(f, value) is AnswerState.NOTHING:
                self.problem(False, f, answers.describe(f, value), "Beschrijf wat het team "
                             "hierover afspreekt, of zet een actie met eigenaar en datum bij de "
                             "openstaande acties")
        total = sum(_chars(v) for v in fields.values())
        if total > MAX_FORM_CHARS:
            self.problem(True, None, f"de antwoorden zijn samen te lang ({dutch_number(total)} "
                         f"tekens, maximaal {dutch_number(MAX_FORM_CHARS)})", _SHORTEN)
        return fields


# Where two lines were run together: a sentence or list item's end directly followed (no
# space) by the start of the next, a capital or a list mark, or a digit not after a digit
# (a time like 12.30 is no seam).
_GLUED = re.compile(r"(?<=[.!?:;)])(?=[A-ZÀ-Ý•*–-])|(?<=\D[.!?:;)])(?=\d)")


def _prompt_item(sdt: etree._Element, text: str) -> bool:
    """Whether a drop-down shows its prompt item: the first item, with an empty value
    ("Kies…"), chosen means no answer; Word shows its display text as the content."""
    items = ooxml.dropdown_items(sdt)
    return bool(items) and items[0][1] == "" and items[0][0].strip() == text.strip()


def _chars(value: Answer) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(len(v) for row in value for v in row.values() if isinstance(v, str))
    return 0


def _flatten(parent: etree._Element) -> Iterator[etree._Element]:
    """Body-level paragraphs and tables, looking inside block-level controls."""
    for el in parent:
        if el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _flatten(content)
        elif el.tag in (qn("w:p"), qn("w:tbl")):
            yield el


def _is_frame(block: etree._Element) -> bool:
    """A paragraph of the organisation's read-only frame text (or its lead-in note)."""
    if block.tag != qn("w:p"):
        return False
    style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is not None and style.get(qn("w:val")) == layout.LOCKED:
        return True
    return _norm(ooxml.content_text(block)) == common.FRAME_NOTE


def _norm(text: str) -> str:
    """Whitespace collapsed and inwoner/klant read as burger, to recognise our own texts."""
    return " ".join(terms.neutral(text).split())


def _our_texts(spec: FormSpec) -> list[str]:
    """Every paragraph text the writer puts around answers: labels, headings, notes."""
    # Headings as the form numbers them, and as forms before issue 11 did (catalogue numbers).
    texts = [*common.section_headings(spec), *(f"{s.number}. {s.title}" for s in spec.sections),
             common.ROWS_NOTE, common.FRAME_NOTE]
    for f in spec.fields:
        texts += [f.label, f.label + common.REQUIRED_MARK, f.help]
    return texts


def read_form(path: Path) -> FormData:
    """Read one filled form; FormError when it is not one of our forms or cannot be read."""
    path = Path(path)
    package = open_package(path)
    props = package.custom or {}
    kind = props.get(common.PROP_KIND)
    if not kind or common.PROP_TEAM not in props:
        raise FormError("dit is geen formulier van teamprotocol (de formuliergegevens "
                        "ontbreken)", file=path,
                        hint="Vul het formulier in dat de coördinator voor uw team heeft "
                        "gemaakt met 'teamprotocol forms', en stuur dat terug")
    version = props.get(common.PROP_SCHEMA, "")
    if version != SCHEMA_VERSION:
        raise FormError(f"dit formulier heeft schemaversie '{shown_value(version)}', verwacht is "
                        f"'{SCHEMA_VERSION}'", file=path,
                        hint="Vraag de coördinator om nieuwe formulieren: 'teamprotocol forms "
                        "--from' neemt de antwoorden van dit formulier daarin over")
    if kind not in FORMS:
        raise FormError(f"onbekend soort formulier '{shown_value(kind)}'", file=path,
                        hint=_NEW_FORM)
    reader = _Reader(str(path), kind, package.document, package.application)
    fields = reader.read()
    return FormData(path=str(path), kind=kind, team_id=props[common.PROP_TEAM],
                    schema_version=version, fields=fields, errors=reader.errors,
                    warnings=reader.warnings, application=package.application)
