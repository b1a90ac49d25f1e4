"""The batch: every team from forms to protocol; one team's failure never stops the others."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.archive import (
    MANIFEST_NAME,
    Manifest,
    TeamEntry,
    archive_name,
    atomic_copy,
    atomic_write_bytes,
    ensure_inside,
    load_manifest,
    prepare_out_dir,
    save_manifest,
    sha256_bytes,
    sha256_file,
    team_is_current,
)
from pipeline.assess import assemble
from pipeline.catalogue import SCHEMA_VERSION
from pipeline.errors import ConversionError, TeamprotocolError, os_reason
from pipeline.forms.read import read_team_folder
from pipeline.models import Problem, Protocol, TeamResult
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
    # Wall-clock seconds: "docx" until every .docx is written (LibreOffice already converts
    # and PDFs are verified meanwhile), "pdf" the wait for the remaining PDFs, "totaal".
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[TeamResult]:
        return [r for r in self.results if r.status == "mislukt"]


@dataclass
class _Shared:
    """Inputs every team shares: policy, logo, template, and their hashes."""

    policy: Policy
    logo: Path | None
    template: Path | None
    hashes: dict[str, str]


def team_folders(forms_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """The team folders below `forms_dir`: every non-hidden subfolder, sorted by name.

    `out_dir` is never a team folder: `teamprotocol build .` in the forms folder writes
    ./output there, which the next run must not take for a team without a team form.
    """
    if not forms_dir.is_dir():
        raise TeamprotocolError(
            "map met formulieren niet gevonden", file=forms_dir,
            hint="Geef de map op die 'teamprotocol forms' heeft gemaakt, met per team een map")
    out = Path(out_dir).resolve() if out_dir is not None else None
    if out == forms_dir.resolve():
        # The protocols would land in the team folders and be read as forms next time.
        raise TeamprotocolError(
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
    return _Shared(policy=policy, logo=logo, template=template, hashes=hashes)


def _team_inputs(folder: Path, shared: _Shared) -> dict[str, str]:
    forms = {f"{folder.name}/{p.name}": sha256_file(p)
             for p in sorted(folder.glob("*.docx")) if not p.name.startswith("~$")}
    return {**shared.hashes, **forms}


def _outputs(team_id: str) -> dict[str, str]:
    base = f"{team_id}/teamprotocol-{team_id}"
    return {"docx": f"{base}.docx", "pdf": f"{base}.pdf", "json": f"{team_id}/{PROTOCOL_JSON}"}


def _adoption_problems(protocol: Protocol, path: str) -> list[Problem]:
    """Status `vastgesteld` needs who adopted the protocol and when."""
    meta = protocol.meta
    if meta.status != "vastgesteld":
        return []
    missing = [label for label, value in (("Vastgesteld door", meta.adopted_by),
                                          ("Vastgesteld op", meta.adopted_on)) if not value]
    return [Problem(file=path, field=label, tag=None,
                    message="de status is 'vastgesteld' maar dit veld is leeg",
                    hint="Vul het in, of zet de status op 'concept'") for label in missing]


def _build_docx(folder: Path, shared: _Shared, opts: BuildOptions) -> TeamResult:
    """Read, merge, assess and render one team; write its .docx and protocol.json."""
    team_id = folder.name
    forms, warnings = read_team_folder(folder)
    protocol = assemble(shared.policy, forms)
    team_form = forms.forms["team"].path
    problems = _adoption_problems(protocol, team_form)
    result = TeamResult(team_id=team_id, team=protocol.meta.team, status="gebouwd",
                        protocol=protocol, warnings=warnings)
    if problems:
        result.status, result.problems = "mislukt", problems
        return result
    data = render_protocol(protocol, shared.policy, template=shared.template, logo=shared.logo)
    outputs = _outputs(team_id)
    atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["docx"])), data)
    atomic_write_bytes(ensure_inside(opts.out_dir, Path(outputs["json"])),
                       protocol.model_dump_json(indent=1).encode())
    result.outputs = {"docx": outputs["docx"], "json": outputs["json"]}
    return result


def _problems(error: TeamprotocolError, team_id: str) -> list[Problem]:
    """The problems an error stands for: its own list (a team folder's), or itself."""
    return getattr(error, "problems", None) or [Problem(
        file=error.file or team_id, field=error.field, message=error.message, hint=error.hint)]


def _failed(team_id: str, error: TeamprotocolError) -> TeamResult:
    return TeamResult(team_id=team_id, status="mislukt", problems=_problems(error, team_id))


def _unchanged(team_id: str, entry: TeamEntry, out_dir: Path) -> TeamResult:
    json_path = out_dir / _outputs(team_id)["json"]
    protocol = Protocol.model_validate_json(json_path.read_bytes())
    outputs = {k: v for k, v in _outputs(team_id).items() if v in entry.outputs}
    archived = [p for p in entry.outputs if p.startswith(ARCHIVE_DIR + "/")]
    if archived:
        outputs["archief"] = archived[0]
    return TeamResult(team_id=team_id, team=protocol.meta.team, status="ongewijzigd",
                      protocol=protocol, outputs=outputs)


def _finish_pdf(r: TeamResult, outcome: Path | Exception | None, shared: _Shared,
                opts: BuildOptions) -> None:
    """Verify one converted PDF/A and archive it when adopted; a bad one is not published."""
    from pipeline.verify import settle_ua_claim, verify_pdf

    pdf = opts.out_dir / _outputs(r.team_id)["pdf"]
    if isinstance(outcome, Exception) or outcome is None:
        error = outcome if isinstance(outcome, TeamprotocolError) else None
        r.status = "mislukt"
        r.problems.append(Problem(file=r.outputs["docx"], message=(
            error.message if error else "LibreOffice heeft geen PDF gemaakt"),
            hint="Probeer het opnieuw; blijft het mislukken, meld het dan aan de beheerder"))
        return
    meta = r.protocol.meta
    adopted = meta.status == "vastgesteld"
    # What goes to the archive is validated for PDF/A-2b and PDF/UA-1 and is not archived
    # when it fails; a concept claims PDF/UA-1 only when it passes (else a warning).
    problems = verify_pdf(pdf, expect_text=ANNEX_HEADING, validate=adopted)
    if not problems and not adopted:
        r.warnings.extend(Problem(file=_outputs(r.team_id)["pdf"], message=p,
                                  hint="De PDF is gemaakt, maar niet toegankelijk volgens "
                                       "PDF/UA-1; meld dit aan de beheerder")
                          for p in settle_ua_claim(pdf))
    if problems:
        pdf.unlink(missing_ok=True)  # a PDF that fails verification is never published
        r.status = "mislukt"
        r.problems.extend(Problem(file=_outputs(r.team_id)["pdf"], message=p,
                                  hint="Meld dit aan de beheerder") for p in problems)
        return
    r.outputs["pdf"] = _outputs(r.team_id)["pdf"]
    _stamp_contents(opts.out_dir / r.outputs["docx"], pdf)
    if adopted:
        name = archive_name(shared.policy.branding.short_name, r.team_id, meta.version,
                            meta.adopted_on)
        target = ensure_inside(opts.out_dir, Path(ARCHIVE_DIR, name))
        warning = _archive(pdf, target, r.outputs["pdf"])
        if warning is not None:
            r.warnings.insert(0, warning)  # before the unanswered questions
        r.outputs["archief"] = f"{ARCHIVE_DIR}/{name}"


def _stamp_contents(docx: Path, pdf: Path) -> None:
    """Give the .docx a real TOC field holding the page numbers LibreOffice laid out."""
    from pipeline.docx_toc import stamp_toc, toc_pages_from_links
    from pipeline.verify import toc_link_pages

    stamped = stamp_toc(docx.read_bytes(), toc_pages_from_links(toc_link_pages(pdf)))
    if stamped is not None:
        atomic_write_bytes(docx, stamped)


def _archive(pdf: Path, target: Path, shown: str) -> Problem | None:
    """Copy an adopted protocol's PDF into the archive; an archived PDF is never replaced.

    The archive name carries version and adoption date, so a different document under the
    same name is a protocol changed without being adopted again (or rebuilt after a policy
    change): the adopted record stays as it was, and the team lead is told what to do.
    """
    if not target.exists():
        atomic_copy(pdf, target)
        return None
    if sha256_file(target) == sha256_file(pdf):
        return None
    return Problem(
        file=shown, field="Versie van het protocol",
        message=f"het archief bevat al een vastgestelde PDF onder de naam {target.name}; "
                "die is niet vervangen door de nieuwe versie",
        hint="Is het protocol inhoudelijk gewijzigd, verhoog dan de versie en stel het "
             "opnieuw vast; de nieuwe PDF staat in de map van het team")


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
        if r.status != "gebouwd":
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
                r.status = "mislukt"
                r.problems.extend(_problems(e, r.team_id))
            self._done.add(r.team_id)
            self._progress(r.team_id)


def _build_team(folder: Path, shared: _Shared, opts: BuildOptions, manifest: Manifest,
                inputs: dict[str, dict[str, str]]) -> TeamResult:
    """One team: unchanged (from the manifest), built (.docx and json), or failed.

    The hashes of the team's inputs go into `inputs[team_id]`, for the manifest.
    """
    team_id = folder.name
    entry = manifest.teams.get(team_id)
    try:
        inputs[team_id] = _team_inputs(folder, shared)  # a form we may not read fails here
        if (not opts.force and entry is not None
                and team_is_current(manifest, team_id, inputs[team_id], opts.out_dir)):
            return _unchanged(team_id, entry, opts.out_dir)
        return _build_docx(folder, shared, opts)
    except TeamprotocolError as e:
        return _failed(team_id, e)
    except (OSError, ValueError) as e:  # an unreadable form or protocol.json, disk full, ...
        reason = os_reason(e) if isinstance(e, OSError) else "onleesbare gegevens"
        return _failed(team_id, TeamprotocolError(
            f"kon niet worden gebouwd ({reason})", file=folder,
            hint="Controleer de map en probeer het opnieuw"))


def build_all(opts: BuildOptions, progress: Progress | None = None) -> BatchReport:
    """Build every team below `opts.forms_dir` into `opts.out_dir`; never stop at one team.

    `progress` is called twice per team (once for the .docx, once for the PDF, or once for
    both with `pdf=False`).
    """
    progress = progress or (lambda _label: None)
    started = time.perf_counter()
    shared = _shared_inputs(opts)  # a bad policy or template stops the batch: it concerns all
    folders = team_folders(opts.forms_dir, opts.out_dir)
    prepare_out_dir(opts.out_dir)  # read-only or unwritable: one clear error, early
    manifest = load_manifest(opts.out_dir)
    results: list[TeamResult] = []
    inputs: dict[str, dict[str, str]] = {}
    timings: dict[str, float] = {}
    done: set[str] = set()  # teams whose outputs are complete (or whose failure is final)
    try:
        with contextlib.ExitStack() as stack:  # closes LibreOffice whatever happens
            pdfs = _Pdfs(stack, shared, opts, progress, done) if opts.pdf else None
            for folder in folders:
                result = _build_team(folder, shared, opts, manifest, inputs)
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
            _record(manifest, [r for r in results if r.team_id in done], inputs, opts)
        raise
    _record(manifest, results, inputs, opts)
    overview = write_overview(results, opts.out_dir, today=opts.today)
    timings["totaal"] = time.perf_counter() - started
    return BatchReport(results=results, overview=overview, timings=timings)


def _record(manifest: Manifest, results: list[TeamResult], inputs: dict[str, dict[str, str]],
            opts: BuildOptions) -> None:
    """Write what was built into the manifest; failed teams are rebuilt next time."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for r in results:
        if r.status == "mislukt":
            manifest.teams.pop(r.team_id, None)
        elif r.status == "gebouwd":
            manifest.teams[r.team_id] = TeamEntry(
                inputs=inputs[r.team_id],
                outputs={p: sha256_file(opts.out_dir / p) for p in r.outputs.values()},
                tool_version=__version__, schema_version=SCHEMA_VERSION, time=now,
                status=r.protocol.meta.status if r.protocol else "concept")
    # When every team was current the manifest loaded fine and nothing in it changed: leave
    # the file alone, so an unchanged rebuild rewrites nothing but the dated overview.
    current = all(r.status == "ongewijzigd" for r in results)
    if not (current and (opts.out_dir / MANIFEST_NAME).is_file()):
        save_manifest(opts.out_dir, manifest)
