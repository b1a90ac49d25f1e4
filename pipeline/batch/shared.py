"""What every part of a batch shares: the options, the inputs all teams have in common and
their hashes, the run's bookkeeping, and where a team's outputs go."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from pipeline import __version__, history
from pipeline.archive import Manifest, archive_name
from pipeline.batch.hashes import FileHashes
from pipeline.batch.records import Records
from pipeline.batch.timing import StageTimes
from pipeline.catalogue import SCHEMA_VERSION
from pipeline.errors import Problem
from pipeline.files import atomic_write_bytes, sha256_bytes, sha256_file
from pipeline.forms.folder import form_files
from pipeline.models import BuildStatus, Protocol, TeamResult
from pipeline.policy import Policy, default_policy_path, load_policy, resolve_logo
from pipeline.policy.example import example_markers
from pipeline.render import CARD_TEMPLATE, check_template
from pipeline.report.reviews import REVIEWS_XLSX, ReviewBook

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
    stages: StageTimes = field(default_factory=StageTimes)  # per stage, for `make bench`

    @property
    def failed(self) -> list[TeamResult]:
        return [r for r in self.results if r.status == BuildStatus.FAILED]


@dataclass
class Shared:
    """Inputs every team shares: policy, logo, template, and their hashes."""

    policy: Policy
    logo: Path | None
    template: Path | None
    hashes: dict[str, str]
    archive: history.ArchiveIndex  # the adopted versions in archief/
    manifest: Manifest = field(default_factory=Manifest)
    # Per team, hashes of .docx files an interrupted earlier run wrote (archive.written_by_us).
    journal: dict[str, set[str]] = field(default_factory=dict)
    # What of a policy file is still the invented example organisation's: nothing is adopted
    # with it (policy.example.example_markers); empty for the embedded example, on purpose.
    example: list[str] = field(default_factory=list)
    # The example policy is in use (the demo, `--policy voorbeeld`, or a file still holding
    # example markers): what it archives is marked as an example (`mdto.EXAMPLE_PREFIX`).
    demo: bool = False
    # Per team, the SHA-256 of every output this run wrote, hashed from the bytes written (or
    # the PDF just verified), never re-read at the end: the manifest records what this run made.
    written: dict[str, dict[str, str]] = field(default_factory=dict)
    dirty: bool = False  # the manifest changed before any team was built (teams dropped)
    # The overview's record of every team (`records.py`), loaded with the manifest.
    records: Records = field(default_factory=Records)
    records_changed: bool = False  # a team's record was made, replaced or dropped
    times: StageTimes = field(default_factory=StageTimes)
    # The coordinator's review workbook (beoordelingen.xlsx), read before any team is built.
    reviews: ReviewBook = field(default_factory=ReviewBook)
    # The forms' and outputs' hashes, trusted while a file's `stat` is unchanged (`hashes.py`);
    # None hashes every file.
    file_hashes: FileHashes | None = None
    # Failures (`failures.py`): the teams whose recorded failure was reported again, those
    # whose .docx stage failed on reading or writing a file (retried next run), those whose
    # PDF the checks refused (a verdict on the PDF LibreOffice made of their inputs), and per
    # team the warnings about this run only (its folder's remarks, a hand edit moved aside),
    # which a recorded failure leaves out.
    repeated: set[str] = field(default_factory=set)
    transient: set[str] = field(default_factory=set)
    pdf_refused: set[str] = field(default_factory=set)
    passing: dict[str, list[Problem]] = field(default_factory=dict)

    def hash_file(self, path: Path) -> str:
        """The SHA-256 of the file at `path`: from `file_hashes` while its `stat` is the one
        recorded, else read (OSError as `sha256_file` raises it)."""
        return self.file_hashes.sha256(path) if self.file_hashes is not None \
            else sha256_file(path)


# The policy as last validated, beside the manifest: an unchanged rebuild of 200 teams spent
# ~0.65 s of its ~1.4 s in PyYAML's pure-Python composer (which the reader's alias and
# duplicate-key checks need); the validated policy's JSON reads in ~15 ms. Used only for the
# same policy file bytes and the same program version.
POLICY_CACHE = ".teamprotocol-beleid.json"


def _policy_key(policy_hash: str) -> str:
    return sha256_bytes(f"{__version__}/{SCHEMA_VERSION}/{policy_hash}".encode())


def cached_policy(opts: BuildOptions, policy_hash: str) -> Policy | None:
    """The policy validated by an earlier run from the same file, if the output folder has it."""
    try:
        cached = json.loads((Path(opts.out_dir) / POLICY_CACHE).read_bytes())
        if isinstance(cached, dict) and cached.get("key") == _policy_key(policy_hash):
            return Policy.model_validate(cached["policy"])
    except (OSError, ValueError, KeyError, ValidationError):
        pass
    return None


def save_policy_cache(opts: BuildOptions, shared: Shared) -> None:
    """Keep the validated policy for the next run (inside the output lock); a file that cannot
    be written is left out."""
    path = Path(opts.out_dir) / POLICY_CACHE
    data = json.dumps({"key": _policy_key(shared.hashes["beleid"]),
                       "policy": shared.policy.model_dump(mode="json")},
                      ensure_ascii=False, sort_keys=True).encode()
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    with contextlib.suppress(OSError):  # only a cache: a full disk is the teams' to report
        atomic_write_bytes(path, data)


def shared_inputs(opts: BuildOptions) -> Shared:
    policy_path = opts.policy_path or default_policy_path()
    policy_hash = sha256_file(policy_path) if Path(policy_path).is_file() else ""
    policy = (policy_hash and cached_policy(opts, policy_hash)) or load_policy(opts.policy_path)
    logo = resolve_logo(policy, policy_path)
    hashes = {"beleid": policy_hash or sha256_file(policy_path)}
    template = opts.template
    hashes["sjabloon"] = sha256_file(check_template(template))
    # The alarm card's own template (always ours): a new card layout rebuilds every team,
    # and an output folder built before the card existed gets its cards.
    hashes["kaartsjabloon"] = sha256_file(CARD_TEMPLATE)
    if logo is not None:
        hashes["logo"] = sha256_file(logo)
    # A new version of this program may write different documents from the same inputs, and
    # a build with PDFs has other outputs than one without.
    hashes["teamprotocol"] = sha256_bytes(f"{__version__}/{SCHEMA_VERSION}/{opts.pdf}".encode())
    example = example_markers(policy, opts.policy_path)
    return Shared(policy=policy, logo=logo, template=template, hashes=hashes,
                   archive=history.ArchiveIndex(Path(opts.out_dir) / ARCHIVE_DIR),
                   example=example, demo=opts.policy_path is None or bool(example))


def team_inputs(folder: Path, shared: Shared) -> dict[str, str]:
    forms = {f"{folder.name}/{p.name}": shared.hash_file(p) for p in form_files(folder)}
    reviews = shared.reviews.reviews(folder.name)
    if reviews:
        # A decision of the coordinator changes the protocol as a form does.
        said = "\n".join(f"{k}={r.model_dump_json()}" for k, r in sorted(reviews.items()))
        forms[REVIEWS_XLSX] = sha256_bytes(said.encode())
    return {**shared.hashes, **forms}


def outputs_of(team_id: str) -> dict[str, str]:
    """A team's output files, relative to the output folder: the protocol, its json and the
    alarm card as a document of its own (`kaart-<team>`, to print and hang up)."""
    base = f"{team_id}/teamprotocol-{team_id}"
    card = f"{team_id}/kaart-{team_id}"
    return {"docx": f"{base}.docx", "pdf": f"{base}.pdf", "json": f"{team_id}/{PROTOCOL_JSON}",
            "kaart_docx": f"{card}.docx", "kaart_pdf": f"{card}.pdf"}


def archive_rel(shared: Shared, protocol: Protocol, team_id: str) -> str:
    """`archief/<name>.pdf` of an adopted protocol (output-relative, as in the manifest)."""
    meta = protocol.meta
    name = archive_name(shared.policy.branding.short_name, team_id, meta.version,
                        meta.adopted_on)
    return f"{ARCHIVE_DIR}/{name}"


def changed_problem(protocol: Protocol, rel: str, path: str) -> Problem:
    meta = protocol.meta
    return Problem(
        file=path, field="Versie van het protocol", message=(
            f"versie {meta.version} is vastgesteld en gearchiveerd ({rel}), maar de tekst is "
            "sindsdien gewijzigd (formulieren, beleid of sjabloon); de vorige uitvoer van dit "
            "team blijft staan"),
        hint="Verhoog de versie en zet de status op 'concept', of stel de nieuwe versie "
             "opnieuw vast (versie, vastgesteld door en vastgesteld op)")
