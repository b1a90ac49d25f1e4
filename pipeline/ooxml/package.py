"""The package around `word/document.xml`: custom properties (`docProps/custom.xml`), the
glossary with the placeholders, the compatibility mode, reproducible zips."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Mapping
from functools import lru_cache

from lxml import etree

from pipeline.ooxml.controls import (
    PLACEHOLDER_COLOR,
    PLACEHOLDER_STYLE,
    placeholder_name,
    placeholder_runs,
)
from pipeline.ooxml.names import (
    _FMTID,
    CUSTOM_CT,
    CUSTOM_PART,
    CUSTOM_REL,
    NS,
    element,
    qn,
)
from pipeline.ooxml_ns import CT_NS, CUSTOM_NS, MC_NS, PKG_REL_NS, VT_NS, W14_NS, W15_NS, W_NS


def custom_properties_xml(props: Mapping[str, str]) -> bytes:
    """`docProps/custom.xml` holding `props` as string (`vt:lpwstr`) properties."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(props.items(), start=2):  # Word starts pids at 2
        prop = element("cp:property", root, fmtid=_FMTID, pid=str(pid), name=name)
        element("vt:lpwstr", prop).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse_custom_properties(root: etree._Element) -> dict[str, str]:
    """Name -> text of every property in a parsed `docProps/custom.xml`."""
    out: dict[str, str] = {}
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out


def _free_id(rels: etree._Element) -> str:
    """The first `rIdN` no `Relationship` in `rels` has."""
    ids = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    return f"rId{n}"


def _add_custom_part(files: dict[str, bytes], props: Mapping[str, str]) -> None:
    files[CUSTOM_PART] = custom_properties_xml(props)
    ct = etree.fromstring(files["[Content_Types].xml"])
    if not ct.xpath("ct:Override[@PartName=$p]", p="/" + CUSTOM_PART, namespaces=NS):
        element("ct:Override", ct, PartName="/" + CUSTOM_PART, ContentType=CUSTOM_CT)
    files["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8",
                                                  standalone=True)
    rels = etree.fromstring(files["_rels/.rels"])
    if not rels.xpath("rel:Relationship[@Type=$t]", t=CUSTOM_REL, namespaces=NS):
        element("rel:Relationship", rels, Id=_free_id(rels), Type=CUSTOM_REL, Target=CUSTOM_PART)
    files["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)


def _declare_word_namespaces(document_xml: bytes) -> bytes:
    """Declare `w14`/`w15` once on `<w:document>` and list them in `mc:Ignorable`.

    lxml would otherwise declare them on every control; Word expects the prefixes of
    `mc:Ignorable` to be declared on the root element.
    """
    root = etree.fromstring(document_xml)
    nsmap = dict(root.nsmap)
    nsmap.update({"w14": W14_NS, "w15": W15_NS, "mc": MC_NS})
    new = etree.Element(root.tag, nsmap=nsmap)
    for k, v in root.attrib.items():
        new.set(k, v)
    ignorable = set(new.get(f"{{{MC_NS}}}Ignorable", "").split()) | {"w14", "w15"}
    new.set(f"{{{MC_NS}}}Ignorable", " ".join(sorted(ignorable)))
    new.extend(list(root))
    etree.cleanup_namespaces(new, top_nsmap=nsmap, keep_ns_prefixes=sorted(ignorable))
    return etree.tostring(new, xml_declaration=True, encoding="UTF-8", standalone=True)


# Our own extended properties: python-docx's template says "Microsoft Macintosh Word" 14.0
# with the statistics of an empty page.
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties"><Application>teamprotocol</Application>'
           b'<DocSecurity>0</DocSecurity></Properties>')
# Word 2013 and later: python-docx's template declares 14 (Word 2010), so Word 2013+ opened
# our files as "[Compatibiliteitsmodus]", which may disable newer features (the repeating
# section's + button among them).
COMPATIBILITY_MODE = "15"
_COMPAT_MODE = etree.XPath("w:compat/w:compatSetting[@w:name='compatibilityMode']",
                           namespaces=NS)


def set_compatibility_mode(settings: etree._Element) -> None:
    """`w:compatSetting compatibilityMode` of a `<w:settings>` element set to Word 2013's 15."""
    found = _COMPAT_MODE(settings)
    if found:
        for setting in found:
            setting.set(qn("w:val"), COMPATIBILITY_MODE)
        return
    compat = settings.find(qn("w:compat"))
    if compat is None:  # python-docx's template always has one; a foreign file may not
        return
    element("w:compatSetting", compat, w_name="compatibilityMode",
        w_uri="http://schemas.microsoft.com/office/word", w_val=COMPATIBILITY_MODE)


# Parts python-docx's default document carries that Word's own documents of today do not:
# Word 2010's stylesWithEffects.xml (a second copy of the styles, in English), a bibliography
# (customXml item) and a blank thumbnail. Word would keep carrying them on every save.
_LEFTOVERS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
_LEFTOVER_DIRS = ("customXml/",)
_PACKAGE_RELS = "_rels/.rels"


def _is_leftover(name: str) -> bool:
    return name in _LEFTOVERS or name.startswith(_LEFTOVER_DIRS)


def _drop_leftovers(files: dict[str, bytes], names: list[str]) -> None:
    """Remove `_LEFTOVERS` with their relationships and content types; settings in Dutch
    without a preview picture (there is no thumbnail to keep up to date)."""
    for name in [n for n in names if _is_leftover(n)]:
        names.remove(name)
        files.pop(name, None)
    for rels_name, base in ((_PACKAGE_RELS, ""), (DOC_RELS, "word/")):
        if rels_name not in files:
            continue
        rels = etree.fromstring(files[rels_name])
        for rel in list(rels):
            target = rel.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else \
                _normalise(base + target)
            if _is_leftover(resolved):
                rels.remove(rel)
        files[rels_name] = _xml(rels)
    ct = etree.fromstring(files["[Content_Types].xml"])
    for override in ct.findall(f"{{{CT_NS}}}Override"):
        if _is_leftover(override.get("PartName", "").lstrip("/")):
            ct.remove(override)
    files["[Content_Types].xml"] = _xml(ct)


def _normalise(path: str) -> str:
    """`word/../customXml/item1.xml` -> `customXml/item1.xml`."""
    out: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _dutch_settings(settings: etree._Element) -> None:
    """No `w:savePreviewPicture` (no thumbnail), theme fonts' language Dutch, not en-US."""
    for el in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(el)
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.attrib.clear()
        lang.set(qn("w:val"), "nl-NL")


FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def write_zip(files: Mapping[str, bytes],
              date_time: tuple[int, int, int, int, int, int] = FIXED_ZIP_TIME) -> bytes:
    """A zip of `files` in their order, every member deflated with one fixed date and mode 644.

    The one deterministic zip writer: python-docx and docxtpl stamp every member with the
    current time (measured with python-docx 1.2.0), so equal inputs would give different bytes.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    return out.getvalue()


GLOSSARY_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "glossaryDocument")
GLOSSARY_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"
STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
STYLES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
GLOSSARY_PART, GLOSSARY_STYLES = "word/glossary/document.xml", "word/glossary/styles.xml"
GLOSSARY_SETTINGS = "word/glossary/settings.xml"
_OD_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_WML_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
SETTINGS_REL, SETTINGS_CT = _OD_REL + "settings", _WML_CT + "settings+xml"
FONT_TABLE_REL, FONT_TABLE_CT = _OD_REL + "fontTable", _WML_CT + "fontTable+xml"
WEB_SETTINGS_REL, WEB_SETTINGS_CT = _OD_REL + "webSettings", _WML_CT + "webSettings+xml"
# A glossary's settings as Word writes them: no document variables, rsids or compatibility
# options of their own (those of the document apply).
GLOSSARY_SETTINGS_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:settings xmlns:w="' + W_NS.encode() + b'"><w:defaultTabStop w:val="708"/>'
    b'<w:hyphenationZone w:val="425"/><w:characterSpacingControl w:val="doNotCompress"/>'
    b'<w:compat><w:compatSetting w:name="compatibilityMode" '
    b'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    b'<w:themeFontLang w:val="nl-NL"/><w:decimalSymbol w:val=","/>'
    b'<w:listSeparator w:val=";"/></w:settings>')
DOC_RELS = "word/_rels/document.xml.rels"
_PLACEHOLDER_STYLE_XML = (
    f'<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="{PLACEHOLDER_STYLE}">'
    '<w:name w:val="Placeholder Text"/><w:basedOn w:val="DefaultParagraphFont"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/>'
    f'<w:rPr><w:color w:val="{PLACEHOLDER_COLOR}"/></w:rPr></w:style>')


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=8)  # every form of one look has the same styles (issue 26: forms' speed)
def _with_placeholder_style(styles_xml: bytes) -> bytes:
    """styles.xml with Word's `PlaceholderText` character style (added once)."""
    root = etree.fromstring(styles_xml)
    if root.find(f"w:style[@w:styleId='{PLACEHOLDER_STYLE}']", NS) is None:
        root.append(etree.fromstring(_PLACEHOLDER_STYLE_XML))
    return _xml(root)


def glossary_xml(placeholders: Mapping[str, str]) -> bytes:
    """`<w:glossaryDocument>` with one placeholder docPart (`bbPlcHdr`) per control tag."""
    return _glossary_xml(tuple(sorted(placeholders.items())))


@lru_cache(maxsize=16)  # the same for every form of a kind (issue 26: forms' speed)
def _glossary_xml(items: tuple[tuple[str, str], ...]) -> bytes:
    placeholders = dict(items)
    root = etree.Element(qn("w:glossaryDocument"), nsmap={"w": W_NS})
    parts = element("w:docParts", root)
    for tag in sorted(placeholders):
        name = placeholder_name(tag)
        part = element("w:docPart", parts)
        pr = element("w:docPartPr", part)
        element("w:name", pr, w_val=name)
        category = element("w:category", pr)
        element("w:name", category, w_val="Algemeen")  # Dutch Word's "General"
        element("w:gallery", category, w_val="placeholder")
        element("w:type", element("w:types", pr), w_val="bbPlcHdr")
        element("w:behavior", element("w:behaviors", pr), w_val="content")
        element("w:guid", pr, w_val="{" + str(uuid.UUID(name)).upper() + "}")
        paragraph = element("w:p", element("w:docPartBody", part))
        style = element("w:rPr")
        element("w:rStyle", style, w_val=PLACEHOLDER_STYLE)
        paragraph.extend(placeholder_runs(placeholders[tag], style))
    return _xml(root)


def _add_glossary(files: dict[str, bytes], names: list[str],
                  placeholders: Mapping[str, str]) -> None:
    """The glossary part (with its own copy of the styles, as Word writes it) and its rels."""
    files["word/styles.xml"] = _with_placeholder_style(files["word/styles.xml"])
    files[GLOSSARY_PART] = glossary_xml(placeholders)
    files[GLOSSARY_STYLES] = files["word/styles.xml"]
    # Every glossary Word writes has its own settings, fonts and web settings too.
    files[GLOSSARY_SETTINGS] = GLOSSARY_SETTINGS_XML
    targets = {"rId1": (STYLES_REL, "styles.xml"), "rId2": (SETTINGS_REL, "settings.xml")}
    extra = [(GLOSSARY_STYLES, STYLES_CT), (GLOSSARY_SETTINGS, SETTINGS_CT)]
    for n, (main, rel, ct_) in enumerate((("word/fontTable.xml", FONT_TABLE_REL, FONT_TABLE_CT),
                                          ("word/webSettings.xml", WEB_SETTINGS_REL,
                                           WEB_SETTINGS_CT)), start=3):
        if main in files:
            part = "word/glossary/" + main.removeprefix("word/")
            files[part] = files[main]
            targets[f"rId{n}"] = (rel, main.removeprefix("word/"))
            extra.append((part, ct_))
    files["word/glossary/_rels/document.xml.rels"] = _xml(_rels(targets))
    rels = etree.fromstring(files[DOC_RELS])
    element("rel:Relationship", rels, Id=_free_id(rels), Type=GLOSSARY_REL,
            Target="glossary/document.xml")
    files[DOC_RELS] = _xml(rels)
    ct = etree.fromstring(files["[Content_Types].xml"])
    for part, content_type in ((GLOSSARY_PART, GLOSSARY_CT), *extra):
        element("ct:Override", ct, PartName="/" + part, ContentType=content_type)
    files["[Content_Types].xml"] = _xml(ct)
    names += [GLOSSARY_PART, *(part for part, _ in extra),
              "word/glossary/_rels/document.xml.rels"]


def _rels(targets: Mapping[str, tuple[str, str]]) -> etree._Element:
    root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    for rid, (type_, target) in targets.items():
        element("rel:Relationship", root, Id=rid, Type=type_, Target=target)
    return root


def finish_package(docx: bytes, props: Mapping[str, str],
                   placeholders: Mapping[str, str] | None = None) -> bytes:
    """Add custom properties, drop python-docx's leftover parts (`_drop_leftovers`) and
    rewrite the zip with fixed member dates and order.

    `placeholders` (control tag -> placeholder text) become the glossary's docParts.

    python-docx stamps every zip member with the current time (measured with 1.2.0), so two
    runs over the same input would differ; fixed dates make the output byte-identical.
    """
    with zipfile.ZipFile(io.BytesIO(docx)) as zin:
        names = zin.namelist()
        files = {n: zin.read(n) for n in names}
    files["word/document.xml"] = _declare_word_namespaces(files["word/document.xml"])
    _drop_leftovers(files, names)
    settings = etree.fromstring(files["word/settings.xml"])
    set_compatibility_mode(settings)
    _dutch_settings(settings)
    files["word/settings.xml"] = etree.tostring(settings, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    if "docProps/app.xml" in files:
        files["docProps/app.xml"] = APP_XML
    _add_custom_part(files, props)
    if CUSTOM_PART not in names:
        names.append(CUSTOM_PART)
    if placeholders and GLOSSARY_PART not in names:
        _add_glossary(files, names, placeholders)
    return write_zip({name: files[name] for name in names})
