"""The organisation policy: the frame every team protocol inherits (pydantic model and loader)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Hashable, Mapping
from importlib import resources
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from PIL import Image, UnidentifiedImageError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pipeline import terms
from pipeline.catalogue import CHECKLIST_BY_ID, CONTACT_KINDS, FIELDS_BY_TAG, POLICY_CHECKLIST
from pipeline.errors import PolicyError, Problem, TeamprotocolError, os_reason
from pipeline.files import write_atomically


class _Strict(BaseModel):
    # Unknown keys are errors: a typo in a policy file must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class ProtocolSteps(_Strict):
    """The aggression protocol for one contact type, in the Werkwijzer's order.

    `{alarm}` in a step is replaced by `alarm` when the team has the alarm means for this
    contact type (its own answer says so), else by `alarm_without`: no team is told to press
    an alarm button it does not have.
    """

    title: str
    steps: list[str] = Field(min_length=3, max_length=7)
    alarm: str
    alarm_without: str


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
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)  # MDTO sidecars

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
            raise ValueError("checklist mist de onderdelen: " + ", ".join(absent))
        strange = sorted(set(self.protocol_steps) - set(CONTACT_KINDS))
        if strange:
            raise ValueError("protocol_steps kent deze contactvormen niet: " + ", ".join(strange)
                             + " (kies uit " + ", ".join(CONTACT_KINDS) + ")")
        return self

    def text(self, key: str) -> str:
        """The organisation text behind a catalogue `policy_text` key."""
        if key.startswith("contact."):
            return getattr(self.contacts, key.removeprefix("contact.")).line()
        return self.texts[key]


# Lines of a policy text that start with one of these are list items (bullets).
BULLET_MARKERS = ("- ", "• ", "* ", "– ")


def unwrap_text(text: str) -> str:
    """A policy text with the YAML author's line wrapping undone.

    Blank lines separate paragraphs and a line starting with a bullet marker is a list item;
    any other line continues the paragraph above it. The forms show the result, and merge
    reads it line by line, so both see the same paragraphs.
    """
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        continues = (line and lines and lines[-1]
                     and not line.startswith(BULLET_MARKERS)
                     and not lines[-1].startswith(BULLET_MARKERS))
        if continues:
            lines[-1] += " " + line
        else:
            lines.append(line)
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------------------------
# Loading: a policy file comes from a coordinator's editor or from the mail, so it is read as
# untrusted input. Every problem becomes one PolicyError in Dutch: file, key, what, what to do.

MAX_POLICY_BYTES = 1_000_000  # the default policy is ~30 kB; a megabyte is a mistake or worse
MAX_LOGO_BYTES = 5_000_000
MAX_LOGO_PIXELS = (4000, 4000)
MAX_REPORTED = 8  # validation errors listed in one message; the rest are counted
DEFAULT_LOGO = "logo.png"
_FIX_HINT = "Pas het beleidsbestand aan, of begin opnieuw met 'teamprotocol init'"


class _Refused(yaml.MarkedYAMLError):
    """A YAML construct we refuse on purpose, with its own Dutch hint."""

    def __init__(self, problem: str, mark: yaml.Mark, hint: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


_KEY_LINE = re.compile(r"( *)(?:- )?[A-Za-z_][\w.-]*:(?: |$)")


def _swallows_keys(buffer: str, start: yaml.Mark, end: yaml.Mark) -> bool:
    """Whether the quoted text from `start` to `end` runs over a line that is a key of the
    structure around it: indented no deeper than the line the quote opens on. A long text
    wrapped inside quotes (as yaml.safe_dump writes it) is indented deeper and is fine."""
    line_start = buffer.rfind("\n", 0, start.index) + 1
    owner = len(buffer[line_start:start.index]) - len(buffer[line_start:start.index].lstrip(" "))
    for line in buffer[start.index:end.index].split("\n")[1:]:
        m = _KEY_LINE.match(line)
        if m and len(m.group(1)) <= owner:
            return True
    return False
_RUNAWAY_HINT = "Sluit de tekst op deze regel af met hetzelfde aanhalingsteken"


def _runaway_message(style: str, end_line: int) -> str:
    return (f"het aanhalingsteken ({style}) dat hier begint, wordt pas op regel {end_line} "
            "gesloten, na regels met sleutels erin")


def _runaway_quote(text: str) -> tuple[yaml.Mark, str] | None:
    """The start of a quoted text that runs over lines holding keys, found by scanning alone.

    When the swallowed lines break the structure, the parser fails far below the quote
    (measured: 119 lines further, "expected <block end>"); the tokens before it show where.
    """
    try:
        for token in yaml.scan(text, Loader=_NoAliasLoader):  # noqa: S506 - a SafeLoader
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line
                    and _swallows_keys(text, token.start_mark, token.end_mark)):
                return token.start_mark, _runaway_message(token.style,
                                                          token.end_mark.line + 1)
    except yaml.YAMLError:
        return None
    return None


class _NoAliasLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that refuses aliases and duplicate keys.

    An alias (`*name`) lets a few hundred bytes expand to billions of nodes ("billion
    laughs"); a policy never needs one, so the first alias stops the parse before any
    expansion. A duplicate key would silently drop the first value: a typo must not win.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("een verwijzing (*) naar een anker is niet toegestaan",
                           event.start_mark, "Schrijf de waarde voluit in plaats van een anker "
                           "(&) en verwijzing (*) te gebruiken")
        return super().compose_node(parent, index)

    def construct_scalar(self, node):
        # A quote not closed on its line swallows the lines after it up to the next quote,
        # keys included, and the error came far below (a key "missing"). A quoted text that
        # runs over a line holding `key: ` is that mistake: report it where the quote opens.
        if (node.style in ('"', "'") and node.end_mark.line > node.start_mark.line
                and _swallows_keys(node.start_mark.buffer, node.start_mark, node.end_mark)):
            raise _Refused(_runaway_message(node.style, node.end_mark.line + 1),
                           node.start_mark, _RUNAWAY_HINT)
        return super().construct_scalar(node)

    def construct_mapping(self, node, deep=False):
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in seen:
                raise _Refused(f"de sleutel '{key}' staat er twee keer", key_node.start_mark,
                               "Houd één van de twee over; anders telt alleen de laatste")
            seen.add(key if isinstance(key, Hashable) else id(key))
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, *, max_bytes: int = MAX_POLICY_BYTES,
              error: type[TeamprotocolError] = PolicyError) -> object:
    """Parse one YAML file safely: size limit, strict UTF-8, no aliases, no duplicate keys."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise error("dit is geen bestand", file=path, hint="Geef het pad van een YAML-bestand")
        if size > max_bytes:
            raise error(f"het bestand is te groot ({size // 1000} kB, maximaal "
                        f"{max_bytes // 1000} kB)", file=path,
                        hint="Controleer of dit het juiste bestand is")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise error("het bestand bestaat niet", file=path,
                    hint="Controleer het pad, of maak een beleid met 'teamprotocol init'") from None
    except OSError as e:
        raise error(f"het bestand kan niet worden gelezen ({os_reason(e)})", file=path,
                    hint="Controleer of het bestand bestaat en leesbaar is") from e
    if len(raw) > max_bytes:
        raise error(f"het bestand is te groot (maximaal {max_bytes // 1000} kB)", file=path,
                    hint="Controleer of dit het juiste bestand is")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise error(f"het bestand is geen UTF-8-tekst (regel {line})", file=path,
                    hint="Sla het bestand op als UTF-8 (in Kladblok: Opslaan als, codering "
                         "UTF-8)") from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
        if isinstance(e, _Refused):
            raise error(where + (e.problem or ""), file=path, hint=e.hint) from None
        runaway = _runaway_quote(text)
        if runaway is not None:
            mark, message = runaway
            raise error(f"regel {mark.line + 1}, kolom {mark.column + 1}: {message}", file=path,
                        hint=_RUNAWAY_HINT) from None
        known = _known_yaml_mistake(e)
        if known is not None:
            mark = e.context_mark if "quoted scalar" in (e.context or "") else mark
            where = f"regel {mark.line + 1}, kolom {mark.column + 1}: " if mark else ""
            raise error(where + known[0], file=path, hint=known[1]) from None
        # PyYAML's own words are English: keep them in brackets, after a Dutch summary.
        raise error(f"{where}ongeldige YAML ({e.problem or e.context})", file=path,
                    hint="Controleer de inspringing, dubbele punten en aanhalingstekens op die "
                         "plek") from None
    except yaml.YAMLError as e:
        raise error(f"ongeldige YAML ({e})", file=path, hint=_FIX_HINT) from None


def _known_yaml_mistake(e: yaml.MarkedYAMLError) -> tuple[str, str] | None:
    """(what, what to do) in Dutch for the YAML mistakes a coordinator makes, or None.

    PyYAML's own words are English, and for a quote never closed it points at the end of
    the file: the quote's own line (the context mark) is where to look.
    """
    problem, context = e.problem or "", e.context or ""
    if "'\\t'" in problem or "\t" in problem:
        return ("hier staat een tab; YAML springt alleen in met spaties",
                "Vervang de tab door spaties (stel uw editor in op spaties in plaats van tabs)")
    if "quoted scalar" in context and "end of stream" in problem:
        return ("het aanhalingsteken dat hier begint, wordt nergens gesloten",
                "Sluit de tekst op deze regel af met hetzelfde aanhalingsteken")
    if "escape" in problem:
        return ("tussen dubbele aanhalingstekens begint '\\' een speciale code (zoals in een "
                "Windows-pad C:\\map)", "Schrijf het pad met '/' (C:/map/logo.png) of zet de "
                "tekst tussen enkele aanhalingstekens ('C:\\map\\logo.png')")
    return None


# ---- pydantic errors in Dutch -------------------------------------------------------------


def _unwrap(tp: object) -> object:
    """`X | None` -> X; other types unchanged."""
    args = [a for a in get_args(tp) if a is not type(None)]
    if get_origin(tp) in (Union, UnionType) and len(args) == 1:
        return args[0]
    return tp


def _walk(loc: tuple) -> tuple[str, list[object], bool]:
    """Human key path for a pydantic `loc`, the type at each step, and whether it has indexes.

    Mapping keys are joined with dots (`branding.colour`, `chapters.4`), list positions are
    shown 1-based in brackets (`chapters.4[2].title`), as a coordinator counts them.
    """
    tp: object = Policy
    path = ""
    types: list[object] = [tp]
    indexed = False
    for part in loc:
        if part == "[key]":
            continue  # pydantic marks an invalid mapping key; the key itself is already named
        tp = _unwrap(tp)
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            path += f".{part}" if path else str(part)
            tp = field.annotation if field else None
        elif origin is dict:
            path += f".{part}"
            tp = get_args(tp)[1]
        elif origin is list and isinstance(part, int):
            path += f"[{part + 1}]"
            indexed = True
            tp = get_args(tp)[0]
        else:
            path += f".{part}" if path else str(part)
            tp = None
        types.append(tp)
    return path, types, indexed


_PATTERN_TEXT = {
    "colour": ("moet een kleur zijn als #1F4E79",
               "Schrijf een hekje en zes tekens 0-9 of A-F, tussen aanhalingstekens: "
               "colour: \"#1F4E79\""),
    "short_name": ("mag alleen letters, cijfers, - en _ bevatten",
                   "Gebruik een korte naam zonder spaties, bijvoorbeeld 'lindenhoven'"),
}


def _describe(err: Mapping[str, Any], types: list[object]) -> tuple[str, str]:
    """(what is wrong, what to do) for one pydantic error, in Dutch."""
    kind, ctx, loc = err["type"], err.get("ctx") or {}, err["loc"]
    last = str(loc[-1]) if loc else ""
    parent = _unwrap(types[-2]) if len(types) > 1 else None
    if kind == "extra_forbidden":
        allowed = sorted(parent.model_fields) if isinstance(parent, type) and issubclass(
            parent, BaseModel) else []
        hint = "Controleer de spelling of verwijder de sleutel"
        return "onbekende sleutel", hint + (f"; toegestaan zijn: {', '.join(allowed)}"
                                            if allowed else "")
    if kind == "missing":
        return "verplicht veld ontbreekt", "Voeg deze sleutel toe met een waarde"
    if kind == "string_type" and isinstance(err.get("input"), dict) and len(err["input"]) == 1:
        # `- Bel de meldkamer: 112`: YAML reads text with ': ' in it as a key and its value.
        return ("moet een tekst zijn, maar er staat ': ' (dubbele punt en spatie) in, waardoor "
                "YAML er een sleutel met een waarde van maakt"),\
            ("Zet de hele tekst tussen aanhalingstekens, bijvoorbeeld: "
             "- \"Bel de meldkamer: 112\"")
    if kind == "string_type":
        return "moet een tekst zijn", ("Zet de waarde tussen aanhalingstekens als YAML er een "
                                       "getal, datum of ja/nee van maakt")
    if kind == "string_too_short":
        return "mag niet leeg zijn", "Vul een tekst in"
    if kind == "string_too_long":
        return (f"is te lang (maximaal {ctx.get('max_length')} tekens)", "Maak de tekst korter")
    if kind == "string_pattern_mismatch":
        return _PATTERN_TEXT.get(last, ("heeft een ongeldige vorm", _FIX_HINT))
    if kind in ("bool_type", "bool_parsing"):
        return "moet true of false zijn", "Schrijf true of false"
    if kind.startswith("date_"):
        return "moet een datum zijn als 2027-06-30", "Schrijf de datum als jaar-maand-dag"
    if kind in ("list_type", "tuple_type"):
        return "moet een lijst zijn", "Zet elk onderdeel op een eigen regel die begint met '- '"
    if kind == "too_short":
        return (f"moet minstens {ctx.get('min_length', 1)} onderdeel bevatten",
                "Voeg een regel toe die begint met '- '")
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return ("moet een groep sleutels zijn (sleutel: waarde)",
                "Zet de onderdelen ingesprongen onder deze sleutel")
    if kind == "literal_error":
        # pydantic's `expected` is English ("'a', 'b' or 'c'"): list the Literal's own values.
        options = get_args(_unwrap(types[-1])) or (ctx.get("expected", ""),)
        return ("moet een van deze waarden zijn: " + ", ".join(map(str, options)),
                "Kies een van de genoemde waarden")
    if kind in ("int_parsing", "int_type") and loc and loc[-1] == "[key]":
        return "moet een hoofdstuknummer zijn", "Gebruik de nummers 1 tot en met 6"
    if kind in ("int_parsing", "int_type"):
        return "moet een geheel getal zijn", "Schrijf een getal zonder aanhalingstekens"
    if kind == "value_error":
        # Our own validators already speak Dutch (see Policy and ChecklistAnswer).
        return str(ctx.get("error", err.get("msg", ""))), _FIX_HINT
    return "heeft een ongeldige waarde", _FIX_HINT


def policy_problems(exc: ValidationError, source: str | None = None
                    ) -> list[tuple[str, str, str]]:
    """(key path, what is wrong, what to do) in Dutch for every error pydantic found.

    With the YAML `source`, a value that is not what it should be is given its line. The
    input values themselves are looked at (a mapping where text belongs), never reported.
    """
    problems = []
    root = _compose(source) if source else None
    for err in exc.errors(include_url=False):
        path, types, indexed = _walk(tuple(err["loc"]))
        message, hint = _describe(err, types)
        # The line only where the key path alone does not show the mistake: text that YAML
        # made a mapping (`- Bel de meldkamer: 112`) looks like text in the file.
        colon = err["type"] == "string_type" and isinstance(err.get("input"), dict)
        line = _yaml_line(root, tuple(err["loc"])) if colon else None
        if line is not None:
            message = f"regel {line}: {message}"
        if indexed:
            hint += " (onderdelen tussen [ ] zijn geteld vanaf 1)"
        problems.append((path, message, hint))
    return problems


def _compose(source: str) -> yaml.Node | None:
    try:
        return yaml.compose(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError:
        return None


def _yaml_line(node: yaml.Node | None, loc: tuple) -> int | None:
    """The line (1-based) of the YAML node at pydantic's `loc`, or None when not found."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            return None
    return None if node is None else node.start_mark.line + 1


def _validation_error(exc: ValidationError, path: Path) -> PolicyError:
    try:
        source: str | None = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        source = None
    problems = [Problem(file=str(path), field=key or None, message=message, hint=hint)
                for key, message, hint in policy_problems(exc, source)]
    if len(problems) == 1:
        return PolicyError(*problems)
    shown = [f"{p.field or 'het beleid'}: {p.message}" for p in problems[:MAX_REPORTED]]
    more = len(problems) - len(shown)
    text = f"{len(problems)} fouten in het beleid: " + "; ".join(shown)
    if more:
        text += f"; en nog {more}"
    same_hint = len({p.hint for p in problems}) == 1
    return PolicyError(*problems, summary=Problem(  # all of them in .problems, for --json callers
        file=str(path), message=text, hint=problems[0].hint if same_hint else _FIX_HINT))


# ---- public API -------------------------------------------------------------------------------


def default_policy_path() -> Path:
    """The embedded example policy (`pipeline/defaults/policy.yaml`) as a file path."""
    return Path(str(resources.files("pipeline") / "defaults" / "policy.yaml"))


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy YAML file (None: the embedded default); PolicyError if bad."""
    path = default_policy_path() if path is None else Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise PolicyError("het beleid moet een groep sleutels zijn (sleutel: waarde)", file=path,
                          hint=_FIX_HINT)
    term = data.get("terminology", terms.DEFAULT)
    if isinstance(term, str) and term in terms.TERMS:
        # Shipped texts say {burger}: they follow the policy's word (an unknown word is
        # reported by the model below).
        data = terms.fill_all(data, term)
    try:
        return Policy.model_validate(data)
    except ValidationError as e:
        raise _validation_error(e, path) from None


def resolve_logo(policy: Policy, policy_path: Path | None = None) -> Path | None:
    """The policy's logo file, checked to be a PNG or JPEG of sane size; None without a logo."""
    if not policy.branding.logo:
        return None
    policy_path = default_policy_path() if policy_path is None else Path(policy_path)
    name = policy.branding.logo
    logo = (policy_path.parent / name).resolve()

    def fail(message: str, hint: str) -> PolicyError:
        return PolicyError(f"het logo '{name}' {message}", file=policy_path, field="branding.logo",
                           hint=hint)

    if "\\" in name and not logo.is_file():
        # A Windows path (C:\\Users\\...) names no file on the server that builds.
        raise fail("is een pad met '\\' (een Windows-pad) en bestaat op deze computer niet",
                   "Zet het logo naast het beleidsbestand en schrijf alleen de naam "
                   "(logo: logo.png), of een pad met '/' relatief aan het beleidsbestand")
    if not logo.is_file():
        return_hint = ("Zet het logo naast het beleidsbestand of geef het juiste pad, "
                       "relatief aan het beleidsbestand; laat branding.logo weg voor geen logo")
        raise fail("bestaat niet", return_hint)
    size = logo.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise fail(f"is te groot ({size // 1_000_000} MB, maximaal "
                   f"{MAX_LOGO_BYTES // 1_000_000} MB)",
                   "Gebruik een kleinere PNG of JPEG, bijvoorbeeld 600 pixels breed")
    try:
        with warnings.catch_warnings():
            # Pillow warns (then fails) on decompression bombs; either way it is too big.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(logo) as img:
                fmt, (width, height) = img.format, img.size
                if fmt not in ("PNG", "JPEG"):
                    raise fail(f"is geen PNG- of JPEG-afbeelding maar {fmt}",
                               "Sla het logo op als PNG of JPEG")
                if width > MAX_LOGO_PIXELS[0] or height > MAX_LOGO_PIXELS[1]:
                    raise fail(f"is te groot ({width} × {height} pixels, maximaal "
                               f"{MAX_LOGO_PIXELS[0]} × {MAX_LOGO_PIXELS[1]})",
                               "Verklein het logo, bijvoorbeeld tot 600 pixels breed")
                img.verify()
    except PolicyError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise fail("is te groot (te veel pixels)", "Verklein het logo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise fail("is geen leesbare afbeelding (PNG of JPEG)",
                   "Sla het logo opnieuw op als PNG of JPEG") from e
    return logo


def dump_default_policy(dest: Path) -> list[Path]:
    """Write an editable copy of the default policy to `dest`, with its logo alongside it."""
    source = default_policy_path()
    dest = Path(dest)
    written = []
    for src, target in ((source, dest), (source.parent / DEFAULT_LOGO, dest.parent / DEFAULT_LOGO)):
        try:
            write_atomically(target, src.read_bytes())
        except OSError as e:
            raise PolicyError(f"kan niet schrijven ({os_reason(e)})", file=target,
                              hint="Kies een map waarin u mag schrijven") from e
        written.append(target)
    return written
