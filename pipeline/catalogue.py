"""The field catalogue: checklist ids, contact types and every field of every form.

This module is the single source of truth. Forms are written from it, read back by its
tags, merged by its merge rules and assessed by its checklist ids.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# Raised when a form's questions change in a way an older form cannot be read as: 2 turned the
# yes/no checkboxes into drop-downs with an unanswered state and added questions.
SCHEMA_VERSION = "2"


class FieldType(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    CHECKBOX = "checkbox"
    CHOICE = "choice"
    DATE = "date"
    ROWS = "rows"


class Merge(StrEnum):
    """How a field's answer combines with the organisation policy (see domain.md)."""

    LOCKED = "locked"  # organisation text only; shown read-only on the form
    INHERIT = "inherit"  # empty answer -> the organisation default applies
    EXTEND = "extend"  # organisation text plus the team's additions
    TEAM = "team"  # only the team can answer; empty means not arranged


class Column(BaseModel):
    """One column of a repeating-rows field; its cell controls are tagged `<field>.<name>`."""

    model_config = ConfigDict(frozen=True)
    name: str
    label: str
    type: FieldType = FieldType.TEXT
    choices: tuple[str, ...] = ()
    # What the drop-down shows for each choice, when not the choice itself (the answer read
    # back is the choice; either text is accepted).
    shown: tuple[str, ...] = ()

    def shown_as(self, choice: str) -> str:
        """The text the drop-down shows for one of its choices."""
        return dict(zip(self.choices, self.shown, strict=True)).get(choice, choice) \
            if self.shown else choice


class Field(BaseModel):
    """One question on a form, answered in one content control tagged with `tag`."""

    model_config = ConfigDict(frozen=True)
    tag: str
    label: str
    help: str
    type: FieldType
    merge: Merge
    checklist: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    # A choice field's answer as the protocol says it: choice -> sentence, "*" a sentence for
    # any choice with `{keuze}` in it ("Het alarm wordt {keuze} getest."). A yes/no statement
    # says itself for "ja" and needs only its "nee" here (see `said_as`).
    said: tuple[tuple[str | None, str], ...] = ()
    # The protocol's heading over the answer when the form's question is no heading ("Wie de
    # orde bewaakt …" on the form, "Ordebewaking in het team" in the protocol); else the label.
    heading: str | None = None
    # Key of the organisation text in the policy (`Policy.texts`) that an inherit, extend or
    # locked field falls back on or adds to.
    policy_text: str | None = None
    # Pre-filled from the teams CSV column of this name when forms are written.
    prefill: str | None = None
    # A yes/no statement whose "nee" contradicts the policy when the policy has arranged this
    # checklist item (the policy says every counter has an alarm button; the team says nee).
    policy_claim: str | None = None
    # A phone number (the incident card prints it): text that is not one is no answer.
    phone: bool = False
    # "None" is a full answer to this question ("Er werken geen derden met het team"): a
    # negated answer is not read as a refusal.
    none_is_answer: bool = False
    # The version that added this question: a form made before it (sent out, filled in) has
    # no box for it, and reads as not answered instead of failing (`forms --from` adds it).
    added_in: str | None = None
    # Not about every version (the evaluation of the one before: a first version has none):
    # left out of the protocol when not answered, instead of "Nog niet ingevuld".
    only_when_answered: bool = False

    @property
    def title(self) -> str:
        """The protocol's heading over this field's answer."""
        return self.heading or self.label

    @property
    def is_statement(self) -> bool:
        """A yes/no statement (`ja`/`nee`/`deels`/`weet ik niet`), answered by a drop-down."""
        return self.type is FieldType.CHOICE and self.choices == YES_NO

    def said_as(self, choice: str | None) -> str | None:
        """The protocol's sentence for a choice answer (`choice` None: not answered), or None
        when the field has no sentences. A statement is its own sentence for "ja"; "deels",
        "weet ik niet" and no answer put it after a short lead. So no question stands as a
        heading over a bare "Ja" or "Niet", and no statement ends in ": nee."."""
        own = dict(self.said)
        if choice in own:
            return own[choice]
        if "*" in own:
            return own["*"].replace("{keuze}", choice) if choice else None
        if not self.is_statement:
            return None
        claim = self.label.rstrip(".")
        if choice == "ja":
            return f"{claim}."
        lead = {"deels": "Dit klopt deels", "weet ik niet": "Het team weet niet of dit klopt"}
        return (f"{lead.get(choice or '', 'Het team heeft nog niet ingevuld of dit klopt')}: "
                f"{claim[:1].lower()}{claim[1:]}.")


class Section(BaseModel):
    """A numbered part of a form; `chapter` is the Werkwijzer chapter its answers feed."""

    model_config = ConfigDict(frozen=True)
    number: str
    title: str
    chapter: int | None
    fields: tuple[Field, ...]


class FormSpec(BaseModel):
    """One kind of form: the general team form or one contact type's appendix."""

    model_config = ConfigDict(frozen=True)
    kind: str
    title: str
    intro: str
    sections: tuple[Section, ...]

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, tag: str) -> Field:
        for f in self.fields:
            if f.tag == tag:
                return f
        raise KeyError(tag)


class ChecklistItem(BaseModel):
    """One item of the Werkwijzer's chapter 7 checklist."""

    model_config = ConfigDict(frozen=True)
    id: str
    chapter: int
    text: str
    # Its short name, as the form's action list offers it ("N6 Bouwkundige en technische
    # voorzieningen").
    name: str
    # A contact-type item is `n.v.t.` when the team has none of these contact types.
    contact_kinds: tuple[str, ...] = ()

    @property
    def choice(self) -> str:
        """The item as a form's drop-down shows it: its id and short name."""
        return f"{self.id} {self.name}"


CHAPTERS: dict[int, str] = {
    1: "Visie op veilige publieke dienstverlening",
    2: "Kwaliteit van dienstverlening en professioneel handelen",
    3: "Orde en ordeverstoring",
    4: "Normoverschrijdend gedrag tegengaan",
    5: "Lerende aanpak",
    6: "Borging en monitoring",
}

_PREFIX_CHAPTER = {"V": 1, "K": 2, "O": 3, "N": 4, "L": 5, "B": 6}


# Each checklist item's short name; N1-N10 are the Werkwijzer's own topic names.
_ITEM_NAMES: dict[str, str] = {
    "V1": "Visie op veilige publieke dienstverlening",
    "V2": "Visie gedeeld met medewerkers en ketenpartners",
    "K1": "Kwaliteit van dienstverlening en gastvrijheid",
    "K2": "Gedragsregels",
    "K3": "Aandacht voor emoties",
    "K4": "Werkverdeling naar competenties",
    "O1": "Huisregels voor alle locaties",
    "O2": "Voorwaarden bij huis- en bedrijfsbezoek",
    "O3": "Huisregels bekendgemaakt",
    "O4": "Huisregels zichtbaar opgehangen",
    "O5": "Ordebewaking",
    "N1": "Risico-inventarisatie en -evaluatie",
    "N2": "Melden, registreren en analyseren",
    "N3": "Voorlichting, instructie en training",
    "N4": "Agressieprotocol",
    "N5": "Organisatorische en personele maatregelen",
    "N6": "Bouwkundige en technische voorzieningen",
    "N7": "Alarmering en alarmopvolging",
    "N8": "Opvang en nazorg",
    "N9": "Dadergerichte aanpak",
    "N10": "Periodieke evaluatie van het beleid",
    "L1": "Dilemma's bespreken",
    "L2": "Overleg en opschalen",
    "L3": "Hoor en wederhoor",
    "L4": "Incidenten evalueren",
    "L5": "Leren en ontwikkelen",
    "B1": "Evaluatie met alle betrokkenen",
    "B2": "Incidentcijfers bij de evaluatie",
    "B3": "Verbetermaatregelen",
    "B4": "Informeren over de evaluatie",
}


def _item(id_: str, text: str, *kinds: str) -> ChecklistItem:
    return ChecklistItem(id=id_, chapter=_PREFIX_CHAPTER[id_[0]], text=text,
                         name=_ITEM_NAMES[id_], contact_kinds=kinds)


CHECKLIST: tuple[ChecklistItem, ...] = (
    _item("V1", "Het beleid van de organisatie beschrijft een visie op veilige publieke "
          "dienstverlening."),
    _item("V2", "De visie is gecommuniceerd en waar nodig afgestemd met ketenpartners."),
    _item("K1", "Het beleid besteedt aandacht aan de kwaliteit van dienstverlening en aan gastvrij "
          "ontvangen en bejegenen."),
    _item("K2", "Er zijn gedragsregels voor medewerkers en voor leidinggevenden."),
    _item("K3", "Het herkennen en erkennen van emoties van burgers krijgt aandacht in intervisie, "
          "opleiding en training."),
    _item("K4", "Bij de werkverdeling wordt bewust rekening gehouden met de competenties en "
          "kwaliteiten van medewerkers."),
    _item("O1", "Er zijn huisregels voor alle locaties."),
    _item("O2", "Met de burger worden afspraken gemaakt over de voorwaarden voor een huis- of "
          "bedrijfsbezoek.", "huisbezoek"),
    _item("O3", "De huisregels zijn bekendgemaakt aan burgers."),
    # O4 and O5 hold for every team: the policy covers every location, and keeping order is a
    # task of every employee (Werkwijzer ch. 3), so neither is ever n.v.t.
    _item("O4", "De huisregels hangen op alle locaties zichtbaar op."),
    _item("O5", "Er zijn afspraken over het bewaken van de orde: hoe en door wie."),
    _item("N1", "De risico's op agressie zijn in kaart gebracht in de risico-inventarisatie en "
          "-evaluatie (RI&E)."),
    _item("N2", "Er is een procedure voor het melden, registreren en analyseren van incidenten."),
    _item("N3", "Medewerkers krijgen voorlichting en training."),
    _item("N4", "Er is een agressieprotocol."),
    _item("N5", "Er zijn organisatorische en personele maatregelen, zoals een bezetting die past "
          "bij risicolocaties en risicotaken."),
    _item("N6", "Er zijn bouwkundige en technische voorzieningen om veilig te werken."),
    _item("N7", "Er is een systeem van alarmering en alarmopvolging."),
    _item("N8", "Er is een regeling voor opvang en nazorg."),
    _item("N9", "De organisatie hanteert een dadergerichte aanpak."),
    _item("N10", "Het beleid wordt periodiek geëvalueerd en bijgesteld."),
    _item("L1", "Dilemma's in het werk worden in kaart gebracht en in het team besproken."),
    _item("L2", "Er is een overlegstructuur om belemmeringen tijdig op te schalen en op te "
          "lossen."),
    _item("L3", "Na incidenten wordt hoor en wederhoor toegepast."),
    _item("L4", "Incidenten worden geëvalueerd en kunnen leiden tot bijstelling van het beleid."),
    _item("L5", "Bij het bespreken van dilemma's en incidenten staan leren en ontwikkelen "
          "centraal."),
    _item("B1", "Beleid en afspraken worden regelmatig geëvalueerd met alle betrokkenen."),
    _item("B2", "Geregistreerde incidenten en de analyse daarvan worden bij de evaluatie "
          "betrokken."),
    _item("B3", "De evaluatie leidt zo nodig tot verbetermaatregelen."),
    _item("B4", "Medewerkers worden geïnformeerd over de evaluatie en de genomen maatregelen."),
)
CHECKLIST_BY_ID: dict[str, ChecklistItem] = {i.id: i for i in CHECKLIST}

# Items the organisation policy itself answers (with a document, or an action).
POLICY_CHECKLIST: tuple[str, ...] = (
    "V1", "V2", "K1", "K2", "K3", "O1", "O3", "O4", "O5", "N1", "N2", "N3", "N4", "N5", "N6",
    "N7", "N8", "N9", "N10", "L2", "L4", "B1", "B2", "B3", "B4",
)

# The labour inspectorate's 11 topics (Nederlandse Arbeidsinspectie) and the items behind them.
INSPECTION_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Risico-inventarisatie en -evaluatie", ("N1",)),
    ("Melden, registreren en analyseren", ("N2",)),
    ("Voorlichting, instructie en training", ("N3",)),
    ("Agressieprotocol", ("N4",)),
    ("Huisregels", ("O1", "O3", "O4")),
    ("Organisatorische en personele maatregelen", ("N5",)),
    ("Bouwkundige en technische voorzieningen", ("N6",)),
    ("Alarmering en alarmopvolging", ("N7",)),
    ("Opvang en nazorg", ("N8",)),
    ("Dadergerichte aanpak", ("N9",)),
    ("Periodieke evaluatie", ("N10", "B1")),
)

# Contact types: form kind -> title. The general form has kind "team".
CONTACT_KINDS: dict[str, str] = {
    "balie": "Balie en spreekkamer",
    "huisbezoek": "Huis- en bedrijfsbezoek",
    "digitaal": "Telefoon, e-mail, post en sociale media",
    "bijeenkomsten": "Publieksbijeenkomsten",
}
TEAM_KIND = "team"


def contact_tag(kind: str) -> str:
    """The team form's checkbox `team.contact_<kind>`: the team has contact type `kind`."""
    return f"{TEAM_KIND}.contact_{kind}"


CONTACT_TAGS = frozenset(contact_tag(k) for k in CONTACT_KINDS)
FREQUENCIES = ("wekelijks", "maandelijks", "per kwartaal", "halfjaarlijks", "jaarlijks", "niet")
class ProtocolStatus(StrEnum):
    """A protocol's status: the team form's drop-down, the protocol's title page, the archive."""

    CONCEPT = "concept"
    ADOPTED = "vastgesteld"


STATUSES = tuple(ProtocolStatus)
# A statement's answer. Empty (nothing chosen) is "not answered", never "nee": a checkbox could
# not tell the two apart.
YES_NO = ("ja", "nee", "deels", "weet ik niet")
# The choice "there is no such location": O4 asks nothing of a team without one.
NO_LOCATION = "geen eigen locatie"


class Tag(StrEnum):
    """The tags of the fields that code reads by name (adoption, merge, the card, prefill),
    each spelled here once: the forms below are built with these members, and the rest of the
    package names a field through them, never with a string of its own."""

    TEAM_NAME = "team.team"
    DEPARTMENT = "team.afdeling"
    TEAM_LEAD = "team.leidinggevende"
    TEAM_LEAD_PHONE = "team.leidinggevende_telefoon"
    STAFF = "team.aantal_medewerkers"
    VERSION = "team.versie"
    STATUS = "team.status"
    ADOPTED_BY = "team.vastgesteld_door"
    ADOPTED_ON = "team.vastgesteld_op"
    COORDINATOR = "team.coordinator"
    CONFIDANT = "team.vertrouwenspersoon"
    AFTERCARE_CONTACT = "team.nazorg_contact"
    STEP_ONE = "team.inventarisatie"  # the date of the conversation with the coordinator
    TEAM_MEETING = "team.teamoverleg"  # the date of the team meeting (stap 2)
    EVALUATION_DATE = "team.evaluatie_datum"
    EVALUATION_PARTICIPANTS = "team.evaluatie_deelnemers"
    EVALUATION_COMPLIANCE = "team.evaluatie_naleving"
    EVALUATION_FIGURES = "team.evaluatie_gir"
    EVALUATION_SATISFACTION = "team.evaluatie_tevredenheid"
    EVALUATION_DEVELOPMENTS = "team.evaluatie_ontwikkelingen"
    NEXT_EVALUATION = "team.volgende_evaluatie"
    ACTIONS = "team.acties"  # rows; a cell's tag is `team.acties.<column>`
    ALARM_BUTTON = "balie.alarmknop"
    VISIT_KINDS = "huisbezoek.soorten"
    VISIT_BACKUP = "huisbezoek.achterwacht"
    PERSONAL_ALARM = "huisbezoek.persoonsalarm"
    AGGRESSIVE_CALLER = "digitaal.telefoon"
    MEETING_ALARM = "bijeenkomsten.alarm"


def _f(tag: str, label: str, help_: str, type_: FieldType, merge: Merge, *checklist: str,
       **extra: object) -> Field:
    return Field(tag=tag, label=label, help=help_, type=type_, merge=merge, checklist=checklist,
                 **extra)


T, M, C, D, CH, R = (FieldType.TEXT, FieldType.MULTILINE, FieldType.CHECKBOX, FieldType.DATE,
                     FieldType.CHOICE, FieldType.ROWS)
# Inherit and extend fields: the form shows the organisation's text right above the answer.
ADD_ONLY = "Vul alleen in wat uw team anders of extra doet."


def _yes_no(tag: str, statement: str, help_: str, *checklist: str, no: str,
            **extra: object) -> Field:
    """A yes/no statement: a drop-down ja / nee / deels / weet ik niet, empty until chosen;
    `no` is how the protocol says the answer "nee" (the statement says "ja" itself)."""
    return _f(tag, statement, help_, CH, TEAM, *checklist, choices=YES_NO,
              said=(("nee", no),), **extra)
TEAM, INH, EXT, LCK = Merge.TEAM, Merge.INHERIT, Merge.EXTEND, Merge.LOCKED

_TEAM_FORM = FormSpec(
    kind=TEAM_KIND,
    title="Teamformulier veilige publieke dienstverlening",
    intro=("Met dit formulier legt het team vast hoe het de kaders van de organisatie toepast in "
           "het eigen werk. Vul het in na het gesprek met de coördinator (stap 1) en het "
           "teamoverleg (stap 2). Bij sommige vragen staat wat al voor de hele organisatie geldt; "
           "vul daar alleen in wat uw team anders of extra doet."),
    sections=(
        Section(number="A", title="Gegevens van het team", chapter=None, fields=(
            _f(Tag.TEAM_NAME, "Naam van het team", "Vul de naam van het team in.", T, TEAM,
               required=True, prefill="team"),
            _f(Tag.DEPARTMENT, "Afdeling", "Vul de afdeling in waar het team onder valt.", T, TEAM,
               required=True, prefill="department"),
            _f(Tag.TEAM_LEAD, "Leidinggevende", "Vul de naam van de leidinggevende in.", T,
               TEAM, required=True, prefill="team_lead"),
            # For the incident card: who a team member calls first.
            _f(Tag.TEAM_LEAD_PHONE, "Telefoon van de leidinggevende bij een incident",
               "Het nummer waarop medewerkers de leidinggevende na een incident bereiken.", T,
               TEAM, phone=True),
            _f(Tag.STAFF, "Aantal medewerkers", "Vul het aantal medewerkers in.",
               T, TEAM),
            _f(Tag.VERSION, "Versie van het protocol", "Bijvoorbeeld 1.0.", T, TEAM,
               required=True),
            _f(Tag.STATUS, "Status van het protocol", "Kies concept of vastgesteld.", CH, TEAM,
               required=True, choices=STATUSES),
            _f(Tag.ADOPTED_BY, "Vastgesteld door",
               "Naam en functie van wie het protocol vaststelt.", T, TEAM),
            _f(Tag.ADOPTED_ON, "Vastgesteld op", "Kies de datum van vaststelling.", D, TEAM),
        )),
        Section(number="B", title="Contactvormen van het team", chapter=None, fields=(
            _f(contact_tag("balie"), "Balie en spreekkamer",
               "Aanvinken als het team burgers aan een balie of in een spreekkamer ontvangt.", C,
               TEAM),
            _f(contact_tag("huisbezoek"), "Huis- en bedrijfsbezoek",
               "Aanvinken als het team op huis- of bedrijfsbezoek gaat of buiten werkt.", C, TEAM),
            _f(contact_tag("digitaal"), "Telefoon, e-mail, post en sociale media",
               "Aanvinken als het team burgers telefonisch, schriftelijk of online te woord staat.",
               C, TEAM),
            _f(contact_tag("bijeenkomsten"), "Publieksbijeenkomsten",
               "Aanvinken als het team bijeenkomsten voor publiek organiseert.", C, TEAM),
        )),
        Section(number="C", title="Contactpersonen", chapter=4, fields=(
            _f(Tag.COORDINATOR, "Coördinator agressie en geweld",
               "Alleen invullen als het team een eigen coördinator heeft.", T, INH,
               policy_text="contact.coordinator"),
            _f(Tag.CONFIDANT, "Vertrouwenspersoon",
               "Alleen invullen als het team een eigen vertrouwenspersoon heeft.", T, INH,
               policy_text="contact.vertrouwenspersoon"),
            _f(Tag.AFTERCARE_CONTACT, "Contactpersoon opvang en nazorg",
               "Alleen invullen als het team een eigen contactpersoon heeft.", T, INH, "N8",
               policy_text="contact.nazorg"),
        )),
        Section(number="1", title=CHAPTERS[1], chapter=1, fields=(
            _f("team.visie_team", "Hoe het team de visie toepast",
               "Beschrijf hoe het team de visie bespreekt en met ketenpartners afstemt.", M, EXT,
               "V2", policy_text="visie.uitdragen",
               heading="De visie in het werk van het team"),
            # V2: the vision is shared with whoever works with the team, not only its staff.
            _f("team.derden", "Derden die met het team werken",
               "Werken er inhuurkrachten, uitzendkrachten, vrijwilligers of ketenpartners met het "
               "team? Beschrijf hoe zij dit protocol leren kennen, hoe zij een incident melden en "
               "of zij opvang krijgen. Werkt niemand anders met het team, schrijf dat dan op.",
               M, TEAM, "V2", required=True, none_is_answer=True),
        )),
        Section(number="2", title=CHAPTERS[2], chapter=2, fields=(
            _f("team.gedragsregels_team", "Aanvullende gedragsregels van het team",
               "Alleen invullen als het team eigen gedragsregels toevoegt.", M, EXT, "K2",
               policy_text="gedragsregels.aanvulling"),
            _f("team.emoties", "Aandacht voor emoties van burgers",
               "Beschrijf hoe het team leert emoties te herkennen en te erkennen.", M, TEAM, "K3"),
            _f("team.competenties", "Competenties bij de werkverdeling",
               "Beschrijf hoe bij de werkverdeling rekening wordt gehouden met competenties.", M,
               TEAM, "K4", required=True),
        )),
        Section(number="3", title=CHAPTERS[3], chapter=3, fields=(
            # O5 is a task of every employee, so every team says who keeps order in its own work,
            # also outside a counter (a home visit, the phone, the street).
            _f("team.orde", "Wie de orde bewaakt in het werk van het team, en hoe",
               "Wie spreekt een burger aan die de orde verstoort, en wie helpt daarbij? Denk aan "
               "de balie, een huisbezoek, de telefoon of de straat.", M, TEAM, "O5",
               required=True,
               heading="Ordebewaking in het team"),
            # O4 for a team's own place where it receives visitors (counters: bijlage balie).
            _f("team.huisregels_locatie", "Huisregels op de eigen locatie van het team",
               "Ontvangt het team bezoekers op een eigen plek, zoals een wijkpost of werkplaats? "
               "Kies ja als de huisregels daar zichtbaar hangen. Balies en spreekkamers vult u in "
               "de bijlage balie in.", CH, TEAM, "O4",
               choices=("ja", "nee", "deels", "weet ik niet", NO_LOCATION), said=(
                   ("ja", "De huisregels hangen zichtbaar op de eigen locatie van het team."),
                   ("nee", "De huisregels hangen nog niet zichtbaar op de eigen locatie van het "
                           "team."),
                   (NO_LOCATION, "Het team ontvangt geen bezoekers op een eigen locatie."),
                   ("deels", "De huisregels hangen deels zichtbaar op de eigen locatie van het "
                             "team."),
                   ("weet ik niet", "Het team weet niet of de huisregels zichtbaar hangen op de "
                                    "eigen locatie van het team."),
                   (None, "Het team heeft nog niet ingevuld of de huisregels zichtbaar hangen "
                          "op de eigen locatie van het team."))),
        )),
        Section(number="4", title=CHAPTERS[4], chapter=4, fields=(
            _f("team.organisatienorm", "De organisatienorm", "Vastgesteld door de organisatie.", M,
               LCK, "N4", policy_text="norm"),
            _f("team.norm_voorbeelden", "Wat in ons werk over de grens gaat",
               "Geef voorbeelden uit het werk van het team van gedrag dat de norm overschrijdt.", M,
               TEAM, "N4", required=True),
            _f("team.risicos", "Risico's op agressie in het werk van het team",
               "Noem de taken en situaties met een verhoogd risico.", M, TEAM, "N1"),
            _f("team.melden", "Melden van incidenten", ADD_ONLY, M, INH, "N2",
               policy_text="melden"),
            _f("team.training_gevolgd", "Gevolgde training",
               "Welke training hebben medewerkers gevolgd, en wanneer?", M, TEAM, "N3"),
            _f("team.training_gepland", "Geplande training",
               "Welke training is gepland, voor wie en wanneer?", M, TEAM, "N3"),
            _f("team.opvang", "Opvang en nazorg in het team", ADD_ONLY, M, INH, "N8",
               policy_text="nazorg"),
            _f("team.sanctiebeleid", "Reactie en sancties", "Vastgesteld door de organisatie.", M,
               LCK, "N9", policy_text="sancties"),
        )),
        Section(number="5", title=CHAPTERS[5], chapter=5, fields=(
            _f("team.dilemmas", "Dilemma's die het team bespreekt",
               "Noem de dilemma's uit het werk die het team bespreekt.", M, TEAM, "L1", "L5",
               required=True),
            # L1 (dilemmas discussed in the team): how often; K3 is fed by team.emoties.
            _f("team.intervisie", "Hoe vaak het team intervisie houdt", "Kies een frequentie.", CH,
               TEAM, "L1", choices=FREQUENCIES,
               said=(("*", "Het team komt {keuze} bijeen voor intervisie."),),
               heading="Intervisie"),
            _f("team.opschalen", "Opschalen van belemmeringen", ADD_ONLY, M, INH, "L2",
               policy_text="opschalen"),
            # Among colleagues: evaluating incidents (L4) and learning from them (L5). Hoor en
            # wederhoor with the burger is the incident conversation below (L3).
            _f("team.incidentbespreking", "Nabespreken van incidenten in het team",
               "Beschrijf hoe het team incidenten met de betrokken collega's nabespreekt en wat "
               "het ervan leert.", M, TEAM, "L4", "L5"),
            # L3: the Werkwijzer's hoor en wederhoor is the incident conversation with the burger,
            # when the burger is aanspreekbaar and agreements about behaviour can be made.
            _f("team.incidentgesprek", "Het incidentgesprek met de burger",
               "Wie voert na een incident het gesprek met de burger, binnen hoeveel werkdagen, en "
               "hoe krijgt de burger de kans zijn kant te vertellen als hij aanspreekbaar is?", M,
               TEAM, "L3", "N9", required=True),
        )),
        Section(number="6", title=CHAPTERS[6], chapter=6, fields=(
            # Stap 1 and Stap 2 of the Werkwijzer: when, and with whom (the protocol says it).
            _f(Tag.STEP_ONE, "Datum van het gesprek met de coördinator (stap 1)",
               "Kies de datum waarop de leidinggevende met de coördinator agressie en geweld in "
               "kaart bracht wat al geregeld is en wat nog moet gebeuren.", D, TEAM,
               heading="Gesprek met de coördinator (stap 1)"),
            _f("team.inventarisatie_deelnemers", "Wie aan het gesprek van stap 1 deelnamen",
               "Namen en functies, bijvoorbeeld: Rob Smit (leidinggevende), Renske de Vries "
               "(coördinator agressie en geweld).", T, TEAM,
               heading="Deelnemers gesprek stap 1"),
            _f(Tag.TEAM_MEETING, "Datum van het teamoverleg (stap 2)",
               "Kies de datum waarop het team de afspraken heeft besproken.", D, TEAM, "B1",
               required=True,
               heading="Teamoverleg (stap 2)"),
            _f("team.teamoverleg_deelnemers", "Wie aan het teamoverleg van stap 2 deelnamen",
               "Bijvoorbeeld: het hele team (12 medewerkers) en de leidinggevende; of de namen.",
               T, TEAM,
               heading="Deelnemers teamoverleg stap 2"),
            # The Werkwijzer's evaluation (chapter 6, "Blijvende aandacht") of the version in
            # force, on record for each new version after an adopted one (adoption gate).
            _f(Tag.EVALUATION_DATE, "Datum van de evaluatie van de vorige versie",
               "Alleen bij een nieuwe versie na een vastgestelde versie: kies de datum waarop "
               "het team de vorige versie evalueerde.", D, TEAM, added_in="0.4",
               only_when_answered=True),
            _f(Tag.EVALUATION_PARTICIPANTS, "Wie aan de evaluatie deelnamen",
               "Bijvoorbeeld: het hele team en de leidinggevende, met de coördinator agressie "
               "en geweld.", T, TEAM, added_in="0.4",
               only_when_answered=True),
            _f(Tag.EVALUATION_COMPLIANCE, "Naleving van de afspraken en afwijkingen",
               "Zijn de afspraken uit het protocol nageleefd? Waar week het team af, waarom, en "
               "wat valt ervan te leren?", M, TEAM, added_in="0.4",
               only_when_answered=True),
            _f(Tag.EVALUATION_FIGURES, "Wat de GIR-cijfers laten zien",
               "Wat zegt de GIR-rapportage sinds de vorige versie: aantallen en soorten "
               "incidenten, waar en onder welke omstandigheden, en het effect van de "
               "maatregelen?", M, TEAM, added_in="0.4",
               only_when_answered=True),
            _f(Tag.EVALUATION_SATISFACTION, "Tevredenheid over de aanpak",
               "Zijn de medewerkers tevreden met het resultaat van de aanpak? Wat werkt goed, "
               "wat niet?", M, TEAM, added_in="0.4",
               only_when_answered=True),
            _f(Tag.EVALUATION_DEVELOPMENTS, "Ontwikkelingen en wat er verandert",
               "Welke ontwikkelingen komen eraan waarop het team moet anticiperen, en wat "
               "verandert daarom in deze versie?", M, TEAM, added_in="0.4",
               only_when_answered=True),
            _f("team.evaluatie_frequentie", "Hoe vaak het team de afspraken evalueert",
               "Kies een frequentie.", CH, TEAM, "B1", choices=FREQUENCIES,
               said=(("*", "Het team evalueert de afspraken {keuze}."),),
               heading="Evaluatie van de afspraken"),
            _f(Tag.NEXT_EVALUATION, "Volgende evaluatie", "Kies de datum.", D, TEAM, "B1",
               "N10", required=True),
            _f("team.incidentcijfers", "Incidentcijfers bij de evaluatie",
               "Beschrijf welke cijfers het team bij de evaluatie gebruikt.", M, TEAM, "B2"),
            _f("team.opvolging", "Wie de opvolging van verbeterpunten bewaakt",
               "Naam of functie.", T, TEAM, "B3", required=True,
               heading="Bewaking van de verbeterpunten"),
            _f("team.communicatie", "Communicatie over de evaluatie", ADD_ONLY, M, INH, "B4",
               policy_text="communicatie"),
        )),
        Section(number="7", title="Openstaande acties", chapter=None, fields=(
            _f(Tag.ACTIONS, "Openstaande acties",
               "Eén rij per actie: wat, bij welk checklistonderdeel, wie en wanneer.", R, TEAM,
               columns=(
                   Column(name="wat", label="Actie"),
                   Column(name="onderdeel", label="Onderdeel", type=FieldType.CHOICE,
                          choices=tuple(i.id for i in CHECKLIST),
                          shown=tuple(i.choice for i in CHECKLIST)),
                   Column(name="eigenaar", label="Eigenaar"),
                   Column(name="datum", label="Uiterlijk", type=FieldType.DATE),
               )),
        )),
    ),
)

_BALIE_FORM = FormSpec(
    kind="balie",
    title="Bijlage balie en spreekkamer",
    intro="Vul deze bijlage in voor alle locaties waar het team burgers aan de balie of in een "
          "spreekkamer ontvangt.",
    sections=(
        Section(number="3", title=CHAPTERS[3], chapter=3, fields=(
            _f("balie.locaties", "Locaties", "Eén rij per locatie.", R, TEAM, "O1", required=True,
               columns=(Column(name="naam", label="Locatie"), Column(name="adres", label="Adres"),
                        Column(name="openingstijden", label="Openingstijden"))),
            _f("balie.huisregels_aanvulling", "Aanvullende huisregels voor deze locaties",
               "Alleen invullen als een locatie eigen huisregels heeft.", M, EXT, "O1",
               policy_text="huisregels"),
            _yes_no("balie.huisregels_zichtbaar", "De huisregels hangen zichtbaar op elke locatie",
                    "Kies ja, nee, deels of weet ik niet.", "O4", policy_claim="O4",
                    no="De huisregels hangen nog niet op elke locatie zichtbaar."),
            _f("balie.huisregels_bekend", "Hoe burgers de huisregels te zien krijgen",
               "Bijvoorbeeld bij de ingang, op de website, in de uitnodiging.", M, TEAM, "O3",
               heading="Bekendmaking van de huisregels"),
            _f("balie.ordebewaking", "Wie de orde bewaakt en hoe",
               "Gastheer of gastvrouw, beveiliging, boa: wie doet wat?", M, TEAM, "O5",
               required=True,
               heading="Ordebewaking aan de balie"),
            # The register of building bans (policy, chapter 3) only works when someone looks
            # in it: keeping order, how and by whom (O5), and the measure reaching the offender
            # it was imposed on (N9). Added after forms went out (0.4): older forms still read.
            _f("balie.toegangsverbod", "Wie het register van toegangsverboden raadpleegt, en "
               "wanneer",
               "Wie kijkt in het register bij het maken van een afspraak en als een bezoeker "
               "zich aan de balie meldt? Wat doet de medewerker als de bezoeker een "
               "toegangsverbod heeft?", M, TEAM, "O5", "N9", added_in="0.4",
               heading="Controle op toegangsverboden"),
        )),
        Section(number="4", title=CHAPTERS[4], chapter=4, fields=(
            _f("balie.bezetting", "Minimale bezetting en risicomomenten",
               "Bijvoorbeeld nooit alleen aan de balie, slechtnieuwsgesprekken met twee.", M, TEAM,
               "N5"),
            _f("balie.spreekkamer", "Inrichting van de spreekkamers",
               "Twee uitgangen, geen losse voorwerpen, zicht van buitenaf.", M, TEAM, "N6"),
            # Escape routes and compartments: the Werkwijzer's structural provisions (N6,
            # "werkplekinrichting, camerabewaking, compartimentering"). Added in 0.4.
            _f("balie.vluchtwegen", "Vluchtwegen voor medewerkers",
               "Langs welke weg komt een medewerker aan de balie of in de spreekkamer snel in "
               "veiligheid, zonder langs de bezoeker te gaan? Waar komt die weg uit, en wie "
               "zorgt dat hij vrij blijft?", M, TEAM, "N6", added_in="0.4",
               heading="Vluchtwegen"),
            _f("balie.compartimentering", "Hoe de kantoorruimte is afgesloten voor bezoekers",
               "Kunnen bezoekers alleen in de publieksruimte komen (compartimentering)? "
               "Beschrijf hoe de kantoorruimte is afgesloten, bijvoorbeeld met een deur die "
               "alleen met een pas opengaat, en wie bezoekers ophaalt en terugbrengt.", M, TEAM,
               "N6", added_in="0.4",
               heading="Scheiding van publieks- en kantoorruimte"),
            _yes_no("balie.camera", "Er hangen camera's bij de balie en de ingang",
                    "Kies ja, nee, deels of weet ik niet.", "N6",
                    no="Er hangen geen camera's bij de balie en de ingang."),
            _yes_no(Tag.ALARM_BUTTON, "Elke balie en spreekkamer heeft een alarmknop",
                    "Kies ja, nee, deels of weet ik niet.", "N7", policy_claim="N7",
                    no="Nog niet elke balie en spreekkamer heeft een alarmknop."),
            _f("balie.alarmopvolging", "Wie op een alarm afkomt en hoe snel",
               "Beschrijf wie reageert en binnen hoeveel tijd.", M, TEAM, "N7", required=True,
               heading="Alarmopvolging"),
            _f("balie.alarmtest", "Hoe vaak het alarm wordt getest", "Kies een frequentie.", CH,
               TEAM, "N7", choices=FREQUENCIES,
               said=(("*", "Het alarm wordt {keuze} getest."),),
               heading="Test van het alarm"),
        )),
    ),
)

_HUISBEZOEK_FORM = FormSpec(
    kind="huisbezoek",
    title="Bijlage huis- en bedrijfsbezoek",
    intro="Vul deze bijlage in als medewerkers van het team op huis- of bedrijfsbezoek gaan of in "
          "de openbare ruimte werken.",
    sections=(
        Section(number="3", title=CHAPTERS[3], chapter=3, fields=(
            # The kinds of visits (voluntary, involuntary) are where the risks lie: N1.
            _f(Tag.VISIT_KINDS, "Soorten bezoeken",
               "Vrijwillig op afspraak (keukentafelgesprek) of onvrijwillig (controle, "
               "handhaving).",
               M, TEAM, "N1", required=True),
            _yes_no("huisbezoek.onvrijwillig", "Het team legt ook onvrijwillige bezoeken af",
                    "Kies ja, nee, deels of weet ik niet.",
                    no="Het team legt geen onvrijwillige bezoeken af."),
            _f("huisbezoek.voorwaarden", "Aanvullende voorwaarden voor de burger",
               "De voorwaarden van de organisatie gelden altijd; vul hier eventuele "
               "aanvullingen in.",
               M, EXT, "O2", policy_text="huisbezoek.voorwaarden"),
            # O2 asks for agreements made *with the burger*: how the conditions reach them.
            _f("huisbezoek.voorwaarden_bekend", "Hoe de burger de voorwaarden vooraf krijgt",
               "Bijvoorbeeld in de uitnodiging of de afspraakbevestiging, of aan de telefoon "
               "bij het maken van de afspraak.", M, TEAM, "O2", required=True,
               heading="De voorwaarden vooraf bekendmaken"),
            _f("huisbezoek.niet_nageleefd", "Als de voorwaarden niet worden nageleefd", ADD_ONLY,
               M, INH, "O2", policy_text="huisbezoek.niet_nageleefd"),
        )),
        Section(number="4", title=CHAPTERS[4], chapter=4, fields=(
            _f("huisbezoek.risico", "Risico-inschatting vooraf",
               "Wie schat het risico in, en wanneer volgt een dreigingsanalyse?", M, TEAM, "N5",
               required=True),
            _f("huisbezoek.duo", "Wanneer medewerkers met z'n tweeën gaan",
               "Beschrijf in welke gevallen een bezoek in duo plaatsvindt.", M, TEAM, "N5",
               heading="Bezoeken met z'n tweeën"),
            _f("huisbezoek.registratie", "Registratie van waar medewerkers zijn",
               "In- en uitchecken, buddy, na hoeveel tijd een collega alarm slaat.", M, TEAM, "N7",
               required=True),
            # Alarm follow-up outside the office: who is the backup, and how to reach them.
            _f(Tag.VISIT_BACKUP, "Achterwacht bij bezoeken en buitenwerk",
               "Naam of functie en telefoonnummer van wie tijdens bezoeken bereikbaar is en "
               "hulp stuurt.", T, TEAM, "N7"),
            _yes_no(Tag.PERSONAL_ALARM, "Medewerkers hebben een persoonsalarm of alarmapp",
                    "Kies ja, nee, deels of weet ik niet.", "N7", policy_claim="N7",
                    no="Medewerkers hebben nog geen persoonsalarm of alarmapp."),
            # A debrief among colleagues: first aftercare (N8) and learning (L5), not L3.
            _f("huisbezoek.nabespreking", "Nabespreken van bezoeken",
               "Beschrijf hoe lastige bezoeken worden nabesproken.", M, TEAM, "N8", "L5"),
        )),
    ),
)

_DIGITAAL_FORM = FormSpec(
    kind="digitaal",
    title="Bijlage telefoon, e-mail, post en sociale media",
    intro="Vul deze bijlage in als het team burgers telefonisch, per e-mail, chat of post of via "
          "sociale media te woord staat.",
    sections=(
        Section(number="3", title=CHAPTERS[3], chapter=3, fields=(
            # The channels say where the protocol applies; they arrange no checklist item.
            _f("digitaal.kanalen", "Kanalen van het team",
               "Noem de kanalen: telefoon, e-mail, chat, post, sociale media.", M, TEAM,
               required=True),
            # An organisational measure (N5), not a structural or technical provision (N6).
            _f("digitaal.identiteit", "Bescherming van de identiteit van medewerkers",
               "Bijvoorbeeld alleen de voornaam noemen, geen direct nummer.", M, TEAM, "N5"),
        )),
        Section(number="4", title=CHAPTERS[4], chapter=4, fields=(
            _f(Tag.AGGRESSIVE_CALLER, "Agressieve beller: waarschuwen en het gesprek beëindigen",
               ADD_ONLY, M, INH, "N4",
               policy_text="digitaal.telefoon"),
            _f("digitaal.bewijs", "Dreigende berichten bewaren en melden", ADD_ONLY, M, INH, "N2",
               policy_text="digitaal.bewijs"),
            _f("digitaal.sociale_media", "Sociale media en het online delen van persoonsgegevens",
               "Wie volgt berichten over medewerkers, en wie grijpt in als persoonsgegevens van "
               "een medewerker online worden verspreid (doxing)?", M, TEAM, "N5",
               required=True),
            _f("digitaal.sancties", "Sancties bij digitale agressie",
               "Vastgesteld door de organisatie.", M, LCK, "N9", policy_text="sancties"),
        )),
    ),
)

_BIJEENKOMSTEN_FORM = FormSpec(
    kind="bijeenkomsten",
    title="Bijlage publieksbijeenkomsten",
    intro="Vul deze bijlage in als het team bijeenkomsten voor publiek organiseert, zoals "
          "inspraakavonden en informatieavonden.",
    sections=(
        Section(number="3", title=CHAPTERS[3], chapter=3, fields=(
            # Which meetings, and how often, is where the risks lie (N1), not keeping order.
            _f("bijeenkomsten.soorten", "Soorten bijeenkomsten en hoe vaak",
               "Bijvoorbeeld inspraakavonden, wijkbijeenkomsten.", M, TEAM, required=True),
            _f("bijeenkomsten.beveiliging", "Gastheer, beveiliging en contact met de politie",
               "Wie is aanwezig en wie houdt contact met de politie?", M, TEAM, "O5"),
            _f("bijeenkomsten.mandaat", "Mandaat van de voorzitter",
               "Aanvullingen op het mandaat van de voorzitter om te onderbreken of te beëindigen.",
               M, EXT, "O5", policy_text="bijeenkomsten.mandaat"),
            # Naming the rules at the opening makes them known (O3); it is not posting them (O4).
            _yes_no("bijeenkomsten.huisregels", "De huisregels worden bij de opening genoemd",
                    "Kies ja, nee, deels of weet ik niet.", "O3",
                    no="De huisregels worden bij de opening nog niet genoemd."),
        )),
        Section(number="4", title=CHAPTERS[4], chapter=4, fields=(
            _f("bijeenkomsten.risico", "Risico-inschatting per bijeenkomst",
               "Hoe schat het team het risico in, bijvoorbeeld bij gevoelige onderwerpen?", M, TEAM,
               "N1", "N5", required=True),
            _f("bijeenkomsten.zaal", "Zaal, uitgangen en ontruiming",
               "Beschrijf de inrichting van de zaal en de vluchtwegen.", M, TEAM, "N6"),
            _f(Tag.MEETING_ALARM, "Communicatie en alarmering tijdens de bijeenkomst",
               "Hoe waarschuwen medewerkers elkaar en de beveiliging?", M, TEAM, "N7"),
            _f("bijeenkomsten.nazorg", "Nazorg na de bijeenkomst", ADD_ONLY, M, INH, "N8",
               policy_text="nazorg"),
        )),
    ),
)

# Why each checklist item is fed by the sources it is, reviewed against chapter 7 of the
# Werkwijzer (seed 004). "policy" is the organisation's own answer in the policy file; the
# tags are the form fields that name the item in their `checklist`. A test keeps this table
# and the fields in step.
MAPPING_REASONS: dict[str, str] = {
    "V1": "policy only: the vision is the organisation's.",
    "V2": "policy (communicated, chain partners) + team.visie_team (how the team carries it) + "
          "team.derden (temps, volunteers and partners working with the team know it).",
    "K1": "policy only: service quality and hosting are organisation policy.",
    "K2": "policy (codes for staff and managers) + team.gedragsregels_team (extend).",
    "K3": "policy (training offer) + team.emoties: emotions in intervision and training; the "
          "intervision frequency is about dilemmas (L1), not emotions.",
    "K4": "team.competenties only: work division is the team lead's.",
    "O1": "policy (rules for all locations) + balie.locaties and balie.huisregels_aanvulling "
          "for a counter team's own locations.",
    "O2": "huisbezoek.voorwaarden (extend) + huisbezoek.voorwaarden_bekend (how the burger gets "
          "them: an agreement *with* the burger) + huisbezoek.niet_nageleefd; n.v.t. without "
          "home visits. The kinds of visits are risks (N1), not conditions.",
    "O3": "policy (website, entrance) + balie.huisregels_bekend + bijeenkomsten.huisregels "
          "(named at the opening makes them known); the channels list is not O3.",
    "O4": "policy (posted at every location) + balie.huisregels_zichtbaar + "
          "team.huisregels_locatie for a team's own place; never n.v.t.: the policy covers "
          "every location.",
    "O5": "policy + team.orde (every employee keeps order, every team says who and how) + "
          "balie.ordebewaking + balie.toegangsverbod (who checks the register of building bans "
          "before an appointment and at the desk: the Werkwijzer puts the toegangsverbod under "
          "keeping order) + bijeenkomsten.beveiliging and .mandaat; never n.v.t.",
    "N1": "policy (RI&E) + team.risicos + huisbezoek.soorten (involuntary visits are a risk "
          "the Werkwijzer names) + bijeenkomsten.risico: where the team's risks lie. Not "
          "bijeenkomsten.soorten: which meetings a team holds is no risk inventory.",
    "N2": "policy (procedure) + team.melden and digitaal.bewijs (inherit).",
    "N3": "policy (training offer) + team.training_gevolgd + team.training_gepland.",
    "N4": "policy (the protocol) + the locked norm + team.norm_voorbeelden + digitaal.telefoon.",
    "N5": "policy + balie.bezetting, huisbezoek.risico and .duo, bijeenkomsten.risico, and "
          "digitaal.identiteit and .sociale_media (shielding staff's identity and watching for "
          "doxing are organisational measures, not technical ones).",
    "N6": "policy + balie.spreekkamer, balie.camera, balie.vluchtwegen, "
          "balie.compartimentering, bijeenkomsten.zaal: the building and its technique; escape "
          "routes and the public area shut off from the offices are the Werkwijzer's "
          "werkplekinrichting and compartimentering.",
    "N7": "policy + balie.alarmknop, .alarmopvolging, .alarmtest, huisbezoek.registratie, "
          ".achterwacht and "
          ".persoonsalarm, bijeenkomsten.alarm.",
    "N8": "policy (regulation) + team.nazorg_contact and team.opvang (inherit) + "
          "huisbezoek.nabespreking (first aftercare) + bijeenkomsten.nazorg.",
    "N9": "policy + the locked sanctions + team.incidentgesprek: the Werkwijzer's dadergerichte "
          "aanpak starts by addressing the offender on his behaviour (the sanction ladder's "
          "first step); + balie.toegangsverbod: the ladder's last step reaches the offender "
          "only when the counter checks the register; watching social media for doxing is a "
          "measure (N5), not an approach to the offender.",
    "N10": "policy (evaluated periodically) + team.volgende_evaluatie (a date ahead).",
    "L1": "team.dilemmas + team.intervisie (how often dilemmas are discussed).",
    "L2": "policy (consultation structure) + team.opschalen (inherit).",
    "L3": "team.incidentgesprek: hoor en wederhoor is the conversation with the burger after "
          "an incident, when the burger is aanspreekbaar; debriefs among colleagues are L4/L5. "
          "The same conversation is the first step of the dadergerichte aanpak (N9).",
    "L4": "policy (incident analysis) + team.incidentbespreking.",
    "L5": "team.dilemmas + team.incidentbespreking + huisbezoek.nabespreking: learning "
          "central when dilemmas and incidents are discussed.",
    "B1": "policy (evaluation cycle) + team.teamoverleg (held) + team.evaluatie_frequentie + "
          "team.volgende_evaluatie (ahead).",
    "B2": "policy (incident reports) + team.incidentcijfers.",
    "B3": "policy (improvement plan) + team.opvolging.",
    "B4": "policy + team.communicatie (inherit).",
}

FORMS: dict[str, FormSpec] = {
    f.kind: f
    for f in (_TEAM_FORM, _BALIE_FORM, _HUISBEZOEK_FORM, _DIGITAAL_FORM, _BIJEENKOMSTEN_FORM)
}
FIELDS_BY_TAG: dict[str, Field] = {f.tag: f for spec in FORMS.values() for f in spec.fields}
# The answer that says a team has the alarm means of a contact type: the aggression protocol
# tells the team to use it only then (digital contacts have none of their own).
ALARM_FIELDS: dict[str, str] = {"balie": Tag.ALARM_BUTTON,
                                "huisbezoek": Tag.PERSONAL_ALARM,
                                "bijeenkomsten": Tag.MEETING_ALARM}


def catalogue_json() -> dict:
    """The catalogue as plain data, for `teamprotocol catalogue --json`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "checklist": [{"id": i.id, "chapter": i.chapter, "text": i.text} for i in CHECKLIST],
        "policy_checklist": list(POLICY_CHECKLIST),
        "forms": [
            {
                "kind": spec.kind,
                "title": spec.title,
                "fields": [
                    {
                        "tag": f.tag,
                        "label": f.label,
                        "type": f.type.value,
                        "choices": list(f.choices),
                        "columns": [c.model_dump(mode="json") for c in f.columns],
                        "required": f.required,
                        "merge": f.merge.value,
                        "checklist": list(f.checklist),
                    }
                    for f in spec.fields
                ],
            }
            for spec in FORMS.values()
        ],
    }


# --- schema migration (`teamprotocol forms --from`) ------------------------------------------
# Last cycle's forms may be of an older schema. Each step below says how the forms of schema
# `source` map onto schema `target`; `forms --from` applies the steps in turn until the form
# is of SCHEMA_VERSION, then reads it with the normal reader. A step per schema change, each
# with a test (tests/forms/test_forms_prefill.py shows how, with a synthetic older form).


class Migration(BaseModel):
    """How forms of schema `source` become forms of schema `target` (the next version)."""

    model_config = ConfigDict(frozen=True)
    source: str
    target: str
    # Old tag -> new tag. A rows field's cell controls (`<field>.<column>`) follow their field.
    renamed: dict[str, str] = {}
    # Old tag -> new tags: the old answer becomes the first answer of each (the team lead
    # then divides it; nothing is lost).
    split: dict[str, tuple[str, ...]] = {}
    # Tag (after renaming) of a checkbox that became a drop-down -> the choice a ticked box
    # becomes. An unticked box becomes no answer: "not ticked" is not "no" (domain.md).
    checkbox_to_choice: dict[str, str] = {}
    # Old tags whose question is gone; their answers are not carried over.
    dropped: tuple[str, ...] = ()


# Keyed by source version. The current schema needs no step: its forms are read as they are.
SCHEMA_MIGRATIONS: dict[str, Migration] = {
    # 2: the yes/no checkboxes became drop-downs with an unanswered state; new questions
    # (team.derden, team.orde, team.huisregels_locatie, team.incidentgesprek,
    # huisbezoek.voorwaarden_bekend) start empty. A ticked box is "ja"; an unticked one is
    # no answer, never "nee".
    "1": Migration(source="1", target="2", checkbox_to_choice={
        "balie.huisregels_zichtbaar": "ja", "balie.camera": "ja", "balie.alarmknop": "ja",
        "huisbezoek.onvrijwillig": "ja", "huisbezoek.persoonsalarm": "ja",
        "bijeenkomsten.huisregels": "ja"}),
}


def migration_path(version: str,
                   migrations: dict[str, Migration] | None = None) -> list[Migration] | None:
    """The steps that bring a form of schema `version` to SCHEMA_VERSION; None if unknown."""
    table = SCHEMA_MIGRATIONS if migrations is None else migrations
    steps: list[Migration] = []
    while version != SCHEMA_VERSION:
        step = table.get(version)
        if step is None or len(steps) > len(table):
            return None
        steps.append(step)
        version = step.target
    return steps
