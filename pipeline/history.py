"""The adopted versions in `archief/`: each one's `protocol.json`, MDTO sidecars and Versiebeheer.

Every adopted protocol is archived as `<stem>.pdf` with `<stem>.protocol.json` (the assembled
protocol, ~60 kB) and its two MDTO sidecars beside it. The JSON files are what the next cycle
needs: the Versiebeheer lists every adopted version from them, and the tracked-changes
document (`changes.py`) compares the protocol with the last adopted one. A team's versions
are found by the team id inside the JSON, not by file name.

Version 0.2.0 archived the PDF alone (`<org>_<team>_teamprotocol_<version>_<date>.pdf`, no
JSON, no sidecars). Such a version is read from the PDF itself (`legacy_protocol`): its
title page gives the facts, its chapters' text the lines the Versiebeheer's summary and the
tracked changes compare, so an upgrade keeps it in the Versiebeheer, the change document
and the next record's "Vervangt" (issue 21, item 7).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from pipeline import mdto
from pipeline.archive import series_stem
from pipeline.catalogue import CHAPTERS, ProtocolStatus
from pipeline.errors import MetadataError
from pipeline.files import atomic_write_bytes, sha256_file
from pipeline.models import (
    Annex,
    Appendix,
    Block,
    ChapterContent,
    Origin,
    Protocol,
    ProtocolMeta,
    Source,
    VersionEntry,
)
from pipeline.pdf.compare import pdf_text
from pipeline.pdf.validate import conformance
from pipeline.policy import ArchiveSettings
from pipeline.protocol_text import sections
from pipeline.text import capital, parse_date, parse_version

PROTOCOL_SUFFIX = ".protocol.json"
# An archived protocol.json is ~60 kB; a file far larger is not ours and is not parsed.
MAX_JSON_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ArchivedVersion:
    """One adopted version in the archive: its file stem, its JSON file and its title facts."""

    stem: str
    path: Path  # its protocol.json; for a version archived by 0.2.0, its PDF
    meta: ProtocolMeta

    def protocol(self) -> Protocol:
        """The whole archived protocol (read when a comparison needs it)."""
        if self.path.suffix == ".pdf":
            return legacy_protocol(self.path, self.meta)
        return Protocol.model_validate_json(self.path.read_bytes())


def _order(v: ArchivedVersion) -> tuple:
    return (v.meta.adopted_on or dt.date.min, _version_key(v.meta.version), v.stem)


def _version_key(version: str) -> tuple:
    parsed = parse_version(version)
    return (0, parsed, "") if parsed is not None else (1, (), version.strip())


class ArchiveIndex:
    """The adopted versions in one `archief/` folder, read once, the first time a team asks.

    An unchanged rebuild never asks, so it reads none of the JSON files.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._by_team: dict[str, list[ArchivedVersion]] | None = None
        self._legacy: dict[str, list[ArchivedVersion]] = {}
        self._lone_pdfs: list[Path] | None = None

    def _load(self) -> dict[str, list[ArchivedVersion]]:
        by_team: dict[str, list[ArchivedVersion]] = {}
        paths = sorted(self.folder.glob("*" + PROTOCOL_SUFFIX)) if self.folder.is_dir() else []
        for path in paths:
            # A damaged or foreign file leaves one version out of the Versiebeheer; it must
            # not stop the team's build (we change no archived file but a record's term).
            with contextlib.suppress(OSError, ValueError, ValidationError, TypeError, KeyError):
                if path.stat().st_size > MAX_JSON_BYTES:
                    continue
                meta = ProtocolMeta.model_validate(json.loads(path.read_bytes())["meta"])
                if meta.status is ProtocolStatus.ADOPTED:
                    stem = path.name.removesuffix(PROTOCOL_SUFFIX)
                    by_team.setdefault(meta.team_id, []).append(
                        ArchivedVersion(stem=stem, path=path, meta=meta))
        for versions in by_team.values():
            versions.sort(key=_order)
        return by_team

    def versions(self, team_id: str) -> list[ArchivedVersion]:
        """The team's adopted versions in the archive, oldest first, each version once.

        0.3.1 archived a version a second time when its adoption date was corrected (two
        records of 1.1); such an archive lists the first record only, the one archived first.
        """
        if self._by_team is None:
            self._by_team = self._load()
        if team_id not in self._legacy:
            if self._lone_pdfs is None:  # listed once: 0.2.0's PDFs without a protocol.json
                self._lone_pdfs = lone_pdfs(self.folder)
            self._legacy[team_id] = legacy_versions(self._lone_pdfs, team_id)
        return _once([*self._legacy[team_id], *self._by_team.get(team_id, [])])

    def lineage(self, meta: ProtocolMeta) -> list[ArchivedVersion]:
        """The adopted versions of `meta`'s team and of the ids it had before a rename
        (`ProtocolMeta.previous_team_id`, followed through the archived versions' own, so
        a team renamed twice keeps all), oldest first, each version number once."""
        found: list[ArchivedVersion] = list(self.versions(meta.team_id))
        ids = [meta.team_id]
        todo = [meta.previous_team_id, *(v.meta.previous_team_id for v in found)]
        while todo:
            team_id = todo.pop()
            if not team_id or team_id in ids:
                continue
            ids.append(team_id)
            versions = self.versions(team_id)
            found += versions
            todo += [v.meta.previous_team_id for v in versions]
        return _once(found)


def _once(versions: list[ArchivedVersion]) -> list[ArchivedVersion]:
    """`versions` oldest first, each version number once (the one archived first)."""
    seen: set[object] = set()
    once = []
    for v in sorted(versions, key=_order):
        if _version_id(v.meta.version) not in seen:
            seen.add(_version_id(v.meta.version))
            once.append(v)
    return once


def _same_version(a: ProtocolMeta, b: ProtocolMeta) -> bool:
    """One version number is one record, whatever its adoption date says (`v1.1` is `1.1`)."""
    return _version_id(a.version) == _version_id(b.version)


def _version_id(version: str) -> object:
    return parse_version(version) or version.strip()


def archived_elsewhere(meta: ProtocolMeta, index: ArchiveIndex,
                       stem: str) -> ArchivedVersion | None:
    """The archived record of this version under another name than `stem`, or None.

    The archive name holds the adoption date (and the organisation's short name), so a
    corrected date would archive the same version a second time (issue 21: "1.1 Vervangt 1.1").
    """
    return next((v for v in index.versions(meta.team_id)
                 if _same_version(v.meta, meta) and v.stem != stem), None)


# --- versions archived by 0.2.0: the PDF alone ---------------------------------------------------

_LEGACY_DATE = r"(?P<date>\d{4}-\d{2}-\d{2})"
# The title page's facts as PDFium reads them: one "Label value" line each.
_FACTS = {"Organisatie": "organisation", "Afdeling": "department", "Team": "team",
          "Leidinggevende": "team_lead", "Versie": "version", "Status": "status",
          "Vastgesteld door": "adopted_by", "Vastgesteld op": "adopted_on",
          "Volgende evaluatie": "next_evaluation"}
_FACT_LINES = 30  # the title page's facts are within its first lines
_RUNNING = re.compile(r"Pagina \d+ van \d+$| · Teamprotocol .* versie \S+$")


def lone_pdfs(folder: Path) -> list[Path]:
    """The PDFs in `folder` without a `protocol.json` beside them (0.2.0 archived those)."""
    if not folder.is_dir():
        return []
    names = {p.name for p in folder.iterdir()}
    return [folder / n for n in sorted(names) if n.endswith(".pdf")
            and f"{n.removesuffix('.pdf')}{PROTOCOL_SUFFIX}" not in names]


def legacy_versions(pdfs: list[Path], team_id: str) -> list[ArchivedVersion]:
    """The team's versions 0.2.0 archived among `pdfs` (`lone_pdfs`):
    `<org>_<team>_teamprotocol_<version>_<date>.pdf`, their facts from the title page (the
    name's version and date where the page does not give them). A PDF that cannot be read
    is left out."""
    name = re.compile(rf"[^_]+_{re.escape(team_id)}_teamprotocol_(?P<version>[^_]+)_"
                      rf"{_LEGACY_DATE}")
    found = []
    for pdf in pdfs:
        stem = pdf.name.removesuffix(".pdf")
        match = name.fullmatch(stem)
        if match is None:
            continue
        with contextlib.suppress(OSError, ValueError, ValidationError):
            facts = _title_facts(pdf_text(pdf).splitlines()[:_FACT_LINES])
            # The title page says "2.0, 14 oktober 2026" since 0.3 (0.2.0: "1.0"). A PDF of
            # this program can be here without its protocol.json too: a run stopped between
            # copying it and writing its records, which the next run writes. Read as another
            # version number, it would be a previous adoption of the version being built.
            stated = facts.get("version", "").split(",", 1)[0].strip()
            meta = ProtocolMeta(
                organisation=facts.get("organisation", ""), team_id=team_id,
                team=facts.get("team", team_id), department=facts.get("department", ""),
                team_lead=facts.get("team_lead", ""),
                version=stated if parse_version(stated) is not None else match["version"],
                status=ProtocolStatus.ADOPTED,
                adopted_by=facts.get("adopted_by"),
                adopted_on=parse_date(facts.get("adopted_on", "")) or dt.date.fromisoformat(
                    match["date"]),
                next_evaluation=parse_date(facts.get("next_evaluation", "")),
                contact_kinds=[])
            found.append(ArchivedVersion(stem=stem, path=pdf, meta=meta))
    return found


def _title_facts(lines: list[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for line in lines:
        line = line.strip()
        # The longest label first: "Vastgesteld door" before a shorter one it starts with.
        for label in sorted(_FACTS, key=len, reverse=True):
            if line.startswith(label + " ") and _FACTS[label] not in facts:
                facts[_FACTS[label]] = line[len(label):].strip()
                break
    return facts


def legacy_protocol(pdf: Path, meta: ProtocolMeta) -> Protocol:
    """A version 0.2.0 archived, read back from its PDF: each chapter (and appendix) its
    paragraphs, as the Versiebeheer and the tracked changes compare them; no annex.

    PDFium ends a line that wraps inside a paragraph with a space, so such lines are joined;
    running headers and footers are dropped. A chapter starts at the line that is exactly
    its heading (the contents' lines carry dot leaders and page numbers).
    """
    lines = [line for line in pdf_text(pdf).splitlines() if not _RUNNING.search(line.strip())]
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and paragraphs[-1].endswith(" "):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    headings = {f"{n}. {title}": n for n, title in CHAPTERS.items()}
    annex = f"{max(CHAPTERS) + 1}. "
    chapters: dict[int, list[str]] = {}
    appendices: dict[str, list[str]] = {}
    current: list[str] | None = None
    for paragraph in paragraphs:
        if paragraph in headings and headings[paragraph] not in chapters:
            current = chapters.setdefault(headings[paragraph], [])
        elif paragraph.startswith(annex) and chapters:
            current = None  # the annex: what the next version's own annex says again
        elif paragraph.startswith("Bijlage: ") and chapters and "..." not in paragraph:
            current = appendices.setdefault(paragraph, [])
        elif current is not None:
            current.append(paragraph)
    source = Source(origin=Origin.ORGANISATION)
    return Protocol(
        meta=meta,
        chapters=[ChapterContent(number=n, title=CHAPTERS[n], team=[],
                                 organisation=[Block(paragraphs=text, source=source)])
                  for n, text in sorted(chapters.items())],
        appendices=[Appendix(kind="", title=title, blocks=[Block(paragraphs=text,
                                                                 source=source)])
                    for title, text in appendices.items()],
        annex=Annex(items=[], chapters=[], topics=[], actions=[]))


# --- what changed -----------------------------------------------------------------------------

def summary(old: Protocol, new: Protocol) -> str:
    """One Dutch line: which chapters and appendices changed from `old` to `new`."""
    before = dict(sections(old))
    after = dict(sections(new))
    changed = [h for h, lines in after.items() if before.get(h) != lines]
    changed += [h for h in before if h not in after]
    if not changed:
        return "geen inhoudelijke wijzigingen"
    names = []
    for heading in changed:
        number = heading.split(".", 1)[0]
        names.append(f"hoofdstuk {number}" if number.isdigit() else heading[:1].lower()
                     + heading[1:])
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return "gewijzigd: " + text


def _recorded_note(version: Protocol) -> str | None:
    """What an archived version's own Versiebeheer said had changed, when it was built."""
    own = next((h for h in reversed(version.meta.history)
                if _version_id(h.version) == _version_id(version.meta.version)), None)
    return own.note if own is not None and own.note else None


def previous_cycle(protocol: Protocol, index: ArchiveIndex,
                   describe: Callable[[Protocol, Protocol], str] = summary,
                   ) -> tuple[Protocol, Protocol | None]:
    """The protocol with every adopted version in its Versiebeheer, and the last one before it.

    The Versiebeheer lists, oldest first, each archived adopted version (version, date, by
    whom, what changed against the version before it: the note its own Versiebeheer had when
    it was built), then the version being built, unless that one is itself already archived,
    with what `describe` says changed since the last adopted version (the batch gives the
    change document's summary). The second value is the last adopted version other than this
    one, for the change document; None for a first version.
    """
    meta = protocol.meta
    archived = [v for v in index.lineage(meta) if not _same_version(v.meta, meta)]
    if not archived:
        return protocol, None
    entries: list[VersionEntry] = []
    previous: Protocol | None = None
    for v in archived:
        current = v.protocol()
        by = f"vastgesteld door {v.meta.adopted_by}" if v.meta.adopted_by else "vastgesteld"
        recorded = _recorded_note(current) if previous is not None else None
        if recorded is not None:  # who adopted it, and what changed, as written then
            note = recorded
        else:
            change = "eerste vastgestelde versie" if previous is None else \
                summary(previous, current)
            note = f"{capital(by)}; {change}"
        entries.append(VersionEntry(version=v.meta.version, date=v.meta.adopted_on,
                                    status=ProtocolStatus.ADOPTED, note=note))
        previous = current
    assert previous is not None
    own = meta.history[-1] if meta.history else VersionEntry(
        version=meta.version, date=meta.adopted_on, status=meta.status, note="")
    change = describe(previous, protocol)
    note = f"{own.note}; {change}" if own.note else change
    entries.append(own.model_copy(update={"note": note}))
    history_meta = meta.model_copy(update={"history": entries})
    return protocol.model_copy(update={"meta": history_meta}), previous


# --- the archive record of one adopted version -------------------------------------------------

def record_files(protocol: Protocol, settings: ArchiveSettings, index: ArchiveIndex,
                 target: Path, pdf: Path, checked_at: dt.datetime, *,
                 example: bool = False) -> dict[str, bytes]:
    """The archive files still missing beside `target` (`<stem>.pdf`), sidecars validated.

    `<stem>.protocol.json` and the two MDTO sidecars; a file already there is kept as it is
    (the archive is written once). The sidecars describe the archived PDF: `target` when it
    is already archived, else `pdf`, which is about to be copied there. MetadataError when a
    sidecar does not validate: then `pdf` is removed, as a PDF that fails verification is,
    and the team fails before anything is archived. `example`: a demo's records, marked as
    an example (`mdto.EXAMPLE_PREFIX`).
    """
    stem = target.name.removesuffix(".pdf")
    folder = target.parent
    files: dict[str, bytes] = {}
    if not (folder / f"{stem}{PROTOCOL_SUFFIX}").exists():
        files[f"{stem}{PROTOCOL_SUFFIX}"] = protocol.model_dump_json(indent=1).encode()
    if all((folder / n).exists() for n in mdto.sidecar_names(stem)):
        return files
    described = target if target.exists() else pdf
    earlier = [v for v in index.lineage(protocol.meta)
               if v.stem != stem and not _same_version(v.meta, protocol.meta)]
    replaces = (earlier[-1].stem, mdto.record_name(earlier[-1].meta)) if earlier else None
    series = series_stem(stem)
    try:
        sidecars = mdto.sidecars(protocol.meta, settings, stem,
                                 size=described.stat().st_size,
                                 sha256=sha256_file(described), checked_at=checked_at,
                                 replaces=replaces, reviews=protocol.annex.reviews,
                                 level=conformance(described.read_bytes()) or "B",
                                 series=series, example=example)
        if not (folder / f"{series}.mdto.xml").exists():
            files[f"{series}.mdto.xml"] = mdto.series_xml(protocol.meta, settings, series,
                                                          example=example)
        files.update(_closed_records(earlier, protocol.meta, settings, folder))
    except MetadataError:
        pdf.unlink(missing_ok=True)
        raise
    files.update({n: data for n, data in sidecars.items() if not (folder / n).exists()})
    return files


def _closed_records(earlier: list[ArchivedVersion], meta: ProtocolMeta,
                    settings: ArchiveSettings, folder: Path) -> dict[str, bytes]:
    """The records of earlier versions, each with its retention counted from the adoption of
    the version after it (the one being archived for the last), where that changes them."""
    out: dict[str, bytes] = {}
    if not earlier:
        return out
    successors = [v.meta for v in earlier[1:]] + [meta]
    for version, successor in zip(earlier, successors, strict=True):
        if successor.adopted_on is None:
            continue
        name = mdto.sidecar_names(version.stem)[0]
        path = folder / name
        if not path.is_file():
            continue
        xml = path.read_bytes()
        closed = mdto.close_record(xml, successor.adopted_on, settings, name)
        if closed != xml:
            out[name] = closed
    return out


@dataclass(frozen=True)
class Destroyable:
    """An archived version whose retention term has ended: it may be destroyed."""

    stem: str
    name: str  # the record's naam: the protocol's title, team and version
    end: dt.date


def destroyable(folder: Path, today: dt.date) -> list[Destroyable]:
    """The archived versions in `folder` whose record's retention ended on or before `today`
    (*mag worden vernietigd*), oldest end first. Nothing is deleted: destroying is the
    archivist's decision. Only a record holding an end date is parsed (a byte search first),
    so a build reads the archive's small records, not its protocols."""
    found = []
    for path in sorted(Path(folder).glob("*.mdto.xml")) if Path(folder).is_dir() else []:
        if path.name.endswith(".bestand.mdto.xml"):
            continue
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            if b"termijnEinddatum" not in data:
                continue
            end = mdto.retention_end(data)
            if end is not None and end <= today:
                found.append(Destroyable(path.name.removesuffix(".mdto.xml"),
                                         mdto.record_naam(data) or path.name, end))
    return sorted(found, key=lambda d: (d.end, d.stem))


def write_record(target: Path, files: dict[str, bytes]) -> dict[str, str]:
    """Write `files` beside `target` atomically; every record file's name by manifest key.

    Keys: `archief_json`, `mdto`, `mdto_bestand` and `mdto_serie` (the team's series
    record), for the team's outputs (and so the manifest, with their hashes); a file missing
    after this is not listed.
    """
    for name, data in files.items():
        atomic_write_bytes(target.parent / name, data)
    stem = target.name.removesuffix(".pdf")
    record, file_ = mdto.sidecar_names(stem)
    names = {"archief_json": f"{stem}{PROTOCOL_SUFFIX}", "mdto": record, "mdto_bestand": file_,
             "mdto_serie": f"{series_stem(stem)}.mdto.xml"}
    return {k: n for k, n in names.items() if (target.parent / n).exists()}
