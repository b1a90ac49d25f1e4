"""One team of a batch: read its forms, assemble its protocol, check the adoption gates,
render and write its .docx and protocol.json; or find it unchanged; or say why it failed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import ValidationError

from pipeline import history
from pipeline.adoption import Gap, adoption_problems
from pipeline.archive import ArchiveRecord, TeamEntry, note_written, team_is_current
from pipeline.assess import assess, review_warnings
from pipeline.batch.failures import failure_key, repeated
from pipeline.batch.records import TeamRecord, overview_protocol
from pipeline.batch.shared import (
    ARCHIVE_DIR,
    BuildOptions,
    Shared,
    archive_rel,
    changed_problem,
    outputs_of,
    team_inputs,
)
from pipeline.catalogue import CONTACT_KINDS, TEAM_KIND, ProtocolStatus, contact_tag
from pipeline.changes import Versions, changes_docx, compare, version_note
from pipeline.errors import OutputError, Problem, TeamprotocolError, os_reason
from pipeline.files import (
    atomic_move,
    atomic_write_bytes,
    ensure_inside,
    sha256_bytes,
    sha256_file,
    team_output_dir,
)
from pipeline.forms.folder import read_team_folder
from pipeline.merge import merge
from pipeline.models import OPEN, BuildStatus, Protocol, Status, TeamForms, TeamResult
from pipeline.policy import Policy
from pipeline.render import render_card, render_protocol
from pipeline.render.toc_pages import contents_field
from pipeline.text import dutch_date


def assemble(policy: Policy, forms: TeamForms, *, today: dt.date | None = None) -> Protocol:
    """Merge then assess: the complete Protocol of one team, annex included.

    `today` is the build date (actions due before it are *verlopen*); None means today.
    """
    day = today or dt.date.today()
    merged = merge(policy, forms, today=day)
    annex = assess(policy, forms, merged.meta.contact_kinds, today=day)
    return Protocol(**dict(merged), annex=annex)


def _adoption(protocol: Protocol, forms: TeamForms, today: dt.date, policy: Policy,
              previous: Protocol | None) -> tuple[list[Problem], list[Problem]]:
    """The adoption gates (`pipeline.adoption`) over the team form and the annex's gaps."""
    # An item that only waits for the coordinator is the pending-review gate's, not a gap.
    gaps = [Gap(i.id, i.action) for i in protocol.annex.items
            if i.status in OPEN and i.status is not Status.TE_BEOORDELEN]
    return adoption_problems(
        forms.forms[TEAM_KIND], gaps, today=today,
        pending_reviews=[r.question for r in protocol.annex.pending_reviews],
        previous_adoption=previous.meta.adopted_on if previous is not None else None,
        team_lead_may_adopt=policy.adoption.team_lead_may_adopt)


def _adopted_changed(record: ArchiveRecord | None, team_id: str, docx_hash: str,
                     protocol: Protocol, rel: str, path: str) -> list[Problem]:
    """A problem when the archive holds this version of another team, or other text.

    An adopted protocol is a record: `<team>/teamprotocol-<team>.pdf` must never show text
    marked *vastgesteld* that was not adopted. The .docx is byte-identical for the same
    inputs (pipeline.render), so a different hash means the forms, the policy, the template or the
    program changed what this version says since it was archived.
    """
    if record is None:
        return []
    if record.team_id != team_id:
        return [Problem(file=path, field="Versie van het protocol", message=(
            f"de archiefnaam {rel} is al in gebruik voor team '{record.team_id}'"),
            hint="Geef dit team een andere team_id of een andere versie")]
    return [] if record.docx == docx_hash else [changed_problem(protocol, rel, path)]


def _archived_under_another_name(protocol: Protocol, shared: Shared, team_id: str,
                                 path: str) -> Problem | None:
    """A problem when this version is archived already under another name (another adoption
    date): one version is one record, so a corrected date is never a second record."""
    stem = archive_rel(shared, protocol, team_id).rsplit("/", 1)[-1].removesuffix(".pdf")
    other = history.archived_elsewhere(protocol.meta, shared.archive, stem)
    if other is None:
        return None
    meta = protocol.meta
    when = dutch_date(other.meta.adopted_on) if other.meta.adopted_on else "eerder"
    return Problem(file=path, field="Vastgesteld op", message=(
        f"versie {meta.version} is al vastgesteld op {when} en gearchiveerd "
        f"({ARCHIVE_DIR}/{other.stem}.pdf); een gearchiveerde versie wordt niet nog eens "
        "gearchiveerd"), hint=(
        f"Zet de vaststellingsdatum terug op {when}, of stel een nieuwe versie vast (verhoog "
        "de versie) als de tekst of de datum echt anders moet"))


def _keep_manual_edit(team_id: str, opts: BuildOptions, entry: TeamEntry | None,
                      journal: set[str]) -> Problem | None:
    """Move an output .docx edited by hand aside (`…-handmatig-<date>.docx`), and say so.

    The manifest holds the hash of the .docx the last build wrote, and `journal` the hashes
    of .docx files an interrupted run wrote after it; any other file is someone's edit, which
    the rebuild would otherwise overwrite without a word.
    """
    rel = outputs_of(team_id)["docx"]
    path = ensure_inside(opts.out_dir, Path(rel))  # before anything moves
    if entry is None or rel not in entry.outputs or not path.is_file():
        return None
    if (found := sha256_file(path)) == entry.outputs[rel] or found in journal:
        return None
    stem = f"teamprotocol-{team_id}-handmatig-{opts.today.isoformat()}"
    target = path.with_name(f"{stem}.docx")
    n = 2
    while target.exists():
        target, n = path.with_name(f"{stem}-{n}.docx"), n + 1
    atomic_move(path, target)
    return Problem(file=rel, message=(
        "dit Word-bestand was na de vorige build met de hand gewijzigd; die versie is "
        f"bewaard als {target.name} en het protocol is opnieuw gemaakt"),
        hint="Neem de wijzigingen over in de formulieren of het beleid: het protocol wordt bij "
             "elke build opnieuw gemaakt")


_NOT_READ_HINTS = {
    ".pdf": "Een PDF kan niet worden gelezen: stuur het ingevulde Word-formulier (.docx) terug",
    ".doc": "Open het in Word en sla het op als Word-document (.docx)",
    ".docm": "Open het in Word en sla het op als Word-document (.docx), zonder macro's",
    ".odt": "Open het in LibreOffice en sla het op als Word-document (.docx)",
    ".rtf": "Open het in Word en sla het op als Word-document (.docx)",
}


def _folder_remarks(folder: Path) -> list[Problem]:
    """Warnings for files in a team folder that are not read: other formats than .docx."""
    remarks = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(("~$", ".")) or path.suffix.lower() == ".docx":
            continue  # forms are read whatever the case of their extension (BALIE.DOCX)
        remarks.append(Problem(file=f"{folder.name}/{name}", message=(
            "dit bestand is niet gelezen: alleen Word-formulieren (.docx) tellen mee"),
            hint=_NOT_READ_HINTS.get(path.suffix.lower(),
                                     "Verwijder het uit de map als het geen formulier is")))
    return remarks


def _missing_contact_forms(folder: Path, forms: TeamForms) -> list[Problem]:
    """Contact types ticked on the team form whose own form is not in the folder."""
    team = forms.forms[TEAM_KIND].fields
    return [Problem(
        file=f"{folder.name}/{kind}.docx", field=kind, message=(
            f"het teamformulier noemt de contactvorm '{kind}', maar het formulier {kind}.docx "
            "ontbreekt; die bijlage van het protocol blijft leeg"),
        hint=f"Zet het ingevulde formulier {kind}.docx (Word-document) in de map van het team")
        for kind in CONTACT_KINDS
        if team.get(contact_tag(kind)) is True and kind not in forms.forms]


def _build_docx(folder: Path, shared: Shared, opts: BuildOptions,
                remarks: list[Problem]) -> TeamResult:
    """Read, merge, assess and render one team; write its .docx and protocol.json."""
    team_id = folder.name
    times = shared.times
    with times.stage("read forms"):
        forms, warnings = read_team_folder(folder)
    forms = forms.model_copy(update={"reviews": shared.reviews.reviews(team_id)})
    with times.stage("merge + assess"):
        assembled = assemble(shared.policy, forms, today=opts.today)
    rendered: dict[str, bytes] = {}

    def describe(old: Protocol, new: Protocol) -> str:
        """The change document's summary as the Versiebeheer note (the old version's
        rendering kept for the change document itself)."""
        with times.stage("render previous"):
            rendered["previous"] = render_protocol(old, shared.policy, template=shared.template,
                                                   logo=shared.logo)
            draft = render_protocol(new, shared.policy, template=shared.template,
                                    logo=shared.logo)
        return version_note(compare(rendered["previous"], draft))

    protocol, previous = history.previous_cycle(assembled, shared.archive, describe)
    team_form = forms.forms[TEAM_KIND].path
    problems, adoption_warnings = _adoption(protocol, forms, opts.today, shared.policy,
                                            previous)
    warnings = [*remarks, *_missing_contact_forms(folder, forms), *warnings,
                *review_warnings(forms, protocol.annex.reviews), *adoption_warnings]

    def failed(problems: list[Problem]) -> TeamResult:
        return TeamResult(team_id=team_id, team=protocol.meta.team, status=BuildStatus.FAILED,
                          protocol=protocol, problems=problems, warnings=warnings)

    if problems:
        return failed(problems)
    if protocol.meta.status is ProtocolStatus.ADOPTED and shared.example:
        return failed([Problem(file=team_form, field="Status van het protocol", message=(
            "dit protocol kan niet worden vastgesteld, want het beleid is nog (deels) het "
            "voorbeeld van de verzonnen Gemeente Lindenhoven: " + "; ".join(shared.example)),
            hint="Vervang die gegevens in het beleid door die van uw organisatie, of zet de "
                 "status op 'concept' zolang dat niet klaar is")])
    if protocol.meta.status is ProtocolStatus.ADOPTED and (
            problem := _archived_under_another_name(protocol, shared, team_id, team_form)):
        return failed([problem])
    with times.stage("render docx"):
        data = render_protocol(protocol, shared.policy, template=shared.template,
                               logo=shared.logo, example_policy=bool(shared.example))
    docx_hash = sha256_bytes(data)
    if protocol.meta.status is ProtocolStatus.ADOPTED:
        rel = archive_rel(shared, protocol, team_id)
        problems = _adopted_changed(shared.manifest.archive.get(rel), team_id, docx_hash,
                                    protocol, rel, team_form)
        if problems:
            return failed(problems)
    outputs = outputs_of(team_id)
    team_output_dir(opts.out_dir, team_id)  # a symlinked team folder stops here, untouched
    edited = _keep_manual_edit(team_id, opts, shared.manifest.teams.get(team_id),
                               shared.journal.get(team_id, set()))
    if edited is not None:
        warnings.insert(0, edited)
        shared.passing.setdefault(team_id, []).append(edited)
    json_bytes = protocol.model_dump_json(indent=1).encode()
    # Without a PDF no page is known: the contents go into a TOC field for Word to fill on
    # request (with a PDF, `pdfs.py` stamps LibreOffice's pages into it afterwards).
    docx_bytes = data if opts.pdf else contents_field(data)
    with times.stage("render card"):
        card = render_card(protocol, shared.policy)
    with times.stage("write docx + json"):
        note_written(opts.out_dir, team_id, sha256_bytes(docx_bytes)
                     if docx_bytes is not data else docx_hash)  # first: see archive.JOURNAL_NAME
        atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["docx"])), docx_bytes)
        atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["json"])), json_bytes)
        atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["kaart_docx"])), card)
    shared.written[team_id] = {outputs["docx"]: sha256_bytes(docx_bytes)
                               if docx_bytes is not data else docx_hash,
                               outputs["json"]: sha256_bytes(json_bytes),
                               outputs["kaart_docx"]: sha256_bytes(card)}
    produced = {"docx": outputs["docx"], "json": outputs["json"],
                "kaart_docx": outputs["kaart_docx"]}
    if previous is not None:  # what changed since the last adopted version, tracked
        produced["wijzigingen"] = changes = f"{team_id}/wijzigingen-{team_id}.docx"
        facts = Versions(team=protocol.meta.team,
                         version=protocol.meta.version, status=protocol.meta.status,
                         previous_version=previous.meta.version,
                         previous_adopted=previous.meta.adopted_on)
        with times.stage("change document"):
            data = changes_docx(rendered["previous"], contents_field(data) if opts.pdf else
                                docx_bytes, facts,
                                when=dt.datetime.combine(opts.today, dt.time(12)))[0]
        atomic_write_bytes(ensure_inside(opts.out_dir, Path(changes)), data)
        shared.written[team_id][changes] = sha256_bytes(data)
    stale = ensure_inside(opts.out_dir, Path(outputs["pdf"]))
    stale_card = ensure_inside(opts.out_dir, Path(outputs["kaart_pdf"]))
    if not opts.pdf and stale_card.is_file():
        stale_card.unlink()  # the card's PDF, like the protocol's, belongs to its .docx
    if not opts.pdf and stale.is_file():
        stale.unlink()  # a PDF beside a newer .docx would show text that is no longer true
        warnings.insert(0, Problem(file=outputs["pdf"], message=(
            "de PDF van een eerdere build is verwijderd, want hij hoort niet meer bij het "
            "nieuwe Word-bestand"), hint="Bouw zonder --no-pdf voor een nieuwe PDF"))
    if not opts.pdf and protocol.meta.status is ProtocolStatus.ADOPTED:
        rel = archive_rel(shared, protocol, team_id)
        if not ensure_inside(opts.out_dir, Path(rel)).exists():
            # Archiving needs the verified PDF/A; --no-pdf made none, and said nothing.
            warnings.insert(0, Problem(file=outputs["docx"], message=(
                f"versie {protocol.meta.version} is vastgesteld, maar er is niets "
                "gearchiveerd: met --no-pdf wordt geen PDF/A gemaakt, en alleen een PDF/A "
                "wordt gearchiveerd"), hint="Bouw zonder --no-pdf om deze versie te archiveren"))
    return TeamResult(team_id=team_id, team=protocol.meta.team, status=BuildStatus.BUILT,
                      protocol=protocol, warnings=warnings, outputs=produced)


def problems_of(error: TeamprotocolError, team_id: str) -> list[Problem]:
    """The problems an error stands for, each naming at least the team."""
    return [p if p.file else p.model_copy(update={"file": team_id}) for p in error.problems]


def _failed(team_id: str, error: TeamprotocolError,
            remarks: list[Problem] | None = None) -> TeamResult:
    return TeamResult(team_id=team_id, status=BuildStatus.FAILED,
                      problems=problems_of(error, team_id), warnings=remarks or [])


def _unchanged(team_id: str, entry: TeamEntry, shared: Shared, out_dir: Path) -> TeamResult:
    """An up-to-date team's result, its protocol from the overview's record when that was
    made from the `protocol.json` the manifest holds, else read from that file. From a
    record it carries the record's brief protocol (title facts, reviews): `run.py` gives it
    the whole overview protocol when the overview is made again."""
    json_rel = outputs_of(team_id)["json"]
    record = shared.records.teams.get(team_id)
    if record is not None and record.json_hash == entry.outputs.get(json_rel):
        protocol = record.brief
    else:
        protocol = overview_protocol(  # all the batch keeps of it (memory at 2,000 teams)
            Protocol.model_validate_json((out_dir / json_rel).read_bytes()))
        shared.records.teams[team_id] = TeamRecord.of(entry.outputs.get(json_rel, ""),
                                                      protocol)
        shared.records_changed = True
    outputs = {k: v for k, v in outputs_of(team_id).items() if v in entry.outputs}
    archived = [p for p in entry.outputs if p.startswith(ARCHIVE_DIR + "/") and p.endswith(".pdf")]
    if archived:
        outputs["archief"] = archived[0]
    return TeamResult(team_id=team_id, team=protocol.meta.team, status=BuildStatus.UNCHANGED,
                      protocol=protocol, outputs=outputs)


def build_team(folder: Path, shared: Shared, opts: BuildOptions
               ) -> tuple[TeamResult, dict[str, str] | None]:
    """One team: unchanged (from the manifest), built (.docx and json), or failed; with the
    hashes of the team's inputs for the manifest (None when they could not be read)."""
    team_id = folder.name
    manifest = shared.manifest
    entry = manifest.teams.get(team_id)
    times = shared.times
    remarks: list[Problem] = []
    inputs: dict[str, str] | None = None
    try:
        remarks = _folder_remarks(folder)
        with times.stage("input hashes", cpu=False):
            inputs = team_inputs(folder, shared)  # a form we may not read fails here
        shared.passing[team_id] = list(remarks)
        failed = shared.records.failed.get(team_id)
        if not opts.force and failed is not None and failed.key == failure_key(
                team_id, inputs, shared, opts):
            shared.repeated.add(team_id)  # the same verdict on the same inputs: not rebuilt
            return repeated(failed, remarks), inputs
        if not opts.force and entry is not None:
            with times.stage("up-to-date check", cpu=False):
                current = team_is_current(manifest, team_id, inputs, opts.out_dir,
                                          shared.hash_file)
            if current:
                with times.stage("load overview record", cpu=False):
                    result = _unchanged(team_id, entry, shared, opts.out_dir)
                return result.model_copy(update={"warnings": remarks}), inputs
        return _build_docx(folder, shared, opts, remarks), inputs
    except TeamprotocolError as e:
        if isinstance(e, OutputError):  # an output file not written: tried again next run
            shared.transient.add(team_id)
        return _failed(team_id, e, remarks), inputs
    # An unreadable form or disk full (OSError); a damaged protocol.json of an unchanged team
    # (pydantic's ValidationError, also for bad JSON; UnicodeDecodeError). Not any ValueError:
    # one raised by our own code is a bug, and must not read as "onleesbare gegevens".
    except (OSError, ValidationError, UnicodeDecodeError) as e:
        shared.transient.add(team_id)  # a file, not the team's answers: tried again next run
        reason = os_reason(e) if isinstance(e, OSError) else "onleesbare gegevens"
        return _failed(team_id, TeamprotocolError(
            f"kon niet worden gebouwd ({reason})", file=folder,
            hint="Controleer de map en probeer het opnieuw"), remarks), inputs
