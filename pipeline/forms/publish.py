"""Files written into a user's folder as a whole: staged beside it, then renamed into place.

`forms` and `init` write many files (a team folder of forms, a policy and its logo). Written
one by one into the target, a full disk would leave half a team folder and a `.tmp` file
behind. So everything is first written into a hidden staging folder inside the target (same
file system), and only when all of it was written is it renamed into place: renames need no
room, so a full disk fails before anything in the target changed. A file that
already exists (possibly a filled-in form) is left alone unless replacing is asked for, and
then moved into a backup folder first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.files import BACKUP_PREFIX, ensure_inside, output_error

STAGING_PREFIX = ".teamprotocol-nieuw-"
# The staging folder's name says whose it is (`.teamprotocol-nieuw-<host>-<pid>-<random>`), so
# the next run removes a killed run's folder (22 MB of forms after `kill -9`, issue 21) and
# never one of a run still busy.
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
_OWNER = re.compile(re.escape(STAGING_PREFIX) + r"([0-9a-f]{8})-(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def remove_dead_staging(target: Path) -> list[Path]:
    """Remove the staging folders in `target` of runs on this computer that no longer run."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in Path(target).iterdir():
            if not entry.name.startswith(STAGING_PREFIX) or not entry.is_dir() \
                    or entry.is_symlink():
                continue
            m = _OWNER.match(entry.name)
            if m is None:  # made by 0.3, without an owner in its name: removed a day later
                dead = time.time() - entry.stat().st_mtime > 24 * 3600
            else:  # another computer's run (a shared folder) is never judged from here
                dead = m[1] == _HOST and not _alive(int(m[2]))
            if dead:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


@dataclass
class Published:
    """What `commit` did: files written new, left alone (they existed), replaced."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    backup: Path | None = None  # where the replaced files went; None when none was replaced


@contextlib.contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A hidden, empty staging folder inside `target` (created), removed afterwards."""
    target = Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        remove_dead_staging(target)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{_HOST}-{os.getpid()}-",
                                      dir=target))
    except OSError as e:
        raise output_error(e, target) from e
    try:
        yield stage
    except OSError as e:
        # A write into the staging folder failed: name the file as it would have been. A
        # failed write() carries no file name (EFBIG, ENOSPC): the file it left half is it.
        half = sorted(stage.rglob("*.tmp"), key=lambda p: p.stat().st_mtime_ns)
        where = Path(e.filename) if e.filename else half[-1] if half else stage
        with contextlib.suppress(ValueError):
            rel = where.relative_to(stage)
            name = rel.name.removeprefix(".").removesuffix(".tmp")
            where = target / rel.with_name(name)
        raise output_error(e, where) from e
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def existing(stage: Path, target: Path) -> list[Path]:
    """The files in `target` that the staged files would replace."""
    return sorted(target / p.relative_to(stage) for p in stage.rglob("*")
                  if p.is_file() and (target / p.relative_to(stage)).exists())


def commit(stage: Path, target: Path, *, replace: bool = False) -> Published:
    """Rename the staged files into `target`; a folder that is new moves as a whole.

    Existing files are skipped, or with `replace` first moved (same relative path) into a new
    backup folder `target/reservekopie-<date-time>`: `init --force` and `forms --force` both
    replace through here, so a replaced file (a filled-in form) is never simply gone.
    Renames within one file system need no free space.
    """
    done = Published()
    backup = _new_backup_folder(Path(target)) if replace else None
    _merge(Path(stage), Path(target), done, replace, backup, Path(), Path(target))
    if done.replaced:
        done.backup = backup
    return done


def _new_backup_folder(target: Path) -> Path:
    """`target/reservekopie-<date-time>`, not yet existing (a second run in the same second
    gets `-2`): a backup never overwrites an earlier one."""
    base = target / f"{BACKUP_PREFIX}{dt.datetime.now():%Y%m%d-%H%M%S}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


def _merge(src: Path, dst: Path, done: Published, replace: bool, backup: Path | None,
           rel: Path, top: Path) -> None:
    for entry in sorted(src.iterdir()):
        goal = dst / entry.name
        # Nothing is renamed through a symbolic link to outside the target (issue 21, item 4).
        ensure_inside(top, goal)
        try:
            if not goal.exists():
                os.replace(entry, goal)
                done.written += ([goal] if goal.is_file()
                                 else sorted(p for p in goal.rglob("*") if p.is_file()))
            elif entry.is_dir() and goal.is_dir():
                _merge(entry, goal, done, replace, backup, rel / entry.name, top)
            elif not replace:
                done.skipped.append(goal)
            else:
                if backup is not None:
                    kept = backup / rel / entry.name
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(goal, kept)
                os.replace(entry, goal)
                done.replaced.append(goal)
        except OSError as e:
            raise output_error(e, goal) from e
