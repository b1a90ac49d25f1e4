"""Render stage: Protocol + Policy -> branded .docx bytes through a docxtpl (Jinja) template.

Strict and safe: a sandboxed Jinja environment (organisations bring their own templates),
autoescape on (team text is data, never template code; docxtpl crashes on `&` without it,
measured), StrictUndefined (an unknown variable fails before anything is written). The same
inputs give a byte-identical file: fixed core-property dates and fixed zip member times.

The parts, in the order the data flows: `context` (the template's data, pure; chapter 7's
in `annex`, what both share in `common`), `engine` (docxtpl, the template and its caches),
`word` (styles, lists, properties, the zip) and `toc` (the contents field).
"""

from pipeline.render.annex import ANNEX_HEADING, annex_view, missing_lines, short_reference
from pipeline.render.common import EMPTY, STATUS_LOOK, SYMBOL_FONT, clean, status_view
from pipeline.render.context import DOC_TITLE, SUBJECT, block_view, template_context
from pipeline.render.engine import (
    CARD_TEMPLATE,
    LOGO_HEIGHT,
    TEMPLATE,
    _Template,
    check_template,
    environment,
    render_card,
    render_protocol,
)
from pipeline.render.word import (
    BRAND_STYLES,
    apply_branding,
    describe_image,
    logo_alt,
    metadata_keywords,
    metadata_text,
    normalise_zip,
    number_lists,
)

__all__ = [
    "ANNEX_HEADING", "BRAND_STYLES", "CARD_TEMPLATE", "DOC_TITLE", "EMPTY", "LOGO_HEIGHT",
    "STATUS_LOOK", "SUBJECT", "SYMBOL_FONT", "TEMPLATE", "_Template", "annex_view",
    "apply_branding", "block_view", "check_template", "clean", "describe_image", "environment",
    "logo_alt", "metadata_keywords", "metadata_text", "missing_lines", "normalise_zip",
    "number_lists", "render_card", "render_protocol", "short_reference", "status_view",
    "template_context",
]
