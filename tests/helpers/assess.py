"""Reading an assessed item the way `check` words it."""

from __future__ import annotations

from pipeline.answers import missing_text
from pipeline.models import ItemAssessment


def missing_texts(item: ItemAssessment) -> list[str]:
    """The item's missing parts, one Dutch line each (`answers.missing_text`)."""
    return [missing_text(m) for m in item.missing]
