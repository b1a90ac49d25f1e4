"""MDTO sidecars: valid against the Nationaal Archief's schema, and the policy's archive settings.

The product validates with lxml (libxml2); these tests validate the same XML a second time
with the independent `xmlschema` library, against the schema in ../shared/mdto/ (the copy
the issue gives), and check that the shipped copy is that schema unchanged.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from importlib import resources
from pathlib import Path

import pytest
import xmlschema
import yaml
from lxml import etree

from pipeline import mdto
from pipeline.errors import MetadataError, PolicyError
from pipeline.models import ProtocolMeta
from pipeline.policy import ArchiveSettings, default_policy_path, load_policy

# The issue's schema, kept with the tests (tests/data/mdto/README.md): CI's clean clone may
# lie where ../shared is not.
SHARED_XSD = Path(__file__).resolve().parents[1] / "data" / "mdto" / mdto.SCHEMA_FILE
ISSUE_XSD = Path(__file__).resolve().parents[3] / "shared" / "mdto" / mdto.SCHEMA_FILE
ISSUE_XSD_SHA256 = "048d745a17f479995f14c938d342b2f13382072d0fdf1f1b28113126df715648"
NS = {"m": mdto.NS}
STEM = "lindenhoven_burgerzaken_teamprotocol_2.1_2026-11-20"


@pytest.fixture(scope="module")
def shared_schema() -> xmlschema.XMLSchema:
    assert SHARED_XSD.is_file(), f"the MDTO schema of the issue is missing: {SHARED_XSD}"
    return xmlschema.XMLSchema(str(SHARED_XSD))


def _meta(**changes: object) -> ProtocolMeta:
    values: dict = dict(organisation="Gemeente Lindenhoven", team_id="burgerzaken",
                        team="Burgerzaken & Dienstverlening", department="Publiekszaken",
                        team_lead="A. Leiding", version="2.1", status="vastgesteld",
                        adopted_by="K. Smits, afdelingshoofd", adopted_on=dt.date(2026, 11, 20),
                        next_evaluation=dt.date(2027, 11, 1), contact_kinds=["balie"])
    values.update(changes)
    return ProtocolMeta(**values)


def _sidecars(meta: ProtocolMeta | None = None, settings: ArchiveSettings | None = None,
              replaces: tuple[str, str] | None = None) -> dict[str, bytes]:
    return mdto.sidecars(meta or _meta(), settings or load_policy().archive, STEM, size=431_000,
                         sha256="0f" * 32, checked_at=dt.datetime(2026, 11, 20, 14, 3, 9,
                                                                  tzinfo=dt.UTC),
                         replaces=replaces)


def test_shipped_schema_is_the_nationaal_archief_schema_unchanged():
    shipped = resources.files("pipeline") / "schemas" / mdto.SCHEMA_FILE
    assert shipped.read_bytes() == SHARED_XSD.read_bytes()
    # The tests' copy is the issue's file: its SHA-256, and its bytes where ../shared is.
    assert hashlib.sha256(SHARED_XSD.read_bytes()).hexdigest() == ISSUE_XSD_SHA256
    if ISSUE_XSD.is_file():
        assert ISSUE_XSD.read_bytes() == SHARED_XSD.read_bytes()
    readme = (resources.files("pipeline") / "schemas" / "README.md").read_text("utf-8")
    assert "CC BY-SA 4.0" in readme
    assert "Nationaal Archief" in readme


def test_both_sidecars_validate_with_an_independent_validator(shared_schema):
    files = _sidecars(replaces=("lindenhoven_burgerzaken_teamprotocol_2.0_2026-10-14",
                                "Teamprotocol – Burgerzaken, versie 2.0"))
    assert sorted(files) == sorted([f"{STEM}.mdto.xml", f"{STEM}.pdf.bestand.mdto.xml"])
    for name, xml in files.items():
        shared_schema.validate(xml.decode("utf-8"))  # raises with the reason when invalid
        assert mdto.schema_problems(xml) == [], name


def test_informatieobject_holds_what_an_e_depot_asks(shared_schema):
    xml = _sidecars(replaces=("vorige", "Vorige versie"))[f"{STEM}.mdto.xml"]
    root = etree.fromstring(xml)

    def text(path: str) -> list[str]:
        return [e.text for e in root.xpath(path, namespaces=NS)]

    io = "m:informatieobject/"
    assert text(io + "m:identificatie/m:identificatieKenmerk") == [STEM]
    assert text(io + "m:identificatie/m:identificatieBron") == ["Gemeente Lindenhoven"]
    assert text(io + "m:naam") == ["Teamprotocol veilige publieke dienstverlening – "
                                   "Burgerzaken & Dienstverlening, versie 2.1"]
    assert text(io + "m:aggregatieniveau/m:begripLabel") == ["Archiefstuk"]
    assert text(io + "m:waardering/m:begripCode") == ["V"]
    assert text(io + "m:bewaartermijn/m:termijnLooptijd") == ["P10Y"]
    assert text(io + "m:informatiecategorie/m:begripCode") == ["2.1"]
    assert text(io + "m:informatiecategorie/m:begripBegrippenlijst/m:verwijzingNaam") == [
        "Selectielijst gemeenten en intergemeentelijke organen 2020"]
    assert text(io + "m:archiefvormer/m:verwijzingIdentificatie/m:identificatieKenmerk") == [
        "gm0000"]
    assert text(io + "m:beperkingGebruik/m:beperkingGebruikType/m:begripLabel") == ["Intern"]
    assert text(io + "m:dekkingInTijd/m:dekkingInTijdBegindatum") == ["2026-11-20"]
    assert text(io + "m:event/m:eventType/m:begripLabel") == ["Vaststelling"]
    assert text(io + "m:event/m:eventTijd") == ["2026-11-20"]
    assert text(io + "m:event/m:eventVerantwoordelijkeActor/m:verwijzingNaam") == [
        "K. Smits, afdelingshoofd"]
    related = io + "m:gerelateerdInformatieobject/"
    assert text(related + "m:gerelateerdInformatieobjectVerwijzing/m:verwijzingIdentificatie/"
                "m:identificatieKenmerk") == ["vorige"]
    assert text(related + "m:gerelateerdInformatieobjectTypeRelatie/m:begripLabel") == [
        "Vervangt"]


def test_bestand_names_size_format_and_checksum():
    root = etree.fromstring(_sidecars()[f"{STEM}.pdf.bestand.mdto.xml"])

    def text(path: str) -> list[str]:
        return [e.text for e in root.xpath("m:bestand/" + path, namespaces=NS)]

    assert text("m:naam") == [f"{STEM}.pdf"]
    assert text("m:omvang") == ["431000"]
    assert text("m:bestandsformaat/m:begripCode") == ["fmt/477"]
    assert text("m:checksum/m:checksumWaarde") == ["0f" * 32]
    assert text("m:checksum/m:checksumDatum") == ["2026-11-20T14:03:09+00:00"]
    assert text("m:isRepresentatieVan/m:verwijzingIdentificatie/m:identificatieKenmerk") == [
        STEM]


def test_a_first_version_without_tooi_or_next_evaluation_still_validates(shared_schema):
    settings = ArchiveSettings()  # the model's defaults: no TOOI code known
    meta = _meta(next_evaluation=None, adopted_by=None)
    for xml in _sidecars(meta, settings).values():
        shared_schema.validate(xml.decode("utf-8"))
    root = etree.fromstring(_sidecars(meta, settings)[f"{STEM}.mdto.xml"])
    assert root.xpath("//m:archiefvormer/m:verwijzingIdentificatie", namespaces=NS) == []
    assert root.xpath("//m:gerelateerdInformatieobject", namespaces=NS) == []


def test_schema_problems_name_what_is_wrong(shared_schema):
    xml = _sidecars()[f"{STEM}.mdto.xml"]
    root = etree.fromstring(xml)
    for el in root.xpath("//m:waardering", namespaces=NS):
        el.getparent().remove(el)
    broken = etree.tostring(root)
    assert not shared_schema.is_valid(broken.decode())  # both validators agree
    problems = mdto.schema_problems(broken)
    assert problems
    assert "waardering" in problems[0]
    assert problems[0].startswith("regel ")
    not_xml = mdto.schema_problems(b"<MDTO")
    assert len(not_xml) == 1
    assert "geen geldige XML" in not_xml[0]


def test_invalid_sidecar_raises_metadata_error_in_dutch():
    # A retention period the XSD refuses, put past the policy model's own check: the sidecar
    # must then fail the way a bad PDF does, not be written.
    settings = ArchiveSettings().model_copy(update={"bewaartermijn": "tien jaar"})
    with pytest.raises(MetadataError) as info:
        _sidecars(settings=settings)
    assert "MDTO-XML 1.0.1" in info.value.message
    assert info.value.file == f"{STEM}.mdto.xml"


# --- the policy's archive section -----------------------------------------------------------

# libyaml's emitter writes the same text as PyYAML's pure-Python one, ~10x faster
# (~40 ms per dump of the default policy).
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

DEFAULT = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))


def _policy_with(tmp_path: Path, archive: object) -> Path:
    data = copy.deepcopy(DEFAULT)
    if archive is None:
        del data["archive"]
    else:
        data["archive"] = archive
    path = tmp_path / "beleid.yaml"
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_policy_without_archive_section_gets_the_selectielijst_defaults(tmp_path):
    settings = load_policy(_policy_with(tmp_path, None)).archive
    assert (settings.tooi, settings.waardering, settings.bewaartermijn) == (None, "V", "P10Y")
    assert settings.informatiecategorie.code == "2.1"
    assert settings.beperking.label == "Intern"


@pytest.mark.parametrize(("archive", "field", "words"), [
    ({"tooi": "Lindenhoven"}, "archive.tooi", "TOOI-code"),
    ({"bewaartermijn": "10 jaar"}, "archive.bewaartermijn", "P10Y"),
    ({"waardering": "X"}, "archive.waardering", "B, V, N"),
    ({"bewaren": True}, "archive.bewaren", "onbekende sleutel"),
    ({"informatiecategorie": {"code": ""}}, "archive.informatiecategorie.code", "leeg"),
])
def test_bad_archive_settings_are_named_in_dutch(tmp_path, archive, field, words):
    with pytest.raises(PolicyError) as info:
        load_policy(_policy_with(tmp_path, archive))
    assert info.value.field == field
    assert words in info.value.message + (info.value.hint or "")
    assert str(tmp_path / "beleid.yaml") == info.value.file


def test_a_pdfa_2a_file_is_named_by_its_own_pronom_format():
    """An archived PDF claims PDF/A-2a once the validator passed it: PRONOM fmt/476."""
    for level, code in (("A", "fmt/476"), ("B", "fmt/477")):
        xml = mdto.sidecars(_meta(), load_policy().archive, STEM, size=1, sha256="0f" * 32,
                            checked_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
                            level=level)[f"{STEM}.pdf.bestand.mdto.xml"]
        root = etree.fromstring(xml)
        assert root.xpath("string(m:bestand/m:bestandsformaat/m:begripCode)",
                          namespaces=NS) == code
