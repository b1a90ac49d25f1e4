"""One error hierarchy: every user-facing problem names file, field and what to do, in Dutch."""

from __future__ import annotations

from pathlib import Path


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
