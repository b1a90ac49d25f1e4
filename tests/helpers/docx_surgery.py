"""Zip surgery on .docx files for tests: the one helper the forms and hardening tests share."""

from __future__ import annotations

import zipfile
from pathlib import Path


def rezip(src: Path, dst: Path, change: dict[str, bytes | None]) -> Path:
    """Copy the zip `src` to `dst`, replacing (bytes), dropping (None) or adding members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    zout.writestr(info.filename, change[info.filename])
            else:
                zout.writestr(info.filename, zin.read(info))
        for name, data in change.items():
            if data is not None and name not in zin.namelist():
                zout.writestr(name, data)
    return dst
