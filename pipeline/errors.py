"""One error hierarchy: every user-facing problem names file, field and what to do, in Dutch."""

from __future__ import annotations

import errno
from pathlib import Path

# The system's own reasons (strerror) are English: these are the ones a coordinator meets.
_OS_REASONS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang",
    errno.EPERM: "geen toegang",
    errno.EROFS: "alleen-lezen",
    errno.ENOSPC: "schijf vol",
    errno.EDQUOT: "geen ruimte meer binnen uw quotum",
    errno.EFBIG: "bestand te groot voor deze schijf",
    errno.EISDIR: "is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EIO: "lees- of schrijffout van de schijf",
}


def os_reason(exc: OSError) -> str:
    """A short Dutch reason for an OSError; the error code where we have no words for it."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return f"systeemfout {errno.errorcode.get(exc.errno or 0, type(exc).__name__)}"


class TeamprotocolError(Exception):
    """A problem a user can fix: *file — field — what is wrong — what to do*.

    `message` says what is wrong and `hint` what to do, both in Dutch. Never put the
    contents of a form field in either: forms hold personal data (names, phone numbers).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.field = field
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        """The one line the command line prints: `bestand — veld — probleem. Wat te doen.`"""
        parts = [p for p in (self.file, self.field) if p]
        text = self.message.rstrip(".") + "."
        if self.hint:
            text += " " + self.hint.rstrip(".") + "."
        return " — ".join([*parts, text])

    def to_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "field": self.field, "message": self.message, "hint": self.hint}


class FormError(TeamprotocolError):
    """A Word form that cannot be read, or one of its answers that is invalid."""


class CsvError(TeamprotocolError):
    """A bad row in the teams CSV."""


class PolicyError(TeamprotocolError):
    """An organisation policy file that is missing, malformed or invalid."""


class TemplateError(TeamprotocolError):
    """A protocol template that cannot be rendered."""


class ConversionError(TeamprotocolError):
    """LibreOffice could not turn a .docx into a valid PDF/A."""


class OutputError(TeamprotocolError):
    """The output folder cannot be written (read-only, full, outside the allowed place)."""


class MetadataError(TeamprotocolError):
    """Archive metadata (an MDTO sidecar) that does not validate against its schema."""
