"""The batch: every team from forms to protocol; one team's failure never stops the others."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from pathlib import Path

from pydantic import ValidationError

from pipeline import __version__, history
from pipeline.agenda import AGENDA_NAME, write_agenda
from pipeline.archive import (
    MANIFEST_NAME,
    Manifest,
    TeamEntry,
    forget_written,
    load_manifest,
    output_lock,
    prepare_out_dir,
    save_manifest,
    written_by_us,
)
from pipeline.batch.failures import failure_key, is_verdict, recorded
from pipeline.batch.hashes import FileHashes
from pipeline.batch.pdfs import Pdfs
from pipeline.batch.records import (
    Records,
    TeamRecord,
    agenda_key,
    load_records,
    overview_protocol,
    save_records,
    slim,
)
from pipeline.batch.shared import (
    ARCHIVE_DIR,
    PROTOCOL_JSON,
    BatchReport,
    BuildOptions,
    Progress,
    Shared,
    outputs_of,
    save_policy_cache,
    shared_inputs,
)
from pipeline.batch.team import build_team
from pipeline.catalogue import SCHEMA_VERSION, ProtocolStatus
from pipeline.errors import Problem, UsageError
from pipeline.files import is_backup_folder, remove_stale_temp_files, sha256_file
from pipeline.forms.folder import form_files
from pipeline.models import BuildStatus, Protocol, TeamResult
from pipeline.pdf.soffice import find_soffice, font_substitute
from pipeline.policy import default_policy_path
from pipeline.report import FORMAT as OVERVIEW_FORMAT
from pipeline.report import DestroyRow, write_overview_if_changed
from pipeline.report.html import template_hash
from pipeline.report.reviews import read_reviews, write_reviews

# A Mac unzipping a zip of the forms adds this folder of resource forks: never a team.
MAC_FOLDER = "__MACOSX"


def team_folders(forms_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """The team folders below `forms_dir`: every non-hidden subfolder, sorted by name.

    `out_dir` is never a team folder: `teamprotocol build .` in the forms folder writes
    ./output there, which the next run must not take for a team without a team form.
    """
    if not forms_dir.is_dir():
        raise UsageError(
            "map met formulieren niet gevonden", file=forms_dir,
            hint="Geef de map op die 'teamprotocol forms' heeft gemaakt, met per team een map")
    out = Path(out_dir).resolve() if out_dir is not None else None
    if out == forms_dir.resolve():
        # The protocols would land in the team folders and be read as forms next time.
        raise UsageError(
            "de uitvoermap is dezelfde map als de formulierenmap", file=forms_dir,
            hint="Kies met --out een andere map voor de protocollen")
    try:
        out_inode = os.stat(out).st_ino if out is not None else None
    except OSError:
        out_inode = None
    folders = []
    # One directory read, the entries' types and inodes from it: 2,000 folders each resolved
    # from / and listed took ~0.2 s a call (issue 26). A folder is resolved only when it may
    # be the output folder: a link, the same inode or the same name.
    with os.scandir(forms_dir) as entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name == MAC_FOLDER or not entry.is_dir():
                continue
            path = Path(entry.path)
            if is_backup_folder(path):
                continue
            if out is not None and (entry.is_symlink() or entry.inode() == out_inode
                                    or entry.name == out.name) and path.resolve() == out:
                continue
            folders.append(path)
    folders.sort()
    for folder in folders:
        # `build` pointed one folder too high (the folder holding `formulieren/`) made a fake
        # failed team of the forms folder (issue 21): say which folder to give instead.
        if not _may_hold_forms(folder) and not form_files(folder) and any(
                (sub / "team.docx").is_file() for sub in folder.iterdir() if sub.is_dir()):
            raise UsageError(
                f"de map '{folder.name}' hierin bevat zelf de teammappen; dit is de map erboven",
                file=forms_dir, hint=f"Geef de formulierenmap zelf op: teamprotocol build "
                f"{folder}")
    return folders


def _may_hold_forms(folder: Path) -> bool:
    """A quick look for a name ending in `.docx` (any case): a folder without one is looked
    at as `form_files` does."""
    try:
        return any(name.lower().endswith(".docx") and not name.startswith(("~$", "."))
                   for name in os.listdir(folder))
    except OSError:
        return False


def _check_forms_dir(forms_dir: Path, folders: list[Path]) -> None:
    """A forms folder without team folders is a mistake, not a batch of zero teams."""
    if folders:
        return
    loose = sorted(p.name for p in forms_dir.iterdir() if p.suffix.lower() == ".docx")
    if loose:
        raise UsageError(
            f"deze map bevat formulieren ({', '.join(loose[:3])}) maar geen teammappen",
            file=forms_dir, hint="Geef de map erboven op, of zet de formulieren van elk team "
            "in een eigen map met de team_id als naam, zoals 'teamprotocol forms' die maakt")
    raise UsageError(
        "deze map bevat geen teammappen", file=forms_dir,
        hint="Geef de map op die 'teamprotocol forms' heeft gemaakt, met per team een map")


def _orphans(folders: list[Path], manifest: Manifest, out_dir: Path) -> list[Problem]:
    """Teams with outputs in `out_dir` but no folder in the forms folder; dropped from the
    manifest (their archived PDFs keep their records), with one warning each."""
    names = {f.name for f in folders}
    built = {p.parent.name for p in out_dir.glob(f"*/{PROTOCOL_JSON}")}
    gone = sorted((built | set(manifest.teams)) - names - {ARCHIVE_DIR})
    for team_id in gone:
        manifest.teams.pop(team_id, None)
    return [Problem(file=str(out_dir / team_id), message=(
        "dit team staat in de uitvoermap maar heeft geen map in de formulierenmap (verwijderd, "
        "hernoemd, of een andere formulierenmap); het telt niet mee in het overzicht en staat "
        "niet meer in het manifest"),
        hint="Verwijder deze map als het team niet meer bestaat (vastgestelde PDF's in "
             f"{ARCHIVE_DIR}/ blijven bewaard), of bouw met de juiste formulierenmap")
        for team_id in gone]


def _font_remarks(opts: BuildOptions, shared: Shared) -> list[Problem]:
    """A warning when LibreOffice would set the PDF in another font than the policy names."""
    font = shared.policy.branding.font
    used = font_substitute(font) if opts.pdf else None
    if used is None:
        return []
    return [Problem(file=str(opts.policy_path or default_policy_path()), field="branding.font",
                    message=f"het lettertype '{font}' is op deze computer niet geïnstalleerd; "
                    f"de PDF/A krijgt '{used}', terwijl het Word-bestand '{font}' noemt",
                    hint="Installeer het lettertype, of kies in het beleid een lettertype dat "
                         "er wel is, zoals Carlito (gelijk aan Calibri)")]


def _example_remarks(opts: BuildOptions, shared: Shared) -> list[Problem]:
    """One warning when the policy file is still (partly) the invented example's."""
    if not shared.example:
        return []
    return [Problem(file=str(opts.policy_path), message=(
        "dit beleid is nog (deels) het voorbeeld van de verzonnen Gemeente Lindenhoven: "
        + "; ".join(shared.example) + ". Concepten worden gebouwd, maar geen enkel protocol "
        "wordt vastgesteld of gearchiveerd"), hint="Vervang deze gegevens door die van uw "
        "organisatie")]


def build_all(opts: BuildOptions, progress: Progress | None = None,
              folders: list[Path] | None = None) -> BatchReport:
    """Build every team below `opts.forms_dir` into `opts.out_dir`; never stop at one team.

    `progress` is called twice per team (once for the .docx, once for the PDF, or once for
    both with `pdf=False`). `folders`: the team folders when the caller has them already
    (`team_folders`, to size its progress bar), else found here. The whole run holds the lock
    on `opts.out_dir`.
    """
    progress = progress or (lambda _label: None)
    started = time.perf_counter()
    shared = shared_inputs(opts)  # a bad policy or template stops the batch: it concerns all
    shared.times.origin = started
    if folders is None:
        folders = team_folders(opts.forms_dir, opts.out_dir)
    _check_forms_dir(opts.forms_dir, folders)
    if opts.pdf:
        find_soffice()  # before any team: a missing LibreOffice concerns every team
    prepare_out_dir(opts.out_dir)  # read-only or unwritable: one clear error, early
    with output_lock(opts.out_dir):
        remove_stale_temp_files(opts.out_dir)  # a killed run's half files; we hold the lock
        save_policy_cache(opts, shared)
        shared.manifest = load_manifest(opts.out_dir)
        shared.reviews = read_reviews(opts.out_dir)
        shared.records = load_records(opts.out_dir)
        shared.file_hashes = FileHashes(opts.out_dir)
        shared.journal = written_by_us(opts.out_dir)
        orphans = _orphans(folders, shared.manifest, opts.out_dir)
        shared.dirty = bool(orphans)
        warnings = [*_example_remarks(opts, shared), *_font_remarks(opts, shared), *orphans,
                    *shared.reviews.problems]
        if (opts.forms_dir / MAC_FOLDER).is_dir():
            warnings.append(Problem(file=str(opts.forms_dir / MAC_FOLDER), message=(
                "overgeslagen: deze map maakt een Mac bij het uitpakken van een zip; er staan "
                "geen formulieren in"), hint="U kunt de map verwijderen"))
        report = _run(folders, shared, opts, progress, started)
    report.warnings = warnings
    return report


def _run(folders: list[Path], shared: Shared, opts: BuildOptions, progress: Progress,
         started: float) -> BatchReport:
    manifest = shared.manifest
    order: list[str] = []  # the teams in the order built (their results are in `final`)
    final: dict[str, TeamResult] = {}  # each team's complete result: PDF done, or failed
    inputs: dict[str, dict[str, str]] = {}
    docx_status: dict[str, BuildStatus] = {}  # what the .docx stage made of each team
    timings: dict[str, float] = {}
    try:
        with contextlib.ExitStack() as stack:  # closes LibreOffice whatever happens
            pdfs = Pdfs(stack, shared, opts, progress) if opts.pdf else None
            final = pdfs.final if pdfs is not None else final
            for folder in folders:
                result, hashes = build_team(folder, shared, opts)
                if hashes is not None:
                    inputs[result.team_id] = hashes
                docx_status[result.team_id] = result.status
                order.append(result.team_id)
                progress(result.team_id)
                if pdfs is not None:
                    pdfs.add(result)
                    pdfs.poll()
                elif result.status == BuildStatus.UNCHANGED or result.team_id in shared.repeated:
                    final[result.team_id] = result  # its record holds the overview's part only
                else:
                    final[result.team_id] = slim(result)  # the overview's part of it only
            timings["docx"] = time.perf_counter() - started
            if pdfs is not None:
                pdfs.drain()  # the PDFs still in LibreOffice once every .docx is written
                timings["pdf"] = time.perf_counter() - started - timings["docx"]
    except BaseException:
        # Ctrl-C, SIGTERM or an unexpected error: the teams finished so far go into the
        # manifest, so a rerun builds only the others. A team whose PDF was not verified
        # (or not archived) yet is left out and rebuilt.
        with contextlib.suppress(Exception):
            _record(manifest, [final[t] for t in order if t in final], inputs, shared, opts)
        raise
    results = [final[t] for t in order]
    with shared.times.stage("manifest"):
        _record(manifest, results, inputs, shared, opts)
    forget_written(opts.out_dir)  # the manifest saved above knows every file this run wrote
    records = shared.records
    _keep_records(records, results, shared)
    _keep_failures(records, results, docx_status, inputs, shared, opts)
    last = (records.overview_key, records.overview_files)
    destroyable = [DestroyRow(name=d.name, file=f"{ARCHIVE_DIR}/{d.stem}.pdf", end=d.end)
                   for d in history.destroyable(opts.out_dir / ARCHIVE_DIR, opts.today)]
    unchanged = _unchanged_key(results, shared, opts, destroyable)
    # The same inputs, and the files still those last written: nothing need be made.
    same = bool(unchanged) and unchanged == records.inputs_key and bool(
        records.overview_files) and all(
        _same(opts.out_dir / name, digest, shared)
        for name, digest in records.overview_files.items()
    ) and _same(opts.out_dir / AGENDA_NAME, records.agenda_hash, shared)
    if not same:  # the overview and the agenda are made: every team's whole record
        results = [_whole(r, records, opts.out_dir) for r in results]
    with shared.times.stage("overview"):
        overview, records.overview_key, records.overview_files = write_overview_if_changed(
            results, opts.out_dir, today=opts.today, policy=shared.policy, logo=shared.logo,
            last=last, destroyable=destroyable, same=same, hash_file=shared.hash_file)
    organisation = shared.policy.branding.organisation
    agenda_file = opts.out_dir / AGENDA_NAME
    with shared.times.stage("agenda"):
        key = records.agenda_key if same else agenda_key(results, organisation, opts.today)
        if key != records.agenda_key or not _same(agenda_file, records.agenda_hash, shared):
            written = write_agenda(results, opts.out_dir, organisation, today=opts.today)
            records.agenda_key, records.agenda_hash = key, sha256_file(written)
            shared.records_changed = True
    if unchanged != records.inputs_key:
        records.inputs_key = unchanged
        shared.records_changed = True
    if shared.records_changed or last != (records.overview_key, records.overview_files):
        save_records(opts.out_dir, records)
    if shared.file_hashes is not None:
        shared.file_hashes.save(written=(opts.out_dir / rel for files in shared.written.values()
                                         for rel in files))
    # Every team with a protocol, also one whose adoption was refused for want of a review
    # (an unchanged team's record keeps its annex's reviews).
    reviews = write_reviews(opts.out_dir, shared.reviews, {
        r.team_id: r.protocol.annex.reviews for r in results if r.protocol is not None})
    if reviews is not None:
        overview = [reviews, *overview]
    timings["totaal"] = time.perf_counter() - started
    return BatchReport(results=results, overview=overview, timings=timings,
                       stages=shared.times)


def _whole(result: TeamResult, records: Records, out_dir: Path) -> TeamResult:
    """An unchanged team's result with its record's whole overview protocol (it came with
    the brief one, `team._unchanged`); read from its `protocol.json` if the record's text
    does not read."""
    record = records.teams.get(result.team_id)
    if result.status != BuildStatus.UNCHANGED or record is None or \
            result.protocol is not record.brief:
        return result
    try:
        protocol = record.protocol
    except ValidationError:
        protocol = overview_protocol(Protocol.model_validate_json(
            (out_dir / outputs_of(result.team_id)["json"]).read_bytes()))
    return result.model_copy(update={"protocol": protocol})


def _unchanged_key(results: list[TeamResult], shared: Shared, opts: BuildOptions,
                   destroyable: list[DestroyRow]) -> str:
    """The key of what the overview and the agenda are made of, when every team has a record
    ('' otherwise): each team's record (by the hash of the `protocol.json` it was made from,
    or its failure's key) and its files (as the manifest lists them), and the shared inputs
    (policy, logo, template and program by their hashes), the day and the archive's versions
    past their term; not a team's warnings, which neither shows. The same key means the same
    overview and agenda as last written, which then need not be made again to find that out.

    A team built in this run counts as the one unchanged next time: the overview shows no
    difference between them (`report.data.TeamRow.failed`), so the unchanged rebuild right
    after a build finds the overview the same without making it (2,000 teams: 1.5 s of
    reading every team's record, and making the overview to compare it)."""
    digest = hashlib.sha256(json.dumps(
        [shared.hashes, opts.today.isoformat(), OVERVIEW_FORMAT, template_hash(),
         [[d.name, d.file, d.end.isoformat()] for d in destroyable]], sort_keys=True).encode())
    for r in results:
        entry = shared.manifest.teams.get(r.team_id)
        if r.team_id in shared.repeated:
            failed = shared.records.failed.get(r.team_id)
            said = ["mislukt", failed.key if failed is not None else "",
                    sorted(r.outputs.items())]
        elif r.status in (BuildStatus.UNCHANGED, BuildStatus.BUILT) and \
                r.team_id in shared.records.teams and entry is not None:
            # The manifest's list, not the result's: an unchanged team's result names only
            # the files the overview links to, a built one also the archive's sidecars.
            said = ["gemaakt", shared.records.teams[r.team_id].json_hash, sorted(entry.outputs)]
        else:
            return ""
        digest.update(json.dumps([*said, r.team_id]).encode())
    return digest.hexdigest()


def _same(path: Path, digest: str, shared: Shared) -> bool:
    """True when `path` is a file with the SHA-256 `digest` (read only when its `stat` is
    not the one recorded with its hash, `Shared.hash_file`)."""
    try:
        return bool(digest) and shared.hash_file(path) == digest
    except OSError:
        return False


def _keep_records(records: Records, results: list[TeamResult], shared: Shared) -> None:
    """The overview's record of every team built now; none for a failed or gone team."""
    teams = {r.team_id: r for r in results}
    for team_id in [t for t in records.teams if t not in teams]:
        del records.teams[team_id]
        shared.records_changed = True
    for r in results:
        if r.status == BuildStatus.FAILED:
            shared.records_changed |= records.teams.pop(r.team_id, None) is not None
        elif r.status == BuildStatus.BUILT and r.protocol is not None:
            json_hash = shared.written.get(r.team_id, {}).get(outputs_of(r.team_id)["json"], "")
            # The result holds its overview protocol already (`slim`).
            records.teams[r.team_id] = TeamRecord.of(json_hash, r.protocol)
            shared.records_changed = True


def _keep_failures(records: Records, results: list[TeamResult],
                   docx_status: dict[str, BuildStatus], inputs: dict[str, dict[str, str]],
                   shared: Shared, opts: BuildOptions) -> None:
    """Keep the failure of every team that failed on a verdict about its inputs, to report it
    again while they do not change (`failures.py`); drop those of teams built, gone, or
    failed for a reason the next run tries again."""
    for r in results:
        if r.team_id in shared.repeated:
            continue  # reported from its record, which stays as it is
        kept = None
        if r.team_id in inputs and is_verdict(docx_status.get(r.team_id, BuildStatus.FAILED),
                                              r, r.team_id in shared.transient,
                                              r.team_id in shared.pdf_refused):
            key = failure_key(r.team_id, inputs[r.team_id], shared, opts)
            kept = recorded(r, shared.passing.get(r.team_id, []), key)
        before = records.failed.get(r.team_id)
        if kept is None:
            shared.records_changed |= records.failed.pop(r.team_id, None) is not None
        elif kept != before:
            records.failed[r.team_id] = kept
            shared.records_changed = True
    teams = {r.team_id for r in results}
    for team_id in [t for t in records.failed if t not in teams]:
        del records.failed[team_id]
        shared.records_changed = True


def _record(manifest: Manifest, results: list[TeamResult], inputs: dict[str, dict[str, str]],
            shared: Shared, opts: BuildOptions) -> None:
    """Write what was built into the manifest; failed teams are left out of it (one failed
    on a verdict about unchanged inputs is reported again from its record, `failures.py`).

    A built team's outputs are recorded with the hashes of what this run wrote
    (`shared.written`), so a file another process changed meanwhile does not pass for ours.
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for r in results:
        if r.status == BuildStatus.FAILED:
            manifest.teams.pop(r.team_id, None)
        elif r.status == BuildStatus.BUILT:
            written = shared.written.get(r.team_id, {})
            manifest.teams[r.team_id] = TeamEntry(
                inputs=inputs[r.team_id],
                outputs={p: written[p] for p in r.outputs.values() if p in written},
                tool_version=__version__, schema_version=SCHEMA_VERSION, time=now,
                status=r.protocol.meta.status if r.protocol else ProtocolStatus.CONCEPT)
    # When every team was current the manifest loaded fine and nothing in it changed: leave
    # the file alone, so an unchanged rebuild rewrites nothing but the dated overview.
    current = all(r.status == BuildStatus.UNCHANGED or r.team_id in shared.repeated
                  for r in results)
    if shared.dirty or not (current and (opts.out_dir / MANIFEST_NAME).is_file()):
        save_manifest(opts.out_dir, manifest)
