"""One error hierarchy: every user-facing problem names file, field and what to do, in Dutch.

`Problem` is the one shape of a finding (a form's answer, a policy key, a PDF that fails its
check) and `Problem.format` the one place that turns it into the line a user reads; an error
is one or more Problems (`TeamprotocolError.problems`) raised together.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

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


def sentence(text: str) -> str:
    """`text` ending as one sentence, as every message and hint is shown: in one full stop,
    unless it ends in its own question or exclamation mark or ellipsis, or in a quotation
    (a coordinator's note) that ends in one of those or a full stop."""
    text = text.rstrip()
    unquoted = text.rstrip("’”")
    if unquoted.endswith(("?", "!", "…")) or (unquoted != text and unquoted.endswith(".")):
        return text
    return text.rstrip(".") + "."


class Problem(BaseModel):
    """One finding: the file and field it concerns (label and tag), what is wrong, what to do.

    `message` says what is wrong and `hint` what to do, both in Dutch. Never put the
    contents of a form field in either: forms hold personal data (names, phone numbers).
    """

    model_config = ConfigDict(frozen=True)

    file: str = ""
    field: str | None = None  # the field's label as the team lead sees it (or a policy key)
    tag: str | None = None
    message: str
    hint: str | None = None

    def format(self, more: str = "") -> str:
        """The one line a user reads: `bestand — veld — probleem. Wat te doen.`

        `more` is added to the message, e.g. ` (en nog 2 fouten)`.
        """
        parts = [p for p in (self.file, self.field) if p]
        text = sentence(self.message + more)
        if self.hint:
            text += " " + sentence(self.hint)
        return " — ".join([*parts, text])


def several(problems: Sequence[Problem], lead: str, *, file: str, hint: str | None,
            unnamed: str | None = None, strip: str = "", limit: int | None = None) -> Problem:
    """One `Problem` naming several on the line printed: `lead` then `veld: probleem; …`
    (at most `limit`, then `; en nog N`), with their hint when they share one, else `hint`.

    A problem without a field is named `unnamed` (or by its message alone); `strip` is taken
    off the front of each message (a prefix the lead already says).
    """
    def line(p: Problem) -> str:
        message, name = p.message.removeprefix(strip), p.field or unnamed
        return f"{name}: {message}" if name else message

    shown = problems[:limit]
    text = lead + "; ".join(line(p) for p in shown)
    if len(problems) > len(shown):
        text += f"; en nog {len(problems) - len(shown)}"
    same_hint = len({p.hint for p in problems}) == 1
    return Problem(file=file, message=text, hint=problems[0].hint if same_hint else hint)


class TeamprotocolError(Exception):
    """A problem a user can fix, or several found together: *file — field — what — what to do*.

    Raised as `TeamprotocolError(problem, ...)`, or, for the common case of one problem,
    `TeamprotocolError(message, file=..., field=..., hint=...)`. `summary` is the one line
    shown for several problems; by default the first with a count of the others.
    """

    def __init__(self, *problems: Problem | str, file: str | Path | None = None,
                 field: str | None = None, tag: str | None = None, hint: str | None = None,
                 summary: Problem | None = None) -> None:
        if len(problems) == 1 and isinstance(problems[0], str):
            problems = (Problem(file=str(file) if file is not None else "", field=field,
                                tag=tag, message=problems[0], hint=hint),)
        elif not problems or not all(isinstance(p, Problem) for p in problems) or any(
                x is not None for x in (file, field, tag, hint)):
            raise TypeError("TeamprotocolError takes one message with its details, or Problems")
        self.problems: tuple[Problem, ...] = tuple(p for p in problems if isinstance(p, Problem))
        self.summary = summary
        super().__init__(self.format())

    def format(self) -> str:
        """The one line the command line prints for this error."""
        if self.summary is not None:
            return self.summary.format()
        first, n = self.problems[0], len(self.problems) - 1
        return first.format(f" (en nog {n} {'fout' if n == 1 else 'fouten'})" if n else "")

    # The first (usually only) problem's parts, for callers that show one line's pieces.
    @property
    def message(self) -> str:
        return (self.summary or self.problems[0]).message

    @property
    def file(self) -> str | None:
        return (self.summary or self.problems[0]).file or None

    @property
    def field(self) -> str | None:
        return (self.summary or self.problems[0]).field

    @property
    def hint(self) -> str | None:
        return (self.summary or self.problems[0]).hint


class UsageError(TeamprotocolError):
    """The command was given something it cannot work with: a missing or wrong folder."""


class FormError(TeamprotocolError):
    """A Word form that cannot be read, or one of its answers that is invalid."""


class TeamFormsError(FormError):
    """A team folder whose forms cannot be used; `problems` holds every error found."""


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
