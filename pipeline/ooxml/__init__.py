"""Word content controls (`w:sdt`) and custom document properties: the little lxml we need.

python-docx has no API for content controls, so this module builds content controls (plain
text, checkbox, drop-down list, date picker inline; the long answer's rich-text control around
its whole box), reads them back, and writes and reads `docProps/custom.xml`. It knows nothing
about our forms: see `pipeline.forms`.

Short answers are inline controls (inside a paragraph): LibreOffice 25.2 keeps their tag,
alias and content when it saves a .docx, but drops the tag of a block-level drop-down list
(measured with /work/shared/probes/lo_roundtrip.py, see word-forms.md). A long answer is a
block-level rich-text control, so that the box a user types in is the control; LibreOffice
keeps its first paragraph in the control and moves further ones right after it, where the
reader finds them (`block_text_control`).
"""

from pipeline.ooxml.content import (
    breaks_before,
    content_text,
    dropdown_items,
    paragraphs_below,
    sdt_alias,
    sdt_checked,
    sdt_full_date,
    sdt_kind,
    sdt_tag,
    sdt_text,
    showing_placeholder,
    sym_text,
    text_beside,
)
from pipeline.ooxml.controls import (
    PLACEHOLDER_COLOR,
    PLACEHOLDER_LEAD,
    PLACEHOLDER_STYLE,
    block_text_control,
    checkbox_control,
    date_control,
    dropdown_control,
    placeholder_name,
    placeholder_runs,
    repeating_section,
    sdt,
    text_control,
    text_runs,
)
from pipeline.ooxml.names import (
    CHECKED_CHAR,
    CUSTOM_CT,
    CUSTOM_PART,
    CUSTOM_REL,
    DATE_FORMAT,
    NS,
    UNCHECKED_CHAR,
    element,
    format_date,
    qn,
)
from pipeline.ooxml.package import (
    APP_XML,
    COMPATIBILITY_MODE,
    DOC_RELS,
    FIXED_ZIP_TIME,
    GLOSSARY_CT,
    GLOSSARY_REL,
    STYLES_CT,
    STYLES_REL,
    custom_properties_xml,
    finish_package,
    glossary_xml,
    parse_custom_properties,
    set_compatibility_mode,
    write_zip,
)
from pipeline.ooxml_ns import CT_NS, CUSTOM_NS, MC_NS, PKG_REL_NS, VT_NS, W14_NS, W15_NS, W_NS

__all__ = [
    "APP_XML", "CHECKED_CHAR", "COMPATIBILITY_MODE", "CT_NS", "CUSTOM_CT", "CUSTOM_NS",
    "CUSTOM_PART", "CUSTOM_REL", "DATE_FORMAT", "DOC_RELS", "FIXED_ZIP_TIME", "GLOSSARY_CT",
    "GLOSSARY_REL", "MC_NS", "NS", "PKG_REL_NS", "PLACEHOLDER_COLOR", "PLACEHOLDER_LEAD",
    "PLACEHOLDER_STYLE", "STYLES_CT", "STYLES_REL", "UNCHECKED_CHAR", "VT_NS", "W14_NS", "W15_NS",
    "W_NS", "block_text_control", "breaks_before", "checkbox_control", "content_text",
    "custom_properties_xml", "date_control", "dropdown_control", "dropdown_items", "element",
    "finish_package", "format_date", "glossary_xml", "paragraphs_below", "parse_custom_properties",
    "placeholder_name", "placeholder_runs", "qn", "repeating_section", "sdt", "sdt_alias",
    "sdt_checked", "sdt_full_date", "sdt_kind", "sdt_tag", "sdt_text", "set_compatibility_mode",
    "showing_placeholder", "sym_text", "text_beside", "text_control", "text_runs", "write_zip",
]
