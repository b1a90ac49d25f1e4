"""The organisation policy: the frame every team protocol inherits (pydantic model and loader)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.catalogue import CHECKLIST_BY_ID, FIELDS_BY_TAG, POLICY_CHECKLIST


class _Strict(BaseModel):
    # Unknown keys are errors: a typo in a policy file must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Branding(_Strict):
    """Organisation name, logo, house colour and font, applied to every protocol."""

    organisation: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    logo: str | None = None  # path relative to the policy file; None -> name only
    colour: str = Field(default="#1F4E79", pattern=r"^#[0-9A-Fa-f]{6}$")
    font: str = "Carlito"


class Contact(_Strict):
    """A named contact person of the organisation."""

    name: str
    role: str
    phone: str | None = None
    email: str | None = None

    def line(self) -> str:
        return ", ".join(p for p in (self.name, self.role, self.phone, self.email) if p)


class Contacts(_Strict):
    coordinator: Contact
    vertrouwenspersoon: Contact
    nazorg: Contact


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
        if not self.arranged and not self.action:
            raise ValueError("bij arranged: false hoort een action (wat, owner, due)")
        return self


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
        return self

    def text(self, key: str) -> str:
        """The organisation text behind a catalogue `policy_text` key."""
        if key.startswith("contact."):
            return getattr(self.contacts, key.removeprefix("contact.")).line()
        return self.texts[key]


