"""Open an untrusted .docx safely: magic bytes, size limits per zip member, no DTDs or entities."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline import ooxml
from pipeline.errors import FormError
from pipeline.text import printable

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 20 * 1024 * 1024  # uncompressed, per zip member
MAX_MEMBERS = 1000
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .docx, or an old .doc
_PDF_MAGIC = b"%PDF-"  # a form printed to PDF and sent instead of the form itself
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
# Word's "Strict Open XML Document" (ISO/IEC 29500 Strict) names its parts with other
# namespaces and relationship types; our reader (and LibreOffice's writer) know Transitional.
_STRICT_OFFICE_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_APP_PART = "docProps/app.xml"
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_REUSE_HINT = ("Vraag de coördinator om het formulier van uw team en vul dat in; stuur het "
               "terug als Word-document (.docx)")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False, remove_blank_text=False)


@dataclass
class Package:
    """The parts of a .docx the form reader needs, parsed."""

    document: etree._Element
    custom: dict[str, str] | None  # None when the document has no custom properties
    application: str | None = None  # `docProps/app.xml` Application: who saved it last


def _fail(path: Path, message: str, hint: str = _REUSE_HINT) -> FormError:
    return FormError(message, file=path, hint=hint)


def parse_xml(path: Path, name: str, data: bytes) -> etree._Element:
    """Parse one part; a DOCTYPE or entity declaration is refused (no XXE, no billion laughs)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise _fail(path, f"het onderdeel {name} bevat een DOCTYPE of entiteiten; dat doet Word "
                          "nooit", "Het bestand is niet met Word gemaakt. " + _REUSE_HINT)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as e:
        raise _fail(path, f"het onderdeel {name} is beschadigd",
                    "Open het bestand in Word, sla het opnieuw op en probeer het nog eens") from e
    # The byte check above misses a part in UTF-16 and a DOCTYPE after a long comment; the
    # parser resolved nothing (no entities, no DTD loading), but such a part is not Word's.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _fail(path, f"het onderdeel {name} bevat een DOCTYPE of entiteiten; dat doet Word "
                          "nooit", "Het bestand is niet met Word gemaakt. " + _REUSE_HINT)
    return root


def _read_member(path: Path, zf: zipfile.ZipFile, name: str) -> bytes:
    """Read one member, enforcing the size limit while reading: a zip header can lie."""
    try:
        with zf.open(name) as f:
            data = f.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            EOFError, OSError, ValueError, zlib.error) as e:  # zlib.error: a damaged stream
        raise _fail(path, "het bestand is beschadigd of onvolledig (zip-fout)",
                    "Sla het formulier opnieuw op in Word en stuur het nog eens") from e
    if len(data) > MAX_MEMBER_BYTES:
        raise _fail(path, f"het onderdeel {name} is na uitpakken groter dan 20 MB",
                    "Haal grote afbeeldingen uit het formulier; het formulier heeft ze niet nodig")
    return data


def _check_magic(path: Path, head: bytes) -> None:
    if head.startswith(_OLE2_MAGIC):
        raise _fail(path, "het bestand is met een wachtwoord beveiligd of is een oud "
                          "Word-bestand (.doc)",
                    "Haal de beveiliging eraf (Bestand > Info > Document beveiligen) of sla het "
                    "op als Word-document (.docx), en stuur het opnieuw")
    if head.startswith(_PDF_MAGIC):
        raise _fail(path, "het bestand is een PDF, geen Word-document (.docx)",
                    "Stuur het ingevulde Word-formulier zelf, niet een PDF ervan")
    if not head.startswith(_ZIP_MAGIC):
        raise _fail(path, "het bestand is geen Word-document (.docx)")


def open_package(path: Path) -> Package:
    """Open `path` as a .docx within limits; FormError (Dutch, naming the file) otherwise."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(path, "het bestand is groter dan 20 MB",
                        "Haal grote afbeeldingen uit het formulier en sla het opnieuw op")
        data = path.read_bytes()
    except FormError:
        raise
    except OSError as e:
        raise _fail(path, "het bestand kan niet worden gelezen",
                    "Controleer of het bestand bestaat en niet in een ander programma "
                    "openstaat") from e
    _check_magic(path, data[:8])
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as e:
        raise _fail(path, "het bestand is beschadigd of onvolledig (zip-fout)",
                    "Sla het formulier opnieuw op in Word en stuur het nog eens") from e
    with zf:
        if len(infos) > MAX_MEMBERS:
            raise _fail(path, "het bestand bevat te veel onderdelen voor een formulier")
        for info in infos:
            if info.file_size > MAX_MEMBER_BYTES:
                raise _fail(path, f"het onderdeel {info.filename} is na uitpakken groter dan "
                                  "20 MB", "Haal grote afbeeldingen uit het formulier")
        names = {i.filename for i in infos}
        for required in ("[Content_Types].xml", "_rels/.rels"):
            if required not in names:
                raise _fail(path, "het bestand is geen Word-document (.docx)")
        types = parse_xml(path, "[Content_Types].xml",
                          _read_member(path, zf, "[Content_Types].xml"))
        rels = parse_xml(path, "_rels/.rels", _read_member(path, zf, "_rels/.rels"))
        main = _target(rels, _OFFICE_DOC)
        if main is None and _target(rels, _STRICT_OFFICE_DOC):
            raise _fail(path, "het bestand is opgeslagen als 'Strikt Open XML-document'; "
                              "die variant van .docx lezen we niet",
                        "Open het in Word, kies Opslaan als > Word-document (*.docx) en stuur "
                        "het opnieuw")
        content_type = types.xpath("string(ct:Override[@PartName=$p]/@ContentType)",
                                   p="/" + (main or ""), namespaces={"ct": ooxml.CT_NS})
        if content_type == _MACRO_MAIN or "vbaProject.bin" in {posixpath.basename(n)
                                                               for n in names}:
            raise _fail(path, "het bestand bevat macro's (.docm); die lezen we om "
                              "veiligheidsredenen niet",
                        "Sla het formulier op als gewoon Word-document (.docx) en stuur het "
                        "opnieuw")
        if not main or content_type != _DOCX_MAIN or main not in names:
            raise _fail(path, "het bestand is geen Word-document (.docx)")
        document = parse_xml(path, main, _read_member(path, zf, main))
        custom_name = _target(rels, ooxml.CUSTOM_REL) or ooxml.CUSTOM_PART
        custom = None
        if custom_name in names:
            root = parse_xml(path, custom_name, _read_member(path, zf, custom_name))
            custom = ooxml.parse_custom_properties(root)
        application = None
        if _APP_PART in names:
            app = parse_xml(path, _APP_PART, _read_member(path, zf, _APP_PART))
            application = application_name(app.findtext(f"{{{_APP_NS}}}Application") or "")
    return Package(document=document, custom=custom, application=application)


def application_name(text: str) -> str | None:
    """`LibreOffice 7.4.7.2` from LibreOffice's `LibreOffice/7.4.7.2$Linux_X86_64 …`; Word's
    and ours as they are; None when empty. Shortened and printable (it is shown)."""
    name = text.split("$", 1)[0].replace("/", " ").strip()
    name = printable(name, 60)
    return name or None


def _target(rels: etree._Element, rel_type: str) -> str | None:
    """The package-relative part name a relationship of `rel_type` in `_rels/.rels` points to."""
    target = rels.xpath("string(r:Relationship[@Type=$t]/@Target)", t=rel_type,
                        namespaces={"r": ooxml.PKG_REL_NS})
    return posixpath.normpath(target.lstrip("/")) if target else None
