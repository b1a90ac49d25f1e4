"""The SHA-256 of the files an unchanged rebuild checks, kept with each file's identity from
`stat` so that a file nobody touched is not read again.

Measured (issue 26): at 2,000 teams the up-to-date check took 7.3 s of a 14.3 s unchanged
rebuild, reading and hashing every form and every output of every team. A file's hash is
taken from this cache only when its size, modification time, change time and inode are
those recorded with the hash (nanoseconds, as `git` keeps its index): any write changes the
change time, which no program can set back, so a file edited, replaced or restored from a
copy is hashed again. A file changed less than `SETTLE_NS` before it was hashed is not
cached (a write in the same clock tick would leave its times as they were: git's "racy"
case); it is hashed again next time.

The cache is one file beside the manifest, written under the output lock at the end of a
run when it changed; a missing or damaged one only costs the hashing. The files the run
wrote itself are read and hashed once more at its end, when they have settled (all but
those of the last seconds): otherwise the first unchanged rebuild after a build read every
output again (2,000 teams: 2.6 s of its 5.6 s; the next one took 0.7 s in all).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from pipeline.files import atomic_write_bytes, sha256_file

HASHES_NAME = ".teamprotocol-hashes.json"
HASHES_VERSION = 1
SETTLE_NS = 2_000_000_000  # a file younger than this is hashed again next time


class FileHashes:
    """SHA-256 by path, trusted while the file's `stat` identity is the one recorded."""

    def __init__(self, out_dir: Path) -> None:
        self._path = Path(out_dir) / HASHES_NAME
        self._known: dict[str, list[object]] = {}
        self._seen: dict[str, list[object]] = {}  # what this run hashed or trusted
        self._changed = False
        try:
            data = json.loads(self._path.read_bytes())
            if isinstance(data, dict) and data.get("version") == HASHES_VERSION and \
                    isinstance(data.get("files"), dict):
                self._known = data["files"]
        except (OSError, ValueError):
            pass

    def sha256(self, path: Path) -> str:
        """The hex SHA-256 of the file at `path` (OSError as `sha256_file` raises it)."""
        key = os.fspath(path)
        stat = os.stat(key)
        known = self._known.get(key)
        if isinstance(known, list) and len(known) == 5 and known[:4] == _identity(stat) \
                and isinstance(known[4], str):
            self._seen[key] = known
            return known[4]
        return self._hash(key, stat)

    def _hash(self, key: str, stat: os.stat_result) -> str:
        """Read and hash the file; keep the hash when the file has settled."""
        digest = sha256_file(Path(key))
        if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLE_NS:
            self._seen[key] = [*_identity(stat), digest]
            self._changed = True
        return digest

    def save(self, written: Iterable[Path] = ()) -> None:
        """Keep the hashes of the files this run looked at, and of those it `written` that
        have settled since (read again from disk: what is there now, also after a hand edit
        meanwhile), if any changed or went; a file that cannot be read or written is left
        out (only a cache)."""
        for path in written:
            key = os.fspath(path)
            if key not in self._seen:
                with contextlib.suppress(OSError):
                    self._hash(key, os.stat(key))
        if not self._changed and self._seen.keys() == self._known.keys():
            return
        data = json.dumps({"version": HASHES_VERSION, "files": self._seen},
                          sort_keys=True, separators=(",", ":")).encode()
        with contextlib.suppress(OSError):
            atomic_write_bytes(self._path, data)


def _identity(stat: os.stat_result) -> list[object]:
    """What tells a file's every write apart: size, modification and change time, inode."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
