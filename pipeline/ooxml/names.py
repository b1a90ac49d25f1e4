"""The namespaces of a Word package (from `pipeline.ooxml_ns`) as prefixes, Clark names (`qn`)
and element making (`element`)."""

from __future__ import annotations

import datetime as dt
import functools

from lxml import etree

from pipeline.ooxml_ns import CT_NS, CUSTOM_NS, PKG_REL_NS, VT_NS, W14_NS, W15_NS, W_NS

CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PART = "docProps/custom.xml"
# The format id Word uses for every user-defined property.
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

NS = {"w": W_NS, "w14": W14_NS, "w15": W15_NS, "vt": VT_NS, "cp": CUSTOM_NS, "ct": CT_NS,
      "rel": PKG_REL_NS}

CHECKED_CHAR, UNCHECKED_CHAR = "\u2612", "\u2610"  # ☒ ☐ as Word's checkbox shows them
DATE_FORMAT = "d-M-yyyy"  # Word's picture; shown text is made by `format_date`


@functools.cache  # called for every element a part is walked by (130,000 times a protocol)
def qn(name: str) -> str:
    """`w:tag` -> `{namespace}tag` (Clark notation) for the prefixes in `NS`."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def element(name: str, parent: etree._Element | None = None, /,
            **attrs: str) -> etree._Element:
    """Make `<name attr=…>` (a prefixed name), appended to `parent` when given.

    `w_val="1"` is the attribute `w:val`; a name without `_` (`Id`, `PartName`) has no
    namespace, as in the package's relationships and content types.
    """
    el = etree.Element(qn(name)) if parent is None else etree.SubElement(parent, qn(name))
    for k, v in attrs.items():
        el.set(qn(k.replace("_", ":", 1)) if "_" in k else k, v)
    return el


def format_date(value: dt.date) -> str:
    """A date as Word shows it with picture `d-M-yyyy` (nl-NL): `1-3-2026`."""
    return f"{value.day}-{value.month}-{value.year}"
