"""The docxtpl engine: a sandboxed, autoescaping, strict Jinja environment and the template,
each compiled or patched once per process, and `render_protocol`, the stage's one entry.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from pipeline.errors import TemplateError
from pipeline.models import Protocol
from pipeline.ooxml_order import order_properties
from pipeline.policy import Policy
from pipeline.render.context import template_context
from pipeline.render.toc import fill_toc
from pipeline.render.word import (
    _document_time,
    _set_properties,
    apply_branding,
    describe_image,
    let_first_rows_break,
    logo_alt,
    metadata_text,
    normalise_zip,
    number_lists,
)

# Package data (importlib.resources), so an installed wheel has it too, not only a checkout: the
# top-level templates/ folder, installed as the package `pipeline.templates` (setup.py).
TEMPLATE = Path(str(resources.files("pipeline.templates") / "protocol.docx"))
# The alarm card's own document (kaart-<team>.docx); always ours: an organisation's house-style
# template (--template) brings its styles to the protocol, the card keeps its fixed layout.
CARD_TEMPLATE = TEMPLATE.with_name("kaart.docx")
LOGO_HEIGHT = Mm(22)


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
                    logo: Path | None = None, example_policy: bool = False) -> bytes:
    """Render one team protocol to .docx bytes; raises TemplateError before anything is written.

    `example_policy`: mark a concept as made with the example policy (`template_context`)."""
    path = Path(template) if template is not None else TEMPLATE
    tpl = _load(path)
    apply_branding(tpl.docx, policy.branding)
    context = template_context(protocol, policy, example_policy=example_policy)
    context["logo"] = InlineImage(tpl, str(logo), height=LOGO_HEIGHT) if logo else ""
    try:
        tpl.render(context, jinja_env=_shared_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, path) from exc
    fill_toc(tpl.docx)
    number_lists(tpl.docx)
    let_first_rows_break(tpl.docx.element.body)
    # docxtpl's cellbg and RichText write their properties out of schema order.
    order_properties(tpl.docx.element)
    if logo:
        describe_image(tpl.docx, Path(logo).read_bytes(), logo_alt(policy.branding))
    _set_properties(tpl.docx, protocol, policy)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalise_zip(buffer.getvalue(), _document_time(protocol))


def render_card(protocol: Protocol, policy: Policy) -> bytes:
    """Render one team's alarm card as a document of its own (one A4 page) to .docx bytes."""
    tpl = _load(CARD_TEMPLATE)
    apply_branding(tpl.docx, policy.branding)
    context = template_context(protocol, policy)
    try:
        tpl.render(context, jinja_env=_shared_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, CARD_TEMPLATE) from exc
    number_lists(tpl.docx)
    order_properties(tpl.docx.element)
    _set_properties(tpl.docx, protocol, policy)
    props = tpl.docx.core_properties
    props.title = f"Alarmkaart {metadata_text(protocol.meta.team)} — " \
                  f"{metadata_text(policy.branding.organisation)}"
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalise_zip(buffer.getvalue(), _document_time(protocol))
