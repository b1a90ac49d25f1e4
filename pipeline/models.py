"""Typed values that flow between the stages: forms read → merge → assess → render."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.catalogue import Merge, ProtocolStatus
from pipeline.errors import Problem

# A field's answer: text/multiline/choice as str (None when empty), checkbox as bool, date as
# datetime.date (None when empty), rows as a list of {column: str | date | None}.
Cell = str | dt.date | None  # one value in a row of a table field
Answer = str | bool | dt.date | list[dict[str, Cell]] | None


class FormData(BaseModel):
    """What was read from one filled form (`<team_id>/<kind>.docx`)."""

    path: str
    kind: str
    team_id: str
    schema_version: str
    fields: dict[str, Answer]
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    application: str | None = None  # the program that saved the form last (docProps/app.xml)
    # The team id it had before it was renamed (the form's custom property, written by
    # `forms` from the teams CSV's `vorige_team_id`); "" when it was not renamed.
    previous_team_id: str = ""


class Decision(StrEnum):
    """The coordinator's decision on an answer that is *te beoordelen*."""

    ACCEPTED = "akkoord"
    REJECTED = "niet akkoord"


class Review(BaseModel):
    """The coordinator's review of one exact answer (`answers.answer_key`): recorded in the
    review workbook, applied by the answer rule, kept with every adopted version."""

    model_config = ConfigDict(frozen=True)
    team_id: str
    form: str
    tag: str
    key: str
    decision: Decision
    note: str = ""
    by: str = ""
    on: dt.date | None = None


class TeamForms(BaseModel):
    """All forms of one team, by kind (`team`, `balie`, ...), and the coordinator's reviews of
    its answers, by answer key."""

    team_id: str
    forms: dict[str, FormData]
    reviews: dict[str, Review] = Field(default_factory=dict)


class Origin(StrEnum):
    ORGANISATION = "organisatie"
    TEAM = "team"


class Source(BaseModel):
    """Where a block of protocol text came from: the organisation, or a team form field."""

    origin: Origin
    form: str | None = None  # form kind, for team answers
    tag: str | None = None
    label: str | None = None
    merge: Merge | None = None


class Block(BaseModel):
    """A titled piece of protocol text with its source."""

    title: str | None = None
    paragraphs: list[str] = Field(default_factory=list)
    bullets: list[str] = Field(default_factory=list)
    # Simple table: first row is the header.
    table: list[list[str]] = Field(default_factory=list)
    source: Source
    # The team has not (or not usefully) answered this: the block marks a gap, with the item
    # ids whose actions in chapter 7 say who closes it.
    gap: bool = False
    items: list[str] = Field(default_factory=list)
    # The visible marker of that gap ("Nog in te vullen door het team; zie actie K4 …"),
    # shown in a box of its own, never as a sentence of the text.
    gap_note: str = ""
    # The question the team left without any answer (its label): the render lists a run of
    # such blocks in one box instead of a stack of identical boxes.
    unanswered: str = ""
    # The bullets are steps in order: a numbered list in Word, kept together on one page.
    numbered: bool = False
    # A table with a layout of its own in the template (column widths sized to the content);
    # "" is a plain table whose columns share the width.
    layout: Literal["", "contacts", "behaviour"] = ""


class ChapterContent(BaseModel):
    """One Werkwijzer chapter: the organisation frame, then the team's agreements."""

    number: int
    title: str
    organisation: list[Block]
    team: list[Block]


class Appendix(BaseModel):
    """One appendix per contact type the team has."""

    kind: str
    title: str
    blocks: list[Block]


class Status(StrEnum):
    GEREGELD = "geregeld"
    # An answer the program cannot judge waits for the coordinator: not arranged until then.
    TE_BEOORDELEN = "te beoordelen"
    DEELS = "deels"
    ONTBREEKT = "ontbreekt"
    NVT = "n.v.t."


OPEN = (Status.TE_BEOORDELEN, Status.DEELS, Status.ONTBREEKT)  # an item that still needs work


class ActionOrigin(StrEnum):
    """Whose action closes a gap: the team's, the organisation's, or nobody's yet (`open`)."""

    TEAM = "team"
    ORGANISATION = "organisatie"
    OPEN = "open"


class Action(BaseModel):
    """Who does what by when to close a gap."""

    item: str | None = None
    what: str
    owner: str | None = None
    due: dt.date | None = None
    origin: ActionOrigin
    overdue: bool = False  # the due date lies before the build date: *verlopen*


class MissingPart(BaseModel):
    """One part of a checklist item that is not arranged: whose part it is, where it is
    missing, and why (`answers.missing_text` says it in one Dutch line)."""

    model_config = ConfigDict(frozen=True)

    party: Literal["team", "organisatie"]  # who has to arrange it
    form: str | None = None  # the form kind it is missing from; None: no form
    question: str | None = None  # the question's label on that form; None: the whole form
    reason: str  # Dutch: "niet ingevuld", "‘n.v.t.’ regelt niets", "ontbreekt", ...
    empty: bool = False  # the question was left empty (the reason says only that)


def _part_of_line(line: str) -> MissingPart:
    organisation = "organisatie: "
    if line.startswith(organisation):
        return MissingPart(party="organisatie", reason=line.removeprefix(organisation))
    return MissingPart(party="team", reason=line)


class ItemAssessment(BaseModel):
    """One checklist item's status, the sources it relied on and the action for a gap."""

    id: str
    chapter: int
    text: str
    status: Status
    sources: list[Source]
    # What is not arranged yet, part by part; empty for an item that is geregeld or n.v.t.
    missing: list[MissingPart] = Field(default_factory=list)
    action: Action | None = None
    # The sources that do arrange their part (the rest are in `missing`): the annex names
    # them in a short reference, not as a list of every field.
    given: list[Source] = Field(default_factory=list)
    # Statements that contradict the policy (the policy says every counter has an alarm
    # button; the team answered nee): the annex marks the row so that someone looks.
    conflicts: list[str] = Field(default_factory=list)
    # The coordinator's reviews that settled an answer of this item (akkoord or niet akkoord).
    reviews: list[Review] = Field(default_factory=list)

    @field_validator("missing", mode="before")
    @classmethod
    def _archived_lines(cls, value: object) -> object:
        """A protocol archived before version 0.3.1 holds each missing part as one Dutch line
        (`organisatie: …` for the organisation's part): read it as a part with that reason,
        so the Versiebeheer and the tracked changes still read every adopted version."""
        if not isinstance(value, list):
            return value
        return [_part_of_line(v) if isinstance(v, str) else v for v in value]

    @property
    def open_for_team(self) -> bool:
        """The team still has to arrange a part of this item."""
        return self.status in OPEN and any(m.party == "team" for m in self.missing)

    @property
    def open_for_organisation(self) -> bool:
        """The organisation still has to arrange a part of this item (in its policy)."""
        return self.status in OPEN and any(m.party == "organisatie" for m in self.missing)


class ChapterScore(BaseModel):
    chapter: int
    title: str
    counts: dict[Status, int]

    @property
    def applicable(self) -> int:
        return sum(n for s, n in self.counts.items() if s is not Status.NVT)

    def line(self) -> str:
        """One Dutch score line, e.g. `4 van 5 geregeld, 1 deels`."""
        return score_line(self.counts)


def score_line(counts: dict[Status, int]) -> str:
    """Items counted by status as one Dutch line, e.g. `4 van 5 geregeld, 1 deels`."""
    applicable = sum(n for s, n in counts.items() if s is not Status.NVT)
    text = f"{counts.get(Status.GEREGELD, 0)} van {applicable} geregeld"
    for s in (Status.TE_BEOORDELEN, Status.DEELS, Status.ONTBREEKT, Status.NVT):
        if counts.get(s):
            text += f", {counts[s]} {s.value}"
    return text


class TopicAssessment(BaseModel):
    """One of the labour inspectorate's 11 topics and the combined status of its items."""

    title: str
    items: list[str]
    status: Status


class ReviewItem(BaseModel):
    """One answer the program could not judge (*te beoordelen*): what the coordinator sees in
    the review workbook, and the decision on it, if any."""

    form: str
    tag: str
    question: str
    text: str
    reason: str
    key: str
    review: Review | None = None


class Annex(BaseModel):
    """The completeness annex (the Werkwijzer's chapter 7)."""

    items: list[ItemAssessment]
    chapters: list[ChapterScore]
    topics: list[TopicAssessment]
    actions: list[Action]
    # Every answer that was te beoordelen, with the coordinator's decision: kept with each
    # adopted version (protocol.json, MDTO record).
    reviews: list[ReviewItem] = Field(default_factory=list)

    @property
    def pending_reviews(self) -> list[ReviewItem]:
        return [r for r in self.reviews if r.review is None]


class VersionEntry(BaseModel):
    version: str
    date: dt.date | None
    status: str
    note: str


class ProtocolMeta(BaseModel):
    """Title-page facts of one team protocol."""

    organisation: str
    team_id: str
    team: str
    department: str
    team_lead: str
    staff: str | None = None
    version: str
    status: ProtocolStatus
    adopted_by: str | None = None
    adopted_on: dt.date | None = None
    team_meeting: dt.date | None = None
    next_evaluation: dt.date | None = None
    contact_kinds: list[str]
    history: list[VersionEntry] = Field(default_factory=list)
    # The team id before a rename (`FormData.previous_team_id`): the Versiebeheer, the change
    # document and "Vervangt" continue the archived versions of that id. "" when not renamed.
    previous_team_id: str = ""


class CardLevel(BaseModel):
    """One level of aggression on the alarm card (verbal, threat, violence) and its steps."""

    title: str
    steps: list[str]


class CardSection(BaseModel):
    """One contact type on the alarm card: per level what the employee does."""

    title: str
    levels: list[CardLevel] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _steps_of_0_3(cls, data: Any) -> Any:
        """A card archived by 0.3 had one list of steps per contact type, no levels: read it
        as one untitled level, so an archived version still renders (change document)."""
        if isinstance(data, dict) and "levels" not in data and "steps" in data:
            data = {**data, "levels": [{"title": "", "steps": data["steps"]}]}
        return data


class CardNumber(BaseModel):
    """A number on the alarm card; `missing` names the question whose answer would fill it,
    and `value` is then the visible mark instead of a number."""

    label: str
    value: str
    missing: str = ""


class IncidentCard(BaseModel):
    """The alarm card, page 2 of the protocol and a document of its own (one A4 page): the
    alarm numbers, per contact type three levels of steps, the bystander's step, melden,
    aangifte and nazorg in one line each, then the other numbers."""

    heading: str
    alarm: list[CardNumber] = Field(default_factory=list)
    sections: list[CardSection]
    bystander: str = ""
    code_word: str = ""  # the phrase that asks a colleague for help unnoticed
    report: list[str]  # melden, aangifte, nazorg: one line each
    numbers: list[CardNumber]
    # What the fit rule moved off the card, as one line pointing to the protocol.
    more: str = ""


class MergedProtocol(BaseModel):
    """One team's protocol as merge assembles it: everything but the annex."""

    meta: ProtocolMeta
    chapters: list[ChapterContent]
    appendices: list[Appendix]
    card: IncidentCard | None = None


class Protocol(MergedProtocol):
    """One team's complete protocol: the merged text with its annex (assess)."""

    annex: Annex


class TeamIdentity(BaseModel):
    """A team as listed in the teams CSV; pre-filled on its forms."""

    model_config = ConfigDict(extra="forbid")

    team_id: str
    team: str
    department: str
    team_lead: str
    contact_kinds: tuple[str, ...]  # contact-type form kinds, e.g. ("balie", "digitaal")
    # The team id it had last round (the teams CSV's `vorige_team_id`): `forms --from` takes
    # its answers from that folder. "" when it was not renamed.
    previous_team_id: str = ""


class BuildStatus(StrEnum):
    """What the batch did with one team (the value is the Dutch word the overview shows)."""

    BUILT = "gebouwd"
    UNCHANGED = "ongewijzigd"
    FAILED = "mislukt"


class TeamResult(BaseModel):
    """What the batch did for one team: built, skipped (unchanged) or failed, and why."""

    team_id: str
    team: str | None = None
    status: BuildStatus
    protocol: Protocol | None = None
    problems: list[Problem] = Field(default_factory=list)  # errors when failed
    warnings: list[Problem] = Field(default_factory=list)
    outputs: dict[str, str] = Field(default_factory=dict)  # "docx"/"pdf"/"archief" -> path
