"""File helpers every stage may use (a leaf): atomic writes, SHA-256, paths kept inside the
output folder, safe file names and the one list of names Windows reserves."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import signal
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import OutputError, os_reason

_CHUNK = 1024 * 1024


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    """The process's umask, read once when first needed (not at import)."""
    mask = os.umask(0o022)  # the only way to read it is to set it: set it straight back
    os.umask(mask)
    return mask


# --- errors -------------------------------------------------------------------------------

def output_error(exc: OSError, path: Path) -> OutputError:
    """A Dutch OutputError for a failed write, with a hint that fits the cause."""
    # EDQUOT: the user's quota on a network share is used up; EFBIG: a file-size limit
    # (ulimit -f, or a quota per file) stopped the write. To the coordinator all three are
    # "no room", fixed the same way.
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        hint = ("De schijf is vol of de ruimte voor uw bestanden is op: maak ruimte vrij en "
                "probeer het opnieuw")
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "De map is alleen-lezen: kies een map waarin u mag schrijven"
    else:
        hint = "Controleer de uitvoermap en probeer het opnieuw"
    return OutputError(f"kon het bestand niet schrijven ({os_reason(exc)})", file=path,
                       hint=hint)


# --- atomic writes ------------------------------------------------------------------------

@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait (are delivered at the end of the block) in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable; file systems that cannot (some shares) are skipped."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Write `chunks` to a temporary file beside `path`, fsync, rename over `path`, fsync the
    folder; OSError as it comes.

    The temporary file lives in the same folder, so `os.replace` is an atomic rename: a reader
    (or a run interrupted at any moment) sees the old file or the complete new one, never a
    half one; the folder's fsync makes the rename survive a power loss. The temporary file is
    removed on any failure.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp: Path | None = None
    out: BinaryIO | None = None
    try:
        # Ctrl-C or SIGTERM between mkstemp and knowing the name left a stray temporary file
        # (seen once in the interrupted-batch test): they wait until it is known and open.
        with _signals_held():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                            dir=path.parent)
            tmp, out = Path(tmp_name), os.fdopen(fd, "wb")
        with out as f:
            # mkstemp makes the file private (0600); outputs are documents for colleagues
            # and the archive, so they get the permissions any new file of this user gets.
            os.fchmod(f.fileno(), 0o666 & ~_umask())
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if out is not None:
            out.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(e, OSError) and e.filename is None:
            # A failed write() names no file (EFBIG, ENOSPC): say which one it was.
            raise OSError(e.errno, e.strerror, str(path)) from e
        raise
    _fsync_dir(path.parent)


# `write_chunks`'s temporary files: `.<name>.<8 random characters from mkstemp>.tmp`.
_OUR_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def remove_stale_temp_files(folder: Path, depth: int = 2) -> list[Path]:
    """Remove the temporary files `write_chunks` left in `folder` (and `depth - 1` levels of
    subfolders) when a run was killed before it could clean up; the paths removed.

    Only for a folder no other run writes into now (the build holds the output lock): after
    `kill -9` a hidden `.protocol.json.*.tmp` holding staff names stayed forever (issue 21).
    """
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            if entry.is_symlink():
                continue
            if entry.is_dir() and depth > 1:
                removed += remove_stale_temp_files(entry, depth - 1)
            elif entry.is_file() and _OUR_TEMP.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def write_atomically(path: Path, data: bytes) -> None:
    """`data` to `path` atomically (see `write_chunks`); OSError as it comes, for callers
    with their own message."""
    write_chunks(path, [data])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """`write_chunks`, with an OutputError naming `path` when it fails."""
    try:
        write_chunks(Path(path), chunks)
    except OSError as e:
        raise output_error(e, Path(path)) from e


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file, fsync, rename); OutputError if not."""
    atomic_write_chunks(path, [data])


def _read_chunks(src: Path) -> Iterable[bytes]:
    with open(src, "rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def atomic_copy(src: Path, dst: Path) -> None:
    """Copy `src` to `dst` atomically; `dst` is never seen half-written."""
    atomic_write_chunks(Path(dst), _read_chunks(Path(src)))


def atomic_move(src: Path, dst: Path) -> None:
    """Move `src` to `dst` atomically: a rename on one file system, else copy then rename."""
    src, dst = Path(src), Path(dst)
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        _fsync_dir(dst.parent)
        return
    except OSError as e:
        if e.errno != errno.EXDEV:  # /tmp and the output folder are often different mounts
            raise output_error(e, dst) from e
    atomic_copy(src, dst)
    with contextlib.suppress(OSError):
        src.unlink()


# --- hashes -------------------------------------------------------------------------------

def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file at `path`, read in 1 MiB chunks."""
    h = hashlib.sha256()
    for chunk in _read_chunks(Path(path)):
        h.update(chunk)
    return h.hexdigest()


# --- names and paths ----------------------------------------------------------------------

# `init --force` and `forms --force` move the files they replace into a folder of this name
# inside their target, one per run (`reservekopie-20271201-093000`). Builds and `forms --from`
# skip such folders: in a forms folder they hold old forms, not a team.
BACKUP_PREFIX = "reservekopie-"


def is_backup_folder(path: Path) -> bool:
    """Whether `path` is a backup folder made by `--force` (`reservekopie-<date-time>`)."""
    return path.name.startswith(BACKUP_PREFIX)


# Names Windows cannot use for a file or folder, whatever the extension (`nul.txt` too):
# Microsoft's "Naming Files, Paths, and Namespaces" lists CON, PRN, AUX, NUL, COM0-COM9,
# LPT0-LPT9 and the superscript digits ¹ ² ³ after COM and LPT (Windows reads them as 1-3).
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL",
                              *(f"{d}{n}" for d in ("COM", "LPT")
                                for n in (*"0123456789", "¹", "²", "³"))})


def is_reserved_name(name: str) -> bool:
    """Whether Windows refuses `name` as a file or folder name (its part before the first
    dot, trailing spaces ignored, as Windows ignores them)."""
    return name.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED


_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")
_MAX_PART = 60


def safe_name_part(text: str, *, fallback: str = "onbekend", unsafe: re.Pattern[str] = _UNSAFE
                   ) -> str:
    """One safe file-name part: ASCII letters, digits, `.` and `-`; never `..` or reserved."""
    # Accents are kept as their base letter (Zuidoost-Fryslân -> Zuidoost-Fryslan).
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unsafe.sub("-", text.strip())  # spaces, slashes, underscores, control chars
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-")[:_MAX_PART].strip(".-")
    if not text:
        return fallback
    if is_reserved_name(text):
        text = f"x-{text}"
    return text


def ensure_inside(base: Path, path: Path) -> Path:
    """`path` resolved, or OutputError when it (or a symlink on the way) leaves `base`.

    A relative `path` is taken relative to `base`, not to the working folder: callers pass
    the output-relative names that also go into the manifest.
    """
    root = Path(base).resolve()
    target = Path(path) if Path(path).is_absolute() else root / path
    resolved = target.resolve()
    if not resolved.is_relative_to(root):
        if Path(os.path.normpath(target)).is_relative_to(root):
            # The name stays inside; a symbolic link on the way leads out (issue 21, item 4).
            raise OutputError("dit pad gaat via een snelkoppeling (symbolische link) naar "
                              f"{resolved.parent}, buiten de uitvoermap, en wordt niet "
                              "geschreven", file=path,
                              hint="Verwijder de snelkoppeling uit de uitvoermap; teamprotocol "
                                   "maakt de map dan zelf opnieuw aan")
        raise OutputError("dit pad valt buiten de uitvoermap en wordt niet geschreven",
                          file=path, hint="Gebruik een team-id zonder '..' of '/'")
    return resolved


def team_output_dir(out_dir: Path, team_id: str) -> Path:
    """`out_dir/<team_id>`, checked before anything in it is moved, written or removed.

    A team folder that is a symbolic link is refused with its own message: 0.3.1 renamed a
    hand-edited .docx inside the link's target, outside `--out`, before any path check.
    """
    folder = Path(out_dir) / team_id
    if folder.is_symlink():
        raise OutputError("de map van dit team in de uitvoermap is een snelkoppeling "
                          f"(symbolische link) naar {folder.resolve()}; daar schrijft, "
                          "verplaatst of verwijdert teamprotocol niets", file=folder,
                          hint="Verwijder de snelkoppeling; de build maakt de map van het team "
                               "dan zelf opnieuw aan in de uitvoermap")
    return ensure_inside(out_dir, Path(team_id))
