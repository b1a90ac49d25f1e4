"""The overview's record of every team, kept beside the manifest: what an unchanged rebuild
reads instead of every team's `protocol.json`.

Measured (issue 26, 200 teams): an unchanged rebuild spent 1.17 s reading 200
`protocol.json` files of ~96 kB, of which the overview and the agenda read only the title
facts, each checklist item's status and whose part is open, and the actions (~5 % of it). A
record holds a protocol with just those parts (`overview_protocol`); all records are one
file, `.teamprotocol-overzicht.json`, read once per run. A record is used only when the
`protocol.json` it was made from is the one the manifest holds (same SHA-256, which the
up-to-date check has just re-hashed); otherwise the team's `protocol.json` is read as before.
The file also remembers which overview it last wrote, so an unchanged rebuild rewrites
neither `overzicht.html` nor `overzicht.xlsx`.

`tests/batch/test_batch_records.py` holds the overview and agenda made from records equal to
those made from the full protocols: a stage that starts reading more of a protocol fails it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pydantic import BaseModel, Field, PrivateAttr, ValidationError

from pipeline.catalogue import ProtocolStatus
from pipeline.files import atomic_write_bytes
from pipeline.models import Annex, ItemAssessment, MissingPart, Protocol, TeamResult

RECORDS_NAME = ".teamprotocol-overzicht.json"
# Raised whenever what a record keeps changes, so records of an older program are not used.
RECORDS_VERSION = 5
# What agenda.ics is made of besides the protocols: raised with a change to `pipeline.agenda`
# that gives other bytes from the same protocols, so the file is written again.
AGENDA_FORMAT = 1


class TeamRecord(BaseModel):
    """One team's overview record and the SHA-256 of the `protocol.json` it was made from.

    The overview's protocol is kept as JSON text, read when first asked for (`protocol`):
    at 2,000 teams reading all of them took ~1.5 of an unchanged rebuild's ~4 CPU-s (issue
    26), and a rebuild whose overview is the last one needs only `brief`: the title facts
    and the answers te beoordelen (the review workbook and the pending count read them)."""

    json_hash: str
    brief: Protocol
    full: str

    _protocol: Protocol | None = PrivateAttr(default=None)

    @classmethod
    def of(cls, json_hash: str, protocol: Protocol) -> TeamRecord:
        """The record of an overview protocol (`overview_protocol`)."""
        return cls(json_hash=json_hash, brief=brief_protocol(protocol),
                   full=protocol.model_dump_json())

    @property
    def protocol(self) -> Protocol:
        """The overview's protocol (`overview_protocol`), read once."""
        if self._protocol is None:
            self._protocol = Protocol.model_validate_json(self.full)
        return self._protocol


class FailedRecord(BaseModel):
    """A team that failed on a verdict about its inputs, and the key of those inputs
    (`failures.py`): reported again while the key is the same, not rebuilt."""

    key: str
    result: TeamResult


class Records(BaseModel):
    """Every team's record, the failures reported again, and the overview files last
    written (name -> SHA-256) with the key of what they showed."""

    version: int = RECORDS_VERSION
    teams: dict[str, TeamRecord] = Field(default_factory=dict)
    failed: dict[str, FailedRecord] = Field(default_factory=dict)
    overview_key: str = ""
    overview_files: dict[str, str] = Field(default_factory=dict)
    # What the last overview and agenda were made of when every team had a record then
    # (`run._unchanged_key`): the same key again means the same files, not made again.
    inputs_key: str = ""
    agenda_key: str = ""  # what agenda.ics was last written from, and its SHA-256
    agenda_hash: str = ""


def _parties(missing: list[MissingPart]) -> list[MissingPart]:
    """One missing part per party: whose part is open is all the overview asks."""
    seen: dict[str, MissingPart] = {}
    for part in missing:
        seen.setdefault(part.party, MissingPart(party=part.party, reason=""))
    return list(seen.values())


def overview_protocol(protocol: Protocol) -> Protocol:
    """The protocol with only what the overview and the agenda read: its title facts
    (of the version history only the last adopted version before this one, the version in
    force beside a concept), per checklist item its status, whose part is open and its
    action, the annex's actions, and the answers te beoordelen with the coordinator's
    decisions (the review workbook is rewritten from them). The texts, sources and chapters
    are left empty."""
    items = [ItemAssessment(id=i.id, chapter=i.chapter, text="", status=i.status, sources=[],
                            missing=_parties(i.missing), action=i.action)
             for i in protocol.annex.items]
    meta = protocol.meta
    in_force = [h for h in meta.history
                if h.status == ProtocolStatus.ADOPTED and h.version != meta.version][-1:]
    return Protocol(meta=meta.model_copy(update={"history": in_force}), chapters=[],
                    appendices=[], card=None,
                    annex=Annex(items=items, chapters=[], topics=[],
                                actions=protocol.annex.actions,
                                reviews=protocol.annex.reviews))


def brief_protocol(protocol: Protocol) -> Protocol:
    """The protocol with its title facts and its answers te beoordelen only."""
    return Protocol(meta=protocol.meta, chapters=[], appendices=[], card=None,
                    annex=Annex(items=[], chapters=[], topics=[], actions=[],
                                reviews=protocol.annex.reviews))


def slim(result: TeamResult) -> TeamResult:
    """A finished team's result with only its overview protocol: what the batch keeps of a
    team once its files are written (issue 26: 2,000 full protocols held to the end took the
    first build past 1 GiB). The overview, the agenda, the review workbook and the manifest
    read no more of it."""
    if result.protocol is None:
        return result
    return result.model_copy(update={"protocol": overview_protocol(result.protocol)})


def agenda_key(results: list[TeamResult], organisation: str, today: dt.date) -> str:
    """The key of what `agenda.ics` says: every team's title facts and actions, the
    organisation and the day (icalendar took ~1.8 s for 200 teams to find the same file)."""
    digest = hashlib.sha256(f"{AGENDA_FORMAT}/{organisation}/{today.isoformat()}".encode())
    for r in results:
        if r.protocol is not None:
            digest.update(r.team_id.encode())
            digest.update(r.protocol.meta.model_dump_json(exclude={"history"}).encode())
            for action in r.protocol.annex.actions:
                digest.update(action.model_dump_json().encode())
    return digest.hexdigest()


def load_records(out_dir: Path) -> Records:
    """The records beside the manifest; none when the file is missing, unreadable, or of
    another version (the teams' `protocol.json` files are read instead)."""
    try:
        records = Records.model_validate_json((out_dir / RECORDS_NAME).read_bytes())
    except (OSError, ValueError, ValidationError):
        return Records()
    return records if records.version == RECORDS_VERSION else Records()


def save_records(out_dir: Path, records: Records) -> None:
    """Write the records atomically (one line per team would not make it smaller to read)."""
    atomic_write_bytes(out_dir / RECORDS_NAME, records.model_dump_json().encode())
