"""MDTO sidecars of an archived protocol: the `<informatieobject>` and the PDF's `<bestand>`.

MDTO-XML 1.0.1 (Nationaal Archief) is what Dutch e-depots take with a record. Next to
`archief/<name>.pdf` go `<name>.mdto.xml` (the record: who made it, its valuation and
retention, the adoption, the version it replaces) and `<name>.pdf.bestand.mdto.xml` (the
file: size, PRONOM format, SHA-256), the sidecar names of the MDTO delivery specification.

Both are validated against the shipped schema (`pipeline/schemas/`) before they are written,
with lxml's `XMLSchema` (libxml2): lxml is already how this program writes XML, libxml2
implements XSD 1.0 completely (all MDTO needs) and validates a sidecar in well under a
millisecond. The tests validate them a second time with the independent `xmlschema` library.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from lxml import etree

from pipeline.errors import MetadataError
from pipeline.models import ProtocolMeta, ReviewItem
from pipeline.policy import ArchiveSettings

NS = "https://www.nationaalarchief.nl/mdto"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_FILE = "MDTO-XML1.0.1.xsd"
SCHEMA_LOCATION = f"{NS} https://www.nationaalarchief.nl/mdto/{SCHEMA_FILE}"
DOC_TITLE = "Teamprotocol veilige publieke dienstverlening"
# PRONOM's identifiers of PDF/A-2b (what convert.py asks LibreOffice for) and PDF/A-2a (what
# an archived PDF claims once the validator passed it, pdf/verify.py), by XMP level.
PRONOM_PDFA_2B = ("fmt/477", "Acrobat PDF/A - Portable Document Format, versie 2b")
PRONOM_PDFA_2A = ("fmt/476", "Acrobat PDF/A - Portable Document Format, versie 2a")
PRONOM_BY_LEVEL = {"A": PRONOM_PDFA_2A, "B": PRONOM_PDFA_2B}
# Vocabularies MDTO publishes; the labels are the lists' own words.
_AGGREGATION = "Begrippenlijst Aggregatieniveaus MDTO"
_EVENTS = "Begrippenlijst EventTypeLijst MDTO"
_VALUATIONS = "Begrippenlijst Waarderingen MDTO"
_CHECKSUMS = "Begrippenlijst ChecksumAlgoritme MDTO"
_PRONOM = "PRONOM-register"
# MDTO has no published list for these two; the terms are ours and the list is named so.
_OWN_TERMS = "Begrippenlijst teamprotocol"
_TOOI = "TOOI (Thesaurus en Ontologie Overheidsinformatie)"
# When a version's retention term starts: when a newer adopted version replaces it
# (Selectielijst gemeenten 2020, 2.1: "na vervallen"). MDTO's event list has no such event.
RETENTION_TRIGGER = "Vervallen door een nieuwe vastgestelde versie"
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")
# The demo's records (the embedded example policy, chosen on purpose) show how archiving works
# but describe an invented organisation: their `omschrijving` starts with this (issue 21, 6).
EXAMPLE_PREFIX = "Voorbeeld, geen archiefstuk: "
_VALUATION_LABEL = {"B": "Blijvend te bewaren", "V": "Tijdelijk te bewaren",
                    "N": "Nader te bepalen"}


def sidecar_names(stem: str) -> tuple[str, str]:
    """(`<stem>.mdto.xml`, `<stem>.pdf.bestand.mdto.xml`) for the archived `<stem>.pdf`."""
    return f"{stem}.mdto.xml", f"{stem}.pdf.bestand.mdto.xml"


def record_name(meta: ProtocolMeta) -> str:
    """The record's `naam`: the protocol's title with team and version."""
    return f"{DOC_TITLE} – {meta.team}, versie {meta.version}"


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        el.text = text
    return el


def _term(parent: etree._Element, name: str, label: str, vocabulary: str,
          code: str | None = None) -> None:
    """A `begripGegevens` element: label, optional code, and the vocabulary it comes from."""
    el = _el(parent, name)
    _el(el, "begripLabel", label)
    if code:
        _el(el, "begripCode", code)
    _el(_el(el, "begripBegrippenlijst"), "verwijzingNaam", vocabulary)


def _ref(parent: etree._Element, name: str, label: str, key: str | None = None,
         source: str | None = None) -> None:
    """A `verwijzingGegevens` element: a name and, when known, its identification."""
    el = _el(parent, name)
    _el(el, "verwijzingNaam", label)
    if key and source:
        ident = _el(el, "verwijzingIdentificatie")
        _el(ident, "identificatieKenmerk", key)
        _el(ident, "identificatieBron", source)


def _root(kind: str) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}MDTO", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    return root, _el(root, kind)


def _identify(obj: etree._Element, key: str, source: str, name: str) -> None:
    ident = _el(obj, "identificatie")
    _el(ident, "identificatieKenmerk", key)
    _el(ident, "identificatieBron", source)
    _el(obj, "naam", name)


def series_name(meta: ProtocolMeta) -> str:
    """The `naam` of a team's series of protocols (its aggregation record)."""
    return f"Teamprotocollen veilige publieke dienstverlening – {meta.team}"


def add_duration(day: dt.date, duration: str) -> dt.date:
    """`day` plus an xsd:duration of years, months and days (P10Y, P6M, P1Y6M); the last
    day of the month when the day does not exist there (29 February plus a year)."""
    found = _DURATION.match(duration)
    if found is None:
        raise ValueError(duration)
    years, months, days = (int(g) if g else 0 for g in found.groups())
    month_index = day.month - 1 + months
    year, month = day.year + years + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=days)


def _retention(obj: etree._Element, settings: ArchiveSettings,
               superseded_on: dt.date | None) -> etree._Element:
    """`bewaartermijn` as the Nationaal Archief's 2025 examples write it: the trigger, and
    once it happened its date and the end date (the Selectielijst counts a policy's term
    from when it is superseded; a version in force has no end date yet). A record to keep
    (B) gets no end date: it is never destroyed."""
    retention = _el(obj, "bewaartermijn")
    _term(retention, "termijnTriggerStartLooptijd", RETENTION_TRIGGER, _OWN_TERMS)
    if superseded_on is not None:
        _el(retention, "termijnStartdatumLooptijd", superseded_on.isoformat())
    _el(retention, "termijnLooptijd", settings.bewaartermijn)
    if superseded_on is not None and settings.waardering == "V":
        _el(retention, "termijnEinddatum",
            add_duration(superseded_on, settings.bewaartermijn).isoformat())
    return retention


def informatieobject_xml(meta: ProtocolMeta, settings: ArchiveSettings, stem: str, *,
                         replaces: tuple[str, str] | None = None,
                         reviews: Sequence[ReviewItem] = (),
                         series: str | None = None, example: bool = False) -> bytes:
    """The `<informatieobject>` of one adopted protocol archived as `<stem>.pdf`.

    `replaces` is (stem, naam) of the adopted version this one replaces, if any; `reviews`
    are the coordinator's decisions on answers that were *te beoordelen*, each recorded as an
    event "Beoordeling" (who, when, the decision on which question); `series` the key of the
    team's aggregation record (`isOnderdeelVan`); `example` marks a demo's record
    (`EXAMPLE_PREFIX`).
    """
    org = meta.organisation
    root, obj = _record(stem, org, record_name(meta), "Archiefstuk", _described(
        f"Afspraken van team {meta.team} ({meta.department}) over veilige publieke "
        "dienstverlening: het voorkomen van en omgaan met agressie en geweld.", example))
    if meta.adopted_on is not None:
        # The protocol applies from its adoption until the next evaluation.
        period = _el(obj, "dekkingInTijd")
        _term(period, "dekkingInTijdType", "Geldigheid", _OWN_TERMS)
        _el(period, "dekkingInTijdBegindatum", meta.adopted_on.isoformat())
        if meta.next_evaluation is not None and meta.next_evaluation >= meta.adopted_on:
            _el(period, "dekkingInTijdEinddatum", meta.next_evaluation.isoformat())
    _el(obj, "taal", "nl")
    event = _el(obj, "event")
    _term(event, "eventType", "Vaststelling", _EVENTS)
    if meta.adopted_on is not None:
        _el(event, "eventTijd", meta.adopted_on.isoformat())
    if meta.adopted_by:
        _ref(event, "eventVerantwoordelijkeActor", meta.adopted_by)
    for item in reviews:
        if item.review is None:
            continue
        review = _el(obj, "event")
        _term(review, "eventType", "Beoordeling", _OWN_TERMS)
        if item.review.on is not None:
            _el(review, "eventTijd", item.review.on.isoformat())
        if item.review.by:
            _ref(review, "eventVerantwoordelijkeActor", item.review.by)
        note = f" ({item.review.note})" if item.review.note else ""
        _el(review, "eventResultaat", f"{item.question}: {item.review.decision.value}{note}")
    _term(obj, "waardering", _VALUATION_LABEL[settings.waardering], _VALUATIONS,
          settings.waardering)
    _retention(obj, settings, None)
    category = settings.informatiecategorie
    _term(obj, "informatiecategorie", category.label, category.selectielijst, category.code)
    if series is not None:
        _ref(obj, "isOnderdeelVan", series_name(meta), series, org)
    _ref(obj, "heeftRepresentatie", f"{stem}.pdf", f"{stem}.pdf", org)
    if replaces is not None:
        related = _el(obj, "gerelateerdInformatieobject")
        _ref(related, "gerelateerdInformatieobjectVerwijzing", replaces[1], replaces[0], org)
        _term(related, "gerelateerdInformatieobjectTypeRelatie", "Vervangt", _OWN_TERMS)
    _creator_and_restriction(obj, org, settings)
    return _serialise(root)


def _record(key: str, org: str, name: str, level: str,
            description: str) -> tuple[etree._Element, etree._Element]:
    """The root and its `<informatieobject>`, begun as both our records begin: identified by
    `key`, named, at `aggregatieniveau` `level` (Archiefstuk, Serie), described."""
    root, obj = _root("informatieobject")
    _identify(obj, key, org, name)
    _term(obj, "aggregatieniveau", level, _AGGREGATION)
    _el(obj, "omschrijving", description)
    return root, obj


def _creator_and_restriction(obj: etree._Element, org: str, settings: ArchiveSettings) -> None:
    """The archive creator and the restriction on use: the same in a version's record and in
    the team's series record."""
    _ref(obj, "archiefvormer", org, settings.tooi, _TOOI if settings.tooi else None)
    restriction = settings.beperking
    use = _el(obj, "beperkingGebruik")
    _term(use, "beperkingGebruikType", restriction.label, restriction.begrippenlijst)
    if restriction.toelichting:
        _el(use, "beperkingGebruikNadereBeschrijving", restriction.toelichting)


def _described(text: str, example: bool) -> str:
    """A record's `omschrijving`; a demo's starts with `EXAMPLE_PREFIX`."""
    return EXAMPLE_PREFIX + text[:1].lower() + text[1:] if example else text


def is_example(xml: bytes) -> bool:
    """True when the record is a demo's (its `omschrijving` starts with `EXAMPLE_PREFIX`)."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return False
    text = root.findtext(f"{{{NS}}}informatieobject/{{{NS}}}omschrijving") or ""
    return text.startswith(EXAMPLE_PREFIX)


def series_xml(meta: ProtocolMeta, settings: ArchiveSettings, key: str, *,
               example: bool = False) -> bytes:
    """The aggregation record (`Serie`) of a team's adopted protocols, `<key>.mdto.xml`:
    every archived version points to it with `isOnderdeelVan`; `example` marks a demo's."""
    org = meta.organisation
    root, obj = _record(key, org, series_name(meta), "Serie", _described(
        f"De vastgestelde versies van het teamprotocol van team {meta.team} "
        f"({meta.department}), elk met een eigen record.", example))
    _el(obj, "taal", "nl")
    _term(obj, "waardering", _VALUATION_LABEL[settings.waardering], _VALUATIONS,
          settings.waardering)
    category = settings.informatiecategorie
    _term(obj, "informatiecategorie", category.label, category.selectielijst, category.code)
    _creator_and_restriction(obj, org, settings)
    return _validated(_serialise(root), f"{key}.mdto.xml")


def close_record(xml: bytes, superseded_on: dt.date, settings: ArchiveSettings,
                 name: str) -> bytes:
    """An archived version's record with the date its retention started (the day the next
    version was adopted) and, for a record to destroy, its end date; validated. A record
    that already has a start date is returned as it is (its term runs once)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    root = etree.fromstring(xml, parser)
    obj = root.find(f"{{{NS}}}informatieobject")
    if obj is None:
        return xml
    old = obj.find(f"{{{NS}}}bewaartermijn")
    if old is not None and old.find(f"{{{NS}}}termijnStartdatumLooptijd") is not None:
        return xml
    new = _retention(etree.Element("x"), settings, superseded_on)
    if old is not None:
        old.addprevious(new)
        obj.remove(old)
    else:  # an older record without a term: after the valuation, where MDTO has it
        waardering = obj.find(f"{{{NS}}}waardering")
        if waardering is None:
            return xml
        waardering.addnext(new)
    return _validated(_serialise(root), name)


def retention_end(xml: bytes) -> dt.date | None:
    """The end date of a record's retention term (`termijnEinddatum`), None when it has none."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    text = root.findtext(f".//{{{NS}}}bewaartermijn/{{{NS}}}termijnEinddatum")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def record_naam(xml: bytes) -> str | None:
    """A record's `naam`, None when it cannot be read."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    return root.findtext(f"{{{NS}}}informatieobject/{{{NS}}}naam")


def bestand_xml(meta: ProtocolMeta, stem: str, *, size: int, sha256: str,
                checked_at: dt.datetime, level: str = "B") -> bytes:
    """The `<bestand>` of `<stem>.pdf`: size, PRONOM format of its PDF/A-2 `level` (fmt/476
    for A, fmt/477 for B), SHA-256 and when it was taken."""
    pronom = PRONOM_BY_LEVEL.get(level, PRONOM_PDFA_2B)
    org = meta.organisation
    root, obj = _root("bestand")
    _identify(obj, f"{stem}.pdf", org, f"{stem}.pdf")
    _el(obj, "omvang", str(size))
    _term(obj, "bestandsformaat", pronom[1], _PRONOM, pronom[0])
    checksum = _el(obj, "checksum")
    _term(checksum, "checksumAlgoritme", "SHA256", _CHECKSUMS)  # the list's spelling
    _el(checksum, "checksumWaarde", sha256)
    _el(checksum, "checksumDatum", checked_at.replace(microsecond=0).isoformat())
    _ref(obj, "isRepresentatieVan", record_name(meta), stem, org)
    return _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    """The shipped MDTO-XML 1.0.1 schema, parsed once per process (~5 ms)."""
    data = (resources.files("pipeline") / "schemas" / SCHEMA_FILE).read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.fromstring(data, parser))


def schema_problems(xml: bytes) -> list[str]:
    """What the MDTO schema finds wrong with `xml` (libxml2's words, with the line); [] if valid."""
    schema = _schema()
    try:
        doc = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        return [f"geen geldige XML ({e})"]
    if schema.validate(doc):
        return []
    return [f"regel {e.line}: {e.message}" for e in schema.error_log]


def sidecars(meta: ProtocolMeta, settings: ArchiveSettings, stem: str, *, size: int,
             sha256: str, checked_at: dt.datetime,
             replaces: tuple[str, str] | None = None, level: str = "B",
             reviews: Sequence[ReviewItem] = (), series: str | None = None,
             example: bool = False) -> dict[str, bytes]:
    """Both sidecars of `<stem>.pdf` (PDF/A-2 `level`) by file name, validated;
    MetadataError when one is not. `example`: a demo's record (`EXAMPLE_PREFIX`)."""
    record, file_ = sidecar_names(stem)
    out = {record: informatieobject_xml(meta, settings, stem, replaces=replaces,
                                        reviews=reviews, series=series, example=example),
           file_: bestand_xml(meta, stem, size=size, sha256=sha256, checked_at=checked_at,
                              level=level)}
    return {name: _validated(xml, name) for name, xml in out.items()}


def _validated(xml: bytes, name: str) -> bytes:
    """`xml` when it is valid MDTO, else MetadataError naming the file."""
    problems = schema_problems(xml)
    if problems:
        raise MetadataError(
            "de archiefmetagegevens (MDTO) voldoen niet aan het schema MDTO-XML 1.0.1: "
            + "; ".join(problems[:3]), file=name,
            hint="Controleer de sectie archive in het beleid; blijft het mislukken, meld "
                 "het dan aan de beheerder")
    return xml
