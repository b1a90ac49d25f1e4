"""A team that failed on inputs that have not changed since: its verdict reported again from
the record the failing run kept, not rebuilt.

Measured (issue 26, 200-team bench): LibreOffice left a table row out at a page break for one
team, and the PDF text check failed that team on every run, so every unchanged rebuild
rendered, converted and checked it again (a soffice start and ~2 s of a 3.6 s rebuild) only
to reach the same verdict. The rule:

- A failure is a *verdict* when it says something about the team's inputs: its forms
  (refused before a protocol was made of them), or the PDF LibreOffice made from them (the
  checks of the PDF refused it: verification, the validator, the text check; `pdfs.py`
  marks the team where that happens). The same inputs give the same .docx bytes
  (`pipeline.render`), and the same LibreOffice makes the same PDF of them, so the verdict
  is the same next time.
- A verdict is kept only where its record holds nothing of the team's answers that the
  output folder does not hold already: a team refused by the adoption gates has a protocol
  but no folder (a refused team leaves none of its answers behind,
  tests/hardening/test_hardening_privacy.py), so it is assembled again on every run (its
  forms read and merged; nothing rendered or converted). A team whose PDF failed keeps its
  .docx and protocol.json in its folder.
- Everything else is *transient* and retried on the next run: a form or output file that
  could not be read or written (OSError, `OutputError`: a full disk, a lock), LibreOffice
  making no PDF (crash, timeout, killed: those problems name the .docx), the archive copy.
- A verdict is reported again only for the same key: the team's input hashes (forms,
  reviews, policy, templates, logo, program version, with or without PDF), the build date
  (the adoption gates and dates read it), the team's archived versions, whether the policy
  is the example's, and with PDFs the LibreOffice installation. `--force` rebuilds it.

The repeated result is the recorded one with a warning saying it was not rebuilt, so the
coordinator still sees the failure, and the exit code still says a team failed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from pipeline.batch.records import FailedRecord
from pipeline.batch.shared import BuildOptions, Shared
from pipeline.errors import Problem
from pipeline.models import BuildStatus, TeamResult
from pipeline.pdf.soffice import find_soffice


@functools.cache
def libreoffice_identity() -> str:
    """What tells one LibreOffice installation from another, without starting it: its
    program folder, its `versionrc` and the size and time of its main library (an upgrade
    replaces both). '' when there is none."""
    try:
        program = Path(os.path.realpath(find_soffice())).parent
    except Exception:  # noqa: BLE001  (no soffice: no PDF verdict can be repeated either)
        return ""
    parts = [str(program)]
    for name in ("versionrc", "libmergedlo.so", "soffice.bin"):
        path = program / name
        try:
            stat = path.stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
            if name == "versionrc":
                parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            parts.append(f"{name}:-")
    return "/".join(parts)


def failure_key(team_id: str, inputs: dict[str, str], shared: Shared,
                opts: BuildOptions) -> str:
    """The key a team's failure verdict holds for (see the module's rule)."""
    archived = {rel: record.pdf for rel, record in sorted(shared.manifest.archive.items())
                if record.team_id == team_id}
    said = {"inputs": inputs, "today": opts.today.isoformat(), "archief": archived,
            "example": sorted(shared.example), "demo": shared.demo,
            "libreoffice": libreoffice_identity() if opts.pdf else ""}
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()


def is_verdict(docx_status: BuildStatus, final: TeamResult, transient: bool,
               pdf_refused: bool) -> bool:
    """True when `final` (a failed team) failed on a verdict about its inputs.

    `docx_status` is what the .docx stage made of the team (failed there, or built and
    then failed at its PDF); `transient` says the .docx stage failed on reading or writing a
    file (`build_team`); `pdf_refused` that the checks refused the team's PDF (`pdfs.py`),
    not LibreOffice making none or the archive copy failing, which the next run tries
    again."""
    if final.status != BuildStatus.FAILED or not final.problems:
        return False
    if docx_status == BuildStatus.FAILED:
        return not transient and final.protocol is None
    return pdf_refused


def repeated_note(team_id: str) -> Problem:
    """The warning a failure reported again carries."""
    return Problem(file=team_id, message=(
        "niet opnieuw gebouwd: er is niets veranderd sinds de vorige build, die om dezelfde "
        "reden mislukte (formulieren, beleid, sjabloon en programma zijn gelijk)"),
        hint="Los op wat hierboven staat en bouw opnieuw, of bouw met --force om het toch "
             "opnieuw te proberen")


def repeated(record: FailedRecord, remarks: list[Problem]) -> TeamResult:
    """The recorded failure reported again: the note that it was not rebuilt first (the
    command line shows a team's first three remarks), this run's remarks on the team's
    folder, then the recorded warnings."""
    result = record.result
    return result.model_copy(update={
        "warnings": [repeated_note(result.team_id), *remarks, *result.warnings]})


def recorded(final: TeamResult, passing: list[Problem], key: str) -> FailedRecord:
    """The record of a failure, without the warnings about this run only (`passing`: the
    remarks on the team's folder, which the next run makes again, and a hand edit moved
    aside)."""
    warnings = [w for w in final.warnings if w not in passing]
    return FailedRecord(key=key, result=final.model_copy(update={"warnings": warnings}))
