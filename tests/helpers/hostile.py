"""The hostile corpus, made from real forms: every file is built here, none is shipped.

Each builder takes a good form (written by the project's own writer) and writes a damaged or
malicious copy. `CASES` lists the team folders of the batch corpus with what the coordinator
must read about them.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from helpers.docx_surgery import rezip
from pipeline import ooxml
from pipeline.forms import common

W = ooxml.NS
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# --- zip surgery -----------------------------------------------------------------------------


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def edit_part(src: Path, dst: Path, part: str, edit: Callable[[etree._Element], None]) -> Path:
    """Parse one XML part of `src`, let `edit` change it in place, write the result to `dst`."""
    root = etree.fromstring(member(src, part))
    edit(root)
    return rezip(src, dst, {part: etree.tostring(root, xml_declaration=True,
                                                 encoding="UTF-8", standalone=True)})


def control(root: etree._Element, tag: str) -> etree._Element:
    """The `<w:sdt>` whose `w:tag` is `tag` (exactly one)."""
    found = root.xpath(".//w:sdt[w:sdtPr/w:tag/@w:val=$t]", t=tag, namespaces=W)
    assert len(found) == 1, (tag, len(found))
    return found[0]


def set_control_text(root: etree._Element, tag: str, text: str) -> None:
    """Put `text` into a control as a user typing in Word would (placeholder flag removed)."""
    sdt = control(root, tag)
    for flag in sdt.findall("w:sdtPr/w:showingPlcHdr", W):
        flag.getparent().remove(flag)
    for date in sdt.findall("w:sdtPr/w:date", W):
        date.attrib.pop(ooxml.qn("w:fullDate"), None)
    ts = sdt.findall(".//w:sdtContent//w:t", W)
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def set_property(src: Path, dst: Path, name: str, value: str) -> Path:
    """Change one custom document property (kind, schema version, team id)."""

    def edit(root: etree._Element) -> None:
        for prop in root:
            if prop.get("name") == name:
                prop[0].text = value
                return
        raise AssertionError(name)

    return edit_part(src, dst, ooxml.CUSTOM_PART, edit)


# --- a zip bomb, built cheaply ---------------------------------------------------------------

BOMB_BYTES = 2 << 30  # 2 GiB of zeros once inflated
_BOMB_CRC = 0x4DBDF21C  # zlib.crc32 of 2 GiB of zeros (computed once; 1 s, not worth redoing)


def _bomb_stream() -> bytes:
    """A raw deflate stream of 2 GiB of zeros, ~2 MB: one flushed 1 MiB block, repeated.

    After Z_FULL_FLUSH a block does not refer back to earlier data, so the same bytes can be
    repeated; the empty final block of a fresh compressor ends the stream.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    return block * (BOMB_BYTES >> 20) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from (name, deflated data, crc, declared uncompressed size) written by hand."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in members:
        offset = out.tell()
        raw = name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(raw))
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields, 0) + raw + data)
        central.write(b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0,
                                                  0, 0, offset) + raw)
    cd = central.getvalue()
    n = len(members)
    return out.getvalue() + cd + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n, len(cd),
                                                             out.tell(), 0)


def zip_bomb(src: Path, dst: Path, *, forged_size: int | None = None) -> Path:
    """`src` with word/document.xml replaced by 2 GiB of zeros (the header may lie about it)."""
    members = []
    with zipfile.ZipFile(src) as zf:
        for info in zf.infolist():
            if info.filename == "word/document.xml":
                size = BOMB_BYTES if forged_size is None else forged_size
                members.append((info.filename, _bomb_stream(), _BOMB_CRC, size))
            else:
                data = zf.read(info)
                c = zlib.compressobj(6, zlib.DEFLATED, -15)
                members.append((info.filename, c.compress(data) + c.flush(), zlib.crc32(data),
                                len(data)))
    dst.write_bytes(_raw_zip(members))
    return dst


# --- XML attacks -----------------------------------------------------------------------------

LAUGHS = ("<!DOCTYPE w:document [<!ENTITY a \"hahahahaha\">"
          + "".join(f"<!ENTITY {n} \"{('&' + p + ';') * 10}\">"
                    for p, n in zip("abcdefgh", "bcdefghi", strict=True)) + "]>")


def billion_laughs(src: Path, dst: Path) -> Path:
    """document.xml with nine nested entities (10^9 'ha's) used in an answer."""
    xml = member(src, "word/document.xml").decode()
    decl, body = xml.split("?>", 1)
    body = body.replace("Klantcontactcentrum", "&i;", 1)
    return rezip(src, dst, {"word/document.xml": (decl + "?>" + LAUGHS + body).encode()})


def external_entity(src: Path, dst: Path, *, utf16: bool = False) -> Path:
    """custom.xml whose team id is an external entity reading /etc/passwd (XXE).

    In UTF-16 a byte search for `<!DOCTYPE` finds nothing: the reader must look at the tree.
    """
    xml = member(src, ooxml.CUSTOM_PART).decode()
    decl, body = xml.split("?>", 1)
    team = xml.split("teamprotocol.team_id")[1].split("<vt:lpwstr>")[1].split("<")[0]
    body = body.replace(f">{team}<", ">&x;<")
    dtd = '<!DOCTYPE Properties [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    if utf16:
        text = '<?xml version="1.0" encoding="UTF-16"?>' + dtd + body
        return rezip(src, dst, {ooxml.CUSTOM_PART: text.encode("utf-16")})
    return rezip(src, dst, {ooxml.CUSTOM_PART: (decl + "?>" + dtd + body).encode()})


def macro_enabled(src: Path, dst: Path) -> Path:
    """A .docm renamed to .docx: macro main content type and a vbaProject.bin."""
    types = member(src, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return rezip(src, dst, {"[Content_Types].xml": types,
                            "word/vbaProject.bin": OLE2 + b"\x00" * 1024})


def invalid_char(src: Path, dst: Path) -> Path:
    """A raw control character (U+0001) inside an answer: not allowed anywhere in XML 1.0."""
    xml = member(src, "word/document.xml").replace(b"Klantcontactcentrum", b"Klant\x01centrum", 1)
    return rezip(src, dst, {"word/document.xml": xml})


# --- controls deleted, duplicated, nested ----------------------------------------------------

def delete_question(tag: str, label: str):
    """Delete a control and its question label: nothing left to read the answer from."""

    def edit(root: etree._Element) -> None:
        sdt = control(root, tag)
        answer_p = next(sdt.iterancestors(ooxml.qn("w:p")))
        label_p = answer_p.getprevious()
        assert label + common.REQUIRED_MARK in ooxml.content_text(label_p)
        for p in (label_p, answer_p):
            p.getparent().remove(p)

    return edit


def duplicate_control(tag: str):
    def edit(root: etree._Element) -> None:
        p = next(control(root, tag).iterancestors(ooxml.qn("w:p")))
        p.addnext(etree.fromstring(etree.tostring(p)))

    return edit


def nest_control(inner: str, outer: str):
    """Move control `inner` into the content of control `outer` (Word allows nesting)."""

    def edit(root: etree._Element) -> None:
        sdt_in, sdt_out = control(root, inner), control(root, outer)
        content = sdt_out.find("w:sdtContent", W)
        sdt_in.getparent().remove(sdt_in)
        content.append(sdt_in)

    return edit


# --- the batch corpus ------------------------------------------------------------------------

# Good teams built next to the corpus (from the example teams) and a team whose answers are
# right-to-left and combining Unicode, which must build too.
GOOD = ("burgerzaken", "klantcontactcentrum")
UNICODE_TEAM = "g-unicode"
UNICODE_TEXT = ("مرحبا بالعالم — שלום עולם — Zoe\u0308 en Ame\u0301lie, "
                "\u202eomgekeerd\u202c, e\u0301e\u0301n, ﷽, 🙂, Ω≈ç√")
OPVOLGING = "Wie de opvolging van verbeterpunten bewaakt"  # label of team.opvolging
MEGA_CHARS = 4_000_000  # one answer of 4 MB: under the XML parser's 10 MB text-node limit


@dataclass(frozen=True)
class Case:
    """One team folder of the corpus: how its team.docx is made and what the coordinator reads.

    `make(good, dst)` writes the hostile team.docx from the good one; `message` must occur in
    the Dutch problem line, `field` (a question label) too when the problem is one answer.
    """

    team: str
    make: Callable[[Path, Path], Path]
    message: str
    field: str | None = None


def _bytes(data: bytes) -> Callable[[Path, Path], Path]:
    def make(_good: Path, dst: Path) -> Path:
        dst.write_bytes(data)
        return dst

    return make


def _xml(edit) -> Callable[[Path, Path], Path]:
    return lambda good, dst: edit_part(good, dst, "word/document.xml", edit)


def _text(tag: str, text: str):
    return _xml(lambda root: set_control_text(root, tag, text))


CASES: tuple[Case, ...] = (
    Case("h-geen-zip", _bytes("Beste coördinator,\nhierbij ons formulier.\n".encode()),
         "het bestand is geen Word-document (.docx)"),
    Case("h-afgebroken", lambda good, dst: _bytes(good.read_bytes()[:4000])(good, dst),
         "beschadigd of onvolledig"),
    Case("h-zipbom", zip_bomb, "is na uitpakken groter dan 20 MB"),
    Case("h-zipbom-vals", lambda good, dst: zip_bomb(good, dst, forged_size=5000),
         "beschadigd"),
    Case("h-xxe", external_entity, "DOCTYPE of entiteiten"),
    Case("h-xxe-utf16", lambda good, dst: external_entity(good, dst, utf16=True),
         "DOCTYPE of entiteiten"),
    Case("h-lachbom", billion_laughs, "DOCTYPE of entiteiten"),
    Case("h-beveiligd", _bytes(OLE2 + bytes(4096 - len(OLE2))), "met een wachtwoord beveiligd"),
    Case("h-macro", macro_enabled, "bevat macro's"),
    Case("h-pdf", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                         b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"), "het bestand is een PDF"),
    Case("h-ander-schema", lambda good, dst: set_property(good, dst, common.PROP_SCHEMA, "0"),
         "schemaversie '0', verwacht is '2'"),
    Case("h-onbekend-soort", lambda good, dst: set_property(good, dst, common.PROP_KIND,
                                                            "klachten"),
         "onbekend soort formulier 'klachten'"),
    Case("h-vak-weg", _xml(delete_question("team.opvolging", OPVOLGING)),
         "de vraag en het invulvak ontbreken", OPVOLGING),
    Case("h-vak-dubbel", _xml(duplicate_control("team.opvolging")), "staat 2 keer in het",
         OPVOLGING),
    Case("h-vak-genest", _xml(nest_control("team.opvolging", "team.aantal_medewerkers")),
         "staat binnen het invulvak 'Aantal medewerkers'",
         OPVOLGING),
    Case("h-megatekst", _text("team.incidentcijfers", "incident " * (MEGA_CHARS // 9)),
         "is te lang", "Incidentcijfers bij de evaluatie"),
    Case("h-ongeldig-teken", invalid_char, "is beschadigd"),
    # Claims to be burgerzaken, a good team of the same batch: that team must not be touched.
    Case("h-zelfde-team", lambda good, dst: set_property(good, dst, common.PROP_TEAM,
                                                         "burgerzaken"),
         "dit formulier is van team 'burgerzaken' maar staat in de map 'h-zelfde-team'"),
    Case("h-team-id-pad", lambda good, dst: set_property(good, dst, common.PROP_TEAM,
                                                         "../../buiten"),
         "dit formulier is van team '../../buiten'"),
)
