"""The batch: every team from forms to protocol; one team's failure never stops the others."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__, history
from pipeline.adoption import Gap, adoption_problems
from pipeline.agenda import write_agenda
from pipeline.archive import (
    MANIFEST_NAME,
    ArchiveRecord,
    Manifest,
    TeamEntry,
    archive_name,
    load_manifest,
    output_lock,
    prepare_out_dir,
    save_manifest,
    team_is_current,
)
from pipeline.assess import assemble
from pipeline.catalogue import CONTACT_KINDS, SCHEMA_VERSION, TEAM_KIND
from pipeline.changes import changes_docx
from pipeline.errors import ConversionError, Problem, TeamprotocolError, UsageError, os_reason
from pipeline.files import (
    atomic_copy,
    atomic_move,
    atomic_write_bytes,
    ensure_inside,
    sha256_bytes,
    sha256_file,
)
from pipeline.forms.read import form_files, read_team_folder
from pipeline.models import BuildStatus, Protocol, Status, TeamForms, TeamResult
from pipeline.policy import Policy, default_policy_path, load_policy, resolve_logo
from pipeline.render import ANNEX_HEADING, check_template, render_protocol
from pipeline.report import write_overview

PROTOCOL_JSON = "protocol.json"
ARCHIVE_DIR = "archief"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """What `teamprotocol build` was asked to do."""

    forms_dir: Path
    out_dir: Path
    policy_path: Path | None = None
    template: Path | None = None
    jobs: int = 2
    pdf: bool = True
    force: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class BatchReport:
    """The outcome of one batch: a result per team and the overview files."""

    results: list[TeamResult]
    overview: list[Path]
    # Remarks on the whole batch, not one team: a policy font LibreOffice does not have, team
    # folders in the output that the forms folder no longer has.
    warnings: list[Problem] = field(default_factory=list)
    # Wall-clock seconds: "docx" until every .docx is written (LibreOffice already converts
    # and PDFs are verified meanwhile), "pdf" the wait for the remaining PDFs, "totaal".
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[TeamResult]:
        return [r for r in self.results if r.status == BuildStatus.FAILED]


@dataclass
class _Shared:
    """Inputs every team shares: policy, logo, template, and their hashes."""

    policy: Policy
    logo: Path | None
    template: Path | None
    hashes: dict[str, str]
    archive: history.ArchiveIndex  # the adopted versions in archief/ (issue 12)
    manifest: Manifest = field(default_factory=Manifest)
    # Per team, the SHA-256 of every output this run wrote, hashed from the bytes written (or
    # the PDF just verified), never re-read at the end: the manifest records what this run made.
    written: dict[str, dict[str, str]] = field(default_factory=dict)
    dirty: bool = False  # the manifest changed before any team was built (teams dropped)


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
    return sorted(p for p in forms_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and p.resolve() != out)


def _shared_inputs(opts: BuildOptions) -> _Shared:
    policy_path = opts.policy_path or default_policy_path()
    policy = load_policy(opts.policy_path)
    logo = resolve_logo(policy, policy_path)
    hashes = {"beleid": sha256_file(policy_path)}
    template = opts.template
    hashes["sjabloon"] = sha256_file(check_template(template))
    if logo is not None:
        hashes["logo"] = sha256_file(logo)
    # A new version of this program may write different documents from the same inputs, and
    # a build with PDFs has other outputs than one without.
    hashes["teamprotocol"] = sha256_bytes(f"{__version__}/{SCHEMA_VERSION}/{opts.pdf}".encode())
    return _Shared(policy=policy, logo=logo, template=template, hashes=hashes,
                   archive=history.ArchiveIndex(Path(opts.out_dir) / ARCHIVE_DIR))


def _team_inputs(folder: Path, shared: _Shared) -> dict[str, str]:
    forms = {f"{folder.name}/{p.name}": sha256_file(p) for p in form_files(folder)}
    return {**shared.hashes, **forms}


def _outputs(team_id: str) -> dict[str, str]:
    base = f"{team_id}/teamprotocol-{team_id}"
    return {"docx": f"{base}.docx", "pdf": f"{base}.pdf", "json": f"{team_id}/{PROTOCOL_JSON}"}


def _adoption(protocol: Protocol, forms: TeamForms,
              today: dt.date) -> tuple[list[Problem], list[Problem]]:
    """The adoption gates (`pipeline.adoption`) over the team form and the annex's gaps."""
    gaps = [Gap(i.id, i.action) for i in protocol.annex.items
            if i.status in (Status.DEELS, Status.ONTBREEKT)] if protocol.annex else []
    return adoption_problems(forms.forms[TEAM_KIND], gaps, today=today)


def _archive_rel(shared: _Shared, protocol: Protocol, team_id: str) -> str:
    """`archief/<name>.pdf` of an adopted protocol (output-relative, as in the manifest)."""
    meta = protocol.meta
    name = archive_name(shared.policy.branding.short_name, team_id, meta.version,
                        meta.adopted_on)
    return f"{ARCHIVE_DIR}/{name}"


def _adopted_changed(record: ArchiveRecord | None, team_id: str, docx_hash: str,
                     protocol: Protocol, rel: str, path: str) -> list[Problem]:
    """A problem when the archive holds this version of another team, or other text.

    An adopted protocol is a record: `<team>/teamprotocol-<team>.pdf` must never show text
    marked *vastgesteld* that was not adopted. The .docx is byte-identical for the same
    inputs (render.py), so a different hash means the forms, the policy, the template or the
    program changed what this version says since it was archived.
    """
    if record is None:
        return []
    if record.team_id != team_id:
        return [Problem(file=path, field="Versie van het protocol", message=(
            f"de archiefnaam {rel} is al in gebruik voor team '{record.team_id}'"),
            hint="Geef dit team een andere team_id of een andere versie")]
    return [] if record.docx == docx_hash else [_changed_problem(protocol, rel, path)]


def _changed_problem(protocol: Protocol, rel: str, path: str) -> Problem:
    meta = protocol.meta
    return Problem(
        file=path, field="Versie van het protocol", message=(
            f"versie {meta.version} is vastgesteld en gearchiveerd ({rel}), maar de tekst is "
            "sindsdien gewijzigd (formulieren, beleid of sjabloon); de vorige uitvoer van dit "
            "team blijft staan"),
        hint="Verhoog de versie en zet de status op 'concept', of stel de nieuwe versie "
             "opnieuw vast (versie, vastgesteld door en vastgesteld op)")


def _keep_manual_edit(team_id: str, opts: BuildOptions, entry: TeamEntry | None
                      ) -> Problem | None:
    """Move an output .docx edited by hand aside (`…-handmatig-<date>.docx`), and say so.

    The manifest holds the hash of the .docx the last build wrote; a different file is
    someone's edit, which the rebuild would otherwise overwrite without a word.
    """
    rel = _outputs(team_id)["docx"]
    path = opts.out_dir / rel
    if entry is None or rel not in entry.outputs or not path.is_file():
        return None
    if sha256_file(path) == entry.outputs[rel]:
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
        if team.get(f"{TEAM_KIND}.contact_{kind}") is True and kind not in forms.forms]


def _build_docx(folder: Path, shared: _Shared, opts: BuildOptions,
                remarks: list[Problem]) -> TeamResult:
    """Read, merge, assess and render one team; write its .docx and protocol.json."""
    team_id = folder.name
    forms, warnings = read_team_folder(folder)
    protocol, previous = history.previous_cycle(
        assemble(shared.policy, forms, today=opts.today), shared.archive)
    team_form = forms.forms[TEAM_KIND].path
    problems, adoption_warnings = _adoption(protocol, forms, opts.today)
    result = TeamResult(team_id=team_id, team=protocol.meta.team, status=BuildStatus.BUILT,
                        protocol=protocol,
                        warnings=[*remarks, *_missing_contact_forms(folder, forms), *warnings,
                                  *adoption_warnings])
    if problems:
        result.status, result.problems = BuildStatus.FAILED, problems
        return result
    data = render_protocol(protocol, shared.policy, template=shared.template, logo=shared.logo)
    docx_hash = sha256_bytes(data)
    if protocol.meta.status == "vastgesteld":
        rel = _archive_rel(shared, protocol, team_id)
        problems = _adopted_changed(shared.manifest.archive.get(rel), team_id, docx_hash,
                                    protocol, rel, team_form)
        if problems:
            result.status, result.problems = BuildStatus.FAILED, problems
            return result
    outputs = _outputs(team_id)
    edited = _keep_manual_edit(team_id, opts, shared.manifest.teams.get(team_id))
    if edited is not None:
        result.warnings.insert(0, edited)
    json_bytes = protocol.model_dump_json(indent=1).encode()
    atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["docx"])), data)
    atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["json"])), json_bytes)
    shared.written[team_id] = {outputs["docx"]: docx_hash,
                               outputs["json"]: sha256_bytes(json_bytes)}
    result.outputs = {"docx": outputs["docx"], "json": outputs["json"]}
    if previous is not None:  # what changed since the last adopted version, tracked
        result.outputs["wijzigingen"] = changes = f"{team_id}/wijzigingen-{team_id}.docx"
        data = changes_docx(previous, protocol, when=dt.datetime.combine(opts.today, dt.time()))[0]
        atomic_write_bytes(ensure_inside(opts.out_dir, Path(changes)), data)
        shared.written[team_id][changes] = sha256_bytes(data)
    stale = opts.out_dir / outputs["pdf"]
    if not opts.pdf and stale.is_file():
        stale.unlink()  # a PDF beside a newer .docx would show text that is no longer true
        result.warnings.insert(0, Problem(file=outputs["pdf"], message=(
            "de PDF van een eerdere build is verwijderd, want hij hoort niet meer bij het "
            "nieuwe Word-bestand"), hint="Bouw zonder --no-pdf voor een nieuwe PDF"))
    return result


def _problems(error: TeamprotocolError, team_id: str) -> list[Problem]:
    """The problems an error stands for, each naming at least the team."""
    return [p if p.file else p.model_copy(update={"file": team_id}) for p in error.problems]


def _failed(team_id: str, error: TeamprotocolError,
            remarks: list[Problem] | None = None) -> TeamResult:
    return TeamResult(team_id=team_id, status=BuildStatus.FAILED,
                      problems=_problems(error, team_id), warnings=remarks or [])


def _unchanged(team_id: str, entry: TeamEntry, out_dir: Path) -> TeamResult:
    json_path = out_dir / _outputs(team_id)["json"]
    protocol = Protocol.model_validate_json(json_path.read_bytes())
    outputs = {k: v for k, v in _outputs(team_id).items() if v in entry.outputs}
    archived = [p for p in entry.outputs if p.startswith(ARCHIVE_DIR + "/") and p.endswith(".pdf")]
    if archived:
        outputs["archief"] = archived[0]
    return TeamResult(team_id=team_id, team=protocol.meta.team, status=BuildStatus.UNCHANGED,
                      protocol=protocol, outputs=outputs)


def _finish_pdf(r: TeamResult, outcome: Path | Exception | None, shared: _Shared,
                opts: BuildOptions) -> None:
    """Verify one converted PDF/A and archive it when adopted; a bad one is not published."""
    from pipeline.verify import settle_ua_claim, verify_pdf

    pdf = opts.out_dir / _outputs(r.team_id)["pdf"]
    if isinstance(outcome, Exception) or outcome is None:
        error = outcome if isinstance(outcome, TeamprotocolError) else None
        r.status = BuildStatus.FAILED
        r.problems.append(Problem(file=r.outputs["docx"], message=(
            error.message if error else "LibreOffice heeft geen PDF gemaakt"),
            hint="Probeer het opnieuw; blijft het mislukken, meld het dan aan de beheerder"))
        return
    meta = r.protocol.meta
    adopted = meta.status == "vastgesteld"
    # What goes to the archive is validated for PDF/A-2b and PDF/UA-1 and is not archived
    # when it fails; a concept claims PDF/UA-1 only when it passes (else a warning).
    rel_pdf = _outputs(r.team_id)["pdf"]
    problems = verify_pdf(pdf, expect_text=ANNEX_HEADING, validate=adopted, name=rel_pdf)
    if not problems and not adopted:
        r.warnings.extend(settle_ua_claim(pdf, name=rel_pdf))
    if problems:
        pdf.unlink(missing_ok=True)  # a PDF that fails verification is never published
        r.status = BuildStatus.FAILED
        r.problems.extend(problems)
        return
    r.outputs["pdf"] = rel_pdf
    written = shared.written[r.team_id]
    written[rel_pdf] = sha256_file(pdf)  # the file just verified, under this run's lock
    if (font := _font_missing(pdf, shared.policy.branding.font)) is not None:
        r.warnings.insert(0, font)
    rendered = written[r.outputs["docx"]]  # the hash adopted-but-changed is compared on
    stamped = _stamp_contents(opts.out_dir / r.outputs["docx"], pdf)
    if stamped is not None:  # the .docx on disk now holds the page numbers: record that
        written[r.outputs["docx"]] = stamped
    if r.protocol is not None and adopted:
        rel = _archive_rel(shared, r.protocol, r.team_id)
        target = ensure_inside(opts.out_dir, Path(rel))
        # The MDTO sidecars are made and validated before anything is archived (issue 12).
        record_files = history.record_files(r.protocol, shared.policy.archive, shared.archive,
                                            target, pdf, dt.datetime.now().astimezone())
        record = _archive(pdf, target, shared.manifest.archive.get(rel), r.team_id, rendered)
        if record is None:  # an archive without a record holds another text
            pdf.unlink(missing_ok=True)
            del written[rel_pdf], r.outputs["pdf"]
            r.status = BuildStatus.FAILED
            r.problems.append(_changed_problem(r.protocol, rel, r.outputs["docx"]))
            return
        shared.manifest.archive[rel] = record
        written[rel] = record.pdf
        r.outputs["archief"] = rel
        for key, name in history.write_record(target, record_files).items():
            r.outputs[key] = f"{ARCHIVE_DIR}/{name}"
            written[r.outputs[key]] = sha256_file(target.parent / name)


def _stamp_contents(docx: Path, pdf: Path) -> str | None:
    """Give the .docx a real TOC field holding the page numbers LibreOffice laid out; the
    SHA-256 of the stamped file, or None when nothing changed."""
    from pipeline.docx_toc import stamp_toc, toc_pages_from_links
    from pipeline.verify import toc_link_pages

    stamped = stamp_toc(docx.read_bytes(), toc_pages_from_links(toc_link_pages(pdf)))
    if stamped is None:
        return None
    atomic_write_bytes(docx, stamped)
    return sha256_bytes(stamped)


def _archive(pdf: Path, target: Path, record: ArchiveRecord | None, team_id: str,
             docx_hash: str) -> ArchiveRecord | None:
    """Copy an adopted protocol's PDF into the archive; an archived PDF is never replaced.

    Returns the archive's record; None when the archive already holds a PDF under this name
    that no record describes (an older manifest, or one lost) and whose text differs.
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if not target.exists():
        atomic_copy(pdf, target)
        return ArchiveRecord(team_id=team_id, docx=docx_hash, pdf=sha256_file(target), time=now)
    if record is not None:  # its .docx hash was compared before this team's .docx was written
        return record
    from pipeline.verify import text_digest

    same = text_digest(target)
    if same is None or same != text_digest(pdf):
        return None
    return ArchiveRecord(team_id=team_id, docx=docx_hash, pdf=sha256_file(target), time=now)


class _Pdfs:
    """The PDF side of a batch: submits each written .docx, finishes each PDF that comes back.

    LibreOffice starts on the first documents while the batch is still rendering the rest,
    and every PDF is verified as soon as its list is done, so Python and soffice work at the
    same time instead of one after the other. The converter starts with the first team that
    needs a PDF: an unchanged rebuild starts no LibreOffice at all.
    """

    # An idle soffice process waits for this many documents while more are being rendered:
    # a process start (~0.3 s) for a single document would cost more than it gains.
    MIN_LIST = 4

    def __init__(self, stack: contextlib.ExitStack, shared: _Shared, opts: BuildOptions,
                 progress: Progress, done: set[str]) -> None:
        self._stack, self._shared, self._opts, self._progress = stack, shared, opts, progress
        self._done = done  # team ids whose result is final: PDF verified and archived, or not
        self._converter = None
        self._waiting: dict[Path, TeamResult] = {}

    def add(self, r: TeamResult) -> None:
        """Queue a built team's .docx; skipped and failed teams only advance the progress."""
        if r.status != BuildStatus.BUILT:
            self._done.add(r.team_id)
            self._progress(r.team_id)
            return
        if self._converter is None:
            from pipeline.convert import PdfConverter

            self._converter = self._stack.enter_context(PdfConverter(jobs=self._opts.jobs))
        docx = self._opts.out_dir / r.outputs["docx"]
        self._waiting[docx] = r
        pdf = self._opts.out_dir / _outputs(r.team_id)["pdf"]
        self._finish(self._converter.submit([(docx, pdf)]))

    def poll(self) -> None:
        """Finish the PDFs done so far, without waiting."""
        if self._converter is not None:
            self._finish(self._converter.poll(min_list=self.MIN_LIST))

    def drain(self) -> None:
        """Wait for every PDF still being converted, finishing each as soon as it is there."""
        if self._converter is not None:
            for done in self._converter.drain():
                self._finish(done)

    def _finish(self, outcomes: dict[Path, Path | ConversionError]) -> None:
        for docx, outcome in outcomes.items():
            r = self._waiting.pop(docx)
            try:
                _finish_pdf(r, outcome, self._shared, self._opts)
            except TeamprotocolError as e:  # the archive copy could not be written
                r.status = BuildStatus.FAILED
                r.problems.extend(_problems(e, r.team_id))
            self._done.add(r.team_id)
            self._progress(r.team_id)


def _build_team(folder: Path, shared: _Shared, opts: BuildOptions,
                inputs: dict[str, dict[str, str]]) -> TeamResult:
    """One team: unchanged (from the manifest), built (.docx and json), or failed.

    The hashes of the team's inputs go into `inputs[team_id]`, for the manifest.
    """
    team_id = folder.name
    manifest = shared.manifest
    entry = manifest.teams.get(team_id)
    remarks: list[Problem] = []
    try:
        remarks = _folder_remarks(folder)
        inputs[team_id] = _team_inputs(folder, shared)  # a form we may not read fails here
        if (not opts.force and entry is not None
                and team_is_current(manifest, team_id, inputs[team_id], opts.out_dir)):
            result = _unchanged(team_id, entry, opts.out_dir)
            result.warnings = remarks
            return result
        return _build_docx(folder, shared, opts, remarks)
    except TeamprotocolError as e:
        return _failed(team_id, e, remarks)
    except (OSError, ValueError) as e:  # an unreadable form or protocol.json, disk full, ...
        reason = os_reason(e) if isinstance(e, OSError) else "onleesbare gegevens"
        return _failed(team_id, TeamprotocolError(
            f"kon niet worden gebouwd ({reason})", file=folder,
            hint="Controleer de map en probeer het opnieuw"), remarks)


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


def _font_missing(pdf: Path, font: str) -> Problem | None:
    """A warning when the PDF does not embed the policy's font (or its metric twin)."""
    from pipeline.convert import metric_twin
    from pipeline.verify import page_fonts

    wanted = {font.replace(" ", "").lower(), metric_twin(font).replace(" ", "").lower()}
    embedded = page_fonts(pdf)
    if any(name.lower().startswith(w) for name in embedded for w in wanted if w):
        return None
    shown = ", ".join(sorted({n.split("-")[0] for n in embedded})[:3]) or "geen"
    return Problem(file=pdf.name, field="branding.font", message=(
        f"de PDF/A bevat het lettertype '{font}' niet, maar {shown}"),
        hint="Installeer het lettertype op deze computer, of kies in het beleid een "
             "lettertype dat er wel is, zoals Calibri (LibreOffice gebruikt dan Carlito)")


def _font_remarks(opts: BuildOptions, shared: _Shared) -> list[Problem]:
    """A warning when LibreOffice would set the PDF in another font than the policy names."""
    from pipeline.convert import font_substitute

    font = shared.policy.branding.font
    used = font_substitute(font) if opts.pdf else None
    if used is None:
        return []
    return [Problem(file=str(opts.policy_path or default_policy_path()), field="branding.font",
                    message=f"het lettertype '{font}' is op deze computer niet geïnstalleerd; "
                    f"de PDF/A krijgt '{used}', terwijl het Word-bestand '{font}' noemt",
                    hint="Installeer het lettertype, of kies in het beleid een lettertype dat "
                         "er wel is, zoals Carlito (gelijk aan Calibri)")]


def build_all(opts: BuildOptions, progress: Progress | None = None) -> BatchReport:
    """Build every team below `opts.forms_dir` into `opts.out_dir`; never stop at one team.

    `progress` is called twice per team (once for the .docx, once for the PDF, or once for
    both with `pdf=False`). The whole run holds the lock on `opts.out_dir`.
    """
    progress = progress or (lambda _label: None)
    started = time.perf_counter()
    shared = _shared_inputs(opts)  # a bad policy or template stops the batch: it concerns all
    folders = team_folders(opts.forms_dir, opts.out_dir)
    _check_forms_dir(opts.forms_dir, folders)
    if opts.pdf:
        from pipeline.convert import find_soffice

        find_soffice()  # before any team: a missing LibreOffice concerns every team
    prepare_out_dir(opts.out_dir)  # read-only or unwritable: one clear error, early
    with output_lock(opts.out_dir):
        shared.manifest = load_manifest(opts.out_dir)
        orphans = _orphans(folders, shared.manifest, opts.out_dir)
        shared.dirty = bool(orphans)
        warnings = [*_font_remarks(opts, shared), *orphans]
        report = _run(folders, shared, opts, progress, started)
    report.warnings = warnings
    return report


def _run(folders: list[Path], shared: _Shared, opts: BuildOptions, progress: Progress,
         started: float) -> BatchReport:
    manifest = shared.manifest
    results: list[TeamResult] = []
    inputs: dict[str, dict[str, str]] = {}
    timings: dict[str, float] = {}
    done: set[str] = set()  # teams whose outputs are complete (or whose failure is final)
    try:
        with contextlib.ExitStack() as stack:  # closes LibreOffice whatever happens
            pdfs = _Pdfs(stack, shared, opts, progress, done) if opts.pdf else None
            for folder in folders:
                result = _build_team(folder, shared, opts, inputs)
                results.append(result)
                progress(result.team_id)
                if pdfs is not None:
                    pdfs.add(result)
                    pdfs.poll()
                else:
                    done.add(result.team_id)
            timings["docx"] = time.perf_counter() - started
            if pdfs is not None:
                pdfs.drain()  # the PDFs still in LibreOffice once every .docx is written
                timings["pdf"] = time.perf_counter() - started - timings["docx"]
    except BaseException:
        # Ctrl-C, SIGTERM or an unexpected error: the teams finished so far go into the
        # manifest, so a rerun builds only the others. A team whose PDF was not verified
        # (or not archived) yet is left out and rebuilt.
        with contextlib.suppress(Exception):
            _record(manifest, [r for r in results if r.team_id in done], inputs, shared, opts)
        raise
    _record(manifest, results, inputs, shared, opts)
    overview = write_overview(results, opts.out_dir, today=opts.today, policy=shared.policy,
                              logo=shared.logo)
    write_agenda(results, opts.out_dir, shared.policy.branding.organisation, today=opts.today)
    timings["totaal"] = time.perf_counter() - started
    return BatchReport(results=results, overview=overview, timings=timings)


def _record(manifest: Manifest, results: list[TeamResult], inputs: dict[str, dict[str, str]],
            shared: _Shared, opts: BuildOptions) -> None:
    """Write what was built into the manifest; failed teams are rebuilt next time.

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
                status=r.protocol.meta.status if r.protocol else "concept")
    # When every team was current the manifest loaded fine and nothing in it changed: leave
    # the file alone, so an unchanged rebuild rewrites nothing but the dated overview.
    current = all(r.status == BuildStatus.UNCHANGED for r in results)
    if shared.dirty or not (current and (opts.out_dir / MANIFEST_NAME).is_file()):
        save_manifest(opts.out_dir, manifest)
