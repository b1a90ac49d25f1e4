"""Render stage: Protocol + Policy -> branded .docx bytes through a docxtpl (Jinja) template.

Strict and safe: a sandboxed Jinja environment (organisations bring their own templates),
autoescape on (team text is data, never template code; docxtpl crashes on `&` without it,
measured), StrictUndefined (an unknown variable fails before anything is written). The same
inputs give a byte-identical file: fixed core-property dates and fixed zip member times.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm, RGBColor
from docxtpl import DocxTemplate, InlineImage, RichText
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from pipeline import terms
from pipeline.catalogue import CONTACT_KINDS, FORMS, Merge
from pipeline.docx_toc import fill_toc
from pipeline.errors import TemplateError
from pipeline.models import Action, Block, ItemAssessment, Origin, Protocol, Source, Status
from pipeline.ooxml_order import order_properties
from pipeline.policy import Branding, Policy
from pipeline.text import dutch_date, form_name

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

# Package data (importlib.resources), so an installed wheel has it too, not only a checkout.
TEMPLATE = Path(str(resources.files("pipeline") / "templates" / "protocol.docx"))
ANNEX_HEADING = "Checklist: wat is geregeld"
SUBJECT = "Veilige publieke dienstverlening"
DOC_TITLE = "Teamprotocol veilige publieke dienstverlening"
# Used for the document dates when a protocol has no date at all: never now(), so that the
# same inputs always give the same bytes.
FIXED_DATE = dt.date(2000, 1, 1)
EMPTY = "–"
LOGO_HEIGHT = Mm(22)

# Status -> (symbol, text colour, light cell shading). Symbol and word together, so the
# status is readable without colour (printed in grey, or colour-blind readers). Every text
# colour has a contrast of at least 4.5:1 on its shading (WCAG 2 relative luminance, PDF/UA
# via WCAG 1.4.3): 5.5, 6.1, 6.3 and 6.0:1. The earlier orange on salmon was 3.55:1 and its
# fill had the same grey as ontbreekt's; deels is now yellow, lighter in grey than ontbreekt.
STATUS_LOOK: dict[Status, tuple[str, str, str]] = {
    Status.GEREGELD: ("✓", "1E6B24", "E2EFDA"),
    Status.DEELS: ("◐", "8A4B00", "FFF2CC"),
    Status.ONTBREEKT: ("✗", "A00000", "F8D7DA"),
    Status.NVT: ("–", "595959", "EDEDED"),
}
# The status symbols come from one font that has all of ✓ ◐ ✗: Carlito and Calibri have none
# of them, and LibreOffice's per-glyph fallback mixed fonts into one table (measured: ✓ ✗
# from DejaVuSans-Bold, ◐ from DejaVuSerif-Bold). Naming "Segoe UI Symbol" (Windows) made it
# worse (DejaVu Sans, DejaVu Serif and DejaVu Math TeX Gyre); naming DejaVu Sans, installed
# with LibreOffice, puts all 40 status symbols of a protocol in that one font (pdffonts).
# Word on Windows, which lacks it, substitutes its own symbol font for the three characters.
SYMBOL_FONT = "DejaVu Sans"
ORIGIN_LABEL = {"team": "team", "organisatie": "organisatie", "open": "nog te bepalen"}
# Styles that carry the house colour; recoloured at render time when the template has them.
BRAND_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "Kop voorwerk", "TOC Heading",
                "Kaartkop")
BRAND_TABLE_STYLE = "Protocoltabel"
# Characters that cannot appear in XML 1.0, and those docxtpl turns into layout (tab, bell,
# form feed become tabs, paragraphs and page breaks in `resolve_listing`).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# python-docx's elements override `xpath` without variables, so compile with lxml.
_DEFAULT_FONTS = etree.XPath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", namespaces={"w": W_NS})
_HEADER_SHADING = etree.XPath("w:style[w:name/@w:val=$n]/w:tblStylePr[@w:type='firstRow']"
                              "/w:tcPr/w:shd", namespaces={"w": W_NS})


def clean(text: object) -> str:
    """Text safe for a Word run: control characters become spaces; line breaks are kept."""
    if text is None:
        return ""
    return _CONTROL.sub(" ", str(text).replace("\r\n", "\n").replace("\t", " "))


def _date(value: dt.date | None, empty: str = EMPTY) -> str:
    return dutch_date(value) if value else empty


def source_line(source: Source) -> str:
    """The unobtrusive source note under a block, e.g. `Bron: teamformulier, ‘Locaties’`."""
    if source.origin is Origin.ORGANISATION:
        if source.merge is Merge.LOCKED:
            return "Bron: organisatiebeleid (geldt voor alle teams)"
        return "Bron: organisatiebeleid"
    where = form_name(source.form) if source.form in FORMS else "teamformulier"
    return f"Bron: {where}, ‘{source.label}’" if source.label else f"Bron: {where}"


def item_source(source: Source) -> str:
    """A source in the annex: the organisation's document, or the form and question."""
    if source.origin is Origin.ORGANISATION and source.form is None:
        return f"Organisatie: {source.label}" if source.label else "Organisatie"
    if source.origin is Origin.ORGANISATION:
        return f"Organisatie (standaardtekst bij ‘{source.label}’)"
    where = form_name(source.form) if source.form in FORMS else "teamformulier"
    return f"{where[:1].upper()}{where[1:]}: {source.label}" if source.label else where


# A list item that carries its own step number: "1. Begrenzen: ...", "2) Melden".
_NUMBERED = re.compile(r"\d{1,2}[.)]\s")


def block_view(block: Block, terminology: str = terms.DEFAULT) -> dict[str, Any]:
    """One block as template data: title, paragraphs, bullets, table (header, rows), source.

    List items that are all numbered steps become paragraphs after the others: as bullets
    they showed a bullet before each number ("• 1. Begrenzen").
    """
    table = None
    if block.table:
        header, *rows = [[clean(c) for c in row] for row in block.table]
        table = {"header": header, "rows": rows}
    paragraphs = [clean(p) for p in block.paragraphs]
    bullets = [clean(b) for b in block.bullets]
    if bullets and all(_NUMBERED.match(b) for b in bullets):
        paragraphs, bullets = paragraphs + bullets, []
    return {
        # Titles are ours (form questions, policy headings), never a team's words.
        "title": clean(terms.ours(block.title, terminology)) if block.title else "",
        "paragraphs": paragraphs,
        "bullets": bullets,
        "table": table,
        "source": terms.ours(source_line(block.source), terminology),
        "gap": block.gap,
    }


def status_view(status: Status) -> dict[str, Any]:
    """A status as template data: word, symbol, colours and a coloured RichText label."""
    symbol, colour, fill = STATUS_LOOK[status]
    label = RichText()
    label.add(symbol, color=colour, font=SYMBOL_FONT)
    label.add(" " + status.value, color=colour)
    return {"status": status.value, "symbol": symbol, "colour": colour, "fill": fill,
            "label": label}


def _action_text(item: ItemAssessment, terminology: str = terms.DEFAULT) -> str:
    action = item.action
    if action is None:
        return EMPTY
    what = terms.ours(action.what, terminology) if action.origin == "open" else action.what
    parts = [clean(what)]
    owner = clean(action.owner) if action.owner else "nog te bepalen"
    parts.append(f"Eigenaar: {owner} · Uiterlijk: {_due(action)}")
    return "\n".join(parts)


def _due(action: Action) -> str:
    """An action's due date in Dutch, *verlopen* when it lies before the build date."""
    if action.due is None:
        return "nog te bepalen"
    return dutch_date(action.due) + (" (verlopen)" if action.overdue else "")


def _annex_view(protocol: Protocol, terminology: str = terms.DEFAULT) -> dict[str, Any]:
    def ours(text: str) -> str:
        return terms.ours(text, terminology)

    annex = protocol.annex
    if annex is None:
        raise TemplateError("Het protocol heeft nog geen checklist (hoofdstuk 7)",
                            field="annex", hint="Laat eerst de beoordeling (assess) draaien")
    items: dict[Any, list[dict[str, Any]]] = {}  # by chapter number
    for item in annex.items:
        items.setdefault(item.chapter, []).append({
            "id": item.id, "text": clean(ours(item.text)), **status_view(item.status),
            "source": ours("; ".join(dict.fromkeys(item_source(s) for s in item.sources))
                           or EMPTY),
            "missing": [clean(ours(m)) for m in item.missing]
            + [clean(ours("Let op: " + c)) for c in item.conflicts],
            "action": _action_text(item, terminology),
        })
    scores = [{"number": s.chapter, "title": s.title, "line": s.line(),
               **{k.name.lower(): s.counts.get(k, 0) for k in Status}} for s in annex.chapters]
    counts = {s: sum(c.counts.get(s, 0) for c in annex.chapters) for s in Status}
    applicable = sum(n for s, n in counts.items() if s is not Status.NVT)
    total = f"{counts[Status.GEREGELD]} van {applicable} geregeld"
    for s in (Status.DEELS, Status.ONTBREEKT, Status.NVT):
        if counts[s]:
            total += f", {counts[s]} {s.value}"
    return {
        "heading": ANNEX_HEADING,
        "intro": ("Dit hoofdstuk volgt de checklist van de Werkwijzer. Per onderdeel staat of "
                  "het geregeld is, waar dat op steunt (het beleid van de organisatie of een "
                  "antwoord van het team) en, als er nog iets ontbreekt, welke actie volgt, "
                  "door wie en wanneer."),
        "legend": ("✓ geregeld: vastgelegd · ◐ deels: nog niet alles vastgelegd · ✗ "
                   "ontbreekt: nog niets vastgelegd · – n.v.t.: het team heeft deze "
                   "contactvorm niet. Een antwoord als ‘n.v.t.’, ‘geen’ of ‘nog niet’ regelt "
                   "niets; een onderdeel waarvoor het team zelf nog een actie heeft staan, is "
                   "hooguit deels geregeld."),
        "scores": scores,
        "total": total,
        "groups": [{**s, "checks": items.get(s["number"], [])} for s in scores],
        "checks": [i for s in scores for i in items.get(s["number"], [])],
        "actions": [{"item": a.item or EMPTY,
                     "what": clean(ours(a.what) if a.origin == "open" else a.what),
                     "owner": clean(a.owner) if a.owner else EMPTY,
                     "due": _due(a), "origin": ORIGIN_LABEL[a.origin]}
                    for a in annex.actions],
        "topics_intro": ("De Nederlandse Arbeidsinspectie (voorheen Inspectie SZW) toetst het "
                         "beleid tegen agressie en geweld op elf onderwerpen. Hieronder staan "
                         "dezelfde onderdelen, geordend naar die onderwerpen."),
        "topics": [{"number": n, "title": t.title, "ids": ", ".join(t.items),
                    **status_view(t.status)} for n, t in enumerate(annex.topics, 1)],
    }


def _card_view(protocol: Protocol, terminology: str) -> dict[str, Any]:
    """The incident card as template data (all texts ours or the policy's, so in its word)."""
    card = protocol.card
    if card is None:
        return {"heading": "", "sections": [], "after": [], "numbers": [], "report": []}

    def ours(text: str) -> str:
        return clean(terms.ours(text, terminology))

    first = len(card.sections[0].steps) if card.sections else 0
    return {
        "heading": card.heading,
        "sections": [{"title": ours(s.title),
                      "steps": [f"{n}. {ours(t)}" for n, t in enumerate(s.steps, 1)]}
                     for s in card.sections],
        "after": [f"{n}. {ours(t)}" for n, t in enumerate(card.after, first + 1)],
        "numbers": [{"label": ours(n.label), "value": clean(n.value)} for n in card.numbers],
        "report": [ours(r) for r in card.report],
    }


def template_context(protocol: Protocol, policy: Policy) -> dict[str, Any]:
    """Every variable the protocol template receives (plain dicts, lists and strings).

    `logo` is added by `render_protocol` (an image needs the template); see the README for
    the full list.
    """
    meta = protocol.meta
    term = policy.terminology
    concept = meta.status != "vastgesteld"
    chapters = []
    for ch in protocol.chapters:
        chapters.append({
            "number": ch.number, "title": clean(ch.title),
            "organisation": [block_view(b, term) for b in ch.organisation],
            "team": [block_view(b, term) for b in ch.team],
            "team_note": "" if ch.team else
            "Het team heeft voor dit hoofdstuk geen eigen afspraken vastgelegd.",
        })
    return {
        "org": {
            "name": clean(policy.branding.organisation),
            "short_name": policy.branding.short_name,
            "colour": policy.branding.colour,
            "font": policy.branding.font,
            "terminology": policy.terminology,
            "incident_system": clean(policy.incident_system),
        },
        "team": {
            "id": meta.team_id,
            "name": clean(meta.team),
            "department": clean(meta.department) or EMPTY,
            "lead": clean(meta.team_lead) or EMPTY,
            "staff": clean(meta.staff) if meta.staff else EMPTY,
            "contact_kinds": [CONTACT_KINDS.get(k, k) for k in meta.contact_kinds],
        },
        "meta": {
            "title": DOC_TITLE,
            "version": clean(meta.version) or EMPTY,
            "status": meta.status,
            "is_concept": concept,
            "adopted_by": clean(meta.adopted_by) if meta.adopted_by else
            ("nog niet vastgesteld" if concept else EMPTY),
            "adopted_on": _date(meta.adopted_on, "nog niet vastgesteld" if concept else EMPTY),
            "team_meeting": _date(meta.team_meeting),
            "next_evaluation": _date(meta.next_evaluation, "nog niet gepland"),
        },
        "history": [{"version": clean(v.version) or EMPTY, "date": _date(v.date),
                     "status": clean(v.status), "note": clean(v.note)} for v in meta.history],
        "chapters": chapters,
        "appendices": [{
            "kind": ap.kind, "title": clean(ap.title),
            # The title merge gave it ("Bijlage: Balie en spreekkamer"), unlettered, so that
            # the pointers in chapters 3 and 4, which use the same words, find it.
            "heading": clean(ap.title),
            "intro": "De afspraken van het team voor deze contactvorm, aanvullend op de "
                     "hoofdstukken 3 en 4.",
            "blocks": [block_view(b, term) for b in ap.blocks],
        } for ap in protocol.appendices],
        "annex": _annex_view(protocol, term),
        "card": _card_view(protocol, term),
    }


class _CompilingOnce(SandboxedEnvironment):
    """A sandboxed environment that compiles each template source once and keeps it.

    docxtpl calls `from_string` for every part (body, headers, footers) on every render, and
    Jinja does not cache `from_string`: measured, compiling was ~45 % of render time (~40 of
    87 ms per protocol). Every team of a batch has the same template sources.
    """

    max_cached = 32  # a template has a body and a few headers and footers

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        """The compiled template of `source`, compiled on first use (Jinja's signature)."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)  # a syntax error raises, nothing is kept
            if len(self._compiled) >= self.max_cached:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[source] = template
        return template


def environment() -> SandboxedEnvironment:
    """The Jinja environment for every template: sandboxed, autoescaping, strict."""
    return _CompilingOnce(autoescape=True, undefined=jinja2.StrictUndefined,
                          keep_trailing_newline=True)


@functools.cache
def _shared_environment() -> SandboxedEnvironment:
    """One environment for all renders of this process, so compiled templates are reused."""
    return environment()


def apply_branding(document: DocxDocument, branding: Branding) -> None:
    """Write the policy's font (docDefaults) and colour (heading and table styles) into styles."""
    styles = document.styles
    root = styles.element
    for rfonts in _DEFAULT_FONTS(root):
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            rfonts.set(f"{{{W_NS}}}{attr}", branding.font)
    colour = branding.colour.lstrip("#").upper()
    for name in BRAND_STYLES:
        style = next((s for s in styles if s.name == name), None)
        if style is not None and hasattr(style, "font"):
            style.font.color.rgb = RGBColor.from_string(colour)
    for shd in _HEADER_SHADING(root, n=BRAND_TABLE_STYLE):
        shd.set(f"{{{W_NS}}}fill", colour)


def logo_alt(branding: Branding) -> str:
    """The logo's alternative text: the policy's `branding.logo_alt`, else "Logo van <name>"."""
    return metadata_text(branding.logo_alt or f"Logo van {branding.organisation}")


_DRAWING_NS = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
               "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
               "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
_INLINE_IMAGES = etree.XPath("//wp:inline[.//a:blip/@r:embed = $rid]/wp:docPr",
                             namespaces=_DRAWING_NS)


def describe_image(document: DocxDocument, image: bytes, text: str) -> int:
    """Set `wp:docPr/@descr` (alternative text) on every body picture showing `image`.

    LibreOffice exports `descr` as the Figure's /Alt; without it PDF/UA-1 fails (7.3,
    measured with page: PDFUA1-FIGURE-ALTERNATIVE-TEXT-001 on every protocol). docxtpl's
    InlineImage writes no description, and python-docx stores one image part per distinct
    image, so the logo is found by its bytes, not by a template's other pictures.
    """
    part = document.part
    rids = [rid for rid, rel in part.rels.items()
            if not rel.is_external and getattr(rel.target_part, "blob", None) == image]
    count = 0
    for rid in rids:
        for doc_pr in _INLINE_IMAGES(part.element, rid=rid):
            doc_pr.set("descr", text)
            count += 1
    return count


def _template_error(exc: Exception, template: Path) -> TemplateError:
    """A Jinja error as a Dutch TemplateError naming the template file and the variable."""
    if isinstance(exc, jinja2.UndefinedError):
        found = re.findall(r"'([^']+)'", str(exc))
        name = found[-1] if found else "?"
        return TemplateError(f"Het sjabloon gebruikt de variabele ‘{name}’, die niet bestaat",
                             file=template, field=name,
                             hint="Gebruik alleen de variabelen uit de README (lijst van "
                                  "sjabloonvariabelen) of pas het sjabloon aan")
    if isinstance(exc, jinja2.sandbox.SecurityError):
        return TemplateError("Het sjabloon probeert iets wat niet is toegestaan (afgeschermde "
                             "omgeving)", file=template,
                             hint="Verwijder de code die interne eigenschappen van Python "
                                  "opvraagt; een sjabloon mag alleen de gegeven variabelen tonen")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"Het sjabloon bevat een fout in de sjabloonopmaak: {exc.message}",
                             file=template,
                             hint="Controleer de {{ }}- en {% %}-codes; ze moeten compleet en "
                                  "goed genest zijn")
    return TemplateError(f"Het sjabloon kan niet worden gevuld: {exc}", file=template,
                         hint="Controleer het sjabloon tegen de README")


def _document_time(protocol: Protocol) -> dt.datetime:
    meta = protocol.meta
    day = meta.adopted_on or meta.team_meeting or FIXED_DATE
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


# LibreOffice 25.2 escapes the XML characters of document properties twice in the PDF's XMP
# (measured: "boa's" became "boa&amp;apos;s" in dc:title, while /Title said "boa's"), so the
# two copies of the metadata would disagree. The properties use look-alikes that need no
# escaping: the typographic apostrophe and quotes are the correct Dutch ones anyway.
_METADATA_CHARS = str.maketrans({"'": "’", '"': "”", "<": "‹", ">": "›", "&": " en "})
# LibreOffice's docx import also splits keywords at every space, ',' and ';' (measured:
# "Gemeente Lindenhoven; Team A" became four keywords), so inside one keyword spaces are
# no-break spaces and separators are dropped; the PDF then lists "Gemeente Lindenhoven, …".
_KEYWORD_SEPARATORS = str.maketrans({",": " ", ";": " "})


def metadata_text(text: object) -> str:
    """Text for a document property that reaches the PDF's Info and XMP metadata alike."""
    return " ".join(clean(text).translate(_METADATA_CHARS).split())


def metadata_keywords(keywords: list[str]) -> str:
    """The `cp:keywords` value that LibreOffice turns into exactly these PDF keywords."""
    words = (metadata_text(k).translate(_KEYWORD_SEPARATORS) for k in keywords)
    return ";".join(" ".join(w.split()).replace(" ", "\u00a0") for w in words)


def _set_properties(document: DocxDocument, protocol: Protocol, policy: Policy) -> None:
    meta = protocol.meta
    props = document.core_properties
    organisation = metadata_text(policy.branding.organisation)
    props.title = f"Teamprotocol {metadata_text(meta.team)} — {organisation}"
    props.subject = SUBJECT
    props.author = organisation
    props.last_modified_by = organisation
    props.keywords = metadata_keywords([policy.branding.organisation, meta.team,
                                        f"versie {meta.version}", meta.status])
    props.language = "nl-NL"
    props.category = DOC_TITLE
    props.comments = ""
    props.content_status = meta.status
    props.version = clean(meta.version)
    props.revision = 1
    stamp = _document_time(protocol)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite a .docx zip with one fixed time on every member, so equal inputs give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def check_template(template: Path | None) -> Path:
    """The template's path (None: ours), or TemplateError when it is missing or not a .docx.

    Checked once before a batch, so a wrong --template is one message, not one per team.
    """
    path = Path(template) if template is not None else TEMPLATE
    _load(path)
    return path


class _Template(DocxTemplate):
    """docxtpl's template, without the work that is the same for every team of a batch.

    Measured on 41 synthetic protocols, docxtpl 0.20: of 37 ms per render, 12 went to
    `patch_xml` (a dozen regular expressions over the template's own XML, whose result
    depends on that XML alone) and 12 to `resolve_listing` (regular expressions over every
    paragraph and run of the result, to turn tab, bell, line feed and form feed inside text
    into Word layout). The first is kept per template source; the second is given only the
    paragraphs whose text holds such a character. Both give the same bytes as docxtpl's own
    code (checked on the same 41 protocols; tests/render/test_render_speed.py).
    """

    _patched: dict[str, str] = {}  # template part XML -> patched XML, shared by instances
    max_patched = 32  # a template has a body and a few headers and footers

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            if len(self._patched) >= self.max_patched:
                self._patched.pop(next(iter(self._patched)))
            self._patched[src_xml] = patched
        return patched

    def resolve_listing(self, xml: str) -> str:
        # docxtpl rewrites each paragraph on its own, so only the few that need it are given.
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(
            lambda m: m[0] if _LISTING_TEXT.search(m[0]) is None else resolve(m[0]), xml)


# docxtpl's own pattern for a paragraph, and a `w:t` whose text holds a character that its
# `resolve_listing` turns into layout.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


def _load(template: Path) -> DocxTemplate:
    if not template.is_file():
        raise TemplateError("Het sjabloon is niet gevonden", file=template,
                            hint="Geef met --template een bestaand .docx-sjabloon op")
    try:
        tpl = _Template(str(template))
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError("Het sjabloon is geen leesbaar Word-bestand (.docx)",
                            file=template, hint="Sla het sjabloon in Word op als .docx") from exc
    return tpl


def render_protocol(protocol: Protocol, policy: Policy, *, template: Path | None = None,
                    logo: Path | None = None) -> bytes:
    """Render one team protocol to .docx bytes; raises TemplateError before anything is written."""
    path = Path(template) if template is not None else TEMPLATE
    tpl = _load(path)
    apply_branding(tpl.docx, policy.branding)
    context = template_context(protocol, policy)
    context["logo"] = InlineImage(tpl, str(logo), height=LOGO_HEIGHT) if logo else ""
    try:
        tpl.render(context, jinja_env=_shared_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, path) from exc
    fill_toc(tpl.docx)
    # docxtpl's cellbg and RichText write their properties out of schema order.
    order_properties(tpl.docx.element)
    if logo:
        describe_image(tpl.docx, Path(logo).read_bytes(), logo_alt(policy.branding))
    _set_properties(tpl.docx, protocol, policy)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalise_zip(buffer.getvalue(), _document_time(protocol))
