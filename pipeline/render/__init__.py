"""Render stage: Protocol + Policy -> branded .docx bytes through a docxtpl (Jinja) template.

Strict and safe: a sandboxed Jinja environment (organisations bring their own templates),
autoescape on (team text is data, never template code; docxtpl crashes on `&` without it,
measured), StrictUndefined (an unknown variable fails before anything is written). The same
inputs give a byte-identical file: fixed core-property dates and fixed zip member times.

Three parts, in the order the data flows: `context` (the template's data, pure), `engine`
(docxtpl, the template and its caches), `word` (styles, lists, properties, the zip).
"""

from pipeline.render.context import (
    ANNEX_HEADING,
    DOC_TITLE,
    EMPTY,
    STATUS_LOOK,
    SUBJECT,
    SYMBOL_FONT,
    block_view,
    clean,
    short_reference,
    status_view,
    template_context,
)
from pipeline.render.engine import (
    LOGO_HEIGHT,
    TEMPLATE,
    _Template,
    check_template,
    environment,
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
    "ANNEX_HEADING", "BRAND_STYLES", "DOC_TITLE", "EMPTY", "LOGO_HEIGHT", "STATUS_LOOK",
    "SUBJECT", "SYMBOL_FONT", "TEMPLATE", "_Template", "apply_branding", "block_view",
    "check_template", "clean", "describe_image", "environment", "logo_alt", "metadata_keywords",
    "metadata_text", "normalise_zip", "number_lists", "render_protocol", "short_reference",
    "status_view", "template_context",
]
