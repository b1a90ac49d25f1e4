"""The organisation policy as a typed model: branding, contacts, the frame texts of every
chapter, the protocol steps, the checklist answers and the archive settings (pydantic)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from importlib import resources
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from pipeline.catalogue import CHECKLIST_BY_ID, CONTACT_KINDS, FIELDS_BY_TAG, POLICY_CHECKLIST


@functools.cache
def _example_checklist_lines() -> dict[str, str]:
    """`id -> line` of the checklist answers in the embedded example policy."""
    path = resources.files("pipeline") / "defaults" / "policy.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {m[1]: m[0].strip() for line in lines
            if (m := re.match(r"\s{2}([A-Z]\d+): \{.*\}\s*$", line))}


def _example_checklist_line(item: str) -> str:
    return _example_checklist_lines().get(item) or (
        f"{item}: {{arranged: false, action: \"...\", owner: \"...\", due: 2027-06-30}}")


class _Strict(BaseModel):
    # Unknown keys are errors: a typo in a policy file must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of `#RRGGBB`."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of `#RRGGBB` against white (1 to 21)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


# The house colour is the colour of the headings and table heads on white paper: WCAG 1.4.3
# (and so PDF/UA) asks 4.5:1 for text; a white or yellow house colour made them unreadable.
MIN_CONTRAST = 4.5


class Branding(_Strict):
    """Organisation name, logo, house colour and font, applied to every protocol."""

    organisation: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    logo: str | None = None  # path relative to the policy file; None -> name only
    # The logo's alternative text for screen readers (PDF/UA-1); None -> "Logo van <name>"
    logo_alt: str | None = Field(default=None, min_length=1, max_length=250)
    colour: str = Field(default="#1F4E79", pattern=r"^#[0-9A-Fa-f]{6}$")
    # Word on Windows has Calibri; LibreOffice lays it out with its metric twin Carlito
    # (fontconfig alias, fonts-crosextra-carlito), which the PDF embeds
    font: str = "Calibri"
    # What the organisation calls itself in the protocol's labels ("Afspraak van de gemeente")
    kind: str = Field(default="organisatie", min_length=1, max_length=40,
                      pattern=r"^[a-zà-ÿ][a-zà-ÿ -]*$")
    # The logo already shows the organisation's name: the title page does not repeat it
    logo_shows_name: bool = False

    @field_validator("colour")
    @classmethod
    def _readable(cls, value: str) -> str:
        ratio = contrast_on_white(value)
        if ratio < MIN_CONTRAST:
            raise ValueError(
                f"de huisstijlkleur {value} is op wit te licht om te lezen (contrast "
                f"{ratio:.1f}:1, minimaal {MIN_CONTRAST}:1); kies een donkerdere tint, "
                "bijvoorbeeld #1F4E79")
        return value

    def logo_text(self) -> str:
        """The logo's alternative text, in the protocol and on the forms alike."""
        return self.logo_alt or f"Logo van {self.organisation}"


class Contact(_Strict):
    """A named contact person of the organisation."""

    name: str
    role: str
    phone: str | None = None
    email: str | None = None

    def line(self) -> str:
        return ", ".join(p for p in (self.name, self.role, self.phone, self.email) if p)

    def short(self) -> str:
        """Name and phone, for the incident card."""
        return ", ".join(p for p in (self.name, self.phone or self.email) if p)


class Contacts(_Strict):
    coordinator: Contact
    vertrouwenspersoon: Contact
    nazorg: Contact
    # For the incident card; optional, as not every organisation has them centrally.
    bedrijfsarts: Contact | None = None
    beveiliging: Contact | None = None  # security desk or meldkamer


class National(_Strict):
    """National numbers on the incident card; the policy may override them."""

    alarm: str = "112"
    politie: str = "0900-8844"
    slachtofferhulp: str = "0900-0101"


# `protocol_steps` key of the street and outdoor variant (boa's, toezicht): not a contact type
# of its own (the team ticks huis- en bedrijfsbezoek), chosen when the team works outside.
STREET_WORK = "buitenwerk"


class AlarmCardTexts(_Strict):
    """The alarm card's texts that are the same for every contact type (*je*-form)."""

    # A phrase to ask a colleague for help without the burger noticing (empty: none).
    code_word: str = ""
    bystander: str = ("Slaat een collega alarm? Ga erheen, liefst met z'n tweeën. Bel 112 als "
                      "er gevaar is of als je collega daarom vraagt.")
    melden: str = "dezelfde dag in het registratiesysteem {system}, ook als het meeviel."
    aangifte: str = ("je werkgever doet aangifte voor je en vraagt om de VPT-code; je geeft "
                     "het adres van je werkgever op.")
    nazorg: str = ("je leidinggevende regelt dezelfde dag opvang en vraagt na vier tot zes "
                   "weken hoe het gaat.")


class CardLevels(_Strict):
    """The alarm card's three levels for one contact type, at most three short steps each,
    addressed to the employee (*je*); `{alarm}` and `{afsluitzin}` as in `ProtocolSteps`."""

    verbaal: list[str] = Field(min_length=1, max_length=3)
    bedreiging: list[str] = Field(min_length=1, max_length=3)
    geweld: list[str] = Field(min_length=1, max_length=3)


class ProtocolSteps(_Strict):
    """The aggression protocol for one contact type, in the Werkwijzer's order.

    `{alarm}` in a step is replaced by `alarm` when the team has the alarm means for this
    contact type (its own answer says so, or the policy says so and the team left the question
    open), else by `alarm_without`: no team is told to press an alarm button it does not have.
    `card` holds the alarm card's three levels; without it the card shows the protocol's
    first three steps under "Bij dreiging of geweld".
    """

    title: str
    steps: list[str] = Field(min_length=3, max_length=7)
    alarm: str
    alarm_without: str
    card: CardLevels | None = None


class FrameSection(_Strict):
    """A titled part of a chapter's organisation frame."""

    title: str
    paragraphs: list[str] = Field(default_factory=list)
    bullets: list[str] = Field(default_factory=list)


class BehaviourForms(_Strict):
    """The three forms of norm-exceeding behaviour (locked organisation content)."""

    verbaal: list[str] = Field(min_length=1)
    bedreiging: list[str] = Field(min_length=1)
    fysiek: list[str] = Field(min_length=1)


class ChecklistAnswer(_Strict):
    """How the organisation itself arranges a checklist item: a document, or a planned action."""

    arranged: bool
    document: str | None = None
    date: str | None = None  # free form, e.g. "2024-03"
    action: str | None = None
    owner: str | None = None
    due: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ChecklistAnswer:
        if self.arranged and not self.document:
            raise ValueError("bij arranged: true hoort een document")
        if not self.arranged and not (self.action and self.owner and self.due):
            # A gap of the organisation must say who closes it by when: every protocol's
            # annex shows it, and no protocol can be adopted with a gap without an owner.
            raise ValueError("bij arranged: false horen action (wat), owner (wie) en due "
                             "(uiterlijk wanneer, als 2027-06-30)")
        return self


# --- archive settings (MDTO metadata of adopted protocols) ---------------------------------

# TOOI codes of the organisation kinds that write team protocols: gemeente gm0363, provincie
# pv27, waterschap ws0155, ministerie mnre1025, other public organisations oorg10103.
_TOOI = re.compile(r"^(gm\d{4}|pv\d{2}|ws\d{4}|mnre\d{4}|oorg\d{5})$")
# The xsd:duration values a retention period takes: years, months and/or days (P10Y, P6M).
_RETENTION = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+D)?$")


class SelectionCategory(_Strict):
    """The selection list's category (informatiecategorie) the retention period comes from."""

    code: str = Field(default="2.1", min_length=1, max_length=40)
    label: str = Field(default="Vastgesteld beleid", min_length=1, max_length=200)
    selectielijst: str = Field(default="Selectielijst gemeenten en intergemeentelijke organen 2020",
                      min_length=1, max_length=200)


class UseRestriction(_Strict):
    """Who may use the archived protocol (beperkingGebruik)."""

    label: str = Field(default="Intern", min_length=1, max_length=100)
    toelichting: str | None = Field(
        default="Alleen voor medewerkers van de organisatie: het protocol bevat namen en "
                "telefoonnummers van medewerkers.", max_length=1000)
    begrippenlijst: str = Field(default="Begrippenlijst beperkingen gebruik van de organisatie",
                      min_length=1, max_length=200)


class ArchiveSettings(_Strict):
    """MDTO settings of the archived protocols; the defaults follow the Selectielijst 2020.

    An adopted team protocol is operational policy: process 2 "Beleid en regelgeving
    opstellen", result 2.1 "Vastgesteld", V (destroy) after 10 years.
    """

    tooi: str | None = None  # the archive creator's TOOI code; None: named without a code
    waardering: Literal["B", "V", "N"] = "V"
    bewaartermijn: str = "P10Y"
    informatiecategorie: SelectionCategory = Field(default_factory=SelectionCategory)
    beperking: UseRestriction = Field(default_factory=UseRestriction)

    @field_validator("tooi")
    @classmethod
    def _tooi(cls, v: str | None) -> str | None:
        if v is not None and not _TOOI.match(v):
            raise ValueError("moet een TOOI-code zijn, zoals gm0363 voor een gemeente, pv27 "
                             "voor een provincie of ws0155 voor een waterschap (zoek de code op "
                             "in de TOOI-registers van KOOP); laat de sleutel weg als u hem niet "
                             "weet")
        return v

    @field_validator("bewaartermijn")
    @classmethod
    def _retention(cls, v: str) -> str:
        if not _RETENTION.match(v):
            raise ValueError("moet een termijn zijn als P10Y (10 jaar), P6M (6 maanden) of "
                             "P1Y6M; de Selectielijst gemeenten 2020 zegt P10Y voor vastgesteld "
                             "beleid")
        return v


class AdoptionRules(_Strict):
    """Who may adopt a team protocol: the organisation's choice (the Werkwijzer does not say).
    By default the manager above the team lead adopts, after the coordinator's advice."""

    team_lead_may_adopt: bool = False


class Policy(_Strict):
    """One organisation's policy: branding, contacts, chapter frames, default texts, checklist."""

    schema_version: Literal["1"] = "1"
    branding: Branding
    terminology: Literal["burger", "inwoner", "klant"] = "burger"
    incident_system: str = "GIR"
    contacts: Contacts
    # Chapter number (1-6) -> the organisation frame of that chapter.
    chapters: dict[int, list[FrameSection]]
    # Default texts that inherit, extend and locked fields refer to (catalogue `policy_text`).
    texts: dict[str, str]
    behaviour_forms: BehaviourForms
    checklist: dict[str, ChecklistAnswer]
    # Contact kind (balie, huisbezoek, digitaal, bijeenkomsten) -> its aggression protocol.
    protocol_steps: dict[str, ProtocolSteps] = Field(default_factory=dict)
    national: National = Field(default_factory=National)
    alarm_card: AlarmCardTexts = Field(default_factory=AlarmCardTexts)
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)  # MDTO sidecars
    adoption: AdoptionRules = Field(default_factory=lambda: AdoptionRules())

    @field_validator("chapters")
    @classmethod
    def _six_chapters(cls, v: dict[int, list[FrameSection]]) -> dict[int, list[FrameSection]]:
        if sorted(v) != [1, 2, 3, 4, 5, 6]:
            raise ValueError("chapters moet precies de hoofdstukken 1 tot en met 6 bevatten")
        return v

    @model_validator(mode="after")
    def _complete(self) -> Policy:
        needed = {f.policy_text for f in FIELDS_BY_TAG.values() if f.policy_text}
        missing = sorted(k for k in needed if not k.startswith("contact.") and k not in self.texts)
        if missing:
            raise ValueError("texts mist de teksten: " + ", ".join(missing))
        unknown = sorted(set(self.checklist) - set(CHECKLIST_BY_ID))
        if unknown:
            raise ValueError("checklist kent deze onderdelen niet: " + ", ".join(unknown))
        absent = [i for i in POLICY_CHECKLIST if i not in self.checklist]
        if absent:
            # A policy of an older version lacks the items added since: show each as the
            # example policy has it, so the coordinator can copy and adapt the line.
            examples = "; ".join(_example_checklist_line(i) for i in absent)
            raise ValueError("checklist mist de onderdelen: " + ", ".join(absent)
                             + f". Voeg ze toe onder checklist:, bijvoorbeeld zo: {examples}")
        strange = sorted(set(self.protocol_steps) - set(CONTACT_KINDS) - {STREET_WORK})
        if strange:
            raise ValueError("protocol_steps kent deze contactvormen niet: " + ", ".join(strange)
                             + " (kies uit " + ", ".join([*CONTACT_KINDS, STREET_WORK]) + ")")
        return self

    def text(self, key: str) -> str:
        """The organisation text behind a catalogue `policy_text` key."""
        if key.startswith("contact."):
            return getattr(self.contacts, key.removeprefix("contact.")).line()
        return self.texts[key]
