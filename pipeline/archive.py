"""Archive bookkeeping: the output folder's lock, the manifest and stable archive names
(atomic writes and hashes are `pipeline.files`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import socket
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import BaseModel, Field, ValidationError

from pipeline.errors import OutputError
from pipeline.files import (
    atomic_write_bytes,
    ensure_inside,
    output_error,
    safe_name_part,
    sha256_file,
)

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
# A manifest of 200 teams is ~150 KB; anything far larger is not ours and is not parsed.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


# --- one run per output folder ------------------------------------------------------------

LOCK_NAME = ".teamprotocol.lock"
LOCK_INFO_NAME = ".teamprotocol.lock.json"


def _lock_holder(out_dir: Path) -> str:
    """`sinds …, door proces … op …` from the running build's info file, as far as known."""
    try:
        info = json.loads((out_dir / LOCK_INFO_NAME).read_text(encoding="utf-8"))
        since = dt.datetime.fromisoformat(str(info["since"])).astimezone()
        return (f"sinds {since:%d-%m-%Y %H:%M}, door proces {int(info['pid'])} op "
                f"{str(info['host'])[:60]}")
    except (OSError, ValueError, KeyError, TypeError):
        return "sinds een onbekend tijdstip, door een ander proces"


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock on `out_dir` for a whole run, or OutputError at once when another has it.

    Two builds into one folder mixed two policies' documents under one manifest (measured:
    13-40 of 40 teams). The lock is an OS lock (flock through `filelock`): it belongs to the
    process, so a run killed with SIGKILL releases it by dying and the next run simply takes
    it; the lock file itself may stay. Who holds it is written beside it, for the message.
    """
    out_dir = Path(out_dir)
    lock = FileLock(str(out_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise OutputError(f"er draait al een build in deze map, {_lock_holder(out_dir)}",
                          file=out_dir,
                          hint="Wacht tot die klaar is, of kies met --out een andere map") from None
    except OSError as e:
        raise output_error(e, out_dir / LOCK_NAME) from e
    try:
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        atomic_write_bytes(out_dir / LOCK_INFO_NAME, json.dumps(info).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            (out_dir / LOCK_INFO_NAME).unlink()
        lock.release()


# --- the output folder ---------------------------------------------------------------------

def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder and prove it writable, or OutputError before any work is done.

    Without this a read-only or missing-parent folder surfaced as a raw OSError from mkdir
    (a traceback), or only at the end, after every team had been built and had failed.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".schrijftest.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise output_error(e, out_dir) from e


# --- manifest ------------------------------------------------------------------------------

class TeamEntry(BaseModel):
    """What was built for one team: hashes of every input and output, versions, time, status."""

    inputs: dict[str, str] = Field(default_factory=dict)  # input name -> sha256
    outputs: dict[str, str] = Field(default_factory=dict)  # path relative to out dir -> sha256
    tool_version: str = ""
    schema_version: str = ""
    time: str = ""  # ISO 8601, UTC
    status: str = ""  # protocol status: concept / vastgesteld


class ArchiveRecord(BaseModel):
    """One PDF in `archief/`: the team, and the .docx it was made from.

    The PDF itself differs per conversion (CreationDate, /ID, checksums: 95 bytes of 431 KB
    differed between two conversions of one .docx, measured), the .docx is byte-identical for
    the same inputs, so "is this still the adopted text?" is asked of the .docx hash.
    """

    team_id: str
    docx: str  # sha256 of the .docx the archived PDF was converted from
    pdf: str  # sha256 of the archived PDF
    time: str = ""  # ISO 8601, UTC, when it was archived


class Manifest(BaseModel):
    """`manifest.json` in the output folder: per team what went in and what came out."""

    manifest_version: int = MANIFEST_VERSION
    teams: dict[str, TeamEntry] = Field(default_factory=dict)
    # "archief/<name>.pdf" -> record; kept when its team fails, is renamed or is removed,
    # because the archive itself is never cleaned.
    archive: dict[str, ArchiveRecord] = Field(default_factory=dict)


def load_manifest(out_dir: Path) -> Manifest:
    """The manifest in `out_dir`; missing, unreadable or corrupt gives an empty one (full build)."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return Manifest()
        manifest = Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return Manifest()
    if manifest.manifest_version != MANIFEST_VERSION:
        return Manifest()
    return manifest


def save_manifest(out_dir: Path, manifest: Manifest) -> None:
    """Write `manifest.json` atomically, teams sorted so the file diffs well."""
    data = manifest.model_dump(mode="json")
    data["teams"] = dict(sorted(data["teams"].items()))
    data["archive"] = dict(sorted(data["archive"].items()))
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    atomic_write_bytes(Path(out_dir) / MANIFEST_NAME, text.encode("utf-8"))


# --- what this program wrote since the manifest was last saved -------------------------------

# The manifest is saved once, when a run ends. A run interrupted after writing a team's .docx
# (Ctrl-C, kill -9, a PDF still in LibreOffice) left a .docx whose hash the manifest does not
# know, and the next run called 15 such files "met de hand gewijzigd" (issue 21). So the hash of
# every .docx is appended here *before* the file is written, and the journal is removed once a
# manifest holding those hashes is saved: a .docx is hand-edited only when neither knows it.
JOURNAL_NAME = ".teamprotocol-geschreven"
MAX_JOURNAL_BYTES = 16 * 1024 * 1024


def note_written(out_dir: Path, team_id: str, sha256: str) -> None:
    """Remember that this program is about to write a file of `team_id` with `sha256`.

    One short line appended (O_APPEND: worker processes may append at the same time).
    """
    with open(Path(out_dir) / JOURNAL_NAME, "a", encoding="utf-8") as fh:
        fh.write(f"{team_id}\t{sha256}\n")


def written_by_us(out_dir: Path) -> dict[str, set[str]]:
    """Per team, the hashes of files written by runs whose manifest was never saved."""
    found: dict[str, set[str]] = {}
    path = Path(out_dir) / JOURNAL_NAME
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if path.stat().st_size > MAX_JOURNAL_BYTES:
            return found
        for line in path.read_text(encoding="utf-8").splitlines():
            team_id, _, sha = line.partition("\t")
            if team_id and len(sha) == 64:
                found.setdefault(team_id, set()).add(sha)
    return found


def forget_written(out_dir: Path) -> None:
    """The manifest now knows every file written: the journal is no longer needed."""
    with contextlib.suppress(FileNotFoundError):
        (Path(out_dir) / JOURNAL_NAME).unlink()


def team_is_current(manifest: Manifest, team_id: str, input_hashes: dict[str, str],
                    out_dir: Path, hash_file: Callable[[Path], str] = sha256_file) -> bool:
    """True when the team's inputs equal the manifest's and every output still has its hash.

    Outputs are re-hashed rather than trusted on size and mtime: measured here, hashing the
    outputs of 200 teams (docx + PDF + json, ~60 MB) takes ~0.15 s, well inside the 3 s budget
    of an unchanged rebuild, and it also catches a file edited within the same second.
    `hash_file` may answer from a cache that hashes a file again whenever its `stat` identity
    changed (`batch.hashes`).
    """
    entry = manifest.teams.get(team_id)
    if entry is None or entry.inputs != input_hashes or not entry.outputs:
        return False
    base = Path(out_dir)
    try:
        root = base.resolve()
    except OSError:
        return False
    plain: set[str] = set()  # folders below `root` seen to be no symbolic link
    for rel, digest in entry.outputs.items():
        try:
            path = _plain_inside(root, rel, plain) or ensure_inside(base, Path(rel))
            if hash_file(path) != digest:
                return False
        except (OSError, OutputError):
            return False
    return True


def _plain_inside(root: Path, rel: str, plain: set[str]) -> Path | None:
    """`root/rel` when `rel` is a plain relative name (no '..') of which no part is a symbolic
    link, looked at with `lstat`; else None, and `ensure_inside` decides. The same verdict
    as `ensure_inside` for such a name at a fraction of its cost: `resolve` looks at every
    part of the path from `/` again, for each of 2,000 teams' outputs (issue 26)."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") or os.sep in p for p in parts):
        return None
    path = root
    for n, part in enumerate(parts):
        path = path / part
        last = n == len(parts) - 1
        if not last and str(path) in plain:
            continue
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return None
        if not last:
            plain.add(str(path))
    return path


# --- names and paths -----------------------------------------------------------------------

_UNSAFE_TEAM = re.compile(r"[^A-Za-z0-9.\-_]+")


def archive_name(organisation_short: str, team_id: str, version: str,
                 date: dt.date | str | None) -> str:
    """`<organisation>_<team_id>_teamprotocol_<version>_<date>.pdf`, every part made safe.

    The team id keeps its `_`: `wijk_noord` and `wijk-noord` are two valid team ids and got
    one archive name when `_` became `-`. Only the team part may hold `_`, so the name still
    splits back into its parts from both ends, and two teams never share one.
    """
    if date is None or (isinstance(date, str) and not date.strip()):
        raise OutputError("de vaststellingsdatum ontbreekt, dus er is geen archiefnaam",
                          field="Vastgesteld op", hint="Vul de datum van vaststelling in")
    when = date.isoformat() if isinstance(date, dt.date) else str(date)
    parts = [safe_name_part(organisation_short), safe_name_part(team_id, unsafe=_UNSAFE_TEAM),
             "teamprotocol",
             safe_name_part(version, fallback="0"), safe_name_part(when)]
    return "_".join(parts) + ".pdf"


SERIES_SUFFIX = "_teamprotocollen"


def series_stem(stem: str) -> str:
    """The team's series (its MDTO aggregation record) of an archived version's `stem`:
    `<organisation>_<team_id>_teamprotocollen`, from `archive_name`'s parts."""
    return stem.rsplit("_teamprotocol_", 1)[0] + SERIES_SUFFIX
