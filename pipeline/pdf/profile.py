"""Warm LibreOffice user profiles: a clean profile kept in the user's cache, per LibreOffice
build, and copied into each new converter's slots.

A new profile's first start costs ~1.2 s more than a warm one; a copied profile starts warm
(measured: fresh 1.65 s, copy 0.49 s, reused 0.59 s for one document).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path


def seed_dir(soffice: str) -> Path | None:
    """Where a finished profile is kept for the next converter: per user, per LibreOffice build.

    It lives in the user's own cache, never in /tmp, where another user could plant a profile.
    """
    try:
        real = os.path.realpath(soffice)
        st = os.stat(real)
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (OSError, RuntimeError):
        return None
    key = hashlib.sha256(f"{real}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]
    return base / "teamprotocol" / f"lo-profile-{key}"


def usable_seed(seed: Path) -> bool:
    """A seed folder that is a real folder of this user (not a symlink, not another's)."""
    try:
        st = seed.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()


def copy_profile(src: Path, dst: Path) -> None:
    """Copy a seed profile; on any error the slot just starts with a fresh one."""
    try:
        shutil.copytree(src, dst, symlinks=True)
    except (OSError, shutil.Error):
        shutil.rmtree(dst, ignore_errors=True)


def save_seed(profile: Path, seed: Path) -> None:
    """Keep a copy of a profile that converted cleanly; copy then rename, so never half."""
    tmp = seed.with_name(f".{seed.name}.{os.getpid()}")
    try:
        seed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(profile, tmp, symlinks=True)
        os.rename(tmp, seed)
    except (OSError, shutil.Error):  # read-only home, or another run saved it first
        shutil.rmtree(tmp, ignore_errors=True)
